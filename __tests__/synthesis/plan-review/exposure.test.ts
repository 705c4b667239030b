import { internetExposureFindings } from '../../../review/exposure';
import type { ResourceChange } from '../../../review/model';
import { policyJson, reviewEdit, reviewPlanOf } from '../../support/plan-review-rules';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:mock-create-order';

describe('Rule: exposure to the internet, from two syntheses', () => {
  it('flags a function URL without authentication, naming the function anyone can now invoke', () => {
    // Act
    const run = reviewEdit((stack) => {
      stack.resource.aws_lambda_function_url = {
        create_order: {
          function_name: '${aws_lambda_function.create_order.function_name}',
          authorization_type: 'NONE',
        },
      };
    });
    // Assess
    expect(run.risks).toEqual([
      'exposure aws_lambda_function_url.create_order: anyone on the internet can invoke mock-create-order through its function URL without signing (authorization_type NONE)',
    ]);
    expect(run.status).toBe(3);
  });

  it('does not flag a function URL that requires signed requests', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_lambda_function_url = {
        create_order: {
          function_name: '${aws_lambda_function.create_order.function_name}',
          authorization_type: 'AWS_IAM',
        },
      };
    });
    expect({ risks: run.risks, status: run.status }).toEqual({ risks: [], status: 0 });
  });

  it('flags a Lambda permission for the principal *', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_lambda_permission = {
        public: {
          function_name: '${aws_lambda_function.create_order.function_name}',
          action: 'lambda:InvokeFunction',
          principal: '*',
          statement_id: 'Public',
        },
      };
    });
    expect(run.risks).toEqual([
      'exposure aws_lambda_permission.public: anyone (principal *) can call lambda:InvokeFunction on mock-create-order',
    ]);
    expect(run.status).toBe(3);
  });

  it('flags a statement of the alarm topic policy that lets anyone publish', () => {
    const run = reviewEdit((stack) => {
      const topicPolicy = stack.resource.aws_sns_topic_policy.alarms;
      const document = JSON.parse(topicPolicy.policy);
      document.Statement.push({
        Sid: 'Anyone',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: '*',
      });
      topicPolicy.policy = JSON.stringify(document);
    });
    expect(run.risks).toEqual([
      'exposure aws_sns_topic_policy.alarms: its resource policy lets anyone, in any AWS account or none, sns:Publish',
    ]);
  });

  it('flags the alarm topic policy losing its source conditions: CloudWatch may publish for any account', () => {
    const run = reviewEdit((stack) => {
      const topicPolicy = stack.resource.aws_sns_topic_policy.alarms;
      const document = JSON.parse(topicPolicy.policy);
      delete document.Statement[0].Condition;
      topicPolicy.policy = JSON.stringify(document);
    });
    expect(run.risks).toEqual([
      'exposure aws_sns_topic_policy.alarms: its resource policy lets cloudwatch.amazonaws.com acting for any account or resource (no aws:SourceAccount or aws:SourceArn condition: a confused deputy) sns:Publish',
    ]);
  });
});

describe('Rule: exposure to the internet, from a plan', () => {
  const permission = (after: Record<string, unknown>) => ({
    address: 'aws_lambda_permission.invoke',
    type: 'aws_lambda_permission',
    actions: ['create'],
    after: { function_name: FUNCTION_ARN, action: 'lambda:InvokeFunction', statement_id: 'Invoke', ...after },
  });

  it('flags a service principal with no source_arn or source_account: a confused deputy', () => {
    const run = reviewPlanOf([permission({ principal: 's3.amazonaws.com' })]);
    expect(run.risks).toEqual([
      'exposure aws_lambda_permission.invoke: s3.amazonaws.com acting for any account or resource (no source_arn or source_account: a confused deputy) can call lambda:InvokeFunction on mock-create-order',
    ]);
    expect(run.status).toBe(3);
  });

  it('does not flag a service principal tied to one source_arn', () => {
    const run = reviewPlanOf([
      permission({ principal: 's3.amazonaws.com', source_arn: 'arn:aws:s3:::mock-orders-inbox' }),
    ]);
    expect({ risks: run.risks, status: run.status }).toEqual({ risks: [], status: 0 });
  });

  it('says a public function URL permission lets anyone on the internet call the function without signing', () => {
    const run = reviewPlanOf([
      permission({ principal: '*', action: 'lambda:InvokeFunctionUrl', function_url_auth_type: 'NONE' }),
    ]);
    expect(run.risks).toEqual([
      'exposure aws_lambda_permission.invoke: anyone on the internet, without signing, can call lambda:InvokeFunctionUrl on mock-create-order',
    ]);
  });

  it('flags a function URL whose authorization type changes to NONE', () => {
    const run = reviewPlanOf([
      {
        address: 'aws_lambda_function_url.create_order',
        type: 'aws_lambda_function_url',
        actions: ['update'],
        before: { function_name: 'mock-create-order', authorization_type: 'AWS_IAM' },
        after: { function_name: 'mock-create-order', authorization_type: 'NONE' },
      },
    ]);
    expect(run.risks).toEqual([
      'exposure aws_lambda_function_url.create_order: anyone on the internet can invoke mock-create-order through its function URL without signing (authorization_type NONE)',
    ]);
  });

  it('does not flag a key policy that ties CloudWatch Logs to one log group by its encryption context', () => {
    const document = policyJson({
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*'],
      Resource: '*',
      Condition: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn':
            'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/mock-create-order',
        },
      },
    });
    const run = reviewPlanOf([
      { address: 'aws_kms_key.logs', type: 'aws_kms_key', actions: ['create'], after: { policy: document } },
    ]);
    expect(run.risks).toEqual([]);
  });

  it('does not flag a resource policy open to * that a condition narrows', () => {
    const document = policyJson({
      Effect: 'Allow',
      Principal: '*',
      Action: 'sqs:SendMessage',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    });
    const run = reviewPlanOf([
      {
        address: 'aws_sqs_queue_policy.inbox',
        type: 'aws_sqs_queue_policy',
        actions: ['create'],
        after: { policy: document },
      },
    ]);
    expect(run.risks).toEqual([]);
  });
});

describe('Rule: exposure to the internet, statement by statement', () => {
  /** A new SNS topic policy holding `statement`. */
  const topicPolicy = (statement: Record<string, unknown>): ResourceChange => ({
    address: 'aws_sns_topic_policy.alarms',
    type: 'aws_sns_topic_policy',
    action: 'create',
    actions: ['create'],
    destroys: false,
    before: null,
    after: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) },
    afterUnknown: {},
    replacePaths: [],
    predicted: false,
    references: {},
  });

  it('names a NotAction statement open to anyone as every action but the listed ones', () => {
    const findings = internetExposureFindings([
      topicPolicy({ Effect: 'Allow', Principal: '*', NotAction: ['sns:Subscribe'], Resource: '*' }),
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'its resource policy lets anyone, in any AWS account or none, every action but sns:Subscribe',
    ]);
  });

  it('names the actions of an Action statement open to anyone', () => {
    const findings = internetExposureFindings([
      topicPolicy({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['sns:Publish', 'sns:Subscribe'],
        Resource: '*',
      }),
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'its resource policy lets anyone, in any AWS account or none, sns:Publish, sns:Subscribe',
    ]);
  });
});

describe('Rule: exposure to the internet, by resource type and action', () => {
  const OPEN = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 'x:Get', Resource: '*' }],
  };

  /** A change of `type` whose `attribute` holds `document` after, and nothing before. */
  const policyChange = (
    type: string,
    attribute: string,
    document: unknown,
    action: ResourceChange['action'] = 'create',
  ): ResourceChange => ({
    address: `${type}.x`,
    type,
    action,
    actions: [],
    destroys: false,
    before: null,
    after: { [attribute]: JSON.stringify(document) },
    afterUnknown: {},
    replacePaths: [],
    predicted: false,
    references: {},
  });

  it.each([
    ['aws_sns_topic_policy', 'policy'],
    ['aws_sns_topic', 'policy'],
    ['aws_sqs_queue_policy', 'policy'],
    ['aws_sqs_queue', 'policy'],
    ['aws_s3_bucket_policy', 'policy'],
    ['aws_dynamodb_resource_policy', 'policy'],
    ['aws_cloudwatch_log_resource_policy', 'policy_document'],
    ['aws_kms_key', 'policy'],
    ['aws_secretsmanager_secret_policy', 'policy'],
    ['aws_lambda_layer_version_permission', 'policy'],
  ])('reads the resource policy of %s from its %s attribute', (type, attribute) => {
    expect(internetExposureFindings([policyChange(type, attribute, OPEN)]).map((f) => f.message)).toEqual([
      'its resource policy lets anyone, in any AWS account or none, x:Get',
    ]);
  });

  it('reads no policy of a type that holds none', () => {
    expect(internetExposureFindings([policyChange('aws_iam_role', 'policy', OPEN)])).toEqual([]);
  });

  it.each(['delete', 'no-op', 'read'] as const)('leaves alone a %s', (action) => {
    expect(internetExposureFindings([policyChange('aws_sns_topic_policy', 'policy', OPEN, action)])).toEqual([]);
  });

  it.each([
    ['a Deny statement', { Effect: 'Deny', Principal: '*', Action: 'x:Get' }],
    ['a statement without a Principal', { Effect: 'Allow', Action: 'x:Get' }],
    [
      'a statement open to anyone under a condition',
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'x:Get',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
      },
    ],
    [
      'a service held to one account',
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'x:Get',
        Condition: { StringEquals: { 'aws:SourceAccount': '1' } },
      },
    ],
    [
      'a service held to one log group',
      {
        Effect: 'Allow',
        Principal: { Service: 'logs.amazonaws.com' },
        Action: 'x:Get',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'a' } },
      },
    ],
    [
      'a service held to one owner',
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'x:Get',
        Condition: { StringEquals: { 'aws:SourceOwner': '1' } },
      },
    ],
    ['one account', { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'x:Get' }],
  ])('does not flag %s', (_, statement) => {
    expect(
      internetExposureFindings([policyChange('aws_sns_topic_policy', 'policy', { Statement: [statement] })]),
    ).toEqual([]);
  });

  it('names the services of a statement open to services in any account', () => {
    const statement = {
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'sns.amazonaws.com'] },
      Action: 'x:Get',
    };
    expect(
      internetExposureFindings([policyChange('aws_sns_topic_policy', 'policy', { Statement: [statement] })]).map(
        (f) => f.message,
      ),
    ).toEqual([
      'its resource policy lets events.amazonaws.com, sns.amazonaws.com acting for any account or resource (no aws:SourceAccount or aws:SourceArn condition: a confused deputy) x:Get',
    ]);
  });

  it('names every action a NotAction statement leaves out', () => {
    const statement = { Effect: 'Allow', Principal: '*', NotAction: ['x:Get', 'x:Put'] };
    expect(
      internetExposureFindings([policyChange('aws_sns_topic_policy', 'policy', { Statement: [statement] })]).map(
        (f) => f.message,
      ),
    ).toEqual(['its resource policy lets anyone, in any AWS account or none, every action but x:Get, x:Put']);
  });

  it('flags a statement open before only when its resource or condition changed', () => {
    const before = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'x:Get', Resource: 'a' }] };
    const after = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'x:Get', Resource: 'b' }] };
    const change = {
      ...policyChange('aws_sns_topic_policy', 'policy', after, 'update'),
      before: { policy: JSON.stringify(before) },
    };
    const same = { ...change, after: { policy: JSON.stringify(before) } };
    expect([internetExposureFindings([change]).length, internetExposureFindings([same]).length]).toEqual([1, 0]);
  });
});
