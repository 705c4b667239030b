import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamPolicyAttachment } from '@cdktf/provider-aws/lib/iam-policy-attachment';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { DataArchiveFile } from '@cdktf/provider-archive/lib/data-archive-file';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { resolveReferences } from '../support/references';
import {
  onlyResource,
  referenceOf,
  resourceNamed,
  type SynthesizedStack,
  synthWorkflowStack,
  type TerraformJson,
} from '../support/synth';

const FUNCTION_NAMES = ['mock-create-order', 'mock-hold-payment', 'mock-accept-payment', 'mock-record-failure'];
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

// Synthesized once for the whole file, in beforeAll so that a run selecting none of its tests (as
// `npm run mutate` does for most mutants) skips them: the default stack and one with a customer managed key.
// The other stacks leave the alarms out where a test is not about them: they are half of a synthesis.
let DEFAULT: SynthesizedStack;
let WITH_KEY: TerraformJson;
beforeAll(() => {
  DEFAULT = synthWorkflowStack();
  WITH_KEY = synthWorkflowStack({ kmsKeyArn: KEY_ARN }).stack;
});

/** The statements of the inline policy `aws_iam_role_policy.<id>` of a synthesized stack. */
const statementsOf = (stack: TerraformJson, id: string) =>
  JSON.parse(stack.resource.aws_iam_role_policy[id].policy).Statement;

describe('Stack: PaymentWorkflowStack', () => {
  let json: string;
  let stack: TerraformJson;
  beforeAll(() => ({ json, stack } = DEFAULT));
  const policyOfRole = (roleName: string): any => {
    const roleRef = referenceOf(stack, 'aws_iam_role', roleName);
    const policies = Object.values(stack.resource.aws_iam_role_policy).filter(
      (p: any) => p.role === `\${${roleRef}.id}`,
    );
    expect(policies).toHaveLength(1);
    return JSON.parse(resolveReferences((policies[0] as any).policy, stack));
  };
  const allowedActions = (roleName: string): Record<string, string[]> => {
    const byResource: Record<string, string[]> = {};
    for (const statement of policyOfRole(roleName).Statement) {
      for (const resource of statement.Resource)
        byResource[resource] = [...(byResource[resource] ?? []), ...statement.Action];
    }
    return byResource;
  };

  describe('orders table', () => {
    it('is named MockOrders, keyed by the string orderId and billed on demand', () => {
      expect(json).toHaveResourceWithProperties(DynamodbTable, {
        name: 'MockOrders',
        hash_key: 'orderId',
        attribute: [{ name: 'orderId', type: 'S' }],
        billing_mode: 'PAY_PER_REQUEST',
      });
    });

    it('has point-in-time recovery on', () => {
      expect(json).toHaveResourceWithProperties(DynamodbTable, { point_in_time_recovery: { enabled: true } });
    });

    it('takes its name from the tableName setting', () => {
      const custom = synthWorkflowStack({ tableName: 'Orders-Test', alarms: false });
      expect(custom.json).toHaveResourceWithProperties(DynamodbTable, { name: 'Orders-Test' });
    });
  });

  describe('functions', () => {
    it.each(FUNCTION_NAMES)('%s runs nodejs24.x on arm64 with an explicit timeout and memory', (name) => {
      expect(json).toHaveResourceWithProperties(LambdaFunction, {
        function_name: name,
        runtime: 'nodejs24.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        timeout: 10,
        memory_size: 128,
      });
    });

    it.each(FUNCTION_NAMES)('%s gets the table name from an environment variable', (name) => {
      const fn = resourceNamed(stack, 'aws_lambda_function', name);
      expect(fn.environment.variables).toEqual({ ORDERS_TABLE_NAME: '${aws_dynamodb_table.orders.name}' });
    });

    it.each(FUNCTION_NAMES)('%s deploys the zip of its own bundle, hashed by archive_file', (name) => {
      const fn = resourceNamed(stack, 'aws_lambda_function', name);
      const archiveId = /^\$\{data\.archive_file\.([a-z_]+)\.output_path\}$/.exec(fn.filename)?.[1];
      expect(archiveId).toBeDefined();
      expect(fn.source_code_hash).toBe(`\${data.archive_file.${archiveId}.output_base64sha256}`);
      const archive = stack.data.archive_file[archiveId as string];
      expect(archive.type).toBe('zip');
      expect(archive.source_dir).toMatch(
        new RegExp(`^\\$\\{path\\.module\\}/assets/[^/]*${archiveId!.replace('_', '-')}[^/]*/[0-9A-F]{32}$`),
      );
    });

    it('zips with a fixed file mode, so the hash does not depend on the umask', () => {
      expect(json).toHaveDataSourceWithProperties(DataArchiveFile, { output_file_mode: '0644' });
    });

    it('applies the timeout and memory settings to every function', () => {
      const custom = synthWorkflowStack({ lambdaMemoryMb: 256, lambdaTimeoutSeconds: 30, alarms: false });
      const functions = Object.values(custom.stack.resource.aws_lambda_function);
      expect(functions.map((f: any) => [f.memory_size, f.timeout])).toEqual(FUNCTION_NAMES.map(() => [256, 30]));
    });

    it.each(FUNCTION_NAMES)('%s logs to its own log group with a retention', (name) => {
      const fn = resourceNamed(stack, 'aws_lambda_function', name);
      const group = resourceNamed(stack, 'aws_cloudwatch_log_group', `/aws/lambda/${name}`);
      expect(group.retention_in_days).toBe(365);
      expect(fn.logging_config.log_group).toBe(
        `\${${referenceOf(stack, 'aws_cloudwatch_log_group', `/aws/lambda/${name}`)}.name}`,
      );
    });
  });

  describe('IAM', () => {
    it('gives each function a role of its own', () => {
      const roles = Object.values(stack.resource.aws_lambda_function).map((f: any) => f.role);
      expect(new Set(roles).size).toBe(FUNCTION_NAMES.length);
      expect(json).toHaveResourceWithProperties(IamRole, { name: 'mock-create-order-role' });
    });

    it('lets create put items on the orders table and nothing else on it', () => {
      expect(
        allowedActions('mock-create-order-role')['arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders'],
      ).toEqual(['dynamodb:PutItem']);
    });

    it.each(['mock-hold-payment-role', 'mock-accept-payment-role'])(
      'lets %s update items, and read one only to classify a failed condition',
      (role) => {
        expect(allowedActions(role)['arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders']).toEqual([
          'dynamodb:UpdateItem',
          'dynamodb:GetItem',
        ]);
      },
    );

    it.each(FUNCTION_NAMES)('lets %s write only its own log streams', (name) => {
      const actions = allowedActions(`${name}-role`);
      const logResources = Object.keys(actions).filter((r) => r.startsWith('arn:aws:logs'));
      expect(logResources).toEqual([`arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${name}:*`]);
      expect(actions[logResources[0]]).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    });

    it('lets the state machine invoke exactly the workflow functions and their versions', () => {
      const invoke = policyOfRole('mock-payment-workflow-role').Statement.find(
        (s: any) => s.Sid === 'InvokeWorkflowFunctions',
      );
      expect(invoke.Action).toEqual(['lambda:InvokeFunction']);
      const arn = (n: string) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`;
      expect(invoke.Resource).toEqual(FUNCTION_NAMES.flatMap((n) => [arn(n), `${arn(n)}:*`]));
    });

    it('lets record-failure update items on the orders table and nothing else on it', () => {
      expect(
        allowedActions('mock-record-failure-role')['arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders'],
      ).toEqual(['dynamodb:UpdateItem']);
    });

    it('trusts only Step Functions acting for this account and this state machine', () => {
      const role = resourceNamed(stack, 'aws_iam_role', 'mock-payment-workflow-role');
      const trust = JSON.parse(resolveReferences(role.assume_role_policy, stack)).Statement;
      expect(trust).toEqual([
        {
          Sid: 'TrustService',
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:states:us-east-1:123456789012:stateMachine:mock-payment-workflow' },
          },
        },
      ]);
    });

    it.each(FUNCTION_NAMES)('lets only Lambda assume the role of %s', (name) => {
      const role = resourceNamed(stack, 'aws_iam_role', `${name}-role`);
      expect(JSON.parse(role.assume_role_policy).Statement.map((s: any) => s.Principal)).toEqual([
        { Service: 'lambda.amazonaws.com' },
      ]);
    });

    it('never uses aws_iam_policy_attachment, which is exclusive across the account', () => {
      expect(json).not.toHaveResource(IamPolicyAttachment);
    });

    it('uses no wildcard action anywhere', () => {
      const actions = Object.values(stack.resource.aws_iam_role_policy).flatMap((p: any) =>
        JSON.parse(resolveReferences(p.policy, stack)).Statement.flatMap((s: any) => s.Action),
      );
      expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    });
  });

  describe('state machine', () => {
    it('is the STANDARD state machine mock-payment-workflow', () => {
      expect(json).toHaveResourceWithProperties(SfnStateMachine, { name: 'mock-payment-workflow', type: 'STANDARD' });
    });

    it('logs errors without execution data to a log group under /aws/vendedlogs/states/', () => {
      const machine = onlyResource(stack, 'aws_sfn_state_machine');
      expect(machine.logging_configuration).toEqual({
        level: 'ERROR',
        include_execution_data: false,
        log_destination: '${aws_cloudwatch_log_group.payment_workflow.arn}:*',
      });
      expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: '/aws/vendedlogs/states/mock-payment-workflow',
        retention_in_days: 365,
      });
    });

    it('runs CreateOrder, HoldPayment and AcceptPayment in that order', () => {
      const definition = JSON.parse(onlyResource(stack, 'aws_sfn_state_machine').definition);
      const order: string[] = [];
      for (let name: string | undefined = definition.StartAt; name !== undefined; name = definition.States[name].Next) {
        order.push(name);
      }
      expect(order).toEqual(['CreateOrder', 'HoldPayment', 'AcceptPayment']);
      expect(definition.States.AcceptPayment.End).toBe(true);
    });
  });

  describe('providers and outputs', () => {
    it('tags every resource through the provider with project and managed-by', () => {
      expect(json).toHaveProviderWithProperties(AwsProvider, {
        region: 'us-east-1',
        default_tags: [{ tags: { project: 'mock-payment-workflow', 'managed-by': 'cdktf' } }],
      });
    });

    it('adds the tags setting to the default tags', () => {
      const custom = synthWorkflowStack({ tags: { owner: 'payments' }, region: 'eu-west-1', alarms: false });
      expect(custom.json).toHaveProviderWithProperties(AwsProvider, {
        region: 'eu-west-1',
        default_tags: [{ tags: { owner: 'payments', project: 'mock-payment-workflow', 'managed-by': 'cdktf' } }],
      });
    });

    it('configures the archive provider', () => {
      expect(json).toHaveProvider(ArchiveProvider);
    });

    it('outputs the table, the four functions, the state machine, the alarm topic, the dashboard and the runbook commands', () => {
      expect(Object.keys(stack.output).sort()).toEqual([
        'accept_payment_function_arn',
        'accept_payment_function_name',
        'alarm_topic_arn',
        'create_order_function_arn',
        'create_order_function_name',
        'dashboard_url',
        'get_order_status_command',
        'hold_payment_function_arn',
        'hold_payment_function_name',
        'list_failed_executions_command',
        'list_failed_orders_command',
        'record_failure_function_arn',
        'record_failure_function_name',
        'redrive_execution_command',
        'start_execution_command',
        'state_machine_arn',
        'table_arn',
        'table_name',
      ]);
    });

    it('outputs a ready-to-paste start-execution command for order 1234', () => {
      expect(resolveReferences(stack.output.start_execution_command.value, stack)).toBe(
        'aws stepfunctions start-execution --region us-east-1 --state-machine-arn ' +
          `arn:aws:states:us-east-1:123456789012:stateMachine:mock-payment-workflow --input '{"orderId":"1234"}'`,
      );
    });

    it("outputs a get-item command that prints order 1234's status", () => {
      expect(resolveReferences(stack.output.get_order_status_command.value, stack)).toBe(
        `aws dynamodb get-item --region us-east-1 --table-name MockOrders --key '{"orderId":{"S":"1234"}}' ` +
          '--consistent-read --query Item.status.S --output text',
      );
    });

    it('describes every output', () => {
      const undescribed = Object.entries(stack.output).filter(
        ([, o]) => !(typeof o.description === 'string' && o.description.length > 0),
      );
      expect(Object.keys(stack.output)).toHaveLength(18);
      expect(undescribed.map(([id]) => id)).toEqual([]);
    });
  });

  describe('name prefix', () => {
    let prefixed: TerraformJson;
    beforeAll(() => {
      prefixed = synthWorkflowStack({ namePrefix: 'dev-', alarms: false }).stack;
    });

    it('prefixes the table, the functions, the state machine, the roles and the log groups', () => {
      const names = (type: string) => Object.values(prefixed.resource[type]).map((r: any) => r.function_name ?? r.name);
      expect(names('aws_dynamodb_table')).toEqual(['dev-MockOrders']);
      expect(names('aws_lambda_function').sort()).toEqual([
        'dev-mock-accept-payment',
        'dev-mock-create-order',
        'dev-mock-hold-payment',
        'dev-mock-record-failure',
      ]);
      expect(names('aws_sfn_state_machine')).toEqual(['dev-mock-payment-workflow']);
      expect(names('aws_iam_role').sort()).toEqual([
        'dev-mock-accept-payment-role',
        'dev-mock-create-order-role',
        'dev-mock-hold-payment-role',
        'dev-mock-payment-workflow-role',
        'dev-mock-record-failure-role',
      ]);
      expect(names('aws_cloudwatch_log_group').sort()).toEqual([
        '/aws/lambda/dev-mock-accept-payment',
        '/aws/lambda/dev-mock-create-order',
        '/aws/lambda/dev-mock-hold-payment',
        '/aws/lambda/dev-mock-record-failure',
        '/aws/vendedlogs/states/dev-mock-payment-workflow',
      ]);
    });
  });
});

describe('Stack: an EXPRESS workflow', () => {
  let stack: TerraformJson;
  beforeAll(() => ({ stack } = synthWorkflowStack({ workflowType: 'EXPRESS', alarms: false })));

  it('creates an EXPRESS state machine', () => {
    expect(onlyResource(stack, 'aws_sfn_state_machine').type).toBe('EXPRESS');
  });

  it('offers no redrive or list-executions command, since Step Functions neither redrives nor lists Express executions', () => {
    expect(
      Object.keys(stack.output).filter((id) =>
        ['redrive_execution_command', 'list_failed_executions_command'].includes(id),
      ),
    ).toEqual([]);
    expect(Object.keys(stack.output)).toContain('start_execution_command');
  });
});

describe('Stack: function role policies, statement by statement', () => {
  const TABLE_ARN = '${aws_dynamodb_table.orders.arn}';
  const logs = (fn: string) => ({
    Sid: 'WriteOwnLogStreams',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [`\${aws_cloudwatch_log_group.${fn}.arn}:*`],
  });
  const traces = {
    Sid: 'WriteTraces',
    Effect: 'Allow',
    Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    Resource: ['*'],
  };
  const put = { Sid: 'PutOrder', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [TABLE_ARN] };
  const update = { Sid: 'UpdateOrder', Effect: 'Allow', Action: ['dynamodb:UpdateItem'], Resource: [TABLE_ARN] };
  const get = { Sid: 'GetOrder', Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [TABLE_ARN] };
  const key = {
    Sid: 'UseTableKeyThroughDynamoDb',
    Effect: 'Allow',
    Action: ['kms:Decrypt'],
    Resource: [KEY_ARN],
    Condition: {
      StringEquals: {
        'kms:ViaService': 'dynamodb.${data.aws_region.current.region}.amazonaws.com',
        'kms:EncryptionContext:aws:dynamodb:tableName': '${aws_dynamodb_table.orders.name}',
        'kms:EncryptionContext:aws:dynamodb:subscriberId': '${data.aws_caller_identity.current.account_id}',
      },
    },
  };
  const withKey = (fn: string) => statementsOf(WITH_KEY, fn);
  const withoutKey = (fn: string) => statementsOf(DEFAULT.stack, fn);

  it.each([
    ['create_order', [logs('create_order'), traces, put, key]],
    ['hold_payment', [logs('hold_payment'), traces, update, key, get]],
    ['accept_payment', [logs('accept_payment'), traces, update, key, get]],
    ['record_failure', [logs('record_failure'), traces, update, key]],
  ])('gives %s its table actions and one Decrypt of the table key through DynamoDB, with a key', (fn, statements) => {
    expect(withKey(fn)).toEqual(statements);
  });

  it.each([
    ['create_order', [logs('create_order'), traces, put]],
    ['hold_payment', [logs('hold_payment'), traces, update, get]],
    ['accept_payment', [logs('accept_payment'), traces, update, get]],
    ['record_failure', [logs('record_failure'), traces, update]],
  ])('gives %s its table actions and no key statement, without a key', (fn, statements) => {
    expect(withoutKey(fn)).toEqual(statements);
  });
});

describe('Stack: the state machine and its role policy, setting by setting', () => {
  const STATE_MACHINE_ARN =
    'arn:${data.aws_partition.current.partition}:states:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:stateMachine:mock-payment-workflow';
  const invoke = {
    Sid: 'InvokeWorkflowFunctions',
    Effect: 'Allow',
    Action: ['lambda:InvokeFunction'],
    Resource: ['create_order', 'hold_payment', 'accept_payment', 'record_failure'].flatMap((fn) => [
      `\${aws_lambda_function.${fn}.arn}`,
      `\${aws_lambda_function.${fn}.arn}:*`,
    ]),
  };
  const deliverLogs = {
    Sid: 'DeliverLogs',
    Effect: 'Allow',
    Action: [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
    Resource: ['*'],
  };
  const traces = {
    Sid: 'WriteTraces',
    Effect: 'Allow',
    Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
    Resource: ['*'],
  };
  const stateMachineOf = (stack: TerraformJson) => ({
    resource: stack.resource.aws_sfn_state_machine.payment_workflow,
    statements: statementsOf(stack, 'payment_workflow'),
  });
  let standard: ReturnType<typeof stateMachineOf>;
  let withKey: ReturnType<typeof stateMachineOf>;
  let express: ReturnType<typeof stateMachineOf>;
  beforeAll(() => {
    standard = stateMachineOf(DEFAULT.stack);
    withKey = stateMachineOf(WITH_KEY);
    express = stateMachineOf(
      synthWorkflowStack({
        workflowType: 'EXPRESS',
        stateMachineLogLevel: 'FATAL',
        stateMachineLogExecutionData: true,
        alarms: false,
      }).stack,
    );
  });

  it('runs STANDARD on the AWS owned key, logging errors without execution data, traced', () => {
    expect({ ...standard.resource, definition: undefined }).toEqual({
      definition: undefined,
      depends_on: ['aws_iam_role_policy.payment_workflow'],
      encryption_configuration: { type: 'AWS_OWNED_KEY' },
      logging_configuration: {
        include_execution_data: false,
        level: 'ERROR',
        log_destination: '${aws_cloudwatch_log_group.payment_workflow.arn}:*',
      },
      name: 'mock-payment-workflow',
      role_arn: '${aws_iam_role.payment_workflow.arn}',
      tracing_configuration: { enabled: true },
      type: 'STANDARD',
    });
  });

  it('encrypts its data with the customer managed key, reusing a data key for 300 s', () => {
    expect(withKey.resource.encryption_configuration).toEqual({
      kms_data_key_reuse_period_seconds: 300,
      kms_key_id: KEY_ARN,
      type: 'CUSTOMER_MANAGED_KMS_KEY',
    });
  });

  it('takes the type, log level and execution data it is given', () => {
    expect(express.resource).toMatchObject({
      type: 'EXPRESS',
      logging_configuration: { include_execution_data: true, level: 'FATAL' },
    });
  });

  it('names the role policies after their role, so IAM shows whose each is', () => {
    const names = Object.fromEntries(
      Object.entries(WITH_KEY.resource.aws_iam_role_policy).map(([id, policy]: [string, any]) => [id, policy.name]),
    );
    expect(names).toEqual({
      accept_payment: 'mock-accept-payment-policy',
      create_order: 'mock-create-order-policy',
      hold_payment: 'mock-hold-payment-policy',
      payment_workflow: 'mock-payment-workflow-policy',
      record_failure: 'mock-record-failure-policy',
    });
  });

  it('lets the state machine invoke its four functions, deliver its logs and write traces, without a key', () => {
    expect(standard.statements).toEqual([invoke, deliverLogs, traces]);
  });

  it('adds the key for its own data and for its log delivery, each bound by its encryption context', () => {
    expect(withKey.statements).toEqual([
      invoke,
      deliverLogs,
      traces,
      {
        Sid: 'UseKeyForOwnData',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [KEY_ARN],
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': STATE_MACHINE_ARN } },
      },
      {
        Sid: 'UseKeyForLogDelivery',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey'],
        Resource: [KEY_ARN],
        Condition: {
          StringEquals: {
            'kms:EncryptionContext:SourceArn':
              'arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*',
          },
        },
      },
    ]);
  });
});
