/**
 * The `terraform test` files of the built module (`tests/*.tftest.hcl`), generated with it by
 * `npm run module`: the module's contract (what the defaults create, names under `name_prefix`, what
 * each optional input adds or removes) and one refused value for each validation rule. They mock the
 * aws provider, so they need no credentials; the archive provider is real (it only zips local files).
 *
 * @see https://developer.hashicorp.com/terraform/language/tests/mocking
 */
import type { ModuleJson } from './build-module';

/** The module's test files could not be generated. */
export class ModuleTestsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModuleTestsError';
  }
}

/** The mocked data sources: realistic values, since the provider checks ARNs built from them. */
export const MOCK_DATA: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_partition: { partition: 'aws', dns_suffix: 'amazonaws.com' },
  aws_region: { region: 'us-east-1' },
  aws_caller_identity: {
    account_id: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/terraform-test',
    user_id: 'AIDAEXAMPLEUSERID',
  },
};

/** A value of an input that one validation rule refuses, with the other inputs that rule reads. */
export interface RefusedValue {
  /** The input whose validation block refuses it. */
  readonly variable: string;
  /** Which of the input's validation blocks (0-based), in the module's order. */
  readonly rule: number;
  /** The inputs of the run, as HCL expressions. */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * One refused value per validation rule of the module, by input name: the one list of inputs the
 * validation tests read. A rule without a value here fails the build ({@link renderModuleTests}).
 */
export const REFUSED_VALUES: readonly RefusedValue[] = [
  { variable: 'alarm_email', rule: 0, values: { alarm_email: '"not-an-address"' } },
  { variable: 'alarm_email', rule: 1, values: { alarm_email: '"ops@example.com"', alarms_enabled: 'false' } },
  { variable: 'alarm_period_seconds', rule: 0, values: { alarm_period_seconds: '90' } },
  { variable: 'alarm_topic_arn', rule: 0, values: { alarm_topic_arn: '"ops-alarms"' } },
  {
    variable: 'alarm_topic_arn',
    rule: 1,
    values: { alarm_topic_arn: '"arn:aws:sns:us-east-1:123456789012:ops-alarms"', alarms_enabled: 'false' },
  },
  { variable: 'kms_key_arn', rule: 0, values: { kms_key_arn: '"arn:aws:kms:us-east-1:123456789012:alias/orders"' } },
  { variable: 'lambda_duration_alarm_percent', rule: 0, values: { lambda_duration_alarm_percent: '101' } },
  { variable: 'lambda_memory_mb', rule: 0, values: { lambda_memory_mb: '64' } },
  { variable: 'lambda_reserved_concurrency', rule: 0, values: { lambda_reserved_concurrency: '0' } },
  { variable: 'lambda_timeout_seconds', rule: 0, values: { lambda_timeout_seconds: '901' } },
  { variable: 'lambda_timeout_seconds', rule: 1, values: { lambda_timeout_seconds: '10', workflow_type: '"EXPRESS"' } },
  { variable: 'log_retention_days', rule: 0, values: { log_retention_days: '2' } },
  { variable: 'name_prefix', rule: 0, values: { name_prefix: '"team prefix!"' } },
  { variable: 'state_machine_log_level', rule: 0, values: { state_machine_log_level: '"DEBUG"' } },
  { variable: 'table_name', rule: 0, values: { table_name: '"ab"' } },
  { variable: 'table_name', rule: 1, values: { table_name: `"${'a'.repeat(251)}"`, name_prefix: '"team-"' } },
  { variable: 'tags', rule: 0, values: { tags: '{ "aws:owner" = "ops" }' } },
  { variable: 'workflow_type', rule: 0, values: { workflow_type: '"SOMETIMES"' } },
];

/** The alarms only a STANDARD workflow has (EXPRESS has no aborted executions and no state transition throttling). */
const STANDARD_ONLY_ALARMS = ['executions_aborted', 'executions_throttled'];

const ALARMS = [
  ...['accept_payment', 'create_order', 'hold_payment', 'record_failure'].flatMap((fn) =>
    ['duration', 'errors', 'throttles'].map((metric) => `${fn}_${metric}`),
  ),
  'executions_aborted',
  'executions_failed',
  'executions_throttled',
  'executions_timed_out',
  'starts_throttled',
  'table_read_throttles',
  'table_system_errors',
  'table_write_throttles',
];
const FUNCTIONS = ['accept_payment', 'create_order', 'hold_payment', 'record_failure'];
const KEY_POLICIES = [
  'accept_payment_table_key',
  'create_order_table_key',
  'hold_payment_table_key',
  'payment_workflow_key',
  'record_failure_table_key',
];

/** An `assert` block. */
const check = (condition: string, message: string): string[] => [
  '  assert {',
  `    condition     = ${condition}`,
  `    error_message = ${JSON.stringify(message)}`,
  '  }',
];

/** A `run` block with `command = plan`. */
function run(name: string, values: Readonly<Record<string, string>>, body: string[]): string[] {
  const entries = Object.entries(values);
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return [
    `run "${name}" {`,
    '  command = plan',
    ...(entries.length === 0
      ? []
      : ['', '  variables {', ...entries.map(([key, value]) => `    ${key.padEnd(width)} = ${value}`), '  }']),
    '',
    ...body,
    '}',
    '',
  ];
}

/** Every resource of `addresses` is created `count` times. */
const countsAre = (type: string, names: readonly string[], count: number): string =>
  `alltrue([${names.map((name) => `length(${type}.${name}) == ${count}`).join(', ')}])`;

/** The mock_provider block shared by the test files. */
function mockProvider(): string[] {
  return [
    '# The aws provider is mocked: no credentials, no calls. Its data sources get realistic values, since the',
    "# provider still checks the ARNs built from them. The archive provider is real: it zips the module's assets.",
    'mock_provider "aws" {',
    ...Object.entries(MOCK_DATA).flatMap(([source, values]) => [
      `  mock_data "${source}" {`,
      '    defaults = {',
      ...Object.entries(values).map(([key, value]) => `      ${key} = ${JSON.stringify(value)}`),
      '    }',
      '  }',
    ]),
    '}',
    '',
  ];
}

/** `tests/contract.tftest.hcl`: what the defaults create and what each optional input changes. */
function contract(): string {
  const header = [
    "# Generated by npm run module (scripts/module-tests.ts): the module's contract. Run: terraform init && terraform test",
    '',
  ];
  return [
    ...header,
    ...mockProvider(),
    ...run('defaults', {}, [
      ...check('aws_dynamodb_table.orders.name == "MockOrders"', 'The table is named MockOrders by default.'),
      ...check(
        'aws_sfn_state_machine.payment_workflow.name == "mock-payment-workflow" && aws_sfn_state_machine.payment_workflow.type == "STANDARD"',
        'The state machine is a STANDARD one named mock-payment-workflow.',
      ),
      ...check(countsAre('aws_cloudwatch_metric_alarm', ALARMS, 1), 'Every alarm is created by default.'),
      ...check(
        'length(aws_sns_topic.alarms) == 1 && length(aws_cloudwatch_dashboard.payment_workflow) == 1',
        'The alarm topic and the dashboard are created by default.',
      ),
      ...check(
        'aws_cloudwatch_metric_alarm.executions_failed[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:mock-payment-workflow-alarms"])',
        "The alarms notify the module's own topic.",
      ),
      ...check('length(aws_sns_topic_subscription.alarm_email) == 0', 'No e-mail subscription without alarm_email.'),
      ...check(countsAre('aws_iam_role_policy', KEY_POLICIES, 0), 'No key policy without kms_key_arn.'),
      ...check(
        'aws_dynamodb_table.orders.server_side_encryption[0].enabled == false',
        'The table uses the AWS owned key by default.',
      ),
      ...check(
        `alltrue([${FUNCTIONS.map((fn) => `aws_lambda_function.${fn}.reserved_concurrent_executions == null`).join(', ')}])`,
        'No reserved concurrency by default.',
      ),
    ]),
    ...run('name_prefix', { name_prefix: '"team-"' }, [
      ...check('aws_dynamodb_table.orders.name == "team-MockOrders"', 'The prefix leads the table name.'),
      ...check(
        'aws_sfn_state_machine.payment_workflow.name == "team-mock-payment-workflow"',
        'The prefix leads the state machine name.',
      ),
      ...check(
        'aws_lambda_function.create_order.function_name == "team-mock-create-order" && aws_iam_role.create_order.name == "team-mock-create-order-role"',
        "The prefix leads a function's and its role's names.",
      ),
      ...check(
        'aws_cloudwatch_log_group.create_order.name == "/aws/lambda/team-mock-create-order"',
        "The function's log group follows its name.",
      ),
      ...check(
        'aws_cloudwatch_metric_alarm.executions_failed[0].alarm_name == "team-mock-payment-workflow-executions-failed" && aws_sns_topic.alarms[0].name == "team-mock-payment-workflow-alarms"',
        'The prefix leads the alarm and topic names.',
      ),
    ]),
    ...run(
      'kms_key',
      { kms_key_arn: '"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"' },
      [
        ...check(countsAre('aws_iam_role_policy', KEY_POLICIES, 1), 'A key policy for each role with kms_key_arn.'),
        ...check(
          'aws_dynamodb_table.orders.server_side_encryption[0].kms_key_arn == "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
          'The table is encrypted with the key.',
        ),
        ...check(
          'aws_sfn_state_machine.payment_workflow.encryption_configuration[0].type == "CUSTOMER_MANAGED_KMS_KEY"',
          'The state machine is encrypted with the key.',
        ),
      ],
    ),
    ...run('alarms_disabled', { alarms_enabled: 'false' }, [
      ...check(countsAre('aws_cloudwatch_metric_alarm', ALARMS, 0), 'No alarm with alarms_enabled = false.'),
      ...check(
        'length(aws_sns_topic.alarms) == 0 && length(aws_cloudwatch_dashboard.payment_workflow) == 0',
        'No topic and no dashboard with alarms_enabled = false.',
      ),
      ...check(
        'output.dashboard_url == null && output.alarm_topic_arn == null',
        'No dashboard URL and no topic ARN with alarms_enabled = false.',
      ),
    ]),
    ...run('alarm_topic', { alarm_topic_arn: '"arn:aws:sns:us-east-1:123456789012:ops-alarms"' }, [
      ...check('length(aws_sns_topic.alarms) == 0', 'No topic of its own with alarm_topic_arn.'),
      ...check(
        'aws_cloudwatch_metric_alarm.executions_failed[0].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops-alarms"])',
        'The alarms notify the given topic.',
      ),
    ]),
    ...run('alarm_email', { alarm_email: '"ops@example.com"' }, [
      ...check('length(aws_sns_topic_subscription.alarm_email) == 1', 'An e-mail subscription with alarm_email.'),
      ...check(
        'aws_sns_topic_subscription.alarm_email[0].endpoint == "ops@example.com" && aws_sns_topic_subscription.alarm_email[0].protocol == "email"',
        'The subscription e-mails the address.',
      ),
    ]),
    ...run('reserved_concurrency', { lambda_reserved_concurrency: '5' }, [
      ...check(
        `alltrue([${FUNCTIONS.map((fn) => `aws_lambda_function.${fn}.reserved_concurrent_executions == 5`).join(', ')}])`,
        'Each function reserves the given concurrency.',
      ),
    ]),
    ...run('express', { workflow_type: '"EXPRESS"' }, [
      ...check('aws_sfn_state_machine.payment_workflow.type == "EXPRESS"', 'The state machine is an EXPRESS one.'),
      ...check(
        countsAre('aws_cloudwatch_metric_alarm', STANDARD_ONLY_ALARMS, 0),
        'No aborted or throttled execution alarms for EXPRESS.',
      ),
      ...check(
        'aws_lambda_function.create_order.timeout == 3',
        'EXPRESS functions time out after 3 seconds by default.',
      ),
      ...check(
        'aws_sfn_state_machine.payment_workflow.logging_configuration[0].level == "ALL"',
        'EXPRESS logs ALL by default.',
      ),
    ]),
  ].join('\n');
}

/** `tests/validation.tftest.hcl`: each validation rule refuses its value of {@link REFUSED_VALUES}. */
function validation(module: ModuleJson): string {
  const rules = Object.entries(module.variable).flatMap(([name, v]) =>
    (v.validation ?? []).map((_, i) => `${name}#${i}`),
  );
  const cases = REFUSED_VALUES.map((c) => `${c.variable}#${c.rule}`);
  const untested = rules.filter((rule) => !cases.includes(rule));
  const stale = cases.filter((c) => !rules.includes(c));
  if (untested.length > 0 || stale.length > 0) {
    throw new ModuleTestsError(
      `Expected one refused value per validation rule of the module, received none for ${untested.join(', ') || 'no rule'} and values for rules that do not exist: ${stale.join(', ') || 'none'}. ` +
        'Fix: update REFUSED_VALUES in scripts/module-tests.ts.',
    );
  }
  return [
    '# Generated by npm run module (scripts/module-tests.ts): each validation rule refuses a bad value. Run: terraform init && terraform test',
    '',
    ...mockProvider(),
    ...REFUSED_VALUES.flatMap((c) =>
      run(`refuses_${c.variable}_${c.rule}`, c.values, [`  expect_failures = [var.${c.variable}]`]),
    ),
  ].join('\n');
}

/** The test files of the module, by path below the module folder. */
export function renderModuleTests(module: ModuleJson): Record<string, string> {
  return { 'tests/contract.tftest.hcl': contract(), 'tests/validation.tftest.hcl': validation(module) };
}
