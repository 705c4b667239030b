import { Testing } from 'cdktf';
import { PaymentWorkflow, type PaymentWorkflowProps } from '../../lib/payment-workflow';

/** The PaymentWorkflow construct's own defaults, for a caller that passes fewer props than the stack does. */
describe('Construct: PaymentWorkflow', () => {
  const synthesized = (props?: PaymentWorkflowProps) =>
    JSON.parse(
      Testing.synthScope((scope) => {
        new PaymentWorkflow(scope, 'workflow', props);
      }),
    ).resource;
  let resource: any;
  // Once, in beforeAll, so that a run selecting none of these tests (as `npm run mutate` does for most mutants) skips it.
  beforeAll(() => {
    resource = synthesized();
  });

  it("keeps the seed's names when no prefix or table name is given", () => {
    expect(resource.aws_dynamodb_table.orders.name).toBe('MockOrders');
    expect(resource.aws_sfn_state_machine.payment_workflow.name).toBe('mock-payment-workflow');
    expect(
      Object.values(resource.aws_lambda_function)
        .map((fn: any) => fn.function_name)
        .sort(),
    ).toEqual(['mock-accept-payment', 'mock-create-order', 'mock-hold-payment', 'mock-record-failure']);
  });

  it('describes the state machine role by what it may do', () => {
    expect(resource.aws_iam_role.payment_workflow.description).toBe(
      'Role of the mock-payment-workflow state machine: invokes its own functions only',
    );
  });

  it('runs STANDARD, logging errors without execution data, when nothing is given', () => {
    expect(resource.aws_sfn_state_machine.payment_workflow).toMatchObject({
      type: 'STANDARD',
      logging_configuration: { level: 'ERROR', include_execution_data: false },
    });
  });

  it('logs ALL events of an EXPRESS workflow when no level is given, since its log is its only history', () => {
    expect(
      synthesized({ workflowType: 'EXPRESS' }).aws_sfn_state_machine.payment_workflow.logging_configuration,
    ).toMatchObject({
      level: 'ALL',
      include_execution_data: false,
    });
  });
});
