import { Testing } from 'cdktf';
import { MODULE_STACK_NAME, PaymentWorkflowModuleStack } from '../../lib/payment-workflow-module';
import { type TerraformJson, TEST_OUTDIR } from '../support/synth';

/**
 * The Terraform module's stack, synthesized in memory: what follows a variable is written as a
 * Terraform expression, checked here as text. terraform itself evaluates the timeouts and the
 * validation in module-timeout-budget.test.ts and module-validation.test.ts.
 */
let moduleStack: TerraformJson;
let stateMachine: any;
// In beforeAll, so that a run selecting none of these tests (as `npm run mutate` does for most mutants) skips it.
beforeAll(() => {
  moduleStack = JSON.parse(
    Testing.synth(new PaymentWorkflowModuleStack(Testing.app({ outdir: TEST_OUTDIR }), MODULE_STACK_NAME)),
  );
  stateMachine = moduleStack.resource.aws_sfn_state_machine.payment_workflow;
});

describe('Module stack: the state machine, by variable', () => {
  it('encrypts with the key when kms_key_arn is given, and with the AWS owned key when it is null', () => {
    expect(stateMachine.encryption_configuration).toEqual({
      kms_data_key_reuse_period_seconds: '${(var.kms_key_arn == null) ? null : 300}',
      kms_key_id: '${var.kms_key_arn}',
      type: '${(var.kms_key_arn == null) ? "AWS_OWNED_KEY" : "CUSTOMER_MANAGED_KMS_KEY"}',
    });
  });

  it('logs at the level given, else ALL for EXPRESS and ERROR for STANDARD, with execution data as given', () => {
    expect(stateMachine.logging_configuration).toEqual({
      include_execution_data: '${var.state_machine_log_execution_data}',
      level: '${coalesce(var.state_machine_log_level, (var.workflow_type == "EXPRESS") ? "ALL" : "ERROR")}',
      log_destination: '${aws_cloudwatch_log_group.payment_workflow.arn}:*',
    });
  });

  it('takes its type and name from the variables, traces, and waits for both of its role policies', () => {
    expect(stateMachine).toMatchObject({
      type: '${var.workflow_type}',
      name: '${var.name_prefix}mock-payment-workflow',
      tracing_configuration: { enabled: true },
      depends_on: ['aws_iam_role_policy.payment_workflow', 'aws_iam_role_policy.payment_workflow_key'],
    });
  });

  it('times the execution out by workflow type and function timeout, as expressions terraform evaluates', () => {
    expect(stateMachine.definition).toContain(
      '"TimeoutSeconds":${(var.workflow_type == "EXPRESS") ? ((coalesce(var.lambda_timeout_seconds, (var.workflow_type == "EXPRESS") ? 3 : 10) * 48) + 152) : ' +
        '((coalesce(var.lambda_timeout_seconds, (var.workflow_type == "EXPRESS") ? 3 : 10) * 40) + 892)},"States"',
    );
  });

  it('gives each of the six Tasks the function timeout + 15 s (EXPRESS: + 1 s) and retries whose attempts and waits follow the workflow type', () => {
    const definition: string = stateMachine.definition;
    const functionTimeout = 'coalesce(var.lambda_timeout_seconds, (var.workflow_type == "EXPRESS") ? 3 : 10)';
    const taskTimeout = `"TimeoutSeconds":\${(var.workflow_type == "EXPRESS") ? ((${functionTimeout} * 1) + 1) : ((${functionTimeout} * 1) + 15)}`;
    const lambdaRetry =
      '{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.TooManyRequestsException",' +
      '"Lambda.ClientExecutionTimeoutException"],"IntervalSeconds":1,"MaxAttempts":${(var.workflow_type == "EXPRESS") ? 10 : 6},' +
      '"BackoffRate":2,"MaxDelaySeconds":${(var.workflow_type == "EXPRESS") ? 1 : 20},"JitterStrategy":"FULL"}';
    const dynamoRetry =
      '{"ErrorEquals":["ProvisionedThroughputExceededException","ThrottlingException","RequestLimitExceeded","InternalServerError"],' +
      '"IntervalSeconds":1,"MaxAttempts":${(var.workflow_type == "EXPRESS") ? 1 : 3},"BackoffRate":2,' +
      '"MaxDelaySeconds":${(var.workflow_type == "EXPRESS") ? 1 : 20},"JitterStrategy":"FULL"}';
    expect(definition.split(taskTimeout)).toHaveLength(7);
    expect(definition.split(`${taskTimeout},"Retry":[${lambdaRetry},${dynamoRetry}]`)).toHaveLength(7);
  });

  it("keeps the state machine's use of the key in a policy of its own, created only when the key is given", () => {
    const policy = moduleStack.resource.aws_iam_role_policy.payment_workflow_key;
    expect({ ...policy, policy: JSON.parse(policy.policy) }).toEqual({
      count: '${(var.kms_key_arn == null) ? 0 : 1}',
      name: '${var.name_prefix}mock-payment-workflow-key-policy',
      role: '${aws_iam_role.payment_workflow.id}',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'UseKeyForOwnData',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: ['${var.kms_key_arn}'],
            Condition: {
              StringEquals: {
                'kms:EncryptionContext:aws:states:stateMachineArn':
                  'arn:${data.aws_partition.current.partition}:states:${data.aws_region.current.region}:' +
                  '${data.aws_caller_identity.current.account_id}:stateMachine:${var.name_prefix}mock-payment-workflow',
              },
            },
          },
          {
            Sid: 'UseKeyForLogDelivery',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey'],
            Resource: ['${var.kms_key_arn}'],
            Condition: {
              StringEquals: {
                'kms:EncryptionContext:SourceArn':
                  'arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*',
              },
            },
          },
        ],
      },
    });
  });
});

/** In the Terraform module the key is a variable that may be null: everything about it follows the variable. */
describe('Module stack: the table key, given or null', () => {
  it('turns encryption with the key on exactly when kms_key_arn is not null', () => {
    expect(moduleStack.resource.aws_dynamodb_table.orders.server_side_encryption).toEqual({
      enabled: '${(var.kms_key_arn != null)}',
      kms_key_arn: '${var.kms_key_arn}',
    });
  });

  it.each([
    ['create_order', 'mock-create-order'],
    ['hold_payment', 'mock-hold-payment'],
    ['accept_payment', 'mock-accept-payment'],
    ['record_failure', 'mock-record-failure'],
  ])(
    "gives %s the table key's Decrypt in a policy of its own, created only when the key is given",
    (fn, functionName) => {
      const policy = moduleStack.resource.aws_iam_role_policy[`${fn}_table_key`];
      expect({ ...policy, policy: JSON.parse(policy.policy) }).toEqual({
        count: '${(var.kms_key_arn == null) ? 0 : 1}',
        name: `\${var.name_prefix}${functionName}-table-key-policy`,
        role: `\${aws_iam_role.${fn}.id}`,
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'UseTableKeyThroughDynamoDb',
              Effect: 'Allow',
              Action: ['kms:Decrypt'],
              Resource: ['${var.kms_key_arn}'],
              Condition: {
                StringEquals: {
                  'kms:ViaService': 'dynamodb.${data.aws_region.current.region}.amazonaws.com',
                  'kms:EncryptionContext:aws:dynamodb:tableName': '${aws_dynamodb_table.orders.name}',
                  'kms:EncryptionContext:aws:dynamodb:subscriberId': '${data.aws_caller_identity.current.account_id}',
                },
              },
            },
          ],
        },
      });
      expect(moduleStack.resource.aws_iam_role_policy[fn].policy).not.toContain('kms:');
      expect(moduleStack.resource.aws_lambda_function[fn].depends_on).toContain(`aws_iam_role_policy.${fn}_table_key`);
    },
  );
});
