import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { MODULE_STACK_NAME, PaymentWorkflowModuleStack } from '../../lib/payment-workflow-module';
import { decideResourcePolicy, type PolicyDocument } from '../support/iam';
import { resolveReferences, TEST_ACCOUNT, TEST_REGION } from '../support/references';
import { KMS_KEY_ARN } from '../support/security-rules';
import { synthWorkflowStack, type TerraformJson, TEST_OUTDIR } from '../support/synth';
import { describeWithTerraform, evaluateExpressions, terraformRoot } from '../support/terraform';

/**
 * Operations on AWS: the alarms (each one's metric, statistic, threshold, period and actions), the SNS
 * topic they notify and its policy, the e-mail subscription, and the dashboard, in the deployable
 * stack and in the module.
 */

const TOPIC_ARN = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:mock-payment-workflow-alarms`;
const MACHINE_ARN = `arn:aws:states:${TEST_REGION}:${TEST_ACCOUNT}:stateMachine:mock-payment-workflow`;
const OTHER_ACCOUNT = '210987654321';

/** Every alarm of the default stack: name, namespace, metric, dimensions, statistic, threshold. */
const EXPECTED_ALARMS = [
  [
    'mock-payment-workflow-executions-failed',
    'AWS/States',
    'ExecutionsFailed',
    { StateMachineArn: MACHINE_ARN },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-executions-timed-out',
    'AWS/States',
    'ExecutionsTimedOut',
    { StateMachineArn: MACHINE_ARN },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-executions-aborted',
    'AWS/States',
    'ExecutionsAborted',
    { StateMachineArn: MACHINE_ARN },
    'Maximum',
    1,
  ],
  [
    'mock-payment-workflow-executions-throttled',
    'AWS/States',
    'ExecutionThrottled',
    { StateMachineArn: MACHINE_ARN },
    'Sum',
    1,
  ],
  ['mock-payment-workflow-starts-throttled', 'AWS/States', 'ThrottledEvents', { APIName: 'StartExecution' }, 'Sum', 1],
  [
    'mock-payment-workflow-create-order-errors',
    'AWS/Lambda',
    'Errors',
    { FunctionName: 'mock-create-order' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-create-order-throttles',
    'AWS/Lambda',
    'Throttles',
    { FunctionName: 'mock-create-order' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-create-order-duration',
    'AWS/Lambda',
    'Duration',
    { FunctionName: 'mock-create-order' },
    'Maximum',
    8000,
  ],
  [
    'mock-payment-workflow-hold-payment-errors',
    'AWS/Lambda',
    'Errors',
    { FunctionName: 'mock-hold-payment' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-hold-payment-throttles',
    'AWS/Lambda',
    'Throttles',
    { FunctionName: 'mock-hold-payment' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-hold-payment-duration',
    'AWS/Lambda',
    'Duration',
    { FunctionName: 'mock-hold-payment' },
    'Maximum',
    8000,
  ],
  [
    'mock-payment-workflow-accept-payment-errors',
    'AWS/Lambda',
    'Errors',
    { FunctionName: 'mock-accept-payment' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-accept-payment-throttles',
    'AWS/Lambda',
    'Throttles',
    { FunctionName: 'mock-accept-payment' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-accept-payment-duration',
    'AWS/Lambda',
    'Duration',
    { FunctionName: 'mock-accept-payment' },
    'Maximum',
    8000,
  ],
  [
    'mock-payment-workflow-record-failure-errors',
    'AWS/Lambda',
    'Errors',
    { FunctionName: 'mock-record-failure' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-record-failure-throttles',
    'AWS/Lambda',
    'Throttles',
    { FunctionName: 'mock-record-failure' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-record-failure-duration',
    'AWS/Lambda',
    'Duration',
    { FunctionName: 'mock-record-failure' },
    'Maximum',
    8000,
  ],
  [
    'mock-payment-workflow-table-write-throttles',
    'AWS/DynamoDB',
    'WriteThrottleEvents',
    { TableName: 'MockOrders' },
    'Sum',
    1,
  ],
  [
    'mock-payment-workflow-table-read-throttles',
    'AWS/DynamoDB',
    'ReadThrottleEvents',
    { TableName: 'MockOrders' },
    'Sum',
    1,
  ],
] as const;

function alarmsOf(stack: TerraformJson): any[] {
  return Object.values(stack.resource.aws_cloudwatch_metric_alarm ?? {}).map((alarm) =>
    JSON.parse(resolveReferences(JSON.stringify(alarm), stack)),
  );
}

const alarmNamed = (stack: TerraformJson, name: string): any => alarmsOf(stack).find((a) => a.alarm_name === name);

describe('Monitoring: the alarms of the default configuration', () => {
  const { stack } = synthWorkflowStack();
  const alarms = alarmsOf(stack);

  it('creates 20 alarms: four on the state machine, one on the starts, three on each function, three on the table', () => {
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(
      [...EXPECTED_ALARMS.map(([name]) => name), 'mock-payment-workflow-table-system-errors'].sort(),
    );
  });

  it.each(EXPECTED_ALARMS.map((row) => [row[0], row] as const))(
    '%s watches its metric',
    (name, [, namespace, metric, dimensions, statistic, threshold]) => {
      expect(alarmNamed(stack, name)).toMatchObject({
        namespace,
        metric_name: metric,
        dimensions,
        statistic,
        threshold,
        period: 300,
        evaluation_periods: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        treat_missing_data: 'notBreaching',
      });
    },
  );

  it("sums the table's SystemErrors over the operations the handlers call, which the metric is reported by", () => {
    const alarm = alarmNamed(stack, 'mock-payment-workflow-table-system-errors');
    expect(alarm.metric_query).toEqual([
      ...['PutItem', 'UpdateItem', 'GetItem'].map((operation, i) => ({
        id: `m${i + 1}`,
        return_data: false,
        metric: {
          namespace: 'AWS/DynamoDB',
          metric_name: 'SystemErrors',
          dimensions: { TableName: 'MockOrders', Operation: operation },
          stat: 'Sum',
          period: 300,
        },
      })),
      { id: 'errors', expression: 'm1 + m2 + m3', label: 'SystemErrors', return_data: true },
    ]);
    expect(alarm).toMatchObject({
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
    });
  });

  it('notifies the topic when an alarm fires and when it is OK again', () => {
    expect(alarms).toHaveLength(20);
    for (const alarm of alarms) {
      expect({
        name: alarm.alarm_name,
        alarm: alarm.alarm_actions,
        ok: alarm.ok_actions,
        insufficient: alarm.insufficient_data_actions,
      }).toEqual({
        name: alarm.alarm_name,
        alarm: [TOPIC_ARN],
        ok: [TOPIC_ARN],
        insufficient: undefined,
      });
    }
  });

  it('says in each description what happened and which runbook section to read', () => {
    expect(alarms).toHaveLength(20);
    for (const alarm of alarms) {
      expect(alarm.alarm_description).toMatch(/^[A-Z].+\. Runbook: docs\/runbook\.md#[a-z-]+$/);
    }
    const runbook = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
    const anchors = new Set(alarms.map((a) => /#([a-z-]+)$/.exec(a.alarm_description)?.[1]));
    for (const anchor of anchors)
      expect({ anchor, inRunbook: runbook.includes(`<a id="${anchor}"></a>`) }).toEqual({ anchor, inRunbook: true });
  });

  it("creates its own topic, unencrypted without a key (CloudWatch cannot publish to a topic under SNS's AWS managed key)", () => {
    expect(Object.values(stack.resource.aws_sns_topic)).toEqual([
      expect.objectContaining({ name: 'mock-payment-workflow-alarms' }),
    ]);
    expect(Object.values(stack.resource.aws_sns_topic)[0].kms_master_key_id).toBeUndefined();
  });

  it('subscribes nobody unless alarmEmail asks for it', () => {
    expect(stack.resource.aws_sns_topic_subscription).toBeUndefined();
  });

  describe('the topic policy', () => {
    const policy: PolicyDocument = JSON.parse(
      resolveReferences(Object.values(stack.resource.aws_sns_topic_policy)[0].policy, stack),
    );
    const publish = (context: Record<string, string>) => ({ action: 'sns:Publish', resource: TOPIC_ARN, context });
    const ownAlarm = `arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT}:alarm:mock-payment-workflow-executions-failed`;

    it("lets CloudWatch publish for this account's workflow alarms", async () => {
      expect(
        await decideResourcePolicy(
          policy,
          'cloudwatch.amazonaws.com',
          publish({ 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': ownAlarm }),
        ),
      ).toBe('Allowed');
    });

    it.each([
      [
        'for an alarm of another account',
        'cloudwatch.amazonaws.com',
        { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': ownAlarm.replace(TEST_ACCOUNT, OTHER_ACCOUNT) },
      ],
      [
        "for another of this account's alarms",
        'cloudwatch.amazonaws.com',
        { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': ownAlarm.replace('mock-payment-workflow', 'billing') },
      ],
      [
        'for an alarm of a copy with a name prefix',
        'cloudwatch.amazonaws.com',
        { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': ownAlarm.replace('alarm:', 'alarm:dev-') },
      ],
      ['without saying for whom', 'cloudwatch.amazonaws.com', {}],
      ['as another service', 'events.amazonaws.com', { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': ownAlarm }],
      ['as another account', `arn:aws:iam::${OTHER_ACCOUNT}:root`, {}],
    ])('lets nobody publish %s', async (_case, principal, context) => {
      expect(await decideResourcePolicy(policy, principal, publish(context))).toBe('ImplicitlyDenied');
    });
  });

  describe('the dashboard', () => {
    const dashboard = Object.values(stack.resource.aws_cloudwatch_dashboard)[0];
    const body = JSON.parse(resolveReferences(dashboard.dashboard_body, stack));
    const metricsOf = (title: string): string[][] =>
      body.widgets.find((w: any) => w.properties.title === title).properties.metrics;

    it('is named after the state machine', () => {
      expect(dashboard.dashboard_name).toBe('mock-payment-workflow');
    });

    it("graphs this state machine's executions started, succeeded and failed", () => {
      expect(metricsOf('Executions started, succeeded, failed')).toEqual([
        ['AWS/States', 'ExecutionsStarted', 'StateMachineArn', MACHINE_ARN],
        ['AWS/States', 'ExecutionsSucceeded', 'StateMachineArn', MACHINE_ARN],
        ['AWS/States', 'ExecutionsFailed', 'StateMachineArn', MACHINE_ARN],
      ]);
    });

    it.each([
      ['Duration of each step (maximum, ms)', 'Duration'],
      ['Errors of each step', 'Errors'],
    ])('graphs %s for the four functions of this stack', (title, metric) => {
      expect(metricsOf(title)).toEqual(
        ['mock-create-order', 'mock-hold-payment', 'mock-accept-payment', 'mock-record-failure'].map((name) => [
          'AWS/Lambda',
          metric,
          'FunctionName',
          name,
        ]),
      );
    });

    it("graphs this table's throttles", () => {
      expect(metricsOf('Table throttles')).toEqual([
        ['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', 'MockOrders'],
        ['AWS/DynamoDB', 'ReadThrottleEvents', 'TableName', 'MockOrders'],
      ]);
    });

    it('shows the state of every alarm of the stack, and nothing else', () => {
      const widget = body.widgets.find((w: any) => w.type === 'alarm');
      const arns = alarms.map((a) => `arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT}:alarm:${a.alarm_name}`);
      expect([...widget.properties.alarms].sort()).toEqual(arns.sort());
    });
  });
});

describe('Monitoring: the settings', () => {
  it('creates no alarm, topic, subscription, dashboard or alarm output when alarms is false', () => {
    const { stack } = synthWorkflowStack({ alarms: false });
    const types = Object.keys(stack.resource).filter((t) =>
      /cloudwatch_metric_alarm|sns_|cloudwatch_dashboard/.test(t),
    );
    expect({ types, outputs: ['alarm_topic_arn', 'dashboard_url'].filter((o) => o in stack.output) }).toEqual({
      types: [],
      outputs: [],
    });
  });

  it('notifies a topic given by alarmTopicArn and creates none', () => {
    const given = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:ops-alarms`;
    const { stack } = synthWorkflowStack({ alarmTopicArn: given });
    expect({ topics: stack.resource.aws_sns_topic, policies: stack.resource.aws_sns_topic_policy }).toEqual({
      topics: undefined,
      policies: undefined,
    });
    expect(new Set(alarmsOf(stack).flatMap((a) => [...a.alarm_actions, ...a.ok_actions]))).toEqual(new Set([given]));
  });

  it('subscribes the address of alarmEmail to the topic', () => {
    const { stack } = synthWorkflowStack({ alarmEmail: 'ops@example.com' });
    const subscription = JSON.parse(
      resolveReferences(JSON.stringify(Object.values(stack.resource.aws_sns_topic_subscription)[0]), stack),
    );
    expect(subscription).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com', topic_arn: TOPIC_ARN });
  });

  it('encrypts its topic with the key of kmsKeyArn', () => {
    const { stack } = synthWorkflowStack({ kmsKeyArn: KMS_KEY_ARN });
    expect(Object.values(stack.resource.aws_sns_topic)[0].kms_master_key_id).toBe(KMS_KEY_ARN);
  });

  it('evaluates every alarm over alarmPeriodSeconds', () => {
    const { stack } = synthWorkflowStack({ alarmPeriodSeconds: 60 });
    const periods = alarmsOf(stack).flatMap((a) =>
      a.metric_query ? a.metric_query.flatMap((q: any) => (q.metric ? [q.metric.period] : [])) : [a.period],
    );
    expect(new Set(periods)).toEqual(new Set([60]));
  });

  it('alarms on a duration of lambdaDurationAlarmPercent of the function timeout, in milliseconds', () => {
    const { stack } = synthWorkflowStack({ lambdaTimeoutSeconds: 900, lambdaDurationAlarmPercent: 50 });
    expect(alarmNamed(stack, 'mock-payment-workflow-create-order-duration').threshold).toBe(450000);
  });

  it('names every alarm, the topic and the dashboard after the name prefix, and lets only its own alarms publish', () => {
    const { stack } = synthWorkflowStack({ namePrefix: 'dev-' });
    const names = alarmsOf(stack).map((a) => a.alarm_name);
    expect(names).toHaveLength(20);
    expect(names.filter((name) => !name.startsWith('dev-mock-payment-workflow-'))).toEqual([]);
    expect(Object.values(stack.resource.aws_sns_topic)[0].name).toBe('dev-mock-payment-workflow-alarms');
    expect(Object.values(stack.resource.aws_cloudwatch_dashboard)[0].dashboard_name).toBe('dev-mock-payment-workflow');
    expect(resolveReferences(Object.values(stack.resource.aws_sns_topic_policy)[0].policy, stack)).toContain(
      `"aws:SourceArn":"arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT}:alarm:dev-mock-payment-workflow-*"`,
    );
  });
});

describeWithTerraform("the module's monitoring counts")(
  'Monitoring in the Terraform module, its counts evaluated by terraform',
  () => {
    const app = Testing.app({ outdir: TEST_OUTDIR });
    const module = JSON.parse(Testing.synth(new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME)));
    const countOf = (type: string, id: string): string => module.resource[type][id].count.replace(/^\$\{(.*)\}$/, '$1');
    const expressions = [
      countOf('aws_cloudwatch_metric_alarm', 'executions_failed'),
      countOf('aws_cloudwatch_dashboard', 'payment_workflow'),
      countOf('aws_sns_topic', 'alarms'),
      countOf('aws_sns_topic_policy', 'alarms'),
      countOf('aws_sns_topic_subscription', 'alarm_email'),
    ];
    const dir = terraformRoot({
      variable: {
        alarms_enabled: { type: 'bool', default: null },
        alarm_topic_arn: { type: 'string', default: null },
        alarm_email: { type: 'string', default: null },
      },
    });
    const evaluate = (vars: Record<string, string>) => evaluateExpressions(dir, expressions, vars);

    it('gates every alarm and the dashboard on alarms_enabled, the topic also on alarm_topic_arn, the subscription on alarm_email', () => {
      expect(expressions).toHaveLength(5);
    });

    it.each([
      // alarms_enabled, alarm_topic_arn, alarm_email → alarm, dashboard, topic, topic policy, subscription
      [{ alarms_enabled: 'true' }, [1, 1, 1, 1, 0]],
      [{ alarms_enabled: 'true', alarm_email: 'ops@example.com' }, [1, 1, 1, 1, 1]],
      [{ alarms_enabled: 'true', alarm_topic_arn: 'arn:aws:sns:us-east-1:123456789012:ops' }, [1, 1, 0, 0, 0]],
      [
        {
          alarms_enabled: 'true',
          alarm_topic_arn: 'arn:aws:sns:us-east-1:123456789012:ops',
          alarm_email: 'ops@example.com',
        },
        [1, 1, 0, 0, 1],
      ],
      [{ alarms_enabled: 'false' }, [0, 0, 0, 0, 0]],
    ])('creates, for %j, the alarms, dashboard, topic, topic policy and subscription %j times', (vars, counts) => {
      expect(evaluate(vars)).toEqual(counts);
    });
  },
);

describeWithTerraform("the module's duration thresholds")(
  'Monitoring in the Terraform module, its duration thresholds evaluated by terraform',
  () => {
    const app = Testing.app({ outdir: TEST_OUTDIR });
    const module = JSON.parse(Testing.synth(new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME)));
    const ids = [
      'create_order_duration',
      'hold_payment_duration',
      'accept_payment_duration',
      'record_failure_duration',
    ];
    const expressions = ids.map((id) =>
      String(module.resource.aws_cloudwatch_metric_alarm[id].threshold).replace(/^\$\{(.*)\}$/, '$1'),
    );
    const dir = terraformRoot({
      variable: {
        workflow_type: { type: 'string', default: 'STANDARD' },
        lambda_timeout_seconds: { type: 'number', default: null },
        lambda_duration_alarm_percent: { type: 'number', default: 80 },
      },
    });

    it.each([
      // The share of the function timeout, in milliseconds: seconds × 1000 × percent / 100.
      [{}, 8000],
      [{ workflow_type: 'EXPRESS' }, 2400],
      [{ lambda_timeout_seconds: '30', lambda_duration_alarm_percent: '50' }, 15000],
    ])('sets every duration alarm, for %j, at %j ms', (vars, threshold) => {
      expect(evaluateExpressions(dir, expressions, vars)).toEqual([threshold, threshold, threshold, threshold]);
    });
  },
);

/** Which alarms each workflow type gets, by Terraform id: each exists only where its metric can move. */
const STANDARD_ALARM_IDS = [
  'accept_payment_duration',
  'accept_payment_errors',
  'accept_payment_throttles',
  'create_order_duration',
  'create_order_errors',
  'create_order_throttles',
  'executions_aborted',
  'executions_failed',
  'executions_throttled',
  'executions_timed_out',
  'hold_payment_duration',
  'hold_payment_errors',
  'hold_payment_throttles',
  'record_failure_duration',
  'record_failure_errors',
  'record_failure_throttles',
  'starts_throttled',
  'table_read_throttles',
  'table_system_errors',
  'table_write_throttles',
];
const EXPRESS_ALARM_IDS = [
  'accept_payment_duration',
  'accept_payment_errors',
  'accept_payment_throttles',
  'create_order_duration',
  'create_order_errors',
  'create_order_throttles',
  'executions_failed',
  'executions_timed_out',
  'hold_payment_duration',
  'hold_payment_errors',
  'hold_payment_throttles',
  'record_failure_duration',
  'record_failure_errors',
  'record_failure_throttles',
  'starts_throttled',
  'table_read_throttles',
  'table_system_errors',
  'table_write_throttles',
];

describe('Monitoring: which alarms each workflow type gets', () => {
  const idsOf = (stack: TerraformJson): string[] => Object.keys(stack.resource.aws_cloudwatch_metric_alarm).sort();

  it('gives STANDARD the aborted and transition-throttle alarms beside the rest', () => {
    expect(idsOf(synthWorkflowStack({ workflowType: 'STANDARD' }).stack)).toEqual(STANDARD_ALARM_IDS);
  });

  it('gives EXPRESS no aborted alarm (it cannot be stopped) and no transition-throttle alarm (its transitions are not throttled)', () => {
    expect(idsOf(synthWorkflowStack({ workflowType: 'EXPRESS' }).stack)).toEqual(EXPRESS_ALARM_IDS);
  });

  it("watches StartExecution's throttled requests, the account's, with either type", () => {
    const alarm = synthWorkflowStack({ workflowType: 'EXPRESS' }).stack.resource.aws_cloudwatch_metric_alarm
      .starts_throttled;
    expect([alarm.namespace, alarm.metric_name, alarm.dimensions, alarm.statistic]).toEqual([
      'AWS/States',
      'ThrottledEvents',
      { APIName: 'StartExecution' },
      'Sum',
    ]);
  });

  it('shows on the EXPRESS dashboard the state of exactly the alarms EXPRESS has', () => {
    const { stack } = synthWorkflowStack({ workflowType: 'EXPRESS' });
    const body = JSON.parse(
      resolveReferences(Object.values(stack.resource.aws_cloudwatch_dashboard)[0].dashboard_body, stack),
    );
    const names = body.widgets
      .find((w: any) => w.type === 'alarm')
      .properties.alarms.map((arn: string) => arn.replace(/^.*:alarm:mock-payment-workflow-/, ''));
    expect(names.sort()).toEqual(EXPRESS_ALARM_IDS.map((id) => id.replace(/_/g, '-')));
  });
});

describeWithTerraform("the module's alarm counts by workflow_type")(
  'Monitoring in the Terraform module: which alarms each workflow_type gets, evaluated by terraform',
  () => {
    const app = Testing.app({ outdir: TEST_OUTDIR });
    const module = JSON.parse(Testing.synth(new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME)));
    const ids = Object.keys(module.resource.aws_cloudwatch_metric_alarm).sort();
    const expressions = ids.map((id) =>
      module.resource.aws_cloudwatch_metric_alarm[id].count.replace(/^\$\{(.*)\}$/, '$1'),
    );
    const dir = terraformRoot({
      variable: { alarms_enabled: { type: 'bool', default: null }, workflow_type: { type: 'string', default: null } },
    });
    const created = (workflowType: string): string[] => {
      const counts = evaluateExpressions(dir, expressions, { alarms_enabled: 'true', workflow_type: workflowType });
      return ids.filter((_, i) => counts[i] === 1);
    };

    it('declares every alarm of either type', () => {
      expect(ids).toEqual(STANDARD_ALARM_IDS);
    });

    it.each([
      ['STANDARD', STANDARD_ALARM_IDS],
      ['EXPRESS', EXPRESS_ALARM_IDS],
    ])('creates, for workflow_type %s, exactly its alarms', (workflowType, expected) => {
      expect(created(workflowType)).toEqual(expected);
    });
  },
);
