import { decideAs, type identityWith, type PlaceholderValues } from './policy-files';
import { TEST_ACCOUNT, TEST_REGION } from './references';

/**
 * What the policies of iam/ are held to (iam/external-roles*.test.ts): the test values, the literal
 * lists of the calls each role makes, and the helpers that simulate them.
 */

export const KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/0fedcba9-8765-4321-0fed-cba987654321`;
export const OTHER_ACCOUNT = '210987654321';
export const OTHER_REGION = 'eu-west-1';
export const STATE_BUCKET = 'my-terraform-state';
export const STATE_KEY = 'mock-payment-workflow/terraform.tfstate';
export const STATE_KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/5678abcd-56ab-78cd-90ef-567890abcdef`;

/** Every file of iam/, by the role that uses it; a new file fails the suite until it is listed and proven here. */
export const POLICY_FILES = [
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
export const IDENTITY_POLICY_FILES = POLICY_FILES.filter((file) => file !== 'key-policy.json');

/** The ARNs of the stack's resources with a name prefix, as the Resources table of docs/operations.md names them. */
export function stackOf(prefix: string) {
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
export function valuesFor(prefix: string): PlaceholderValues {
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
export const ALWAYS_ALLOWED = ['sts:GetCallerIdentity'];

export const sorted = (actions: readonly string[]) => [...actions].sort();
export const via = (service: string, region = TEST_REGION) => ({
  'kms:ViaService': `${service}.${region}.amazonaws.com`,
});
/** A log group ARN as CloudWatch Logs also authorizes it, with `:*` after the name. */
export const withStar = (logGroup: string) => `${logGroup}:*`;

/** The ARN of the same resource under another name, region or account. */
export const renamed = (arn: string, name: string) => arn.replace(/[^:/]+$/, name);
export const inRegion = (arn: string, region: string) => arn.replace(`:${TEST_REGION}:`, `:${region}:`);
export const inAccount = (arn: string, account: string) => arn.replace(`:${TEST_ACCOUNT}:`, `:${account}:`);

/*
 * The calls each role makes, written out literally: the specification the generated files
 * (lib/external-roles.ts, npm run policies) are held to, so that a widened generator list fails here.
 */

/** What the aws provider 6.25.0 calls, per resource type, to create, read, update, tag and delete it. */
export const DEPLOYER_TABLE_ACTIONS = [
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
export const DEPLOYER_FUNCTION_ACTIONS = [
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
export const DEPLOYER_ROLE_ACTIONS = [
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
export const DEPLOYER_LOG_GROUP_ACTIONS = [
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
export const DEPLOYER_STATE_MACHINE_ACTIONS = [
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
export const DEPLOYER_TOPIC_ACTIONS = [
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
export const DEPLOYER_ALARM_ACTIONS = [
  'cloudwatch:PutMetricAlarm',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DeleteAlarms',
  'cloudwatch:ListTagsForResource',
  'cloudwatch:TagResource',
  'cloudwatch:UntagResource',
];
export const DEPLOYER_DASHBOARD_ACTIONS = [
  'cloudwatch:PutDashboard',
  'cloudwatch:GetDashboard',
  'cloudwatch:DeleteDashboards',
];
export const PLAN_TOPIC_ACTIONS = [
  'sns:GetTopicAttributes',
  'sns:ListTagsForResource',
  'sns:GetSubscriptionAttributes',
];
export const PLAN_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'];
export const PLAN_DASHBOARD_ACTIONS = ['cloudwatch:GetDashboard'];

/** What a refresh reads of each resource, and the plan-time validation of the definition. */
export const PLAN_TABLE_ACTIONS = [
  'dynamodb:DescribeTable',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:ListTagsOfResource',
];
export const PLAN_FUNCTION_ACTIONS = [
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:GetFunctionCodeSigningConfig',
  'lambda:ListVersionsByFunction',
  'lambda:ListTags',
];
export const PLAN_ROLE_ACTIONS = [
  'iam:GetRole',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:GetRolePolicy',
];
export const PLAN_LOG_GROUP_ACTIONS = ['logs:ListTagsForResource'];
export const PLAN_STATE_MACHINE_ACTIONS = [
  'states:DescribeStateMachine',
  'states:ListStateMachineVersions',
  'states:ListTagsForResource',
];

/** Calls IAM authorizes on `Resource: "*"` only (no resource type in IAM's catalogue); both roles make them. */
export const STAR_ONLY_ACTIONS = ['logs:DescribeLogGroups', 'states:ValidateStateMachineDefinition'];

/**
 * The commands of docs/operations.md and the runbook: start-execution, list-executions, describe-execution,
 * get-execution-history, redrive-execution, dynamodb get-item and the scan for failed orders,
 * describe-alarms, logs tail, lambda get-account-settings (operator-commands.test.ts derives them
 * from the runbook and the outputs).
 */
export const OPERATOR_STATE_MACHINE_ACTIONS = ['states:StartExecution', 'states:ListExecutions'];
export const OPERATOR_EXECUTION_ACTIONS = [
  'states:DescribeExecution',
  'states:GetExecutionHistory',
  'states:RedriveExecution',
];
export const OPERATOR_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Scan'];
export const OPERATOR_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms'];
export const OPERATOR_LOG_GROUP_ACTIONS = ['logs:FilterLogEvents'];
/** IAM authorizes it on `Resource: "*"` only. */
export const OPERATOR_STAR_ONLY_ACTIONS = ['lambda:GetAccountSettings'];

/**
 * The KMS permissions each service documents that it needs of the deployer, who selects the key
 * (besides `kms:CreateGrant`, tested apart).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html#dynamodb-customer-cmk-policy
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html (Required permissions for API callers)
 */
export const DEPLOYER_KEY_ACTIONS = {
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
export function strangersOf(arn: string, copyPrefix: string, prefix: string): Array<readonly [string, string]> {
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

export async function expectAll(
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
