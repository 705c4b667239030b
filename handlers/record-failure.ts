import { FAILURE_RECORDER, type StepStateName, WORKFLOW_STEPS } from '../workflow/steps';
import { InvalidFailureRecord } from './errors';
import { runStep } from './log';
import { preview } from './order-input';
import { markFailed, type OrderDeps, runtimeDeps } from './orders-repo';

/** The steps whose failure can be recorded: the states of the workflow that write an order. */
export const RECORDABLE_STEPS: readonly StepStateName[] = WORKFLOW_STEPS.map((step) => step.stateName);

/** Longest error name kept on the item; Step Functions error names are short, this bounds a bad one. */
const ERROR_NAME_MAX_LENGTH = 128;

/** What the state machine sends after a step failed for good. */
export interface FailureRecord {
  /** The execution's input (`$$.Execution.Input`): it names the order. */
  readonly executionInput: unknown;
  /** The state that failed. */
  readonly step: StepStateName;
  /** The error it failed with (`$.Error` of the Catch). */
  readonly error: string;
}

/** What RecordFailure returns. */
export interface RecordFailureResult {
  readonly orderId: string;
  readonly step: string;
  readonly error: string;
  /** False when there was nothing to mark: no such order, or it is paid. */
  readonly recorded: boolean;
}

/**
 * Marks the order `failed` with the step and error that failed it. Never creates an order and never
 * overwrites `paid`; an execution input that names no valid order fails with InvalidOrderInput
 * (and writes nothing).
 *
 * @throws InvalidFailureRecord when the envelope is not what the state machine builds
 */
export async function recordFailure(input: unknown, deps: OrderDeps): Promise<RecordFailureResult> {
  // Inside the async function: a bad envelope rejects the promise, as every other failure of the step does.
  const record = parseFailureRecord(input);
  return runStep(FAILURE_RECORDER.stateName, record.executionInput, async (orderId) => {
    const outcome = await markFailed(deps, orderId, record.step, record.error);
    return { result: { orderId, step: record.step, error: record.error, recorded: outcome === 'written' }, outcome };
  });
}

function parseFailureRecord(input: unknown): FailureRecord {
  const record = (typeof input === 'object' && input !== null ? input : {}) as Partial<
    Record<keyof FailureRecord, unknown>
  >;
  if (!RECORDABLE_STEPS.includes(record.step as FailureRecord['step'])) {
    throw new InvalidFailureRecord(
      `Expected step to be one of ${RECORDABLE_STEPS.join(', ')}, received ${preview(record.step)}.`,
    );
  }
  if (typeof record.error !== 'string' || record.error.length === 0 || record.error.length > ERROR_NAME_MAX_LENGTH) {
    throw new InvalidFailureRecord(
      `Expected error to be an error name of 1 to ${ERROR_NAME_MAX_LENGTH} characters, received ${preview(record.error)}.`,
    );
  }
  return { executionInput: record.executionInput, step: record.step as FailureRecord['step'], error: record.error };
}

/** Lambda entry point of the Record*Failure states. */
export const handler = (input: unknown): Promise<RecordFailureResult> => recordFailure(input, runtimeDeps());
