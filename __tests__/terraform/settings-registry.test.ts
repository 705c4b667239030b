import type { WorkflowConfig } from '../../lib/config';
import { CROSS_RULES, DEFAULT_CONFIG, moduleSettings, type PlainSettingKey, SETTINGS } from '../../lib/settings';
import { describeWithTerraform, evaluateExpressions, terraformRoot } from '../support/terraform';

/**
 * The registry of settings (lib/settings.ts) writes each rule twice, side by side: a TypeScript check
 * for the loader and a Terraform condition for the module. Here Terraform evaluates every condition on
 * literal values and each answer is compared with the TypeScript check's and with the literal verdict.
 */

/** A value as an HCL literal, to stand where the condition reads `var.<name>`. */
function hcl(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** Each module setting's literal values, and whether both the loader and the module accept them. */
const VALUES: readonly [PlainSettingKey, unknown, boolean][] = [
  ['namePrefix', '', true],
  ['namePrefix', 'dev-', true],
  ['namePrefix', 'a'.repeat(20), true],
  ['namePrefix', 'a'.repeat(21), false],
  ['namePrefix', 'dev_', false],
  ['namePrefix', 'dév-', false],
  ['tableName', 'Mock.Orders_1-x', true],
  ['tableName', 'ab', false],
  ['tableName', 'a'.repeat(255), true],
  ['tableName', 'a'.repeat(256), false],
  ['tableName', 'no space', false],
  ['logRetentionDays', 365, true],
  ['logRetentionDays', 3653, true],
  ['logRetentionDays', 10, false],
  ['logRetentionDays', 365.5, false],
  ['lambdaMemoryMb', 128, true],
  ['lambdaMemoryMb', 10240, true],
  ['lambdaMemoryMb', 127, false],
  ['lambdaMemoryMb', 128.5, false],
  ['lambdaMemoryMb', 10241, false],
  ['lambdaTimeoutSeconds', 1, true],
  ['lambdaTimeoutSeconds', 900, true],
  ['lambdaTimeoutSeconds', 0, false],
  ['lambdaTimeoutSeconds', 901, false],
  ['lambdaTimeoutSeconds', 2.5, false],
  ['tags', {}, true],
  ['tags', { team: 'payments' }, true],
  ['tags', { ['k'.repeat(128)]: 'v'.repeat(256) }, true],
  ['tags', { ['k'.repeat(129)]: 'v' }, false],
  ['tags', { team: 'v'.repeat(257) }, false],
  ['tags', { '': 'empty key' }, false],
  ['tags', { 'aws:team': 'payments' }, false],
  ['tags', { 'AWS:team': 'payments' }, false],
  ['tags', { team: `${'e\u0301'.repeat(256)}` }, true],
  ['kmsKeyArn', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', true],
  ['kmsKeyArn', 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab', true],
  ['kmsKeyArn', 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', true],
  ['kmsKeyArn', 'arn:aws:kms:us-east-1:123456789012:alias/orders', false],
  ['kmsKeyArn', 'arn:aws:kms:us-east-1:1234:key/1234abcd-12ab-34cd-56ef-1234567890ab', false],
  ['kmsKeyArn', '1234abcd-12ab-34cd-56ef-1234567890ab', false],
  ['lambdaReservedConcurrency', 1, true],
  ['lambdaReservedConcurrency', 10000, true],
  ['lambdaReservedConcurrency', 0, false],
  ['lambdaReservedConcurrency', 10001, false],
  ['stateMachineLogLevel', 'FATAL', true],
  ['stateMachineLogLevel', 'OFF', false],
  ['stateMachineLogLevel', 'error', false],
  ['workflowType', 'EXPRESS', true],
  ['workflowType', 'STANDARD', true],
  ['workflowType', 'express', false],
  ['alarmTopicArn', 'arn:aws:sns:us-east-1:123456789012:ops', true],
  ['alarmTopicArn', 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:ops-alarms', true],
  ['alarmTopicArn', 'arn:aws:sns:us-east-1:123456789012:ops.fifo', false],
  ['alarmTopicArn', 'arn:aws:sns:us-east-1:123456789012:', false],
  ['alarmEmail', 'ops@example.com', true],
  ['alarmEmail', 'ops at example.com', false],
  ['alarmEmail', 'ops@example', false],
  ['alarmEmail', 'ops\t@example.com', false],
  // RE2's \s is ASCII whitespace only: a no-break space and a vertical tab are not spaces to Terraform.
  ['alarmEmail', 'ops\u00a0x@example.com', true],
  ['alarmEmail', 'ops\u000bx@example.com', true],
  ['alarmPeriodSeconds', 60, true],
  ['alarmPeriodSeconds', 86400, true],
  ['alarmPeriodSeconds', 90, false],
  ['alarmPeriodSeconds', 30, false],
  ['alarmPeriodSeconds', 86460, false],
  ['alarmPeriodSeconds', 120.5, false],
  ['lambdaDurationAlarmPercent', 1, true],
  ['lambdaDurationAlarmPercent', 100, true],
  ['lambdaDurationAlarmPercent', 0, false],
  ['lambdaDurationAlarmPercent', 101, false],
];

/** The rules between settings that the module also holds, by the variable that carries each: settings, and the verdict. */
const PAIRS: readonly [PlainSettingKey, Partial<WorkflowConfig>, boolean][] = [
  ['tableName', { namePrefix: 'p'.repeat(20), tableName: 't'.repeat(235) }, true],
  ['tableName', { namePrefix: 'p'.repeat(20), tableName: 't'.repeat(236) }, false],
  ['lambdaTimeoutSeconds', { workflowType: 'EXPRESS', lambdaTimeoutSeconds: 3 }, true],
  ['lambdaTimeoutSeconds', { workflowType: 'EXPRESS', lambdaTimeoutSeconds: 4 }, false],
  ['lambdaTimeoutSeconds', { workflowType: 'STANDARD', lambdaTimeoutSeconds: 900 }, true],
  ['alarmTopicArn', { alarms: false, alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' }, false],
  ['alarmTopicArn', { alarms: true, alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' }, true],
  ['alarmTopicArn', { alarms: false, alarmTopicArn: undefined }, true],
  ['alarmEmail', { alarms: false, alarmEmail: 'ops@example.com' }, false],
  ['alarmEmail', { alarms: true, alarmEmail: 'ops@example.com' }, true],
  ['alarmEmail', { alarms: false, alarmEmail: undefined }, true],
];

describe('Settings: the registry', () => {
  it('gives each setting that the module takes its module variable', () => {
    expect(Object.fromEntries(moduleSettings().map(({ name, module }) => [name, module.name]))).toEqual({
      namePrefix: 'name_prefix',
      tableName: 'table_name',
      logRetentionDays: 'log_retention_days',
      lambdaMemoryMb: 'lambda_memory_mb',
      lambdaTimeoutSeconds: 'lambda_timeout_seconds',
      tags: 'tags',
      kmsKeyArn: 'kms_key_arn',
      deletionProtection: 'deletion_protection',
      lambdaReservedConcurrency: 'lambda_reserved_concurrency',
      stateMachineLogLevel: 'state_machine_log_level',
      stateMachineLogExecutionData: 'state_machine_log_execution_data',
      workflowType: 'workflow_type',
      alarms: 'alarms_enabled',
      alarmTopicArn: 'alarm_topic_arn',
      alarmEmail: 'alarm_email',
      alarmPeriodSeconds: 'alarm_period_seconds',
      lambdaDurationAlarmPercent: 'lambda_duration_alarm_percent',
    });
  });

  it('gives every rule of a module setting its Terraform condition and message', () => {
    const incomplete = moduleSettings().flatMap(({ name, setting }) =>
      (setting.rules ?? [])
        .filter((rule) => rule.condition === undefined || rule.errorMessage === undefined)
        .map(() => name),
    );
    expect(incomplete).toEqual([]);
  });

  it('tests every rule of a module setting on a value it accepts and one it refuses', () => {
    const withRules = moduleSettings()
      .filter(({ setting }) => (setting.rules ?? []).length > 0)
      .map(({ name }) => name);
    const covered = withRules.filter((name) =>
      [true, false].every((verdict) => VALUES.some(([n, , v]) => n === name && v === verdict)),
    );
    expect(covered).toEqual(withRules);
  });

  it('tests every rule between settings that the module holds, on both verdicts', () => {
    const carried = CROSS_RULES.flatMap((rule) => (rule.module === undefined ? [] : [rule.module.variable]));
    expect(carried).toEqual(['lambdaTimeoutSeconds', 'alarmTopicArn', 'alarmEmail', 'tableName']);
    expect(
      carried.filter((name) => [true, false].every((verdict) => PAIRS.some(([n, , v]) => n === name && v === verdict))),
    ).toEqual(carried);
  });

  it.each(VALUES)("lets the loader's check of %s answer %j with %s", (name, value, verdict) => {
    const rules = (SETTINGS[name].rules ?? []) as readonly { accepts(value: unknown): boolean }[];
    expect(rules.every((rule) => rule.accepts(value))).toBe(verdict);
  });

  it.each(PAIRS)("lets the loader's rule carried by %s answer %j with %s", (name, values, verdict) => {
    const rule = CROSS_RULES.find((r) => r.module?.variable === name);
    expect(rule?.accepts({ ...DEFAULT_CONFIG, ...values })).toBe(verdict);
  });
});

describeWithTerraform('the agreement of the Terraform conditions with the loader')(
  'Settings: each Terraform condition, evaluated by terraform console',
  () => {
    const dir = terraformRoot({});
    const conditionOf = (name: PlainSettingKey, value: unknown): string => {
      const rules = SETTINGS[name].rules ?? [];
      return rules.map((rule) => `(${rule.condition?.(hcl(value))})`).join(' && ');
    };
    const pairConditionOf = (name: PlainSettingKey, values: Partial<WorkflowConfig>): string => {
      const literals = Object.fromEntries(
        Object.keys(SETTINGS).map((key) => [key, hcl(values[key as PlainSettingKey])]),
      );
      return CROSS_RULES.find((r) => r.module?.variable === name)?.module?.condition(
        literals as Record<PlainSettingKey, string>,
      ) as string;
    };
    let answers: unknown[];
    beforeAll(() => {
      answers = evaluateExpressions(
        dir,
        [
          ...VALUES.map(([name, value]) => conditionOf(name, value)),
          ...PAIRS.map(([name, values]) => pairConditionOf(name, values)),
        ],
        {},
      );
    });

    it("answers each value as the loader's check does", () => {
      const disagreements = VALUES.flatMap(([name, value, verdict], i) =>
        answers[i] === verdict ? [] : [{ name, value, terraform: answers[i] }],
      );
      expect(disagreements).toEqual([]);
    });

    it("answers each pair of settings as the loader's rule does", () => {
      const disagreements = PAIRS.flatMap(([name, values, verdict], i) =>
        answers[VALUES.length + i] === verdict ? [] : [{ name, values, terraform: answers[VALUES.length + i] }],
      );
      expect(disagreements).toEqual([]);
    });
  },
);
