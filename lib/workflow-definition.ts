/**
 * The state machine's Amazon States Language definition, built from typed objects (JSONPath, not
 * JSONata: the local runtime runs JSONPath only).
 * @see https://states-language.net/spec.html
 */
import { HANDLER_ERRORS } from '../workflow/steps';

/** Errors Lambda raises when the service, not the function, failed: safe to retry. */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/** DynamoDB errors that outlast the SDK's own retries inside a handler: worth a retry of the step. */
export const TRANSIENT_DYNAMODB_ERRORS = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
] as const;

/** Error of the Fail state an order ends in when a step failed after its retries. */
export const ORDER_FAILED_ERROR = 'OrderFailed';

/** A Retry rule. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/** A Catch rule. */
export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string;
}

/** A Task state calling a Lambda function through the optimized `lambda:invoke` integration. */
export interface LambdaTaskState {
  readonly Type: 'Task';
  readonly Comment?: string;
  readonly Resource: string;
  readonly Parameters: {
    readonly FunctionName: string;
    readonly 'Payload.$'?: string;
    readonly Payload?: Readonly<Record<string, string>>;
  };
  readonly OutputPath: string;
  /** Longer than any invocation can take, so Lambda ends a slow call first (lib/timeout-budget.ts). */
  readonly TimeoutSeconds: number;
  readonly Retry: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  readonly Next?: string;
  readonly End?: true;
}

/** A Fail state: ends the execution with a stable error name. */
export interface FailState {
  readonly Type: 'Fail';
  readonly Comment?: string;
  readonly Error: string;
  readonly Cause?: string;
  readonly CausePath?: string;
}

/** A Pass state that reshapes its input with `Parameters`. */
export interface PassState {
  readonly Type: 'Pass';
  readonly Comment?: string;
  readonly Parameters: Readonly<Record<string, string>>;
  readonly Next: string;
}

/** Any state of this workflow. */
export type State = LambdaTaskState | PassState | FailState;

/** A whole state machine definition. */
export interface StateMachineDefinition {
  readonly Comment: string;
  /** Explicit, so nobody reads JSONata into the JSONPath fields. */
  readonly QueryLanguage: 'JSONPath';
  readonly StartAt: string;
  readonly TimeoutSeconds: number;
  readonly States: Readonly<Record<string, State>>;
}

/** One workflow step: a state name and the function it invokes. */
export interface WorkflowStep {
  /** PascalCase state name, e.g. `HoldPayment`. */
  readonly stateName: string;
  /** ARN of the Lambda function the state invokes. */
  readonly functionArn: string;
}

/** The retry rule every task carries: transient Lambda errors, exponential backoff with full jitter. */
export const TRANSIENT_RETRY: Retrier = {
  ErrorEquals: TRANSIENT_LAMBDA_ERRORS,
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
};

/** Retry of DynamoDB errors that reached the step: fewer attempts, the handler's SDK already retried. */
export const DYNAMODB_RETRY: Retrier = {
  ErrorEquals: TRANSIENT_DYNAMODB_ERRORS,
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
};

/**
 * The retriers of an EXPRESS workflow's Tasks: the same errors, more attempts than STANDARD's, each wait
 * at most 1 s (full jitter), so that the slowest path still fits the 5 minutes an Express execution may
 * run (lib/timeout-budget.ts). Express serves high rates, where transient errors come in bursts: 11
 * invocations make a Task that faults 36 % of the time fail about once in 76,000 (docs/express.md), and
 * a DynamoDB error that outlasted the handler's SDK is tried once more. What still fails is recorded on
 * the order, and re-running the order resumes it, as for STANDARD.
 */
export const EXPRESS_TASK_RETRIERS: readonly Retrier[] = [
  { ...TRANSIENT_RETRY, MaxAttempts: 10, MaxDelaySeconds: 1 },
  { ...DYNAMODB_RETRY, MaxAttempts: 1, MaxDelaySeconds: 1 },
];

/** The retriers every Task carries, by state machine type. */
export const TASK_RETRIERS_BY_TYPE = {
  STANDARD: [TRANSIENT_RETRY, DYNAMODB_RETRY],
  EXPRESS: EXPRESS_TASK_RETRIERS,
} as const satisfies Record<string, readonly Retrier[]>;

/** The Task and execution timeouts, from the timeout budget (lib/timeout-budget.ts). */
export interface WorkflowTimeouts {
  /** `TimeoutSeconds` of every Task state. */
  readonly taskTimeoutSeconds: number;
  /** `TimeoutSeconds` of the whole execution. */
  readonly executionTimeoutSeconds: number;
}

/** Name of the Fail state invalid input ends in. */
export const REJECT_INPUT_STATE = 'RejectInput';

/** Name of the Pass state that takes the handler's message out of Lambda's error JSON before `RejectInput`. */
export const READ_REJECTION_STATE = 'ReadRejection';

/** Name of the Fail state a failed order ends in. */
export const ORDER_FAILED_STATE = 'OrderFailed';

/** Name of the state that records a step's failure on the order. */
export function recordFailureStateName(stepStateName: string): string {
  return `Record${stepStateName}Failure`;
}

/**
 * Builds the definition: the steps run in order, each a `lambda:invoke` task whose output is the
 * function's own result (`OutputPath: $.Payload`), retried on transient errors. A step that still
 * fails is caught: invalid input ends in `RejectInput` (with the handler's message as the cause)
 * without a write; any other error, a Task timeout included, goes to a
 * `Record<Step>Failure` task that marks the order failed, then to the `OrderFailed` Fail state.
 *
 * @param steps the steps in order; must not be empty
 * @param recordFailureArn ARN of the function that marks an order failed
 * @param partition the AWS partition, e.g. `aws` (a Terraform reference in a stack)
 * @param timeouts the Task and execution timeouts
 * @param retriers the Retry of every Task (STANDARD's by default)
 */
export function buildWorkflowDefinition(
  steps: readonly WorkflowStep[],
  recordFailureArn: string,
  partition: string,
  timeouts: WorkflowTimeouts,
  retriers: readonly Retrier[] = TASK_RETRIERS_BY_TYPE.STANDARD,
): StateMachineDefinition {
  if (steps.length === 0) throw new RangeError('A workflow needs at least one step, received none');
  const invoke = `arn:${partition}:states:::lambda:invoke`;
  const states: Record<string, State> = {};
  steps.forEach((step, index) => {
    const next = steps[index + 1];
    const recordState = recordFailureStateName(step.stateName);
    states[step.stateName] = {
      Type: 'Task',
      Resource: invoke,
      // In the first state $ is the execution input; the context path also reaches a null input.
      Parameters: { FunctionName: step.functionArn, 'Payload.$': index === 0 ? '$$.Execution.Input' : '$' },
      OutputPath: '$.Payload',
      TimeoutSeconds: timeouts.taskTimeoutSeconds,
      Retry: retriers,
      Catch: [
        { ErrorEquals: [HANDLER_ERRORS.invalidInput], Next: READ_REJECTION_STATE },
        { ErrorEquals: [...HANDLER_ERRORS.step], Next: recordState },
        { ErrorEquals: ['States.ALL'], Next: recordState },
      ],
      ...(next === undefined ? { End: true as const } : { Next: next.stateName }),
    };
    states[recordState] = {
      Type: 'Task',
      Comment: `Marks the order failed at ${step.stateName}, unless it is paid`,
      Resource: invoke,
      Parameters: {
        FunctionName: recordFailureArn,
        // The execution input names the order whatever the failed state's input was.
        Payload: { 'executionInput.$': '$$.Execution.Input', step: step.stateName, 'error.$': '$.Error' },
      },
      OutputPath: '$.Payload',
      TimeoutSeconds: timeouts.taskTimeoutSeconds,
      Retry: retriers,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: ORDER_FAILED_STATE }],
      Next: ORDER_FAILED_STATE,
    };
  });
  states[READ_REJECTION_STATE] = {
    Type: 'Pass',
    Comment:
      "Lambda reports a function's error as the JSON {errorType, errorMessage, trace}: parse it to keep the message",
    Parameters: { 'Cause.$': 'States.StringToJson($.Cause)' },
    Next: REJECT_INPUT_STATE,
  };
  states[REJECT_INPUT_STATE] = {
    Type: 'Fail',
    Comment:
      'The execution input must be {"orderId": "<1 to 64 of A-Z a-z 0-9 _ ->"} and nothing else; nothing was written',
    Error: HANDLER_ERRORS.invalidInput,
    // The handler's own message says what was expected and what was received; no stack trace.
    CausePath: '$.Cause.errorMessage',
  };
  states[ORDER_FAILED_STATE] = {
    Type: 'Fail',
    Error: ORDER_FAILED_ERROR,
    Cause:
      'A step failed after its retries. The order is marked failed with failedStep and failedError (unless it was ' +
      'already paid); start the execution again with the same input to resume it.',
  };
  return {
    Comment: 'Mock payment workflow: create the order, hold the payment, accept the payment',
    QueryLanguage: 'JSONPath',
    StartAt: steps[0].stateName,
    TimeoutSeconds: timeouts.executionTimeoutSeconds,
    States: states,
  };
}
