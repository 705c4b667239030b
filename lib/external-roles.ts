/**
 * The policies of the identities around the stack, the files of `iam/`: the deployer, the plan role,
 * the operator (each with a `-kms` file for a customer managed key, the first two with a
 * `-monitoring` file for the alarms), the state backend's, the example key policy and the trust
 * policies of the GitHub Actions roles. `npm run policies` (scripts/policies.ts) writes them from
 * here: the function names from the step table (workflow/steps.ts), the resource names from
 * lib/resource-names.ts, the actions from the lists below. Nothing here imports cdktf.
 */
import { FAILURE_RECORDER, STATE_MACHINE_NAME, WORKFLOW_STEPS } from '../workflow/steps';
import type { PolicyDocument, PolicyStatement } from './policies';
import {
  alarmNamePrefixOf,
  alarmTopicNameOf,
  dashboardNameOf,
  functionLogGroupNameOf,
  roleNameOf,
  stateMachineLogGroupNameOf,
} from './resource-names';

// What the aws provider 6.25.0 calls, per resource type, to create, read, update, tag and delete it (the deployer).

/** The orders table. */
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
] as const;
/** Each function. */
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
] as const;
/** Each role and its inline policies. */
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
] as const;
/** Each log group. */
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
] as const;
/** The state machine. */
export const DEPLOYER_STATE_MACHINE_ACTIONS = [
  'states:CreateStateMachine',
  'states:DescribeStateMachine',
  'states:ListStateMachineVersions',
  'states:UpdateStateMachine',
  'states:ListTagsForResource',
  'states:TagResource',
  'states:UntagResource',
  'states:DeleteStateMachine',
] as const;
/** The alarm topic, its policy and its subscription. */
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
] as const;
/** Each alarm. */
export const DEPLOYER_ALARM_ACTIONS = [
  'cloudwatch:PutMetricAlarm',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DeleteAlarms',
  'cloudwatch:ListTagsForResource',
  'cloudwatch:TagResource',
  'cloudwatch:UntagResource',
] as const;
/** The dashboard. */
export const DEPLOYER_DASHBOARD_ACTIONS = [
  'cloudwatch:PutDashboard',
  'cloudwatch:GetDashboard',
  'cloudwatch:DeleteDashboards',
] as const;

// What a refresh reads of each resource (the plan role; the deployer may read it too).

export const PLAN_TABLE_ACTIONS = [
  'dynamodb:DescribeTable',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:ListTagsOfResource',
] as const;
export const PLAN_FUNCTION_ACTIONS = [
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:GetFunctionCodeSigningConfig',
  'lambda:ListVersionsByFunction',
  'lambda:ListTags',
] as const;
export const PLAN_ROLE_ACTIONS = [
  'iam:GetRole',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:GetRolePolicy',
] as const;
export const PLAN_LOG_GROUP_ACTIONS = ['logs:ListTagsForResource'] as const;
export const PLAN_STATE_MACHINE_ACTIONS = [
  'states:DescribeStateMachine',
  'states:ListStateMachineVersions',
  'states:ListTagsForResource',
] as const;
export const PLAN_TOPIC_ACTIONS = [
  'sns:GetTopicAttributes',
  'sns:ListTagsForResource',
  'sns:GetSubscriptionAttributes',
] as const;
export const PLAN_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'] as const;
export const PLAN_DASHBOARD_ACTIONS = ['cloudwatch:GetDashboard'] as const;

/**
 * Calls IAM authorizes on `Resource: "*"` only (no resource type in IAM's catalogue); the deployer and
 * the plan role make both. The aws provider validates a definition during plan
 * (hashicorp/terraform-provider-aws#39472).
 */
export const FIND_LOG_GROUPS_ACTION = 'logs:DescribeLogGroups';
export const VALIDATE_DEFINITION_ACTION = 'states:ValidateStateMachineDefinition';
export const STAR_ONLY_ACTIONS = [FIND_LOG_GROUPS_ACTION, VALIDATE_DEFINITION_ACTION] as const;

// What the operator runs: the commands of docs/operations.md, docs/runbook.md and the stack's
// `*_command` outputs (start-execution, list-executions, describe-execution, get-execution-history,
// redrive-execution, dynamodb get-item and the scan for failed orders, logs tail, lambda
// get-account-settings), and reading the alarms. __tests__/operator-commands.test.ts reads each
// command where it is written and simulates it against the file written from these lists.

const START_EXECUTION_ACTION = 'states:StartExecution';
/** IAM authorizes it on the state machine, not on its executions. */
const LIST_EXECUTIONS_ACTION = 'states:ListExecutions';
export const OPERATOR_STATE_MACHINE_ACTIONS = [START_EXECUTION_ACTION, LIST_EXECUTIONS_ACTION] as const;
export const OPERATOR_EXECUTION_ACTIONS = [
  'states:DescribeExecution',
  'states:GetExecutionHistory',
  'states:RedriveExecution',
] as const;
export const OPERATOR_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Scan'] as const;
export const OPERATOR_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms'] as const;
export const OPERATOR_LOG_GROUP_ACTIONS = ['logs:FilterLogEvents'] as const;
/** IAM authorizes it on `Resource: "*"` only. */
export const OPERATOR_STAR_ONLY_ACTIONS = ['lambda:GetAccountSettings'] as const;

/**
 * The KMS permissions each service documents that it needs of the deployer, who selects the key
 * (besides `kms:CreateGrant`, which DynamoDB and Lambda ask for an AWS resource only).
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

/**
 * What CloudWatch Logs, CloudWatch alarms and Step Functions log delivery need of the key, as a key
 * policy grants it to them.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html (Key policy to encrypt CloudWatch logs)
 */
const LOGS_KEY_ACTIONS = [
  'kms:Encrypt*',
  'kms:Decrypt*',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:Describe*',
] as const;
const ALARMS_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'] as const;

/** What the S3 backend does with the state object, its lock file and the state's key. */
const STATE_READ_ACTIONS = ['s3:GetObject'] as const;
const STATE_WRITE_ACTIONS = ['s3:GetObject', 's3:PutObject'] as const;
const STATE_LOCK_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] as const;
const STATE_KEY_READ_ACTIONS = ['kms:Decrypt'] as const;
const STATE_KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** The placeholders of the files, written `${Name}` as envsubst reads them; docs/security.md and docs/ci.md document them. */
const $ = {
  AccountId: '${AccountId}',
  Region: '${Region}',
  NamePrefix: '${NamePrefix}',
  TableName: '${TableName}',
  KmsKeyArn: '${KmsKeyArn}',
  StateBucket: '${StateBucket}',
  StateKey: '${StateKey}',
  StateKmsKeyArn: '${StateKmsKeyArn}',
  GitHubSubjectRepository: '${GitHubSubjectRepository}',
} as const;

/** The stack's resources by name and ARN, with the placeholders in them. */
function resources() {
  const at = `${$.Region}:${$.AccountId}`;
  const prefixed = (name: string) => `${$.NamePrefix}${name}`;
  const functionNames = [...WORKFLOW_STEPS, FAILURE_RECORDER].map((step) => prefixed(step.functionName));
  const stateMachineName = prefixed(STATE_MACHINE_NAME);
  const logGroup = (name: string) => `arn:aws:logs:${at}:log-group:${name}`;
  const role = (name: string) => `arn:aws:iam::${$.AccountId}:role/${roleNameOf(name)}`;
  return {
    tableName: prefixed($.TableName),
    table: `arn:aws:dynamodb:${at}:table/${prefixed($.TableName)}`,
    functions: functionNames.map((name) => `arn:aws:lambda:${at}:function:${name}`),
    functionRoles: functionNames.map(role),
    stateMachineRole: role(stateMachineName),
    logGroups: [...functionNames.map(functionLogGroupNameOf), stateMachineLogGroupNameOf(stateMachineName)].map(
      logGroup,
    ),
    stateMachine: `arn:aws:states:${at}:stateMachine:${stateMachineName}`,
    executions: `arn:aws:states:${at}:execution:${stateMachineName}:*`,
    alarmTopic: `arn:aws:sns:${at}:${alarmTopicNameOf(stateMachineName)}`,
    alarms: `arn:aws:cloudwatch:${at}:alarm:${alarmNamePrefixOf(stateMachineName)}*`,
    dashboard: `arn:aws:cloudwatch::${$.AccountId}:dashboard/${dashboardNameOf(stateMachineName)}`,
  };
}

/** A log group ARN as CloudWatch Logs also authorizes it, with `:*` after the name. */
const withStreams = (logGroups: readonly string[]) => logGroups.flatMap((arn) => [arn, `${arn}:*`]);
/** One action is written as a string, several as a list. */
const actions = (list: readonly string[]): string | readonly string[] =>
  list.length === 1 ? (list[0] as string) : list;
const viaService = (service: string) => `${service}.${$.Region}.amazonaws.com`;
const allow = (
  Sid: string,
  action: readonly string[],
  Resource: string | readonly string[],
  Condition?: PolicyStatement['Condition'],
): PolicyStatement => ({
  Sid,
  Effect: 'Allow',
  Action: actions(action),
  Resource,
  ...(Condition === undefined ? {} : { Condition }),
});
const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

/** The files of `iam/`, by name, as documents with their placeholders. */
export function externalPolicies(): Record<string, PolicyDocument> {
  const stack = resources();
  const stateMachineData = { 'kms:EncryptionContext:aws:states:stateMachineArn': stack.stateMachine };
  const github = `arn:aws:iam::${$.AccountId}:oidc-provider/token.actions.githubusercontent.com`;
  const githubTrust = (Sid: string, subjects: readonly string[]): PolicyDocument =>
    doc({
      Sid,
      Effect: 'Allow',
      Principal: { Federated: github },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': actions(
            subjects.map((s) => `repo:${$.GitHubSubjectRepository}:${s}`),
          ),
        },
      },
    });
  const stateBucket = `arn:aws:s3:::${$.StateBucket}`;
  const state = `${stateBucket}/${$.StateKey}`;
  const throughS3 = { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } };

  return {
    'deployer.json': doc(
      allow('ManageOrdersTable', DEPLOYER_TABLE_ACTIONS, stack.table),
      allow('ManageFunctions', DEPLOYER_FUNCTION_ACTIONS, stack.functions),
      allow('ManageRolesAndTheirInlinePolicies', DEPLOYER_ROLE_ACTIONS, [
        ...stack.functionRoles,
        stack.stateMachineRole,
      ]),
      allow('PassFunctionRolesToLambda', ['iam:PassRole'], stack.functionRoles, {
        StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      }),
      allow('PassStateMachineRoleToStepFunctions', ['iam:PassRole'], stack.stateMachineRole, {
        StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' },
      }),
      allow('ManageLogGroups', DEPLOYER_LOG_GROUP_ACTIONS, withStreams(stack.logGroups)),
      allow('FindLogGroupsWhichIamAuthorizesOnStarOnly', [FIND_LOG_GROUPS_ACTION], '*'),
      allow('ManageStateMachine', DEPLOYER_STATE_MACHINE_ACTIONS, stack.stateMachine),
      allow('ValidateDefinitionsWhichIamAuthorizesOnStarOnly', [VALIDATE_DEFINITION_ACTION], '*'),
    ),
    'deployer-kms.json': doc(
      allow('WhatDynamoDbRequiresOfWhoeverSelectsTheTableKey', DEPLOYER_KEY_ACTIONS.dynamodb, $.KmsKeyArn, {
        StringEquals: { 'kms:ViaService': viaService('dynamodb') },
      }),
      allow('WhatLambdaRequiresToConfigureAndReadEncryptedEnvironments', DEPLOYER_KEY_ACTIONS.lambda, $.KmsKeyArn, {
        StringEquals: { 'kms:ViaService': viaService('lambda') },
      }),
      allow(
        'WhatStepFunctionsRequiresToCreateUpdateAndDescribeTheStateMachine',
        DEPLOYER_KEY_ACTIONS.states,
        $.KmsKeyArn,
        {
          StringEquals: { 'kms:ViaService': viaService('states') },
        },
      ),
      allow('LetDynamoDbAndLambdaCreateGrantsOnWorkflowKey', ['kms:CreateGrant'], $.KmsKeyArn, {
        StringEquals: { 'kms:ViaService': [viaService('dynamodb'), viaService('lambda')] },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      }),
    ),
    'deployer-monitoring.json': doc(
      allow('ManageAlarmTopicAndItsSubscription', DEPLOYER_TOPIC_ACTIONS, stack.alarmTopic),
      allow('ManageWorkflowAlarms', DEPLOYER_ALARM_ACTIONS, stack.alarms),
      allow('ManageWorkflowDashboard', DEPLOYER_DASHBOARD_ACTIONS, stack.dashboard),
    ),
    'plan.json': doc(
      allow('ReadOrdersTable', PLAN_TABLE_ACTIONS, stack.table),
      allow('ReadFunctions', PLAN_FUNCTION_ACTIONS, stack.functions),
      allow('ReadRolesAndTheirInlinePolicies', PLAN_ROLE_ACTIONS, [...stack.functionRoles, stack.stateMachineRole]),
      allow('ReadLogGroupTags', PLAN_LOG_GROUP_ACTIONS, stack.logGroups),
      allow('FindLogGroupsWhichIamAuthorizesOnStarOnly', [FIND_LOG_GROUPS_ACTION], '*'),
      allow('ReadStateMachine', PLAN_STATE_MACHINE_ACTIONS, stack.stateMachine),
      allow('ValidateDefinitionsWhichIamAuthorizesOnStarOnly', [VALIDATE_DEFINITION_ACTION], '*'),
    ),
    'plan-kms.json': doc(
      allow('DecryptStateMachineDefinition', ['kms:Decrypt'], $.KmsKeyArn, {
        StringEquals: { 'kms:ViaService': viaService('states'), ...stateMachineData },
      }),
      allow('DecryptFunctionEnvironments', ['kms:Decrypt'], $.KmsKeyArn, {
        StringEquals: { 'kms:ViaService': viaService('lambda') },
      }),
    ),
    'plan-monitoring.json': doc(
      allow('ReadAlarmTopicAndItsSubscription', PLAN_TOPIC_ACTIONS, stack.alarmTopic),
      allow('ReadWorkflowAlarms', PLAN_ALARM_ACTIONS, stack.alarms),
      allow('ReadWorkflowDashboard', PLAN_DASHBOARD_ACTIONS, stack.dashboard),
    ),
    'operator.json': doc(
      allow('StartExecutions', [START_EXECUTION_ACTION], stack.stateMachine),
      allow('ListExecutionsWhichIamAuthorizesOnTheStateMachine', [LIST_EXECUTIONS_ACTION], stack.stateMachine),
      allow('ReadExecutions', OPERATOR_EXECUTION_ACTIONS, stack.executions),
      allow('ReadOrdersAndFindTheFailedOnes', OPERATOR_TABLE_ACTIONS, stack.table),
      allow('ReadWorkflowAlarms', OPERATOR_ALARM_ACTIONS, stack.alarms),
      allow('ReadLambdaAccountSettingsWhichIamAuthorizesOnStarOnly', OPERATOR_STAR_ONLY_ACTIONS, '*'),
      allow('ReadWorkflowLogs', OPERATOR_LOG_GROUP_ACTIONS, withStreams(stack.logGroups)),
    ),
    'operator-kms.json': doc(
      allow('DecryptExecutionDataForDescribeExecutionAndGetExecutionHistory', ['kms:Decrypt'], $.KmsKeyArn, {
        StringEquals: { 'kms:ViaService': viaService('states'), ...stateMachineData },
      }),
      allow('ReadOrdersTable', ['kms:Decrypt'], $.KmsKeyArn, {
        StringEquals: {
          'kms:ViaService': viaService('dynamodb'),
          'kms:EncryptionContext:aws:dynamodb:tableName': stack.tableName,
          'kms:EncryptionContext:aws:dynamodb:subscriberId': $.AccountId,
        },
      }),
    ),
    'state-read.json': doc(
      allow('ListStateBucket', ['s3:ListBucket'], stateBucket),
      allow('ReadState', STATE_READ_ACTIONS, state),
    ),
    'state-read-kms.json': doc(allow('DecryptStateThroughS3', STATE_KEY_READ_ACTIONS, $.StateKmsKeyArn, throughS3)),
    'state-write.json': doc(
      allow('ListStateBucket', ['s3:ListBucket'], stateBucket),
      allow('ReadAndWriteState', STATE_WRITE_ACTIONS, state),
      allow('TakeAndReleaseStateLock', STATE_LOCK_ACTIONS, `${state}.tflock`),
    ),
    'state-write-kms.json': doc(
      allow('EncryptAndDecryptStateThroughS3', STATE_KEY_WRITE_ACTIONS, $.StateKmsKeyArn, throughS3),
    ),
    'key-policy.json': doc(
      {
        Sid: 'EnableIamPolicies',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${$.AccountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchLogsForTheWorkflowLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${$.Region}.amazonaws.com` },
        Action: LOGS_KEY_ACTIONS,
        Resource: '*',
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': stack.logGroups } },
      },
      {
        Sid: 'CloudWatchAlarmsPublishToTheEncryptedAlarmTopicAsTheSnsGuideWritesIt',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ALARMS_KEY_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'StepFunctionsLogDeliveryAsTheStepFunctionsGuideWritesIt',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 'kms:Decrypt',
        Resource: '*',
      },
    ),
    'trust-github-plan.json': githubTrust('GitHubActionsPlanPullRequestsAndMain', [
      'pull_request',
      'ref:refs/heads/main',
    ]),
    'trust-github-deploy.json': githubTrust('GitHubActionsApplyProductionEnvironment', ['environment:production']),
  };
}

/** The line width of the files: a list or an object that fits stays on one line. */
const LINE_WIDTH = 120;

/**
 * A policy document as the files of `iam/` are written: two-space indent, the document and each
 * statement one member a line, any other list or object on one line where it fits in
 * {@link LINE_WIDTH} characters; a final newline.
 */
export function renderPolicy(document: PolicyDocument): string {
  return `${render(document, '', '', '', 0)}\n`;
}

function render(value: unknown, indent: string, head: string, tail: string, depth: number): string {
  const inline = `${indent}${head}${oneLine(value)}${tail}`;
  // Depth 0 is the document, 1 its Statement list, 2 a statement: always one member a line.
  if (typeof value !== 'object' || value === null || (depth > 2 && inline.length <= LINE_WIDTH)) return inline;
  const inner = `${indent}  `;
  const [open, close, members] = Array.isArray(value)
    ? ['[', ']', value.map((item, i) => render(item, inner, '', i < value.length - 1 ? ',' : '', depth + 1))]
    : [
        '{',
        '}',
        Object.entries(value).map(([key, item], i, all) =>
          render(item, inner, `${JSON.stringify(key)}: `, i < all.length - 1 ? ',' : '', depth + 1),
        ),
      ];
  return [`${indent}${head}${open}`, ...members, `${indent}${close}${tail}`].join('\n');
}

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`);
    return `{ ${members.join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** Every file of `iam/` with the text `npm run policies` writes there. */
export function renderedPolicies(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(externalPolicies()).map(([file, document]) => [file, renderPolicy(document)]),
  );
}
