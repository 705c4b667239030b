/**
 * The workflow's steps, declared once. The handlers (allowed transitions, recordable steps) and the
 * infrastructure (functions, roles, grants, states, alarms, outputs, timeout budget) are derived from
 * this table; so are the local run's expected statuses and the soak and cost figures. The workflow
 * room imports no other room, so every room may import it.
 */

/**
 * The names of the handlers' errors, by what the state machine does with them. Their `name`s are a
 * contract: the definition's Catch matches on them (`ErrorEquals`), so renaming one is a breaking change.
 */
export const HANDLER_ERRORS = {
  /** Raised before anything is written: the execution fails without touching the table. */
  invalidInput: 'InvalidOrderInput',
  /** Raised by a step about an order that exists (or must): the order is marked failed. A step's refusal is one of them. */
  step: ['OrderNotFound', 'PaymentNotHeld', 'OrderNotHoldable', 'ConfigurationError'],
  /** Raised by RecordFailure when its envelope is malformed: a bug in the definition. */
  recorder: ['InvalidFailureRecord'],
} as const;

/** The name of an error a step raises about an order. */
export type StepErrorName = (typeof HANDLER_ERRORS.step)[number];

/** A status an order can be in, as users see it in the table. */
export type OrderStatusName = string;

/** What a function may do to the orders table: the DynamoDB actions its role is granted, in order. */
export type TableAction = 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:GetItem';

/** One step of the workflow: a state of the state machine backed by a Lambda function of its own. */
export interface WorkflowStepSpec {
  /** PascalCase state name, e.g. `HoldPayment`; also the `step` of the handler's log line. */
  readonly stateName: string;
  /** Function name before the name prefix, e.g. `mock-hold-payment`. */
  readonly functionName: string;
  /** The handler's entry file under `handlers/`, exporting `handler`. */
  readonly handlerEntry: string;
  /** The status the step writes. */
  readonly status: OrderStatusName;
  /**
   * The statuses the step may move an order from; empty for the step that creates the order, which
   * writes only when there is none.
   */
  readonly movesFrom: readonly OrderStatusName[];
  /** Name of the error the step raises when the order is in any other status; none for the creating step. */
  readonly refusalError?: StepErrorName;
  /** What the step's function does to the table, granted to its role in this order. */
  readonly tableActions: readonly TableAction[];
}

/** The steps in workflow order: CreateOrder → HoldPayment → AcceptPayment. */
export const WORKFLOW_STEPS = [
  {
    stateName: 'CreateOrder',
    functionName: 'mock-create-order',
    handlerEntry: 'create-order.ts',
    status: 'created',
    movesFrom: [],
    tableActions: ['dynamodb:PutItem'],
  },
  {
    stateName: 'HoldPayment',
    functionName: 'mock-hold-payment',
    handlerEntry: 'hold-payment.ts',
    status: 'hold',
    // From failed too: re-running a failed order resumes it; hold is the first step that moves a status.
    movesFrom: ['created', 'failed'],
    refusalError: 'OrderNotHoldable',
    // GetItem only after a failed condition, to tell a repeat from a refusal.
    tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  },
  {
    stateName: 'AcceptPayment',
    functionName: 'mock-accept-payment',
    handlerEntry: 'accept-payment.ts',
    status: 'paid',
    movesFrom: ['hold'],
    refusalError: 'PaymentNotHeld',
    tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  },
] as const satisfies readonly WorkflowStepSpec[];

/** The function that marks an order failed after a step failed for good; it is not a step of its own. */
export const FAILURE_RECORDER = {
  stateName: 'RecordFailure',
  functionName: 'mock-record-failure',
  handlerEntry: 'record-failure.ts',
  status: 'failed',
  tableActions: ['dynamodb:UpdateItem'],
} as const;

/** Base name of the state machine; the name prefix goes in front. */
export const STATE_MACHINE_NAME = 'mock-payment-workflow';

/** Name of a step's state, as written in the table. */
export type StepStateName = (typeof WORKFLOW_STEPS)[number]['stateName'];

/** Lower-case words of a PascalCase name joined by `separator`: `HoldPayment` → `hold_payment`. */
export function wordsOf(stateName: string, separator: '_' | '-'): string {
  return stateName.replace(/(?<=[a-z0-9])(?=[A-Z])/g, separator).toLowerCase();
}

/** The step of a state name, with its literal type. */
export function stepNamed<N extends StepStateName>(
  stateName: N,
): Extract<(typeof WORKFLOW_STEPS)[number], { readonly stateName: N }> {
  const step = WORKFLOW_STEPS.find((candidate) => candidate.stateName === stateName);
  if (step === undefined)
    throw new RangeError(`Expected a step of workflow/steps.ts, received ${JSON.stringify(stateName)}`);
  return step as Extract<(typeof WORKFLOW_STEPS)[number], { readonly stateName: N }>;
}
