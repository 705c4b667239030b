/** Resource changes of a plan, as the plan review's model holds them, for the rules' suites. */
import type { ResourceChange } from '../../review/model';

/** A resource change with the defaults of an in-place update; each test states what differs. */
export function change(fields: Partial<ResourceChange> & Pick<ResourceChange, 'address' | 'type'>): ResourceChange {
  return {
    action: 'update',
    actions: ['update'],
    destroys: false,
    before: null,
    after: null,
    afterUnknown: {},
    replacePaths: [],
    predicted: false,
    references: {},
    ...fields,
  };
}

/** A policy document holding the given statements, as the plan writes it: a JSON string. */
export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A trust policy that lets Lambda assume a role. */
export const LAMBDA_TRUST = policy({
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: 'sts:AssumeRole',
});

/** The payment workflow's first two Tasks, as a definition holds them. */
export const CREATE_ORDER = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'mock-create-order' },
  Next: 'HoldPayment',
};
export const HOLD_PAYMENT = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'mock-hold-payment' },
  End: true,
};

/** The payment workflow's state machine with the given definitions; null where it does not exist. */
export function stateMachine(
  action: ResourceChange['action'],
  before: object | null,
  after: object | null,
  fields: Partial<ResourceChange> = {},
): ResourceChange {
  const side = (definition: object | null): object | null =>
    definition === null ? null : { name: 'mock-payment-workflow', definition: JSON.stringify(definition) };
  return change({
    address: 'aws_sfn_state_machine.payment_workflow',
    type: 'aws_sfn_state_machine',
    action,
    before: side(before),
    after: side(after),
    ...fields,
  });
}

/** What a workflow change decodes, without its graph. */
export function decoded(
  workflows: readonly { added: readonly string[]; removed: readonly string[]; changed: object }[],
): object[] {
  return workflows.map(({ added, removed, changed }) => ({ added, removed, changed }));
}
