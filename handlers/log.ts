import type { FAILURE_RECORDER, StepStateName } from '../workflow/steps';
import { parseOrderInput } from './order-input';
import type { WriteOutcome } from './orders-repo';

/** The state each handler backs, as named in the state machine (workflow/steps.ts). */
export type StepName = StepStateName | (typeof FAILURE_RECORDER)['stateName'];

/** What a step's body returns: the handler's result and how it left the table. */
export interface StepResult<R> {
  /** Returned to the caller (the state machine's task output). */
  readonly result: R;
  /** Logged as `outcome`. */
  readonly outcome: WriteOutcome;
}

/**
 * What a step logs once per invocation, as one object: with Lambda's JSON log format the runtime
 * writes it as the line's `message`, so each field is searchable as `$.message.<field>`, and the
 * line's `level` is the console method's (`console.log` INFO, `console.error` ERROR).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
export interface StepLogLine {
  readonly step: StepName;
  /** Present once the input passed validation. */
  readonly orderId?: string;
  readonly outcome: WriteOutcome | 'error';
  readonly durationMs: number;
  /** The error's name, on failure. */
  readonly error?: string;
}

/**
 * Validates the input, runs the step's body and logs exactly one {@link StepLogLine} for the
 * invocation: `console.log` on success, `console.error` on failure. The raw input is never
 * logged; `orderId` only once it passed validation, so the line is safe to ship anywhere.
 *
 * @throws whatever validation or the body throws, unchanged
 */
export async function runStep<R>(
  step: StepName,
  input: unknown,
  body: (orderId: string) => Promise<StepResult<R>>,
): Promise<R> {
  const started = performance.now();
  let orderId: string | undefined;
  let done: StepResult<R>;
  try {
    orderId = parseOrderInput(input).orderId;
    done = await body(orderId);
  } catch (err) {
    const error = err instanceof Error ? err.name : 'UnknownError';
    console.error(logLine(step, orderId, 'error', started, error));
    throw err;
  }
  console.log(logLine(step, orderId, done.outcome, started));
  return done.result;
}

function logLine(
  step: StepName,
  orderId: string | undefined,
  outcome: WriteOutcome | 'error',
  started: number,
  error?: string,
): StepLogLine {
  // Absent, not undefined, when unknown: the line has exactly the fields that hold a value.
  return {
    step,
    ...(orderId === undefined ? {} : { orderId }),
    outcome,
    durationMs: Math.round(performance.now() - started),
    ...(error === undefined ? {} : { error }),
  };
}
