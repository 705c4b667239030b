/**
 * The state machine's Amazon States Language definition, built from typed objects (JSONPath, not
 * JSONata: the local runtime runs JSONPath only).
 * @see https://states-language.net/spec.html
 */

/** Errors Lambda raises when the service, not the function, failed: safe to retry. */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

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
  readonly Parameters: { readonly FunctionName: string; readonly 'Payload.$': string };
  readonly OutputPath: string;
  readonly Retry: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  readonly Next?: string;
  readonly End?: true;
}

/** Any state of this workflow. */
export type State = LambdaTaskState;

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

/** An upper bound on one execution; every retry of every step fits well inside it. */
export const EXECUTION_TIMEOUT_SECONDS = 900;

/**
 * Builds the definition: the steps run in order, each a `lambda:invoke` task whose output is the
 * function's own result (`OutputPath: $.Payload`).
 *
 * @param steps the steps in order; must not be empty
 * @param partition the AWS partition, e.g. `aws` (a Terraform reference in a stack)
 */
export function buildWorkflowDefinition(steps: readonly WorkflowStep[], partition: string): StateMachineDefinition {
  if (steps.length === 0) throw new RangeError('A workflow needs at least one step, received none');
  const states: Record<string, State> = {};
  steps.forEach((step, index) => {
    const next = steps[index + 1];
    states[step.stateName] = {
      Type: 'Task',
      Resource: `arn:${partition}:states:::lambda:invoke`,
      Parameters: { FunctionName: step.functionArn, 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Retry: [TRANSIENT_RETRY],
      ...(next === undefined ? { End: true as const } : { Next: next.stateName }),
    };
  });
  return {
    Comment: 'Mock payment workflow: create the order, hold the payment, accept the payment',
    QueryLanguage: 'JSONPath',
    StartAt: steps[0].stateName,
    TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
    States: states,
  };
}
