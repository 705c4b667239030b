/**
 * This suite's own model of the timeout budget on AWS, read from a synthesized definition alone: the
 * longest a Task can run, and the slowest path through the workflow. It shares no code with the
 * derivation in lib/timeout-budget.ts, so that each checks the other.
 */

/** Lambda runs an on-demand function's init for up to 10 s outside the function's timeout. */
export const LAMBDA_INIT_SECONDS = 10;

/**
 * What an EXPRESS Task waits beyond its function: the invoke's round trip. Its 5 minutes hold 12
 * invocations per Task only if each is short; a cold start runs within the handler's unused time
 * (docs/express.md).
 */
export const EXPRESS_TASK_MARGIN_SECONDS = 1;

export interface RetrierJson {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds?: number;
}

export interface StateJson {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly TimeoutSeconds?: number;
  readonly Retry?: RetrierJson[];
  readonly Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  readonly Parameters?: { FunctionName?: string };
}

export interface DefinitionJson {
  readonly StartAt: string;
  readonly TimeoutSeconds: number;
  readonly States: Record<string, StateJson>;
}

/** The longest a Task can run: every invocation until its timeout, every retry after its longest wait. */
export function slowestTaskSeconds(state: StateJson): number {
  const retriers = state.Retry ?? [];
  const invocations = 1 + retriers.reduce((sum, r) => sum + r.MaxAttempts, 0);
  let waits = 0;
  for (const r of retriers) {
    for (let i = 0, interval = r.IntervalSeconds; i < r.MaxAttempts; i += 1, interval *= r.BackoffRate) {
      waits += Math.min(interval, r.MaxDelaySeconds ?? Infinity);
    }
  }
  if (state.TimeoutSeconds === undefined) throw new Error('a Task without TimeoutSeconds can run for a year');
  return invocations * state.TimeoutSeconds + waits;
}

/** The slowest path from `name` to the end of the execution, following `Next` and every `Catch`. */
export function slowestPathSeconds(definition: DefinitionJson, name: string = definition.StartAt): number {
  const state = definition.States[name];
  const own = state.Type === 'Task' ? slowestTaskSeconds(state) : 0;
  const next = [state.Next, ...(state.Catch ?? []).map((c) => c.Next)].filter((n): n is string => n !== undefined);
  return own + Math.max(0, ...next.map((n) => slowestPathSeconds(definition, n)));
}
