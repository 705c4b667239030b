import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import type { WorkflowConfig } from '../../lib/config';
import { rolesOf, type Statement } from './iam';
import { TEST_ACCOUNT, TEST_REGION } from './references';
import type { TerraformJson } from './synth';

/**
 * The policy checks a reviewer of the plan would run, named by their widely used rule IDs (Checkov's
 * CKV_AWS_*, AWS Security Hub's controls), each with how the module meets it. A rule the module does
 * not meet by default is either met by an option or not applicable; the Controls table of docs/security.md says
 * which, and why. Used by security-rules.test.ts and settings-matrix.test.ts.
 */

export const KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** How the module meets a rule. */
export type Status =
  /** Met by default, and in every configuration but where `brokenBy` names a setting and its values. */
  | {
      readonly kind: 'default';
      readonly brokenBy?: { readonly setting: keyof WorkflowConfig; readonly values: readonly unknown[] };
    }
  /** Met when a setting is given (the KMS configuration gives `kmsKeyArn`). */
  | { readonly kind: 'option'; readonly setting: keyof WorkflowConfig; readonly value: unknown }
  /** Deliberately not met; docs/security.md gives the reason. */
  | { readonly kind: 'not-applicable' };

/** One rule: its ID, what it asks, the resources of a stack that break it, and how the module meets it. */
export interface Rule {
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

export const RULES: readonly Rule[] = [
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
      offendersOf(
        stack,
        'aws_dynamodb_table',
        (t) => t.server_side_encryption?.enabled !== true || !t.server_side_encryption?.kms_key_arn,
      ),
    status: { kind: 'option', setting: 'kmsKeyArn', value: KMS_KEY_ARN },
  },
  {
    id: 'DynamoDB.6',
    title: 'DynamoDB deletion protection is on',
    offenders: (stack) => offendersOf(stack, 'aws_dynamodb_table', (t) => t.deletion_protection_enabled !== true),
    status: { kind: 'default', brokenBy: { setting: 'deletionProtection', values: [false] } },
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
      offendersOf(
        stack,
        'aws_lambda_function',
        (f) => Object.keys(f.environment?.variables ?? {}).length > 0 && !f.kms_key_arn,
      ),
    status: { kind: 'option', setting: 'kmsKeyArn', value: KMS_KEY_ARN },
  },
  {
    id: 'CKV_AWS_115',
    title: 'Lambda has a function-level concurrency limit (reserved concurrency)',
    offenders: (stack) =>
      offendersOf(stack, 'aws_lambda_function', (f) => f.reserved_concurrent_executions === undefined),
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
    status: {
      kind: 'default',
      brokenBy: { setting: 'logRetentionDays', values: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180] },
    },
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
    status: { kind: 'default', brokenBy: { setting: 'stateMachineLogLevel', values: ['FATAL'] } },
  },
  {
    id: 'CKV_AWS_285',
    title: 'Step Functions logs execution history with its data',
    offenders: (stack) =>
      offendersOf(stack, 'aws_sfn_state_machine', (m) => m.logging_configuration?.include_execution_data !== true),
    status: { kind: 'option', setting: 'stateMachineLogExecutionData', value: true },
  },
  {
    id: 'CKV_AWS_26',
    title: 'SNS topics are encrypted with a KMS key',
    offenders: (stack) => offendersOf(stack, 'aws_sns_topic', (t) => !t.kms_master_key_id),
    status: { kind: 'option', setting: 'kmsKeyArn', value: KMS_KEY_ARN },
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
        .filter(
          ({ statement }) =>
            list(statement.Action).some((action) => action.includes('*')) || statement.Action === undefined,
        )
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

/**
 * Whether a rule is met in a configuration, by how the module meets it: a default rule unless a setting
 * that breaks it has a breaking value, an option rule when its setting is set (not unset, not false).
 */
export function isMetIn(rule: Rule, config: Partial<WorkflowConfig>): boolean {
  const { status } = rule;
  const settingValue = (setting: keyof WorkflowConfig): unknown => (config as Record<string, unknown>)[setting];
  if (status.kind === 'default')
    return status.brokenBy === undefined || !status.brokenBy.values.includes(settingValue(status.brokenBy.setting));
  if (status.kind === 'not-applicable') return false;
  const value = settingValue(status.setting);
  return value !== undefined && value !== false;
}

/** A rule's ID and title, as tests name it. */
export const ruleName = (rule: Rule): string => `${rule.id} (${rule.title})`;
