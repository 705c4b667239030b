import type { WorkflowConfig } from '../../lib/config';
import { loadConfig } from '../../lib/load-config';
import { decide, decideKeyUse, rolesOf, type SynthesizedRole } from '../support/iam';
import { resolveReferences, TEST_ACCOUNT, TEST_REGION } from '../support/references';
import { isMetIn, KMS_KEY_ARN, RULES, ruleName } from '../support/security-rules';
import { onlyResource, synthWorkflowStack, type TerraformJson } from '../support/synth';
import {
  type DefinitionJson,
  EXPRESS_TASK_MARGIN_SECONDS,
  LAMBDA_INIT_SECONDS,
  slowestPathSeconds,
} from '../support/timeout-budget';

/**
 * Every combination of the settings that change IAM, encryption or timeouts, each read by loadConfig
 * from MPW_* variables as a user would set them, synthesized, and held to what the two proven
 * configurations hold:
 * - IAM: each role's trust and inline policies are those that iam-least-privilege.test.ts proves for
 *   the same key mode, with the name prefix in every name, and a prefixed copy cannot touch the
 *   unprefixed one's table;
 * - security rules: each rule is met exactly where support/security-rules.ts says it is;
 * - timeout budget: every Task outlasts its function (and Lambda's init for STANDARD; by 1 s for
 *   EXPRESS, docs/express.md), and the slowest path ends before the execution times out (within 300 s
 *   for EXPRESS).
 * The workflow type and the function timeout are one axis: EXPRESS refuses a timeout above 3 s
 * (timeout-budget.test.ts): STANDARD goes with its smallest and largest timeout, EXPRESS with its
 * largest, where its budget is tightest (timeout-budget.test.ts covers its others). No other
 * combination is refused at synth: every one of them holds.
 */

const AXES = {
  MPW_KMS_KEY_ARN: [undefined, KMS_KEY_ARN],
  MPW_STATE_MACHINE_LOG_LEVEL: ['ALL', 'ERROR', 'FATAL'],
  MPW_STATE_MACHINE_LOG_EXECUTION_DATA: ['false', 'true'],
  MPW_LAMBDA_RESERVED_CONCURRENCY: [undefined, '10000'],
  MPW_NAME_PREFIX: [undefined, 'dev-'],
} as const;

/** The joint axis of the workflow type and the function timeout. */
const TYPE_AND_TIMEOUT = [
  { MPW_WORKFLOW_TYPE: undefined, MPW_LAMBDA_TIMEOUT_SECONDS: '1' },
  { MPW_WORKFLOW_TYPE: undefined, MPW_LAMBDA_TIMEOUT_SECONDS: '900' },
  { MPW_WORKFLOW_TYPE: 'EXPRESS', MPW_LAMBDA_TIMEOUT_SECONDS: '3' },
] as const;

type Combination = Readonly<Record<keyof typeof AXES | keyof (typeof TYPE_AND_TIMEOUT)[number], string | undefined>>;

function combinations(): Combination[] {
  return Object.entries(AXES).reduce<Combination[]>(
    (partial, [name, values]) => partial.flatMap((c) => values.map((value) => ({ ...c, [name]: value }))),
    TYPE_AND_TIMEOUT.map((joint) => ({ ...joint }) as Combination),
  );
}

const label = (c: Combination): string =>
  Object.entries(c)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name.replace('MPW_', '')}=${value === KMS_KEY_ARN ? 'key' : value}`)
    .join(' ') || 'defaults';

function configOf(c: Combination): WorkflowConfig {
  const env = Object.fromEntries(Object.entries(c).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;
  return loadConfig(() => undefined, env);
}

/** The roles' trust and inline policies, references resolved, in a stable order. */
function iamOf(stack: TerraformJson): string {
  const roles = rolesOf(stack).sort((a, b) => a.address.localeCompare(b.address));
  return JSON.stringify(
    roles.map((r) => ({ address: r.address, name: r.name, trust: r.trustPolicy, policies: r.policies })),
  );
}

/** The proven IAM of a key mode with every resource name given a prefix, as a prefixed copy names them. */
function withPrefix(iam: string, prefix: string): string {
  return iam.replace(/(?<=[":/])(mock-|MockOrders)/g, `${prefix}$1`);
}

const PROVEN_IAM = {
  withoutKey: iamOf(synthWorkflowStack().stack),
  withKey: iamOf(synthWorkflowStack({ kmsKeyArn: KMS_KEY_ARN }).stack),
};

const TABLE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'mock-create-order': ['dynamodb:PutItem'],
  'mock-hold-payment': ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  'mock-accept-payment': ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  'mock-record-failure': ['dynamodb:UpdateItem'],
};

const tableArn = (name: string) => `arn:aws:dynamodb:${TEST_REGION}:${TEST_ACCOUNT}:table/${name}`;

describe.each(combinations().map((c) => [label(c), c] as const))('Settings matrix: %s', (_label, combination) => {
  const config = configOf(combination);
  const { stack } = synthWorkflowStack(config);
  const prefix = config.namePrefix;

  it('gives every role the proven policies of its key mode, with the name prefix in every name', () => {
    const proven = config.kmsKeyArn === undefined ? PROVEN_IAM.withoutKey : PROVEN_IAM.withKey;
    expect(iamOf(stack)).toBe(withPrefix(proven, prefix));
  });

  it("lets each function use its own copy's table, and not the table of a copy with another prefix", async () => {
    const functionRoles = Object.values(stack.resource.aws_lambda_function).map((fn: any) => ({
      baseName: (fn.function_name as string).slice(prefix.length),
      role: rolesOf(stack).find((r) => `\${${r.address}.arn}` === fn.role) as SynthesizedRole,
    }));
    const other = prefix === '' ? 'dev-' : '';
    expect(functionRoles.map((fn) => fn.baseName).sort()).toEqual([
      'mock-accept-payment',
      'mock-create-order',
      'mock-hold-payment',
      'mock-record-failure',
    ]);
    for (const { baseName, role } of functionRoles) {
      for (const action of TABLE_ACTIONS[baseName] ?? ['(none listed)']) {
        const own = await decide(role, { action, resource: tableArn(`${prefix}MockOrders`) });
        const others = await decide(role, { action, resource: tableArn(`${other}MockOrders`) });
        expect({ baseName, action, own, others }).toEqual({
          baseName,
          action,
          own: 'Allowed',
          others: 'ImplicitlyDenied',
        });
      }
      const throughDynamoDb = {
        'kms:ViaService': `dynamodb.${TEST_REGION}.amazonaws.com`,
        'kms:EncryptionContext:aws:dynamodb:tableName': `${prefix}MockOrders`,
        'kms:EncryptionContext:aws:dynamodb:subscriberId': TEST_ACCOUNT,
      };
      const keyUse = decideKeyUse(role, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: throughDynamoDb });
      expect({ baseName, keyUse }).toEqual({
        baseName,
        keyUse: config.kmsKeyArn === undefined ? 'ImplicitlyDenied' : 'Allowed',
      });
    }
  });

  it('meets each security rule exactly where the rules say it is met', async () => {
    const verdicts: Record<string, boolean> = {};
    const expected: Record<string, boolean> = {};
    for (const rule of RULES) {
      verdicts[ruleName(rule)] = (await rule.offenders(stack)).length === 0;
      expected[ruleName(rule)] = isMetIn(rule, config);
    }
    expect(verdicts).toEqual(expected);
  });

  it('keeps the timeout budget: every Task outlasts its function, the slowest path ends before the execution times out', () => {
    const definition: DefinitionJson = JSON.parse(
      resolveReferences(onlyResource(stack, 'aws_sfn_state_machine').definition, stack),
    );
    const taskTimeouts = Object.values(definition.States).flatMap((s) =>
      s.Type === 'Task' ? [s.TimeoutSeconds as number] : [],
    );
    const margin = config.workflowType === 'EXPRESS' ? EXPRESS_TASK_MARGIN_SECONDS : LAMBDA_INIT_SECONDS;
    expect(Math.min(...taskTimeouts)).toBeGreaterThanOrEqual(config.lambdaTimeoutSeconds + margin);
    expect(slowestPathSeconds(definition)).toBeLessThan(definition.TimeoutSeconds);
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(config.workflowType === 'EXPRESS' ? 300 : 31_536_000);
  });

  it('creates a state machine of the configured type', () => {
    expect(onlyResource(stack, 'aws_sfn_state_machine').type).toBe(combination.MPW_WORKFLOW_TYPE ?? 'STANDARD');
  });
});

describe('Settings matrix', () => {
  it('covers 144 combinations: key on and off, 3 log levels, execution data on and off, reserved concurrency or none, a prefix or none, STANDARD with the function timeout at 1 s and 900 s, EXPRESS at 3 s', () => {
    expect(combinations()).toHaveLength(144);
  });

  it('rewrites only resource names when it gives the proven policies a prefix', () => {
    expect(
      withPrefix(
        '{"Resource":"arn:aws:dynamodb:r:a:table/MockOrders","x":"/aws/lambda/mock-create-order:*","y":"mock-hold-payment-role","Sid":"PutOrder"}',
        'dev-',
      ),
    ).toBe(
      '{"Resource":"arn:aws:dynamodb:r:a:table/dev-MockOrders","x":"/aws/lambda/dev-mock-create-order:*","y":"dev-mock-hold-payment-role","Sid":"PutOrder"}',
    );
  });
});
