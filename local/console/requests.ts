import { batchIdWidth, batchOrderIds } from '../batch';
import { InvalidOrderInput, InvalidRequest } from './errors';

/** Longest order id the handlers accept (handlers/order-input.ts; a test keeps the two rules equal). */
export const ORDER_ID_MAX_LENGTH = 64;

/** Characters of an order id the handlers accept. */
const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Characters of a received string shown in a message. */
const PREVIEW_MAX_LENGTH = 40;

/** Bounds of a start request, shared with the page (served in `GET /api/definition`). */
export const START_LIMITS = {
  /** Executions one request may start. */
  maxCount: 200,
  /** Longest pause before each step, in ms. */
  maxStepDelayMs: 5000,
  /** Largest accepted JSON body, in bytes. */
  maxBodyBytes: 4096,
} as const;

/** A validated request to start executions. */
export interface StartRequest {
  /** One order per execution: the id itself, or `<id>-0001` ... for a count above 1 (as `npm start -- --count`). */
  readonly orderIds: readonly string[];
  /** Chance of an injected transient Lambda fault, as `npm start -- --inject-faults`. */
  readonly faultRate: number;
  /** Pause before each Task attempt, in ms, to watch the execution. */
  readonly stepDelayMs: number;
}

const FIELDS = ['orderId', 'count', 'faultRate', 'stepDelayMs'] as const;

/**
 * Validates the body of `POST /api/executions`: `{"orderId": "1234", "count": 1, "faultRate": 0,
 * "stepDelayMs": 0}`, where only `orderId` is required.
 *
 * @throws InvalidOrderInput when an order id is not what the handlers accept (the same rule, so
 * the page shows the error the workflow would fail with)
 * @throws InvalidRequest naming the field when anything else is wrong
 */
export function parseStartRequest(body: unknown): StartRequest {
  if (Object.prototype.toString.call(body) !== '[object Object]') {
    throw new InvalidRequest('Expected a JSON object such as {"orderId": "1234", "count": 1, "faultRate": 0}.');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new InvalidRequest(`Unexpected field ${preview(unknown[0])}; expected only ${FIELDS.join(', ')}.`);
  }
  const orderId = parseOrderId(fields);
  const count = wholeNumber(fields, 'count', 1, START_LIMITS.maxCount, 1);
  const stepDelayMs = wholeNumber(fields, 'stepDelayMs', 0, START_LIMITS.maxStepDelayMs, 0);
  const faultRate = fields.faultRate ?? 0;
  if (typeof faultRate !== 'number' || !Number.isFinite(faultRate) || faultRate < 0 || faultRate >= 1) {
    throw new InvalidRequest(
      `faultRate must be a number with 0 <= faultRate < 1, received ${preview(faultRate)}.`,
      'faultRate',
    );
  }
  return { orderIds: startOrderIds(orderId, count), faultRate, stepDelayMs };
}

/** The handlers' rule for an order id, worded as their InvalidOrderInput messages are. */
function parseOrderId(fields: Record<string, unknown>): string {
  const invalid = (expected: string, received: string) =>
    new InvalidOrderInput(`Invalid order input: expected ${expected}, received ${received}.`);
  if (!('orderId' in fields)) throw invalid('orderId to be a string', 'no orderId');
  const { orderId } = fields;
  if (typeof orderId !== 'string') throw invalid('orderId to be a string', preview(orderId));
  if (orderId.length === 0 || orderId.length > ORDER_ID_MAX_LENGTH) {
    throw invalid(
      `orderId of 1 to ${ORDER_ID_MAX_LENGTH} characters`,
      `${orderId.length} characters ${preview(orderId)}`,
    );
  }
  if (!ORDER_ID_PATTERN.test(orderId)) throw invalid('orderId of only A-Z a-z 0-9 _ -', preview(orderId));
  return orderId;
}

/** A received value, safe in a message: strings quoted, cut and with non-printable characters escaped. */
export function preview(value: unknown): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value.slice(0, PREVIEW_MAX_LENGTH)).replace(
      /[^\x20-\x7e]/g,
      (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    return value.length > PREVIEW_MAX_LENGTH ? `${quoted} (truncated)` : quoted;
  }
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return typeof value === 'function' || typeof value === 'symbol' ? `a ${typeof value}` : String(value);
}

/** The order ids a start request runs: the id itself, or a batch named as `npm start -- --count` names it. */
export function startOrderIds(orderId: string, count: number): string[] {
  if (count === 1) return [orderId];
  const width = batchIdWidth(count);
  const longest = orderId.length + 1 + width;
  if (longest > ORDER_ID_MAX_LENGTH) {
    throw new InvalidOrderInput(
      `Invalid order input: expected orderId of 1 to ${ORDER_ID_MAX_LENGTH - 1 - width} characters with count ${count} ` +
        `(the orders are <orderId>-${'1'.padStart(width, '0')} and on, at most ${ORDER_ID_MAX_LENGTH} characters each), ` +
        `received ${orderId.length} characters.`,
    );
  }
  return batchOrderIds(orderId, count);
}

function wholeNumber(
  fields: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = fields[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidRequest(`${name} must be a whole number from ${min} to ${max}, received ${preview(value)}.`, name);
  }
  return value;
}
