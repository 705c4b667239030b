import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowConfig } from '../../lib/config';
import { loadConfig } from '../../lib/load-config';
import { isMetIn, KMS_KEY_ARN, RULES, ruleName, type Status } from '../support/security-rules';
import { synthWorkflowStack } from '../support/synth';

/**
 * The security rules (support/security-rules.ts) on the synthesized JSON of the default configuration
 * and of the KMS configuration; settings-matrix.test.ts runs them on every combination of the settings.
 */

const CONFIGURATIONS: ReadonlyArray<readonly [string, Partial<WorkflowConfig>]> = [
  ['default', {}],
  ['KMS', { kmsKeyArn: KMS_KEY_ARN }],
  ['EXPRESS', loadConfig(() => undefined, { MPW_WORKFLOW_TYPE: 'EXPRESS' })],
];

describe.each(CONFIGURATIONS)('Security rules (%s configuration)', (_configuration, overrides) => {
  const { stack } = synthWorkflowStack(overrides);
  const met = RULES.filter((rule) => isMetIn(rule, overrides)).map((rule) => [ruleName(rule), rule] as const);
  const unmet = RULES.filter((rule) => !isMetIn(rule, overrides)).map((rule) => [ruleName(rule), rule] as const);

  it.each(met)('satisfies %s', async (_name, rule) => {
    expect(await rule.offenders(stack)).toEqual([]);
  });

  // Not met, as the Controls table of docs/security.md documents: were one met, the table would be out of date.
  it.each(unmet)('does not satisfy %s, as documented', async (_name, rule) => {
    expect((await rule.offenders(stack)).length).toBeGreaterThan(0);
  });
});

describe('Security rules met by a setting', () => {
  const optional = RULES.flatMap((rule) =>
    rule.status.kind === 'option'
      ? [
          [
            ruleName(rule),
            `${rule.status.setting} is ${rule.status.value === KMS_KEY_ARN ? 'a key ARN' : rule.status.value}`,
            rule,
          ] as const,
        ]
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
  const machineOf = (other: typeof stack) => Object.values(other.resource.aws_sfn_state_machine)[0];

  it('logs the state machine at level ERROR without execution data by default', () => {
    expect(machine().logging_configuration).toMatchObject({ level: 'ERROR', include_execution_data: false });
  });

  it('logs an EXPRESS state machine, whose log is its only history, at level ALL and still without execution data by default', () => {
    const express = synthWorkflowStack(loadConfig(() => undefined, { MPW_WORKFLOW_TYPE: 'EXPRESS' })).stack;
    expect(machineOf(express)).toMatchObject({
      type: 'EXPRESS',
      logging_configuration: { level: 'ALL', include_execution_data: false },
    });
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

describe('Security rules in docs/security.md', () => {
  const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');
  const section = /\n## Controls\n([\s\S]*?)(\n## |$)/.exec(page)?.[1] ?? '';
  const rowOf = (id: string) => section.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${id}\``));

  it.each(RULES.map((rule) => [rule.id, rule] as const))(
    'documents %s in the Controls table, with its setting or its reason',
    (id, rule) => {
      const row = rowOf(id);
      expect(row).toBeDefined();
      if (rule.status.kind === 'option') expect(row).toContain(`\`${rule.status.setting}\``);
      if (rule.status.kind === 'default' && rule.status.brokenBy)
        expect(row).toContain(`\`${rule.status.brokenBy.setting}\``);
      if (rule.status.kind === 'not-applicable') expect(row).toMatch(/Not applicable: \S/);
    },
  );
});
