import { InvalidOrderInput } from './errors';

/** The only input every step accepts. */
export interface OrderInput {
  /** 1 to {@link ORDER_ID_MAX_LENGTH} characters of `A-Z a-z 0-9 _ -`. */
  readonly orderId: string;
}

/** Longest accepted `orderId`, in characters. */
export const ORDER_ID_MAX_LENGTH = 64;

/** Characters an `orderId` may contain; ASCII only, so length in UTF-16 units is length in characters. */
export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Characters of a received string shown in a message; keeps megabyte inputs out of errors and logs. */
const PREVIEW_MAX_LENGTH = 40;

/** Unexpected field names listed in a message before the rest are only counted. */
const FIELDS_LISTED = 3;

/**
 * Validates a step's input before anything is written.
 *
 * @returns the input narrowed to {@link OrderInput}
 * @throws InvalidOrderInput stating what was expected and (escaped, truncated) what was received
 */
export function parseOrderInput(input: unknown): OrderInput {
  if (!isPlainObject(input)) {
    throw invalid('a JSON object {"orderId": "<id>"}', preview(input));
  }
  const unexpected = Object.keys(input).filter((key) => key !== 'orderId');
  if (unexpected.length > 0) {
    const listed = unexpected.slice(0, FIELDS_LISTED).map(preview).join(', ');
    const more = unexpected.length > FIELDS_LISTED ? ` and ${unexpected.length - FIELDS_LISTED} more` : '';
    // A near miss such as orderID or order_id is the likely mistake, so name the fix.
    const hint = unexpected.some((key) => key.toLowerCase().replace(/[-_]/g, '') === 'orderid')
      ? ' (did you mean orderId?)'
      : '';
    throw invalid('only the field "orderId"', `unexpected field(s) ${listed}${more}${hint}`);
  }
  const { orderId } = input;
  if (typeof orderId !== 'string') {
    throw invalid('orderId to be a string', 'orderId' in input ? preview(orderId) : 'no orderId');
  }
  if (orderId.length === 0 || orderId.length > ORDER_ID_MAX_LENGTH) {
    throw invalid(
      `orderId of 1 to ${ORDER_ID_MAX_LENGTH} characters`,
      `${orderId.length} characters ${preview(orderId)}`,
    );
  }
  if (!ORDER_ID_PATTERN.test(orderId)) {
    throw invalid('orderId of only A-Z a-z 0-9 _ -', preview(orderId));
  }
  return { orderId };
}

/**
 * Shows a received value safely in a message: a string JSON-quoted, cut after
 * {@link PREVIEW_MAX_LENGTH} characters and with everything outside printable ASCII escaped, so no
 * control or bidi character reaches a message raw; objects and arrays only by kind.
 */
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
  // A function's String() is its source: never echo that.
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  return String(value);
}

function invalid(expected: string, received: string): InvalidOrderInput {
  return new InvalidOrderInput(`Invalid order input: expected ${expected}, received ${received}.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  // By tag, not by prototype identity: an event parsed in another realm (a local host, a test VM) is still plain JSON.
  return Object.prototype.toString.call(value) === '[object Object]' && !Array.isArray(value);
}
