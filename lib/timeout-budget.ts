/**
 * The timeout budget of the workflow: how long one Task may take and how long a whole execution may
 * take, derived from the functions' timeout and the retry policy, so that every step fails inside
 * its Task (where a Catch records the failure) and never outlasts the execution (whose
 * `States.Timeout` no Catch handles, leaving the order in `created` or `hold`).
 *
 * Both are linear in the function timeout, so the module can compute them with a Terraform expression
 * on its variable, from the same coefficients.
 */
import type { WorkflowType } from './config';
import { WORKFLOW_STEPS } from '../workflow/steps';
import { type Retrier, TASK_RETRIERS_BY_TYPE } from './workflow-definition';

/**
 * The longest an EXPRESS execution may run; a longer one fails with `States.Timeout`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (Quotas related to state machine executions)
 */
export const EXPRESS_MAX_EXECUTION_SECONDS = 300;

/** The steps of this workflow (workflow/steps.ts). */
export const WORKFLOW_STEP_COUNT = WORKFLOW_STEPS.length;

/** The largest function timeout the settings accept at all. */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 900;

/**
 * What an invocation may take beyond the function's own timeout, by workflow type: how much longer than
 * the function each Task waits. Lambda gives an on-demand function's init phase up to 10 s outside the
 * timeout, and the invoke's round trip takes a moment more.
 *
 * STANDARD waits 15 s: even the slowest cold start is answered by Lambda, never cut by the Task.
 * EXPRESS waits 1 s, for the round trip: its 5 minutes hold 11 invocations per Task only with short
 * ones. A cold start runs init before the handler, so these handlers (tens of ms, bundles under
 * 10 KiB) leave it almost the whole Task, about 3.9 s at the default function timeout of 3 s; only an
 * init beyond that becomes a Task `States.Timeout`, which is caught: the order is recorded failed and a
 * re-run resumes it (docs/express.md, with the check to run on a first deploy).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html (Init phase)
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (TimeoutSeconds, States.Timeout)
 */
export const INVOKE_OVERHEAD_SECONDS: Readonly<Record<WorkflowType, number>> = { STANDARD: 15, EXPRESS: 1 };

/** Room for the state transitions and the Pass and Fail states, which take milliseconds each. */
export const EXECUTION_SLACK_SECONDS = 60;

/** A number of seconds that grows with the function timeout: `perFunctionTimeoutSecond × timeout + seconds`. */
export interface LinearSeconds {
  readonly perFunctionTimeoutSecond: number;
  readonly seconds: number;
}

/** The Task and execution timeouts of a workflow, as functions of the functions' timeout. */
export interface TimeoutBudget {
  /** Each Task's `TimeoutSeconds`: longer than any invocation, so Lambda ends a slow call first. */
  readonly taskTimeout: LinearSeconds;
  /** The definition's `TimeoutSeconds`: longer than the slowest path through the workflow. */
  readonly executionTimeout: LinearSeconds;
}

/**
 * Invocations of one Task at most: the first, then up to each retrier's `MaxAttempts` (Step Functions
 * counts each retrier's attempts separately, so errors that alternate between them use both).
 */
export function invocationsPerTask(retriers: readonly Retrier[]): number {
  return 1 + retriers.reduce((sum, retrier) => sum + retrier.MaxAttempts, 0);
}

/** The longest a retrier waits in all, every interval at its full, unjittered length and capped at `MaxDelaySeconds`. */
export function longestRetryWaitSeconds(retrier: Retrier): number {
  let total = 0;
  for (let attempt = 0; attempt < retrier.MaxAttempts; attempt += 1) {
    const interval = retrier.IntervalSeconds * retrier.BackoffRate ** attempt;
    total += Math.min(interval, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
  }
  return total;
}

/**
 * The budget of a workflow of `stepCount` steps and a type (its retriers and invoke overhead). Its
 * longest path runs every step, each at its worst (every invocation timing out, every retry waiting its
 * longest), then the failure recorder after the last step, at its worst too.
 */
export function timeoutBudget(stepCount: number, workflowType: WorkflowType = 'STANDARD'): TimeoutBudget {
  const retriers = TASK_RETRIERS_BY_TYPE[workflowType];
  const overhead = INVOKE_OVERHEAD_SECONDS[workflowType];
  const tasks = stepCount + 1;
  const invocations = invocationsPerTask(retriers);
  const retryWait = retriers.reduce((sum, retrier) => sum + longestRetryWaitSeconds(retrier), 0);
  return {
    taskTimeout: { perFunctionTimeoutSecond: 1, seconds: overhead },
    executionTimeout: {
      perFunctionTimeoutSecond: tasks * invocations,
      seconds: tasks * (invocations * overhead + retryWait) + EXECUTION_SLACK_SECONDS,
    },
  };
}

/** The value of a linear budget for a function timeout. */
export function secondsFor(linear: LinearSeconds, functionTimeoutSeconds: number): number {
  return linear.perFunctionTimeoutSecond * functionTimeoutSeconds + linear.seconds;
}

/** The execution timeout of this workflow, of a type, for a function timeout. */
export function executionTimeoutSeconds(workflowType: WorkflowType, functionTimeoutSeconds: number): number {
  return secondsFor(timeoutBudget(WORKFLOW_STEP_COUNT, workflowType).executionTimeout, functionTimeoutSeconds);
}

/**
 * The largest function timeout whose execution timeout a workflow of this type can have: any for
 * STANDARD (a year is far off), and for EXPRESS the largest whose slowest path fits 5 minutes.
 */
export function largestFunctionTimeoutSeconds(workflowType: WorkflowType): number {
  if (workflowType === 'STANDARD') return MAX_FUNCTION_TIMEOUT_SECONDS;
  const { executionTimeout } = timeoutBudget(WORKFLOW_STEP_COUNT, 'EXPRESS');
  return Math.floor(
    (EXPRESS_MAX_EXECUTION_SECONDS - executionTimeout.seconds) / executionTimeout.perFunctionTimeoutSecond,
  );
}

/** Invocations of each Task of a workflow of this type at most. */
export function invocationsPerTaskOf(workflowType: WorkflowType): number {
  return invocationsPerTask(TASK_RETRIERS_BY_TYPE[workflowType]);
}
