import * as fs from 'node:fs';
import * as path from 'node:path';
import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import type { WorkflowConfig } from '../lib/config';
import { rolesOf, Statement } from './support/iam';
import { TEST_ACCOUNT, TEST_REGION } from './support/references';
import { synthWorkflowStack, TerraformJson } from './support/synth';

/**
 * The policy checks a reviewer of the plan would run, named by their widely used rule IDs (Checkov's
 * CKV_AWS_*, AWS Security Hub's controls), evaluated on the synthesized JSON of the default
 * configuration and of the KMS configuration. A rule the module does not meet by default is either
 * met by an option or not applicable; the README's Security table says which, and why.
 */

const KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** How the module meets a rule. */
type Status =
  /** Met by default, and so in every configuration of the suite. */
  | { readonly kind: 'default' }
  /** Met when a setting is given (the KMS configuration gives `kmsKeyArn`). */
  | { readonly kind: 'option'; readonly setting: keyof WorkflowConfig; readonly value: unknown }
  /** Deliberately not met; the README gives the reason. */
  | { readonly kind: 'not-applicable' };

/** One rule: its ID, what it asks, the resources of a stack that break it, and how the module meets it. */
interface Rule {
  readonly id: string;
  readonly title: string;
  readonly offenders: (stack: TerraformJson) => string[] | Promise<string[]>;
  readonly status: Status;
}

/** The Terraform addresses of the resources of a type for which `breaks` holds. */
function offendersOf(stack: TerraformJson, type: string, breaks: (resource: any) => boolean): string[] {
  return Object.entries(stack.resource[type] ?? {})
    .filter(([, resource]) => breaks(resource))
    .map(([id]) => `${type}.${id}`);
}

/** The statements of every role's inline policies, with the role they belong to. */
function statementsOf(stack: TerraformJson): Array<{ readonly role: string; readonly statement: Statement }> {
  return rolesOf(stack).flatMap((role) =>
    role.policies.flatMap((p) => p.policy.Statement.map((statement) => ({ role: role.address, statement }))),
  );
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** Values that look like credentials: an AWS access key id, or a long high-entropy token. */
const SECRET_VALUE = /AKIA[0-9A-Z]{16}|[A-Za-z0-9+/=_-]{32,}/;
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL/i;
/** A Terraform reference to another resource's attribute, such as the table's name. */
const REFERENCE = /^\$\{[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+\}$/;

const RULES: readonly Rule[] = [
  {
    id: 'CKV_AWS_28',
    title: 'DynamoDB point-in-time recovery is on',
    offenders: (stack) => offendersOf(stack, 'aws_dynamodb_table', (t) => t.point_in_time_recovery?.enabled !== true),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_119',
    title: 'DynamoDB encrypts with a customer managed KMS key',
    offenders: (stack) =>
      offendersOf(stack, 'aws_dynamodb_table', (t) => t.server_side_encryption?.enabled !== true || !t.server_side_encryption?.kms_key_arn),
    status: { kind: 'option', setting: 'kmsKeyArn', value: KMS_KEY_ARN },
  },
  {
    id: 'DynamoDB.6',
    title: 'DynamoDB deletion protection is on',
    offenders: (stack) => offendersOf(stack, 'aws_dynamodb_table', (t) => t.deletion_protection_enabled !== true),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_50',
    title: 'Lambda X-Ray tracing is Active',
    offenders: (stack) => offendersOf(stack, 'aws_lambda_function', (f) => f.tracing_config?.mode !== 'Active'),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_45',
    title: 'Lambda environment variables hold no secrets',
    offenders: (stack) =>
      offendersOf(stack, 'aws_lambda_function', (f) =>
        Object.entries((f.environment?.variables ?? {}) as Record<string, string>).some(
          ([name, value]) => SECRET_NAME.test(name) || (!REFERENCE.test(value) && SECRET_VALUE.test(value)),
        ),
      ),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_173',
    title: 'Lambda environment variables are encrypted with a customer managed KMS key',
    offenders: (stack) =>
      offendersOf(stack, 'aws_lambda_function', (f) => Object.keys(f.environment?.variables ?? {}).length > 0 && !f.kms_key_arn),
    status: { kind: 'option', setting: 'kmsKeyArn', value: KMS_KEY_ARN },
  },
  {
    id: 'CKV_AWS_115',
    title: 'Lambda has a function-level concurrency limit (reserved concurrency)',
    offenders: (stack) => offendersOf(stack, 'aws_lambda_function', (f) => f.reserved_concurrent_executions === undefined),
    status: { kind: 'option', setting: 'lambdaReservedConcurrency', value: 5 },
  },
  {
    id: 'CKV_AWS_116',
    title: 'Lambda has a dead-letter queue',
    offenders: (stack) => offendersOf(stack, 'aws_lambda_function', (f) => f.dead_letter_config === undefined),
    status: { kind: 'not-applicable' },
  },
  {
    id: 'CKV_AWS_117',
    title: 'Lambda runs inside a VPC',
    offenders: (stack) => offendersOf(stack, 'aws_lambda_function', (f) => f.vpc_config === undefined),
    status: { kind: 'not-applicable' },
  },
  {
    id: 'CKV_AWS_272',
    title: 'Lambda validates code signing',
    offenders: (stack) => offendersOf(stack, 'aws_lambda_function', (f) => f.code_signing_config_arn === undefined),
    status: { kind: 'not-applicable' },
  },
  {
    id: 'CKV_AWS_338',
    title: 'CloudWatch log groups keep logs for at least a year',
    offenders: (stack) => offendersOf(stack, 'aws_cloudwatch_log_group', (g) => !(g.retention_in_days >= 365)),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_158',
    title: 'CloudWatch log groups are encrypted with a customer managed KMS key',
    offenders: (stack) => offendersOf(stack, 'aws_cloudwatch_log_group', (g) => !g.kms_key_id),
    status: { kind: 'option', setting: 'kmsKeyArn', value: KMS_KEY_ARN },
  },
  {
    id: 'CKV_AWS_284',
    title: 'Step Functions X-Ray tracing is on',
    offenders: (stack) => offendersOf(stack, 'aws_sfn_state_machine', (m) => m.tracing_configuration?.enabled !== true),
    status: { kind: 'default' },
  },
  {
    id: 'StepFunctions.1',
    title: 'Step Functions logs to CloudWatch Logs at level ERROR or more',
    offenders: (stack) =>
      offendersOf(
        stack,
        'aws_sfn_state_machine',
        (m) => !['ALL', 'ERROR'].includes(m.logging_configuration?.level) || !m.logging_configuration?.log_destination,
      ),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_285',
    title: 'Step Functions logs execution history with its data',
    offenders: (stack) => offendersOf(stack, 'aws_sfn_state_machine', (m) => m.logging_configuration?.include_execution_data !== true),
    status: { kind: 'option', setting: 'stateMachineLogExecutionData', value: true },
  },
  {
    id: 'CKV_AWS_60',
    title: 'IAM roles can be assumed by one named service only',
    offenders: (stack) =>
      rolesOf(stack)
        .filter((role) => {
          const statements = role.trustPolicy.Statement;
          const service = (statements[0]?.Principal as { Service?: unknown } | undefined)?.Service;
          return (
            statements.length !== 1 ||
            statements[0]?.Effect !== 'Allow' ||
            JSON.stringify(list(statements[0]?.Action)) !== '["sts:AssumeRole"]' ||
            Object.keys(statements[0]?.Principal ?? {}).join() !== 'Service' ||
            typeof service !== 'string' ||
            !/^[a-z0-9-]+\.amazonaws\.com$/.test(service)
          );
        })
        .map((role) => role.address),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_63',
    title: 'No IAM statement has a wildcard action (so none is "*" and none is "<service>:*")',
    offenders: (stack) =>
      statementsOf(stack)
        .filter(({ statement }) => list(statement.Action).some((action) => action.includes('*')) || statement.Action === undefined)
        .map(({ role, statement }) => `${role} ${statement.Sid}`),
    status: { kind: 'default' },
  },
  {
    id: 'CKV_AWS_355',
    title: 'No IAM statement grants "*" as the resource to an action that supports resource-level permissions',
    offenders: async (stack) => {
      const offenders: string[] = [];
      for (const { role, statement } of statementsOf(stack)) {
        if (statement.Resource === undefined || !list(statement.Resource).includes('*')) continue;
        for (const action of list(statement.Action)) {
          const [service = '', name = ''] = action.split(':');
          // IAM's own catalogue says whether AWS authorizes the action on specific resources at all.
          if (!(await isWildcardOnlyAction(service, name))) offenders.push(`${role} ${statement.Sid} ${action}`);
        }
      }
      return offenders;
    },
    status: { kind: 'default' },
  },
];

const CONFIGURATIONS: ReadonlyArray<readonly [string, Partial<WorkflowConfig>]> = [
  ['default', {}],
  ['KMS', { kmsKeyArn: KMS_KEY_ARN }],
];

/** Whether a rule is met in a configuration, by how the module meets it. */
function isMetIn(rule: Rule, overrides: Partial<WorkflowConfig>): boolean {
  const { status } = rule;
  if (status.kind === 'default') return true;
  if (status.kind === 'not-applicable') return false;
  return (overrides as Record<string, unknown>)[status.setting] === status.value;
}

const ruleName = (rule: Rule) => `${rule.id} (${rule.title})`;

describe.each(CONFIGURATIONS)('Security rules (%s configuration)', (_configuration, overrides) => {
  const { stack } = synthWorkflowStack(overrides);
  const met = RULES.filter((rule) => isMetIn(rule, overrides)).map((rule) => [ruleName(rule), rule] as const);
  const unmet = RULES.filter((rule) => !isMetIn(rule, overrides)).map((rule) => [ruleName(rule), rule] as const);

  it.each(met)('satisfies %s', async (_name, rule) => {
    expect(await rule.offenders(stack)).toEqual([]);
  });

  // Not met, as the README's Security table documents: were one met, the table would be out of date.
  it.each(unmet)('does not satisfy %s, as documented', async (_name, rule) => {
    expect((await rule.offenders(stack)).length).toBeGreaterThan(0);
  });
});

describe('Security rules met by a setting', () => {
  const optional = RULES.flatMap((rule) =>
    rule.status.kind === 'option'
      ? [[ruleName(rule), `${rule.status.setting} is ${rule.status.value === KMS_KEY_ARN ? 'a key ARN' : rule.status.value}`, rule] as const]
      : [],
  );

  it.each(optional)('satisfies %s when %s', async (_name, _when, rule) => {
    // Prepare
    const status = rule.status as Extract<Status, { kind: 'option' }>;
    // Act
    const { stack } = synthWorkflowStack({ [status.setting]: status.value });
    // Assess
    expect(await rule.offenders(stack)).toEqual([]);
  });
});

describe('Hardened defaults and the settings that relax them', () => {
  const { stack } = synthWorkflowStack();
  const machine = () => Object.values(stack.resource.aws_sfn_state_machine)[0];

  it('logs the state machine at level ERROR without execution data by default', () => {
    expect(machine().logging_configuration).toMatchObject({ level: 'ERROR', include_execution_data: false });
  });

  it('logs the state machine at the level the stateMachineLogLevel setting gives', () => {
    const custom = synthWorkflowStack({ stateMachineLogLevel: 'ALL' }).stack;
    expect(Object.values(custom.resource.aws_sfn_state_machine)[0].logging_configuration.level).toBe('ALL');
  });

  it('leaves the table unprotected against deletion only when deletionProtection is false', () => {
    const custom = synthWorkflowStack({ deletionProtection: false }).stack;
    expect(Object.values(custom.resource.aws_dynamodb_table)[0].deletion_protection_enabled).toBe(false);
  });

  it('encrypts with AWS keys by default: no customer managed key anywhere', () => {
    expect(JSON.stringify(stack.resource)).not.toMatch(/kms_key/);
  });

  it('writes the AWS owned key out by default, so that removing kmsKeyArn plans a change back to it', () => {
    expect({
      table: Object.values(stack.resource.aws_dynamodb_table)[0].server_side_encryption,
      machine: Object.values(stack.resource.aws_sfn_state_machine)[0].encryption_configuration,
    }).toEqual({ table: { enabled: false }, machine: { type: 'AWS_OWNED_KEY' } });
  });

  it('encrypts the state machine with the key of the kmsKeyArn setting', () => {
    const custom = synthWorkflowStack({ kmsKeyArn: KMS_KEY_ARN }).stack;
    expect(Object.values(custom.resource.aws_sfn_state_machine)[0].encryption_configuration).toEqual({
      type: 'CUSTOMER_MANAGED_KMS_KEY',
      kms_key_id: KMS_KEY_ARN,
      kms_data_key_reuse_period_seconds: 300,
    });
  });

  it('uses the one key of the kmsKeyArn setting for the table, every function, every log group and the state machine', () => {
    // Prepare
    const custom = synthWorkflowStack({ kmsKeyArn: KMS_KEY_ARN }).stack;
    const keysOf = (type: string, key: (r: any) => unknown) => Object.values(custom.resource[type]).map(key);
    // Act
    const keys = [
      ...keysOf('aws_dynamodb_table', (t) => t.server_side_encryption.kms_key_arn),
      ...keysOf('aws_lambda_function', (f) => f.kms_key_arn),
      ...keysOf('aws_cloudwatch_log_group', (g) => g.kms_key_id),
      ...keysOf('aws_sfn_state_machine', (m) => m.encryption_configuration.kms_key_id),
    ];
    // Assess
    expect(new Set(keys)).toEqual(new Set([KMS_KEY_ARN]));
  });
});

describe('Security rules in the README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = /\n## Security\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? '';
  const rowOf = (id: string) => section.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${id}\``));

  it.each(RULES.map((rule) => [rule.id, rule] as const))('documents %s in the Security table, with its setting or its reason', (id, rule) => {
    const row = rowOf(id);
    expect(row).toBeDefined();
    if (rule.status.kind === 'option') expect(row).toContain(`\`${rule.status.setting}\``);
    if (rule.status.kind === 'not-applicable') expect(row).toMatch(/Not applicable: \S/);
  });
});
