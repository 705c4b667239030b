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
 * Validates the input, runs the step's body and writes exactly one JSON log line for the
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
    console.error(logLine('ERROR', step, orderId, 'error', started, error));
    throw err;
  }
  console.log(logLine('INFO', step, orderId, done.outcome, started));
  return done.result;
}

function logLine(
  level: 'INFO' | 'ERROR',
  step: StepName,
  orderId: string | undefined,
  outcome: WriteOutcome | 'error',
  started: number,
  error?: string,
): string {
  // JSON.stringify drops undefined fields, so orderId and error appear only when known.
  return JSON.stringify({ level, step, orderId, outcome, durationMs: Math.round(performance.now() - started), error });
}
