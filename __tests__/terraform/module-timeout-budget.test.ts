import { Testing } from 'cdktf';
import { MODULE_STACK_NAME, PaymentWorkflowModuleStack } from '../../lib/payment-workflow-module';
import { TEST_OUTDIR } from '../support/synth';
import { describeWithTerraform, evaluateExpressions, terraformRoot } from '../support/terraform';

/**
 * The module writes the timeouts as Terraform expressions on lambda_timeout_seconds; terraform itself
 * evaluates them here. Apart from timeout-budget.test.ts, which checks the deployable stack's literal
 * timeouts, because this suite needs terraform and `npm run mutate` leaves it out.
 */
describeWithTerraform("the module's timeout budget")(
  'Timeout budget of the Terraform module, evaluated by terraform',
  () => {
    const app = Testing.app({ outdir: TEST_OUTDIR });
    const module = JSON.parse(Testing.synth(new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME)));
    const definition: string = module.resource.aws_sfn_state_machine.payment_workflow.definition;
    const expressions = [...definition.matchAll(/"TimeoutSeconds":\$\{(.+?)\}[,}]/g)].map((m) => m[1]);
    const dir = terraformRoot({
      variable: {
        lambda_timeout_seconds: { type: 'number', default: null },
        workflow_type: { type: 'string' },
        state_machine_log_level: { type: 'string', default: null },
      },
    });
    /** Evaluates `expressions` for a function timeout (null: unset) and a workflow type. */
    const evaluateFor = (
      exprs: readonly string[],
      lambdaTimeoutSeconds: number | null,
      workflowType: string,
      logLevel?: string,
    ) =>
      evaluateExpressions(dir, exprs, {
        ...(lambdaTimeoutSeconds === null ? {} : { lambda_timeout_seconds: String(lambdaTimeoutSeconds) }),
        workflow_type: workflowType,
        ...(logLevel === undefined ? {} : { state_machine_log_level: logLevel }),
      });
    const evaluate = (lambdaTimeoutSeconds: number | null, workflowType = 'STANDARD') =>
      evaluateFor(expressions, lambdaTimeoutSeconds, workflowType);

    it('writes the execution timeout and one timeout per Task as expressions on lambda_timeout_seconds', () => {
      expect(expressions).toHaveLength(1 + 6);
    });

    it.each([
      [1, 932, 16],
      [10, 1292, 25],
      [null, 1292, 25],
      [900, 36892, 915],
    ])(
      'gives the execution and each Task, for lambda_timeout_seconds = %p, %i s and %i s',
      (lambdaTimeoutSeconds, execution, task) => {
        expect(evaluate(lambdaTimeoutSeconds)).toEqual([execution, task, task, task, task, task, task]);
      },
    );

    it.each([
      [1, 200, 2],
      [2, 248, 3],
      [3, 296, 4],
      [null, 296, 4],
    ])(
      'gives an EXPRESS execution and each Task, for lambda_timeout_seconds = %p, %i s and %i s',
      (lambdaTimeoutSeconds, execution, task) => {
        expect(evaluate(lambdaTimeoutSeconds, 'EXPRESS')).toEqual([execution, task, task, task, task, task, task]);
      },
    );

    describe('defaults that depend on the workflow type, as the configuration gives them', () => {
      const fn = Object.values<any>(module.resource.aws_lambda_function)[0];
      const functionTimeout = /^\$\{(.+)\}$/.exec(fn.timeout)?.[1] as string;
      const level = /^\$\{(.+)\}$/.exec(
        module.resource.aws_sfn_state_machine.payment_workflow.logging_configuration.level,
      )?.[1] as string;

      it.each([
        ['STANDARD', null, 10],
        ['EXPRESS', null, 3],
        ['EXPRESS', 2, 2],
      ])(
        'times a %s function out after lambda_timeout_seconds = %p: %i s',
        (workflowType, lambdaTimeoutSeconds, seconds) => {
          expect(evaluateFor([functionTimeout], lambdaTimeoutSeconds, workflowType)).toEqual([seconds]);
        },
      );

      it.each([
        ['STANDARD', undefined, 'ERROR'],
        ['EXPRESS', undefined, 'ALL'],
        ['EXPRESS', 'ERROR', 'ERROR'],
      ])('logs a %s state machine with state_machine_log_level = %p at %s', (workflowType, logLevel, expected) => {
        expect(evaluateFor([level], null, workflowType, logLevel)).toEqual([expected]);
      });
    });
  },
);
