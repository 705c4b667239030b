import { internetExposureFindings } from '../../review/exposure';
import type { ResourceChange } from '../../review/model';
import { policyJson, reviewEdit, reviewPlanOf } from '../support/plan-review-rules';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:mock-create-order';

describe('Rule: exposure to the internet, from two syntheses', () => {
  it('flags a function URL without authentication, naming the function anyone can now invoke', () => {
    // Act
    const run = reviewEdit((stack) => {
      stack.resource.aws_lambda_function_url = {
        create_order: { function_name: '${aws_lambda_function.create_order.function_name}', authorization_type: 'NONE' },
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
      stack.resource.aws_lambda_function_url = { create_order: { function_name: '${aws_lambda_function.create_order.function_name}', authorization_type: 'AWS_IAM' } };
    });
    expect({ risks: run.risks, status: run.status }).toEqual({ risks: [], status: 0 });
  });

  it('flags a Lambda permission for the principal *', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_lambda_permission = {
        public: { function_name: '${aws_lambda_function.create_order.function_name}', action: 'lambda:InvokeFunction', principal: '*', statement_id: 'Public' },
      };
    });
    expect(run.risks).toEqual(['exposure aws_lambda_permission.public: anyone (principal *) can call lambda:InvokeFunction on mock-create-order']);
    expect(run.status).toBe(3);
  });

  it('flags a statement of the alarm topic policy that lets anyone publish', () => {
    const run = reviewEdit((stack) => {
      const topicPolicy = stack.resource.aws_sns_topic_policy.alarms;
      const document = JSON.parse(topicPolicy.policy);
      document.Statement.push({ Sid: 'Anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: '*' });
      topicPolicy.policy = JSON.stringify(document);
    });
    expect(run.risks).toEqual(['exposure aws_sns_topic_policy.alarms: its resource policy lets anyone, in any AWS account or none, sns:Publish']);
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
    const run = reviewPlanOf([permission({ principal: 's3.amazonaws.com', source_arn: 'arn:aws:s3:::mock-orders-inbox' })]);
    expect({ risks: run.risks, status: run.status }).toEqual({ risks: [], status: 0 });
  });

  it('says a public function URL permission lets anyone on the internet call the function without signing', () => {
    const run = reviewPlanOf([permission({ principal: '*', action: 'lambda:InvokeFunctionUrl', function_url_auth_type: 'NONE' })]);
    expect(run.risks).toEqual(['exposure aws_lambda_permission.invoke: anyone on the internet, without signing, can call lambda:InvokeFunctionUrl on mock-create-order']);
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
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/mock-create-order' } },
    });
    const run = reviewPlanOf([{ address: 'aws_kms_key.logs', type: 'aws_kms_key', actions: ['create'], after: { policy: document } }]);
    expect(run.risks).toEqual([]);
  });

  it('does not flag a resource policy open to * that a condition narrows', () => {
    const document = policyJson({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } });
    const run = reviewPlanOf([{ address: 'aws_sqs_queue_policy.inbox', type: 'aws_sqs_queue_policy', actions: ['create'], after: { policy: document } }]);
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
    const findings = internetExposureFindings([topicPolicy({ Effect: 'Allow', Principal: '*', NotAction: ['sns:Subscribe'], Resource: '*' })]);
    expect(findings.map((f) => f.message)).toEqual(['its resource policy lets anyone, in any AWS account or none, every action but sns:Subscribe']);
  });

  it('names the actions of an Action statement open to anyone', () => {
    const findings = internetExposureFindings([topicPolicy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['sns:Publish', 'sns:Subscribe'], Resource: '*' })]);
    expect(findings.map((f) => f.message)).toEqual(['its resource policy lets anyone, in any AWS account or none, sns:Publish, sns:Subscribe']);
  });
});
