/**
 * The plan review's cases as edits of the deployable stack's synthesis: the fixture generator plans
 * each with Terraform, and the tests review the same edits as a synthesis.
 */

import type { StackJson } from './terraform-stand-ins';

export type { StackJson } from './terraform-stand-ins';

/** One case: how its base and head are made from the synthesis of the stack as it is. */
export interface PlanReviewCase {
  /** Folder of the case's fixture under __tests__/fixtures/plan-review/. */
  readonly name: string;
  /** Whether the base is the stack (true) or nothing at all (a first deployment). */
  readonly baseIsStack: boolean;
  /** Edits the head, a copy of the stack. */
  readonly editHead: (stack: StackJson) => void;
  /** Sensitive input variables the head's configuration declares, for the generator. */
  readonly sensitiveVariables?: Readonly<Record<string, string>>;
  /** Resource types whose values the generator keeps in `prior_state` and `planned_values` (trimmed otherwise). */
  readonly keepValuesOf?: readonly string[];
}

const policyOf = (resource: StackJson): StackJson => JSON.parse(resource.policy);
const definitionOf = (stateMachine: StackJson): StackJson => JSON.parse(stateMachine.definition);

/** The hold payment function's role may delete any item of any table. */
export function grantDeleteItemOnEverything(stack: StackJson): void {
  const resource = stack.resource.aws_iam_role_policy.hold_payment;
  const policy = policyOf(resource);
  policy.Statement.push({ Sid: 'CleanUp', Effect: 'Allow', Action: ['dynamodb:DeleteItem'], Resource: ['*'] });
  resource.policy = JSON.stringify(policy);
}

/** HoldPayment no longer retries the transient Lambda errors, and a Wait state comes before it. */
export function dropRetryAndAddState(stack: StackJson): void {
  const machine = stack.resource.aws_sfn_state_machine.payment_workflow;
  const definition = definitionOf(machine);
  definition.States.HoldPayment.Retry = definition.States.HoldPayment.Retry.slice(1);
  definition.States.CreateOrder.Next = 'WaitForFunds';
  definition.States.WaitForFunds = { Type: 'Wait', Seconds: 5, Next: 'HoldPayment' };
  machine.definition = JSON.stringify(definition);
}

/** Every case of the fixtures. */
export const PLAN_REVIEW_CASES: readonly PlanReviewCase[] = [
  { name: 'everything-new', baseIsStack: false, editHead: () => undefined },
  { name: 'nothing-changes', baseIsStack: true, editHead: () => undefined },
  {
    name: 'handler-changes',
    baseIsStack: true,
    editHead: (stack) => {
      // A new bundle folder name: the content hash of an edited handler.
      const archive = stack.data.archive_file.create_order;
      archive.source_dir = archive.source_dir.replace(/[0-9A-F]{32}$/, '00000000000000000000000000C0FFEE');
    },
  },
  {
    name: 'risky-change',
    baseIsStack: true,
    editHead: (stack) => {
      const table = stack.resource.aws_dynamodb_table.orders;
      table.hash_key = 'id';
      table.attribute = [{ name: 'id', type: 'S' }];
      table.deletion_protection_enabled = false;
      grantDeleteItemOnEverything(stack);
      dropRetryAndAddState(stack);
    },
  },
  {
    // The definition of done: both risks, from a synthesis and from a real plan.
    name: 'protection-off-and-delete-item',
    baseIsStack: true,
    editHead: (stack) => {
      stack.resource.aws_dynamodb_table.orders.deletion_protection_enabled = false;
      grantDeleteItemOnEverything(stack);
    },
  },
  {
    name: 'trust-loses-conditions',
    baseIsStack: true,
    editHead: (stack) => {
      const role = stack.resource.aws_iam_role.payment_workflow;
      const trust = JSON.parse(role.assume_role_policy);
      delete trust.Statement[0].Condition;
      role.assume_role_policy = JSON.stringify(trust);
    },
  },
  {
    name: 'sensitive-and-unknown',
    baseIsStack: true,
    sensitiveVariables: { payment_api_token: 'tok-PLAINTEXT-FROM-VARIABLE' },
    editHead: (stack) => {
      // A renamed function is replaced: its ARN, and so the definition and the policies naming it, are unknown.
      stack.resource.aws_lambda_function.accept_payment.function_name = 'mock-accept-payment-v2';
      stack.resource.aws_lambda_function.create_order.environment.variables.PAYMENT_API_TOKEN =
        '${var.payment_api_token}';
      stack.resource.aws_lambda_function.create_order.environment.variables.DB_PASSWORD = 'hunter2-PLAINTEXT-LITERAL';
    },
  },
  {
    // The price of a switch of workflow type, read from the plan's prior state and planned values.
    name: 'express-workflow',
    baseIsStack: true,
    keepValuesOf: ['aws_sfn_state_machine', 'aws_lambda_function', 'aws_cloudwatch_metric_alarm'],
    editHead: (stack) => {
      stack.resource.aws_sfn_state_machine.payment_workflow.type = 'EXPRESS';
    },
  },
  {
    // cdktf's moveTo: the table's address changes, a moved block pairs the two; every reference follows.
    name: 'table-moved',
    baseIsStack: true,
    editHead: (stack) => {
      const moved = JSON.parse(
        JSON.stringify(stack).replace(/aws_dynamodb_table\.orders\b/g, 'aws_dynamodb_table.orders_moved'),
      );
      stack.resource = moved.resource;
      stack.resource.aws_dynamodb_table = { orders_moved: stack.resource.aws_dynamodb_table.orders };
      stack.moved = [{ from: 'aws_dynamodb_table.orders', to: 'aws_dynamodb_table.orders_moved' }];
    },
  },
];
