import type { WorkflowConfig } from '../../lib/config';
import {
  actionsOfService,
  allowedAmong,
  decide,
  decideAssumeRole,
  decideKeyUse,
  everyAwsAction,
  roleReferencedBy,
  rolesOf,
  type SynthesizedRole,
} from '../support/iam';
import { resolveReferences, TEST_ACCOUNT, TEST_REGION } from '../support/references';
import { onlyResource, synthWorkflowStack, type TerraformJson } from '../support/synth';
import { FUNCTION_COUNT } from '../support/steps';

/**
 * Least privilege, proven with an IAM policy evaluation library (see support/iam.ts) on the synthesized
 * JSON: per role, what it must be allowed and what it must be denied, in the default configuration
 * and with a customer managed KMS key.
 */

const KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/0fedcba9-8765-4321-0fed-cba987654321`;
const OTHER_ACCOUNT = '210987654321';

/**
 * The request context of the Decrypt that DynamoDB sends on its caller's behalf when the caller reads
 * or writes a table encrypted with a customer managed key (KMS developer guide, "How Amazon DynamoDB
 * uses AWS KMS": the Decrypt of the table key, with DynamoDB's encryption context).
 */
const THROUGH_DYNAMODB = {
  'kms:ViaService': `dynamodb.${TEST_REGION}.amazonaws.com`,
  'kms:EncryptionContext:aws:dynamodb:tableName': 'MockOrders',
  'kms:EncryptionContext:aws:dynamodb:subscriberId': TEST_ACCOUNT,
} as const;

/** A copy of a request context without one key. */
function withoutKey(context: Readonly<Record<string, string>>, key: string): Record<string, string> {
  const { [key]: _removed, ...rest } = context;
  return rest;
}

/**
 * What each function's role must be allowed on the orders table, by function name: the specification
 * the synthesized roles are held to. A function that is not listed fails the suite until it is.
 */
const TABLE_ACTIONS_BY_FUNCTION: Readonly<Record<string, readonly string[]>> = {
  'mock-create-order': ['dynamodb:PutItem'],
  // GetItem only after a failed condition, to tell an idempotent repeat from an error (docs/security.md).
  'mock-hold-payment': ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  'mock-accept-payment': ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  'mock-record-failure': ['dynamodb:UpdateItem'],
};

/** Besides its table actions, every function's role may write its own log streams and send traces. */
const FUNCTION_LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/** The state machine's role may invoke the functions, deliver its logs and trace; these take only `*`. */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const XRAY_STATE_MACHINE_ACTIONS = [...XRAY_WRITE_ACTIONS, 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

/** AWS lets every authenticated principal call this, whatever its policies say; so does the simulator. */
const ALWAYS_ALLOWED = ['sts:GetCallerIdentity'];

const CONFIGURATIONS: ReadonlyArray<readonly [string, Partial<WorkflowConfig>]> = [
  ['default', {}],
  ['KMS', { kmsKeyArn: KMS_KEY_ARN }],
];

function tableActionsOf(functionName: string): readonly string[] {
  const actions = TABLE_ACTIONS_BY_FUNCTION[functionName];
  if (actions === undefined) {
    throw new Error(
      `No expected permissions for the function ${functionName}: add what its role must be allowed on the orders ` +
        'table to TABLE_ACTIONS_BY_FUNCTION in __tests__/iam/iam-least-privilege.test.ts',
    );
  }
  return actions;
}

/** A function of the synthesized stack, with its role and log group. */
interface WorkflowFunction {
  readonly name: string;
  readonly arn: string;
  readonly logGroupName: string;
  readonly role: SynthesizedRole;
}

function functionsOf(stack: TerraformJson): WorkflowFunction[] {
  return Object.entries(stack.resource.aws_lambda_function).map(([id, fn]) => ({
    name: fn.function_name,
    arn: resolveReferences(`\${aws_lambda_function.${id}.arn}`, stack),
    logGroupName: resolveReferences(fn.logging_config.log_group, stack),
    role: roleReferencedBy(stack, fn.role),
  }));
}

function tableArnOf(stack: TerraformJson): string {
  const [id] = Object.keys(stack.resource.aws_dynamodb_table);
  return resolveReferences(`\${aws_dynamodb_table.${id}.arn}`, stack);
}

function stateMachineOf(stack: TerraformJson): { readonly arn: string; readonly role: SynthesizedRole } {
  const [id] = Object.keys(stack.resource.aws_sfn_state_machine);
  return {
    arn: resolveReferences(`\${aws_sfn_state_machine.${id}.arn}`, stack),
    role: roleReferencedBy(stack, onlyResource(stack, 'aws_sfn_state_machine').role_arn),
  };
}

const logStreamOf = (logGroupName: string) =>
  `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:${logGroupName}:log-stream:2025/01/01/[$LATEST]0123456789abcdef`;
const functionArn = (name: string, account = TEST_ACCOUNT) =>
  `arn:aws:lambda:${TEST_REGION}:${account}:function:${name}`;
const sorted = (actions: readonly string[]) => [...actions].sort();

describe.each(CONFIGURATIONS)('IAM least privilege (%s configuration)', (_configuration, overrides) => {
  const { stack } = synthWorkflowStack(overrides);
  const tableArn = tableArnOf(stack);
  const functions = functionsOf(stack);
  const stateMachine = stateMachineOf(stack);

  it('proves every role of the stack: each belongs to one function or to the state machine', () => {
    const provenRoles = [...functions.map((f) => f.role.address), stateMachine.role.address];
    expect(sorted(rolesOf(stack).map((r) => r.address))).toEqual(sorted(provenRoles));
    expect(new Set(provenRoles).size).toBe(provenRoles.length);
  });

  it('gives roles nothing beyond their inline policies: no managed policy, no attachment, no user or group', () => {
    const grantingTypes = Object.keys(stack.resource).filter((type) =>
      /^aws_iam_(policy|role_policy_attachment|policy_attachment|role_policies_exclusive|user.*|group.*)$/.test(type),
    );
    const roleExtras = Object.values(stack.resource.aws_iam_role).filter(
      (role: any) => role.managed_policy_arns !== undefined || role.inline_policy !== undefined,
    );
    expect({ grantingTypes, roleExtras }).toEqual({ grantingTypes: [], roleExtras: [] });
  });

  describe.each(functions.map((fn) => [fn.name, fn] as const))('role of the function %s', (name, fn) => {
    const tableActions = tableActionsOf(name);
    const others = functions.filter((other) => other.name !== name);

    it.each(tableActions)('may %s on the orders table', async (action) => {
      expect(await decide(fn.role, { action, resource: tableArn })).toBe('Allowed');
    });

    it.each(['dynamodb:DeleteItem', 'dynamodb:Scan', 'dynamodb:DeleteTable'])(
      'may not %s on the orders table',
      async (action) => {
        expect(await decide(fn.role, { action, resource: tableArn })).toBe('ImplicitlyDenied');
      },
    );

    it('may do nothing else of any DynamoDB action to the orders table', async () => {
      expect(allowedAmong(fn.role, await actionsOfService('dynamodb'), tableArn)).toEqual(sorted(tableActions));
    });

    it.each([
      ['another table', tableArn.replace(/table\/.*$/, 'table/OtherTable')],
      ['a table whose name only starts with the same name', `${tableArn}-copy`],
      ['a table of the same name in another region', tableArn.replace(TEST_REGION, 'eu-west-1')],
      ['a table of the same name in another account', tableArn.replace(TEST_ACCOUNT, OTHER_ACCOUNT)],
    ])('may not use its table actions on %s', async (_other, resource) => {
      for (const action of tableActions) {
        expect({ action, decision: await decide(fn.role, { action, resource }) }).toEqual({
          action,
          decision: 'ImplicitlyDenied',
        });
      }
    });

    it.each(FUNCTION_LOG_ACTIONS)('may %s in its own log group', async (action) => {
      expect(await decide(fn.role, { action, resource: logStreamOf(fn.logGroupName) })).toBe('Allowed');
    });

    it("may not write another function's or the state machine's log streams", async () => {
      const foreignGroups = [
        ...others.map((o) => o.logGroupName),
        `/aws/vendedlogs/states/${stateMachine.arn.split(':').pop()}`,
      ];
      for (const group of foreignGroups) {
        for (const action of FUNCTION_LOG_ACTIONS) {
          expect({ group, action, decision: await decide(fn.role, { action, resource: logStreamOf(group) }) }).toEqual({
            group,
            action,
            decision: 'ImplicitlyDenied',
          });
        }
      }
    });

    it.each(XRAY_WRITE_ACTIONS)('may %s, which X-Ray authorizes on "*" only', async (action) => {
      expect(await decide(fn.role, { action, resource: '*' })).toBe('Allowed');
    });

    it('may not invoke any function, its own included', async () => {
      for (const target of [...functions.map((f) => f.arn), functionArn('OtherFunction')]) {
        expect({
          target,
          decision: await decide(fn.role, { action: 'lambda:InvokeFunction', resource: target }),
        }).toEqual({
          target,
          decision: 'ImplicitlyDenied',
        });
      }
    });

    it('may perform no IAM action at all (iam:*)', async () => {
      expect(allowedAmong(fn.role, await actionsOfService('iam'), '*')).toEqual([]);
    });

    it('is allowed nothing else of every action AWS defines, on any resource ("*")', async () => {
      const expected = [...tableActions, ...FUNCTION_LOG_ACTIONS, ...XRAY_WRITE_ACTIONS, ...ALWAYS_ALLOWED];
      expect(sorted(allowedAmong(fn.role, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it('can be assumed by the Lambda service', async () => {
      expect(await decideAssumeRole(fn.role, 'lambda.amazonaws.com')).toBe('Allowed');
    });

    it.each([
      ['Step Functions', 'states.amazonaws.com'],
      ['EC2', 'ec2.amazonaws.com'],
      ['a role of the same account', `arn:aws:iam::${TEST_ACCOUNT}:role/SomeoneElse`],
      ['another account', `arn:aws:iam::${OTHER_ACCOUNT}:root`],
    ])('cannot be assumed by %s', async (_who, principal) => {
      expect(await decideAssumeRole(fn.role, principal)).toBe('ImplicitlyDenied');
    });
  });

  describe('role of the state machine', () => {
    const { role } = stateMachine;
    const source = { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': stateMachine.arn };

    it('may invoke every function of the workflow, and its versions and aliases', async () => {
      expect(functions).toHaveLength(FUNCTION_COUNT);
      for (const fn of functions) {
        for (const target of [fn.arn, `${fn.arn}:1`, `${fn.arn}:live`]) {
          expect({
            target,
            decision: await decide(role, { action: 'lambda:InvokeFunction', resource: target }),
          }).toEqual({
            target,
            decision: 'Allowed',
          });
        }
      }
    });

    it.each([
      ['another function', functionArn('OtherFunction')],
      ["a function whose name only starts with a workflow function's", functionArn(`${functions[0]?.name}-copy`)],
      ['a function of the same name in another account', functionArn(functions[0]?.name ?? '', OTHER_ACCOUNT)],
    ])('may not invoke %s', async (_other, resource) => {
      expect(await decide(role, { action: 'lambda:InvokeFunction', resource })).toBe('ImplicitlyDenied');
    });

    it.each([...LOG_DELIVERY_ACTIONS, ...XRAY_STATE_MACHINE_ACTIONS])(
      'may %s, which AWS authorizes on "*" only',
      async (action) => {
        expect(await decide(role, { action, resource: '*' })).toBe('Allowed');
      },
    );

    it('may do nothing to the orders table', async () => {
      expect(allowedAmong(role, await actionsOfService('dynamodb'), tableArn)).toEqual([]);
    });

    it('may perform no IAM action at all (iam:*)', async () => {
      expect(allowedAmong(role, await actionsOfService('iam'), '*')).toEqual([]);
    });

    it('is allowed nothing else of every action AWS defines, on any resource ("*"), without a KMS encryption context', async () => {
      const expected = [
        'lambda:InvokeFunction',
        ...LOG_DELIVERY_ACTIONS,
        ...XRAY_STATE_MACHINE_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(role, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it("can be assumed by Step Functions on behalf of this account's state machine", async () => {
      expect(await decideAssumeRole(role, 'states.amazonaws.com', source)).toBe('Allowed');
    });

    it.each([
      [
        'for another account (the confused deputy)',
        { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': stateMachine.arn.replace(TEST_ACCOUNT, OTHER_ACCOUNT) },
      ],
      ['for another state machine of the account', { ...source, 'aws:SourceArn': `${stateMachine.arn}-copy` }],
      ['without saying for whom', {}],
    ])('cannot be assumed by Step Functions %s', async (_case, context) => {
      expect(await decideAssumeRole(role, 'states.amazonaws.com', context)).toBe('ImplicitlyDenied');
    });

    it.each([
      ['Lambda', 'lambda.amazonaws.com'],
      ['a role of the same account', `arn:aws:iam::${TEST_ACCOUNT}:role/SomeoneElse`],
      ['another account', `arn:aws:iam::${OTHER_ACCOUNT}:root`],
    ])('cannot be assumed by %s', async (_who, principal) => {
      expect(await decideAssumeRole(role, principal, source)).toBe('ImplicitlyDenied');
    });
  });
});

describe('IAM least privilege of the customer managed key (KMS configuration)', () => {
  const { stack } = synthWorkflowStack({ kmsKeyArn: KMS_KEY_ARN });
  const stateMachine = stateMachineOf(stack);
  const ownData = { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachine.arn };
  // The encryption context of log delivery, as the Step Functions guide documents it.
  const logDelivery = { 'kms:EncryptionContext:SourceArn': `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:*` };

  it.each(['kms:Decrypt', 'kms:GenerateDataKey'])(
    "lets the state machine's role %s with the key for its own data",
    (action) => {
      expect(decideKeyUse(stateMachine.role, { action, resource: KMS_KEY_ARN, context: ownData })).toBe('Allowed');
    },
  );

  it.each(['kms:Decrypt', 'kms:GenerateDataKey'])(
    "does not let the state machine's role %s with the key for another state machine's data",
    (action) => {
      const context = { 'kms:EncryptionContext:aws:states:stateMachineArn': `${stateMachine.arn}-copy` };
      expect(decideKeyUse(stateMachine.role, { action, resource: KMS_KEY_ARN, context })).toBe('ImplicitlyDenied');
    },
  );

  it("lets the state machine's role generate data keys for its log delivery, and not decrypt with them", () => {
    const generate = decideKeyUse(stateMachine.role, {
      action: 'kms:GenerateDataKey',
      resource: KMS_KEY_ARN,
      context: logDelivery,
    });
    const decrypt = decideKeyUse(stateMachine.role, {
      action: 'kms:Decrypt',
      resource: KMS_KEY_ARN,
      context: logDelivery,
    });
    expect({ generate, decrypt }).toEqual({ generate: 'Allowed', decrypt: 'ImplicitlyDenied' });
  });

  it("does not let the state machine's role use another key", () => {
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      expect({
        action,
        decision: decideKeyUse(stateMachine.role, { action, resource: OTHER_KEY_ARN, context: ownData }),
      }).toEqual({
        action,
        decision: 'ImplicitlyDenied',
      });
    }
  });

  it("lets the state machine's role do nothing else with the key: no Encrypt, CreateGrant, ScheduleKeyDeletion, ...", async () => {
    const kms = await actionsOfService('kms');
    const allowed = [
      ...allowedAmong(stateMachine.role, kms, KMS_KEY_ARN, ownData),
      ...allowedAmong(stateMachine.role, kms, KMS_KEY_ARN, logDelivery),
    ];
    expect(sorted([...new Set(allowed)])).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  describe.each(functionsOf(stack).map((fn) => [fn.name, fn] as const))('role of the function %s', (_name, fn) => {
    it('may decrypt with the key through DynamoDB for the orders table of this account, as DynamoDB asks of its caller', () => {
      expect(decideKeyUse(fn.role, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: THROUGH_DYNAMODB })).toBe(
        'Allowed',
      );
    });

    it.each([
      ['directly, not through DynamoDB', withoutKey(THROUGH_DYNAMODB, 'kms:ViaService'), KMS_KEY_ARN],
      [
        'through another service',
        { ...THROUGH_DYNAMODB, 'kms:ViaService': `lambda.${TEST_REGION}.amazonaws.com` },
        KMS_KEY_ARN,
      ],
      [
        'through DynamoDB in another region',
        { ...THROUGH_DYNAMODB, 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' },
        KMS_KEY_ARN,
      ],
      [
        'for another table',
        { ...THROUGH_DYNAMODB, 'kms:EncryptionContext:aws:dynamodb:tableName': 'OtherTable' },
        KMS_KEY_ARN,
      ],
      [
        'for a table of another account',
        { ...THROUGH_DYNAMODB, 'kms:EncryptionContext:aws:dynamodb:subscriberId': OTHER_ACCOUNT },
        KMS_KEY_ARN,
      ],
      [
        'without an encryption context',
        withoutKey(
          withoutKey(THROUGH_DYNAMODB, 'kms:EncryptionContext:aws:dynamodb:tableName'),
          'kms:EncryptionContext:aws:dynamodb:subscriberId',
        ),
        KMS_KEY_ARN,
      ],
      ['with another key', THROUGH_DYNAMODB, OTHER_KEY_ARN],
    ])('may not decrypt %s', (_case, context, resource) => {
      expect(decideKeyUse(fn.role, { action: 'kms:Decrypt', resource, context })).toBe('ImplicitlyDenied');
    });

    it('may do nothing else with the key, even through DynamoDB: no Encrypt, GenerateDataKey, CreateGrant, ...', async () => {
      const kms = await actionsOfService('kms');
      const allowed = [THROUGH_DYNAMODB, ownData, logDelivery, {}].flatMap((context) =>
        allowedAmong(fn.role, kms, KMS_KEY_ARN, context),
      );
      expect(allowed).toEqual(['kms:Decrypt']);
    });
  });
});

describe('IAM least privilege of the customer managed key (default configuration, no key)', () => {
  const { stack } = synthWorkflowStack();

  it.each(functionsOf(stack).map((fn) => [fn.name, fn] as const))(
    'gives the %s function no use of any key, through DynamoDB or not',
    async (_name, fn) => {
      const kms = await actionsOfService('kms');
      const allowed = [THROUGH_DYNAMODB, {}].flatMap((context) => allowedAmong(fn.role, kms, KMS_KEY_ARN, context));
      expect(allowed).toEqual([]);
    },
  );
});
