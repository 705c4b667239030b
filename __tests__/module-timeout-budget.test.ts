import { Testing } from 'cdktf';
import { MODULE_STACK_NAME, PaymentWorkflowModuleStack } from '../lib/payment-workflow-module';
import { TEST_OUTDIR } from './support/synth';
import { describeWithTerraform, evaluateExpressions, terraformRoot } from './support/terraform';

/**
 * The module writes the timeouts as Terraform expressions on lambda_timeout_seconds; terraform itself
 * evaluates them here. Apart from timeout-budget.test.ts, which checks the deployable stack's literal
 * timeouts, because this suite needs terraform and `npm run mutate` leaves it out.
 */
describeWithTerraform("the module's timeout budget")('Timeout budget of the Terraform module, evaluated by terraform', () => {
  const app = Testing.app({ outdir: TEST_OUTDIR });
  const module = JSON.parse(Testing.synth(new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME)));
  const definition: string = module.resource.aws_sfn_state_machine.payment_workflow.definition;
  const expressions = [...definition.matchAll(/"TimeoutSeconds":\$\{(.+?)\}[,}]/g)].map((m) => m[1]);
  const dir = terraformRoot({ variable: { lambda_timeout_seconds: { type: 'number' }, workflow_type: { type: 'string' } } });
  const evaluate = (lambdaTimeoutSeconds: number, workflowType = 'STANDARD') =>
    evaluateExpressions(dir, expressions, { lambda_timeout_seconds: String(lambdaTimeoutSeconds), workflow_type: workflowType });

  it('writes the execution timeout and one timeout per Task as expressions on lambda_timeout_seconds', () => {
    expect(expressions).toHaveLength(1 + 6);
  });

  it.each([
    [1, 932, 16],
    [10, 1292, 25],
    [900, 36892, 915],
  ])('gives the execution and each Task, for lambda_timeout_seconds = %i, %i s and %i s', (lambdaTimeoutSeconds, execution, task) => {
    expect(evaluate(lambdaTimeoutSeconds)).toEqual([execution, task, task, task, task, task, task]);
  });

  it.each([
    [1, 192, 16],
    [10, 264, 25],
    [14, 296, 29],
  ])('gives an EXPRESS execution and each Task, for lambda_timeout_seconds = %i, %i s and %i s', (lambdaTimeoutSeconds, execution, task) => {
    expect(evaluate(lambdaTimeoutSeconds, 'EXPRESS')).toEqual([execution, task, task, task, task, task, task]);
  });
});
