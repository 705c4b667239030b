import { privilegeFindings } from '../../../review/iam';
import type { ChangeSet, FindingKind, ResourceChange } from '../../../review/model';
import { buildReview } from '../../../review/review';
import { mermaidGraph, workflowChanges } from '../../../review/workflow';

/** A resource change with the defaults of an in-place update; each test states what differs. */
function change(fields: Partial<ResourceChange> & Pick<ResourceChange, 'address' | 'type'>): ResourceChange {
  return { action: 'update', actions: ['update'], destroys: false, before: null, after: null, afterUnknown: {}, replacePaths: [], predicted: false, references: {}, ...fields };
}

/** A policy document holding the given statements, as the plan writes it: a JSON string. */
function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders';
const LAMBDA_TRUST = policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });

/** The policy of the hold payment role, created with the given statements. */
function newHoldPaymentPolicy(...statements: object[]): ResourceChange {
  return change({
    address: 'aws_iam_role_policy.hold_payment',
    type: 'aws_iam_role_policy',
    action: 'create',
    after: { role: 'mock-hold-payment', policy: policy(...statements) },
    references: { role: ['aws_iam_role.hold_payment'] },
  });
}

/** The hold payment role as it stays, trusting Lambda. */
const HOLD_PAYMENT_ROLE_KEPT = change({
  address: 'aws_iam_role.hold_payment',
  type: 'aws_iam_role',
  action: 'no-op',
  actions: ['no-op'],
  before: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
  after: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
});

/** An attachment of a managed policy to the hold payment role. */
function newAttachment(address: string, policyArn: string): ResourceChange {
  return change({
    address,
    type: 'aws_iam_role_policy_attachment',
    action: 'create',
    after: { role: 'mock-hold-payment', policy_arn: policyArn },
    references: { role: ['aws_iam_role.hold_payment'] },
  });
}

describe('Rule: privilegeFindings', () => {
  it.each([
    'dynamodb:DeleteItem',
    'dynamodb:DeleteTable',
    'dynamodb:Scan',
    'dynamodb:BatchWriteItem',
    'dynamodb:PartiQLDelete',
    'dynamodb:UpdateTable',
    'dynamodb:DeleteBackup',
    'dynamodb:RestoreTableFromBackup',
    'logs:DeleteLogGroup',
    'logs:DeleteLogStream',
    'logs:PutRetentionPolicy',
    'kms:ScheduleKeyDeletion',
    'kms:DisableKey',
    'kms:PutKeyPolicy',
    'lambda:UpdateFunctionCode',
    'lambda:DeleteFunction',
    'lambda:AddPermission',
    'states:DeleteStateMachine',
    'states:UpdateStateMachine',
    'sts:AssumeRole',
  ])('flags %s on every resource as a destructive action', (action) => {
    expect(privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: action, Resource: '*' })])).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: `gains ${action} on *: a destructive action on every resource`,
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it.each(['iam:GetRole', 'iam:ListRolePolicies', 'iam:SimulatePrincipalPolicy', 'iam:GenerateServiceLastAccessedDetails'])(
    'lists the IAM read %s on one role as a plain grant',
    (action) => {
      const roleArn = 'arn:aws:iam::123456789012:role/mock-hold-payment';
      expect(privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: action, Resource: roleArn })])).toEqual([
        { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'is new, with 1 grants', details: [`+ ${action} on ${roleArn}`] },
      ]);
    },
  );

  it.each(['IAM:PassRole', 'DynamoDB:DeleteItem', 'iam:passrole'])('flags %s on one resource as destructive: IAM action names ignore case', (action) => {
    expect(privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: action, Resource: TABLE_ARN })])).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: `gains ${action} on ${TABLE_ARN}: a destructive action`,
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('lists IAM:GetRole on one role as a plain grant, a read in any case', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/mock-hold-payment';
    expect(privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'IAM:GetRole', Resource: roleArn })])).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'is new, with 1 grants', details: [`+ IAM:GetRole on ${roleArn}`] },
    ]);
  });

  it('lists XRay:PutTraceSegments on every resource as a plain grant, the only resource it takes in any case', () => {
    expect(privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'XRay:PutTraceSegments', Resource: '*' })])).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'is new, with 1 grants', details: ['+ XRay:PutTraceSegments on *'] },
    ]);
  });

  it('flags a destructive action on a wildcard resource', () => {
    const findings = privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/*' })]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: 'gains dynamodb:DeleteItem on arn:aws:dynamodb:us-east-1:123456789012:table/*: a destructive action on a wildcard resource',
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('flags a NotAction grant: it allows every action but the listed ones', () => {
    const findings = privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', NotAction: 'iam:*', Resource: TABLE_ARN })]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: `gains NotAction:iam:* on ${TABLE_ARN}: NotAction allows every action but the listed ones`,
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('flags a NotResource grant: it applies to every resource but the listed ones', () => {
    const findings = privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: TABLE_ARN })]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: `gains dynamodb:GetItem on NotResource:${TABLE_ARN}: NotResource applies to every resource but the listed ones`,
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('reads a statement without Effect as an Allow, so its risk is not missed', () => {
    const findings = privilegeFindings([newHoldPaymentPolicy({ Action: 'dynamodb:DeleteItem', Resource: '*' })]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: 'gains dynamodb:DeleteItem on *: a destructive action on every resource',
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('reads a statement without Resource as one on every resource', () => {
    const findings = privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:GetItem' })]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: 'gains dynamodb:GetItem on *: a wildcard resource',
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('reads a policy whose Statement is one object rather than a list', () => {
    const single = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      action: 'create',
      after: { role: 'mock-hold-payment', policy: JSON.stringify({ Statement: { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN } }) },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([single])).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'is new, with 1 grants', details: [`+ dynamodb:GetItem on ${TABLE_ARN}`] },
    ]);
  });

  it('lists a grant with its condition', () => {
    const findings = privilegeFindings([
      newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN, Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } }),
    ]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is new, with 1 grants',
        details: [`+ dynamodb:GetItem on ${TABLE_ARN} if {"StringEquals":{"aws:PrincipalAccount":"123456789012"}}`],
      },
    ]);
  });

  it('lists a Deny as a plain grant named Deny: it takes access away', () => {
    const findings = privilegeFindings([newHoldPaymentPolicy({ Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' })]);
    expect(findings).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'is new, with 1 grants', details: ['+ Deny dynamodb:DeleteTable on *'] },
    ]);
  });

  it.each(['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess', 'arn:aws:iam::aws:policy/PowerUserAccess'])(
    'flags the attachment of %s as a broad AWS managed policy',
    (policyArn) => {
      expect(privilegeFindings([newAttachment('aws_iam_role_policy_attachment.hold_payment', policyArn)])).toEqual([
        {
          kind: 'privilege',
          severity: 'risk',
          address: 'aws_iam_role.hold_payment',
          message: `gains policy:${policyArn} on (the managed policy's resources): a broad AWS managed policy`,
          details: ['from aws_iam_role_policy_attachment.hold_payment'],
        },
      ]);
    },
  );

  it('lists each narrow managed policy attached as a grant of its own', () => {
    const findings = privilegeFindings([
      newAttachment('aws_iam_role_policy_attachment.xray', 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess'),
      newAttachment('aws_iam_role_policy_attachment.logs', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'),
    ]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is new, with 2 grants',
        details: [
          "+ policy:arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess on (the managed policy's resources)",
          "+ policy:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole on (the managed policy's resources)",
        ],
      },
    ]);
  });

  it('reads the grants of a role\'s inline policy, naming the policy they come from', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      action: 'create',
      after: {
        name: 'mock-hold-payment',
        assume_role_policy: LAMBDA_TRUST,
        inline_policy: [{ name: 'orders-access', policy: policy({ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: '*' }) }],
      },
    });
    expect(privilegeFindings([role])).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: 'gains dynamodb:DeleteItem on *: a destructive action on every resource',
        details: ['from aws_iam_role.hold_payment inline policy orders-access'],
      },
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'trusts Service:lambda.amazonaws.com' },
    ]);
  });

  it('names an inline policy without a name by its role alone', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      action: 'create',
      after: { name: 'mock-hold-payment', inline_policy: [{ policy: policy({ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: '*' }) }] },
    });
    expect(privilegeFindings([role])[0].details).toEqual(['from aws_iam_role.hold_payment inline policy']);
  });

  it('says a removed role is removed with all its access, and nothing more', () => {
    const removed = [
      change({ address: 'aws_iam_role.hold_payment', type: 'aws_iam_role', action: 'delete', actions: ['delete'], destroys: true, before: HOLD_PAYMENT_ROLE_KEPT.before }),
      change({
        address: 'aws_iam_role_policy.hold_payment',
        type: 'aws_iam_role_policy',
        action: 'delete',
        actions: ['delete'],
        destroys: true,
        before: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
        references: { role: ['aws_iam_role.hold_payment'] },
      }),
    ];
    expect(privilegeFindings(removed)).toEqual([{ kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'is removed with all its access' }]);
  });

  it('reports the roles in the order of their addresses', () => {
    const newRole = (name: string): ResourceChange =>
      change({ address: `aws_iam_role.${name}`, type: 'aws_iam_role', action: 'create', after: { name: `mock-${name}`, assume_role_policy: LAMBDA_TRUST } });
    expect(privilegeFindings([newRole('record_failure'), newRole('accept_payment')]).map((f) => f.address)).toEqual([
      'aws_iam_role.accept_payment',
      'aws_iam_role.record_failure',
    ]);
  });

  it('finds the role of a policy by the role name when the policy does not refer to it, not a function of the same name', () => {
    // Prepare
    const sameName = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', before: { function_name: 'mock-hold-payment', name: 'mock-hold-payment' }, after: { function_name: 'mock-hold-payment', name: 'mock-hold-payment' } });
    const byName = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      action: 'create',
      after: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
    });
    // Act
    const findings = privilegeFindings([HOLD_PAYMENT_ROLE_KEPT, sameName, byName]);
    // Assess
    expect(findings).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'gains 1 and loses 0 grants', details: [`+ dynamodb:GetItem on ${TABLE_ARN}`] },
    ]);
  });

  it('names a role the change set does not hold by its name', () => {
    const orphan = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      action: 'create',
      after: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
    });
    expect(privilegeFindings([orphan])).toEqual([
      { kind: 'privilege', severity: 'info', address: 'role mock-hold-payment', message: 'is new, with 1 grants', details: [`+ dynamodb:GetItem on ${TABLE_ARN}`] },
    ]);
  });

  it('reads a role that existed with its trust policy and gains its first grant as changed, not new', () => {
    const findings = privilegeFindings([HOLD_PAYMENT_ROLE_KEPT, newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN })]);
    expect(findings).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'gains 1 and loses 0 grants', details: [`+ dynamodb:GetItem on ${TABLE_ARN}`] },
    ]);
  });

  it('reads a role that had grants but no known trust policy as changed, not new', () => {
    const widened = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      before: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
      after: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE_ARN }) },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([widened])).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'gains 1 and loses 0 grants', details: [`+ dynamodb:PutItem on ${TABLE_ARN}`] },
    ]);
  });

  it('reads a role whose earlier side shows neither grants nor a trust policy as new', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      before: { name: 'mock-hold-payment' },
      after: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
    });
    expect(privilegeFindings([role])).toEqual([{ kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'trusts Service:lambda.amazonaws.com' }]);
  });

  it('flags a trust policy that gains the principal *: any AWS account may assume the role', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      before: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
      after: { name: 'mock-hold-payment', assume_role_policy: policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }) },
    });
    expect(privilegeFindings([role])).toEqual([
      { kind: 'privilege', severity: 'risk', address: 'aws_iam_role.hold_payment', message: 'its trust policy allows principal *: any AWS account may assume this role' },
    ]);
  });

  it('says a policy is known only after apply because it names a created and a replaced resource, not an updated one', () => {
    // Prepare
    const changes = [
      change({ address: 'aws_dynamodb_table.orders', type: 'aws_dynamodb_table', action: 'create', actions: ['create'] }),
      change({ address: 'aws_kms_key.orders', type: 'aws_kms_key' }),
      change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action: 'replace', actions: ['delete', 'create'], destroys: true }),
      change({
        address: 'aws_iam_role_policy.hold_payment',
        type: 'aws_iam_role_policy',
        action: 'create',
        actions: ['create'],
        after: { role: 'mock-hold-payment' },
        afterUnknown: { policy: true },
        references: { role: ['aws_iam_role.hold_payment'], policy: ['aws_dynamodb_table.orders', 'aws_kms_key.orders', 'aws_lambda_function.hold_payment'] },
      }),
    ];
    // Act
    const findings = privilegeFindings(changes);
    // Assess
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message:
          'aws_iam_role_policy.hold_payment: policy is (known after apply), because it names aws_dynamodb_table.orders, aws_lambda_function.hold_payment, which is created or replaced; its new access is shown after apply',
      },
    ]);
  });

  it('lists no lost grant of a policy known only after apply: its new access is not known yet', () => {
    const unknownAfter = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      before: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
      after: { role: 'mock-hold-payment' },
      afterUnknown: { policy: true },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([unknownAfter])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'aws_iam_role_policy.hold_payment: policy is (known after apply); its new access is shown after apply',
      },
    ]);
  });

  it('reads a policy known only after apply from the synthesis when given, and says so', () => {
    const configured = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      before: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
      after: { role: 'mock-hold-payment' },
      afterUnknown: { policy: true },
      references: { role: ['aws_iam_role.hold_payment'] },
      configured: { policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '${aws_dynamodb_table.orders.arn}' }) },
    });
    expect(privilegeFindings([configured])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'aws_iam_role_policy.hold_payment: policy is (known after apply); read from the synthesis, where ${...} is a value decided at apply',
      },
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'gains 1 and loses 1 grants',
        details: ['+ dynamodb:GetItem on ${aws_dynamodb_table.orders.arn}', `- dynamodb:GetItem on ${TABLE_ARN}`],
      },
    ]);
  });

  it('lists the grants a role loses', () => {
    const narrowed = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      before: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE_ARN }) },
      after: { role: 'mock-hold-payment', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([narrowed])).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'gains 0 and loses 1 grants', details: [`- dynamodb:PutItem on ${TABLE_ARN}`] },
    ]);
  });

  it('lists a grant whose condition changes as one lost and one gained', () => {
    const statement = (account: string): object => ({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN, Condition: { StringEquals: { 'aws:PrincipalAccount': account } } });
    const recondition = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      before: { role: 'mock-hold-payment', policy: policy(statement('123456789012')) },
      after: { role: 'mock-hold-payment', policy: policy(statement('999999999999')) },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([recondition])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'gains 1 and loses 1 grants',
        details: [
          `+ dynamodb:GetItem on ${TABLE_ARN} if {"StringEquals":{"aws:PrincipalAccount":"999999999999"}}`,
          `- dynamodb:GetItem on ${TABLE_ARN} if {"StringEquals":{"aws:PrincipalAccount":"123456789012"}}`,
        ],
      },
    ]);
  });

  it('flags a resource whose region or account is a wildcard', () => {
    const findings = privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:*:123456789012:table/MockOrders' })]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: 'gains dynamodb:GetItem on arn:aws:dynamodb:*:123456789012:table/MockOrders: a wildcard resource',
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('reads no role\'s access from a key policy', () => {
    const key = change({
      address: 'aws_kms_key.orders',
      type: 'aws_kms_key',
      action: 'create',
      after: { policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }) },
    });
    expect(privilegeFindings([key])).toEqual([]);
  });

  it('names a role read by a data source by its name', () => {
    const onExistingRole = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      action: 'create',
      after: { role: 'mock-shared-role', policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }) },
      references: { role: ['data.aws_iam_role.shared'] },
    });
    expect(privilegeFindings([onExistingRole]).map((f) => f.address)).toEqual(['role mock-shared-role']);
  });

  it('names every principal a trust policy gains', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      before: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
      after: {
        name: 'mock-hold-payment',
        assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'states.amazonaws.com'], AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }),
      },
    });
    expect(privilegeFindings([role])).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: 'its trust policy gains principal Service:states.amazonaws.com, AWS:arn:aws:iam::999999999999:root: it may now assume the role',
      },
    ]);
  });

  it('does not count a principal a trust policy denies as one that may assume the role', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      before: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
      after: {
        name: 'mock-hold-payment',
        assume_role_policy: policy(
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' },
        ),
      },
    });
    expect(privilegeFindings([role])).toEqual([]);
  });

  it('says whom a new role trusts, each principal named', () => {
    const role = change({
      address: 'aws_iam_role.payment_workflow',
      type: 'aws_iam_role',
      action: 'create',
      after: { name: 'mock-payment-workflow', assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: ['states.amazonaws.com', 'events.amazonaws.com'] }, Action: 'sts:AssumeRole' }) },
    });
    expect(privilegeFindings([role])).toEqual([
      { kind: 'privilege', severity: 'info', address: 'aws_iam_role.payment_workflow', message: 'trusts Service:states.amazonaws.com, Service:events.amazonaws.com' },
    ]);
  });

  it('says nothing of whom a new role trusts when its trust policy names no principal', () => {
    const role = change({
      address: 'aws_iam_role.payment_workflow',
      type: 'aws_iam_role',
      action: 'create',
      after: { name: 'mock-payment-workflow', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }) },
    });
    expect(privilegeFindings([role])).toEqual([]);
  });
});

const CREATE_ORDER = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'mock-create-order' }, Next: 'HoldPayment' };
const HOLD_PAYMENT = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'mock-hold-payment' }, End: true };

/** The payment workflow's state machine with the given definitions; null where it does not exist. */
function stateMachine(action: ResourceChange['action'], before: object | null, after: object | null, fields: Partial<ResourceChange> = {}): ResourceChange {
  const side = (definition: object | null): object | null => (definition === null ? null : { name: 'mock-payment-workflow', definition: JSON.stringify(definition) });
  return change({ address: 'aws_sfn_state_machine.payment_workflow', type: 'aws_sfn_state_machine', action, before: side(before), after: side(after), ...fields });
}

/** What a workflow change decodes, without its graph. */
function decoded(workflows: readonly { added: readonly string[]; removed: readonly string[]; changed: object }[]): object[] {
  return workflows.map(({ added, removed, changed }) => ({ added, removed, changed }));
}

describe('Rule: workflowChanges', () => {
  it('decodes a new state machine as a new workflow definition, each state added', () => {
    const { workflows, findings } = workflowChanges([stateMachine('create', null, { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } })]);
    expect(decoded(workflows)).toEqual([{ added: ['CreateOrder', 'HoldPayment'], removed: [], changed: {} }]);
    expect(findings).toEqual([
      { kind: 'workflow', severity: 'info', address: 'aws_sfn_state_machine.payment_workflow', message: 'new workflow definition', details: ['+ CreateOrder (Task)', '+ HoldPayment (Task)'] },
    ]);
  });

  it('decodes a deleted state machine as each state removed, drawn as removed', () => {
    const { workflows, findings } = workflowChanges([
      stateMachine('delete', { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } }, null, { actions: ['delete'], destroys: true }),
    ]);
    expect(workflows).toEqual([
      {
        address: 'aws_sfn_state_machine.payment_workflow',
        added: [],
        removed: ['CreateOrder', 'HoldPayment'],
        changed: {},
        mermaid: [
          'flowchart TB',
          '  start(("Start"))',
          '  s0("CreateOrder (removed)")',
          '  s1("HoldPayment (removed)")',
          '  classDef added fill:#d4f8d4,stroke:#1a7f37',
          '  classDef changed fill:#fff4c2,stroke:#9a6700',
          '  classDef removed fill:#ffd8d3,stroke:#cf222e,stroke-dasharray:4',
          '  class s0,s1 removed',
        ].join('\n'),
      },
    ]);
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['- CreateOrder (Task)', '- HoldPayment (Task)', '~ definition StartAt'],
      },
    ]);
  });

  it('summarises the states an update adds, removes and changes, and the top-level fields it changes', () => {
    // Prepare
    const acceptPayment = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'mock-accept-payment' }, End: true };
    const update = stateMachine(
      'update',
      { Comment: 'v1', StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
      { Comment: 'v2', StartAt: 'CreateOrder', TimeoutSeconds: 300, States: { CreateOrder: { ...CREATE_ORDER, Next: 'AcceptPayment' }, AcceptPayment: acceptPayment } },
    );
    // Act
    const { workflows, findings } = workflowChanges([update]);
    // Assess
    expect(decoded(workflows)).toEqual([{ added: ['AcceptPayment'], removed: ['HoldPayment'], changed: { CreateOrder: ['Next'] } }]);
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'HoldPayment no longer runs (its Task state is removed): orders go from CreateOrder straight to AcceptPayment',
      },
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['+ AcceptPayment (Task)', '- HoldPayment (Task)', '~ CreateOrder: Next', '~ definition Comment', '~ definition TimeoutSeconds'],
      },
    ]);
  });

  it('reports a state removed from the middle of the flow', () => {
    const wait = { Type: 'Wait', Seconds: 5, Next: 'HoldPayment' };
    const update = stateMachine(
      'update',
      { StartAt: 'CreateOrder', States: { CreateOrder: { ...CREATE_ORDER, Next: 'Wait' }, Wait: wait, HoldPayment: HOLD_PAYMENT } },
      { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
    );
    expect(decoded(workflowChanges([update]).workflows)).toEqual([{ added: [], removed: ['Wait'], changed: { CreateOrder: ['Next'] } }]);
  });

  it('reports a new first state', () => {
    const validate = { Type: 'Pass', Next: 'CreateOrder' };
    const update = stateMachine(
      'update',
      { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
      { StartAt: 'Validate', States: { Validate: validate, CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['+ Validate (Pass)', '~ definition StartAt'],
      },
    ]);
  });

  it('reports a state appended after the last one', () => {
    const lastCreateOrder = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'mock-create-order' }, End: true };
    const update = stateMachine(
      'update',
      { StartAt: 'CreateOrder', States: { CreateOrder: lastCreateOrder } },
      { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'workflow definition changes',
        details: ['+ HoldPayment (Task)', '~ CreateOrder: End, Next'],
      },
    ]);
  });

  it('finds no workflow change in an update that keeps the definition', () => {
    const definition = { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER, HoldPayment: HOLD_PAYMENT } };
    const kept = stateMachine('update', definition, definition);
    expect(workflowChanges([kept])).toEqual({ workflows: [], findings: [] });
  });

  it('decodes nothing of a definition that holds no States', () => {
    expect(workflowChanges([stateMachine('update', { Comment: 'v1' }, { Comment: 'v2' })])).toEqual({ workflows: [], findings: [] });
  });

  it.each(['no-op', 'read'] as const)('decodes nothing of a state machine whose action is %s', (action) => {
    // Sides that differ, so that only the action keeps the change out.
    const unchanged = stateMachine(action, { StartAt: 'CreateOrder', States: { CreateOrder: CREATE_ORDER } }, { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } }, { actions: [action] });
    expect(workflowChanges([unchanged])).toEqual({ workflows: [], findings: [] });
  });

  it('decodes only state machines, not another resource with a definition', () => {
    const analysis = change({ address: 'aws_quicksight_analysis.orders', type: 'aws_quicksight_analysis', after: { name: 'orders' }, afterUnknown: { definition: true } });
    expect(workflowChanges([analysis])).toEqual({ workflows: [], findings: [] });
  });

  it('flags a state that loses a retry, and not one whose retry only changes its attempts', () => {
    // Prepare
    const serviceRetry = { ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 };
    const timeoutRetry = { ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 2 };
    const update = stateMachine(
      'update',
      { StartAt: 'HoldPayment', States: { HoldPayment: { ...HOLD_PAYMENT, Retry: [serviceRetry, timeoutRetry] } } },
      { StartAt: 'HoldPayment', States: { HoldPayment: { ...HOLD_PAYMENT, Retry: [{ ...timeoutRetry, MaxAttempts: 5 }] } } },
    );
    // Act
    const { findings } = workflowChanges([update]);
    // Assess
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'state HoldPayment loses its retry of Lambda.ServiceException, Lambda.TooManyRequestsException: a transient failure now fails the step at once',
      },
      { kind: 'workflow', severity: 'info', address: 'aws_sfn_state_machine.payment_workflow', message: 'workflow definition changes', details: ['~ HoldPayment: Retry'] },
    ]);
  });

  it('flags a state that loses a retrier without ErrorEquals, which States Language does not allow, as a retry of no error', () => {
    const update = stateMachine(
      'update',
      { StartAt: 'HoldPayment', States: { HoldPayment: { ...HOLD_PAYMENT, Retry: [{ MaxAttempts: 2 }] } } },
      { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'state HoldPayment loses its retry of : a transient failure now fails the step at once',
      },
      { kind: 'workflow', severity: 'info', address: 'aws_sfn_state_machine.payment_workflow', message: 'workflow definition changes', details: ['~ HoldPayment: Retry'] },
    ]);
  });

  it('flags a state that loses a catch: the error now fails the execution', () => {
    const recordFailure = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
    const update = stateMachine(
      'update',
      { StartAt: 'HoldPayment', States: { HoldPayment: { ...HOLD_PAYMENT, Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'RecordFailure' }] }, RecordFailure: recordFailure } },
      { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT, RecordFailure: recordFailure } },
    );
    expect(workflowChanges([update]).findings).toEqual([
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'state HoldPayment loses its catch of PaymentDeclined: the error now fails the execution unhandled',
      },
      {
        kind: 'workflow',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'RecordFailure no longer runs (no path from the start reaches it any more)',
      },
      { kind: 'workflow', severity: 'info', address: 'aws_sfn_state_machine.payment_workflow', message: 'workflow definition changes', details: ['~ HoldPayment: Catch'] },
    ]);
  });

  it('says a definition is known only after apply because it names a created and a replaced function, not an updated one', () => {
    // Prepare
    const changes = [
      change({ address: 'aws_lambda_function.accept_payment', type: 'aws_lambda_function', action: 'replace', actions: ['delete', 'create'], destroys: true }),
      change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function' }),
      change({ address: 'aws_lambda_function.validate_order', type: 'aws_lambda_function', action: 'create', actions: ['create'] }),
      stateMachine('update', { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } }, null, {
        after: { name: 'mock-payment-workflow' },
        afterUnknown: { definition: true },
        references: { definition: ['aws_lambda_function.accept_payment', 'aws_lambda_function.hold_payment', 'aws_lambda_function.validate_order'] },
      }),
    ];
    // Act
    const result = workflowChanges(changes);
    // Assess
    expect(result).toEqual({
      workflows: [],
      findings: [
        {
          kind: 'workflow',
          severity: 'info',
          address: 'aws_sfn_state_machine.payment_workflow',
          message: 'definition is (known after apply), because it names aws_lambda_function.accept_payment, aws_lambda_function.validate_order, which is created or replaced',
        },
      ],
    });
  });

  it('says a definition is known only after apply, and no cause when it names nothing created or replaced', () => {
    const changes = [
      change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function' }),
      stateMachine('update', { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } }, null, {
        after: { name: 'mock-payment-workflow' },
        afterUnknown: { definition: true },
        references: { definition: ['aws_lambda_function.hold_payment'] },
      }),
    ];
    expect(workflowChanges(changes).findings).toEqual([
      { kind: 'workflow', severity: 'info', address: 'aws_sfn_state_machine.payment_workflow', message: 'definition is (known after apply)' },
    ]);
  });

  it('decodes a definition known only after apply from the synthesis when given, and says so', () => {
    // Prepare
    const before = { StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } };
    const configured = { StartAt: 'HoldPayment', States: { HoldPayment: { ...HOLD_PAYMENT, Parameters: { FunctionName: '${aws_lambda_function.hold_payment.arn}' } } } };
    const changes = [
      change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action: 'replace', actions: ['delete', 'create'], destroys: true }),
      stateMachine('update', before, null, {
        after: { name: 'mock-payment-workflow' },
        afterUnknown: { definition: true },
        references: { definition: ['aws_lambda_function.hold_payment'] },
        configured: { definition: JSON.stringify(configured) },
      }),
    ];
    // Act
    const { workflows, findings } = workflowChanges(changes);
    // Assess
    expect(decoded(workflows)).toEqual([{ added: [], removed: [], changed: { HoldPayment: ['Parameters'] } }]);
    expect(findings).toEqual([
      {
        kind: 'workflow',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message:
          'definition is (known after apply), because it names aws_lambda_function.hold_payment, which is created or replaced; read from the synthesis, where ${...} is a value decided at apply',
      },
      { kind: 'workflow', severity: 'info', address: 'aws_sfn_state_machine.payment_workflow', message: 'workflow definition changes', details: ['~ HoldPayment: Parameters'] },
    ]);
  });
});

describe('Rule: mermaidGraph', () => {
  it('draws choices, catches, the start and the end, a final state as a stadium', () => {
    // Prepare
    const states = {
      CheckAmount: { Type: 'Choice', Choices: [{ Variable: '$.amount', NumericGreaterThan: 0, Next: 'HoldPayment' }], Default: 'Rejected' },
      HoldPayment: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Done', Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'Rejected' }] },
      Rejected: { Type: 'Fail', Error: 'PaymentDeclined' },
      Done: { Type: 'Succeed' },
    };
    // Act
    const graph = mermaidGraph(states, 'CheckAmount', { added: ['Done'], removed: [], changed: ['HoldPayment'] });
    // Assess
    expect(graph).toBe(
      [
        'flowchart TB',
        '  start(("Start"))',
        '  s0("CheckAmount")',
        '  s1("HoldPayment")',
        '  s2(["Rejected"])',
        '  s3(["Done"])',
        '  start --> s0',
        '  finish(("End"))',
        '  s0 --> s2',
        '  s0 --> s1',
        '  s1 --> s3',
        '  s1 -.->|"Catch"| s2',
        '  s3 --> finish',
        '  classDef added fill:#d4f8d4,stroke:#1a7f37',
        '  classDef changed fill:#fff4c2,stroke:#9a6700',
        '  classDef removed fill:#ffd8d3,stroke:#cf222e,stroke-dasharray:4',
        '  class s3 added',
        '  class s1 changed',
      ].join('\n'),
    );
  });

  it('writes line breaks as one space and the characters that would break a quoted label as entity codes', () => {
    const graph = mermaidGraph({ 'Check\r\n"amount" & #id': { Type: 'Fail' } }, 'Check\r\n"amount" & #id', { added: [], removed: [], changed: [] });
    expect(graph).toBe(
      [
        'flowchart TB',
        '  start(("Start"))',
        '  s0(["Check #34;amount#34; #38; #35;id"])',
        '  start --> s0',
        '  classDef added fill:#d4f8d4,stroke:#1a7f37',
        '  classDef changed fill:#fff4c2,stroke:#9a6700',
        '  classDef removed fill:#ffd8d3,stroke:#cf222e,stroke-dasharray:4',
      ].join('\n'),
    );
  });
});

/** Reviews the given changes as a plan without drift, outputs or bundles, unless given. */
function reviewOf(changes: ResourceChange[], fields: Partial<ChangeSet> = {}) {
  return buildReview({ source: 'plan', changes, drift: [], outputs: [], bundles: {}, ...fields });
}

/** The findings of one kind in the review of the given changes. */
function findingsOf(kind: FindingKind, changes: ResourceChange[], fields: Partial<ChangeSet> = {}) {
  return reviewOf(changes, fields).findings.filter((f) => f.kind === kind);
}

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('Rule: buildReview, data loss', () => {
  it.each([
    ['aws_dynamodb_table', 'is destroyed: every item in the table is lost'],
    ['aws_cloudwatch_log_group', 'is destroyed: the log events in the group are lost'],
    ['aws_kms_key', 'is destroyed: data encrypted with the key can no longer be decrypted once the key is deleted'],
  ])('flags a destroyed %s: %s', (type, message) => {
    const destroyed = change({ address: `${type}.orders`, type, action: 'delete', actions: ['delete'], destroys: true, before: { name: 'orders' } });
    expect(findingsOf('data-loss', [destroyed])).toEqual([{ kind: 'data-loss', severity: 'risk', address: `${type}.orders`, message }]);
  });

  it('does not flag a destroyed function as a data loss: it holds no data', () => {
    const destroyed = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action: 'delete', actions: ['delete'], destroys: true, before: { function_name: 'mock-hold-payment' } });
    expect(findingsOf('data-loss', [destroyed])).toEqual([]);
  });

  it('names each path that forces a replacement', () => {
    const replaced = change({
      address: 'aws_dynamodb_table.orders',
      type: 'aws_dynamodb_table',
      action: 'replace',
      actions: ['delete', 'create'],
      destroys: true,
      before: { hash_key: 'orderId', range_key: 'createdAt' },
      after: { hash_key: 'id', range_key: 'day' },
      replacePaths: [['hash_key'], ['range_key']],
    });
    expect(findingsOf('data-loss', [replaced])).toEqual([
      { kind: 'data-loss', severity: 'risk', address: 'aws_dynamodb_table.orders', message: 'is replaced (forced by hash_key, range_key): every item in the table is lost' },
    ]);
  });

  it('names no cause of a replacement when the plan gives none', () => {
    const replaced = change({ address: 'aws_dynamodb_table.orders', type: 'aws_dynamodb_table', action: 'replace', actions: ['delete', 'create'], destroys: true, before: { name: 'MockOrders' }, after: { name: 'MockOrders' } });
    expect(findingsOf('data-loss', [replaced])).toEqual([{ kind: 'data-loss', severity: 'risk', address: 'aws_dynamodb_table.orders', message: 'is replaced: every item in the table is lost' }]);
  });

  it('flags a log retention shortened from never expiring', () => {
    const shortened = change({ address: 'aws_cloudwatch_log_group.hold_payment', type: 'aws_cloudwatch_log_group', before: { retention_in_days: 0 }, after: { retention_in_days: 30 } });
    expect(findingsOf('data-loss', [shortened])).toEqual([
      { kind: 'data-loss', severity: 'risk', address: 'aws_cloudwatch_log_group.hold_payment', message: 'shortens log retention from never expire to 30 days: older log events are deleted' },
    ]);
  });

  it('finds nothing but the change in a log retention made longer', () => {
    const lengthened = change({ address: 'aws_cloudwatch_log_group.hold_payment', type: 'aws_cloudwatch_log_group', before: { retention_in_days: 30 }, after: { retention_in_days: 365 } });
    expect(reviewOf([lengthened]).findings).toEqual([
      { kind: 'change', severity: 'info', address: 'aws_cloudwatch_log_group.hold_payment', message: 'update', details: ['retention_in_days: 30 → 365'] },
    ]);
  });

  it('does not flag a log retention kept as it was', () => {
    const retagged = change({
      address: 'aws_cloudwatch_log_group.hold_payment',
      type: 'aws_cloudwatch_log_group',
      before: { retention_in_days: 30, tags: { team: 'payments' } },
      after: { retention_in_days: 30, tags: { team: 'orders' } },
    });
    expect(findingsOf('data-loss', [retagged])).toEqual([]);
  });
});

describe('Rule: buildReview, exposure', () => {
  it.each([
    ['null', null],
    ['empty', ''],
  ])('flags a function whose KMS key becomes %s', (_label, next) => {
    const unkeyed = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', before: { kms_key_arn: KEY_ARN }, after: { kms_key_arn: next } });
    expect(findingsOf('exposure', [unkeyed])).toEqual([
      {
        kind: 'exposure',
        severity: 'risk',
        address: 'aws_lambda_function.hold_payment',
        message: 'removes its KMS key (kms_key_arn): the data is no longer encrypted with the customer managed key',
      },
    ]);
  });

  it('does not flag a KMS key that was empty already', () => {
    const unkeyed = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', before: { kms_key_arn: '' }, after: { kms_key_arn: null } });
    expect(findingsOf('exposure', [unkeyed])).toEqual([]);
  });

  it('flags a replacement that removes the KMS key', () => {
    const replaced = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      action: 'replace',
      actions: ['delete', 'create'],
      destroys: true,
      before: { kms_key_arn: KEY_ARN },
      after: { kms_key_arn: null },
    });
    expect(findingsOf('exposure', [replaced]).map((f) => f.message)).toEqual(['removes its KMS key (kms_key_arn): the data is no longer encrypted with the customer managed key']);
  });

  it('does not flag a deleted function for its KMS key: nothing is left to expose', () => {
    const deleted = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action: 'delete', actions: ['delete'], destroys: true, before: { kms_key_arn: KEY_ARN } });
    expect(findingsOf('exposure', [deleted])).toEqual([]);
  });

  it('flags a table that turns server-side encryption off', () => {
    const table = change({ address: 'aws_dynamodb_table.orders', type: 'aws_dynamodb_table', before: { server_side_encryption: [{ enabled: true }] }, after: { server_side_encryption: [{ enabled: false }] } });
    expect(findingsOf('exposure', [table])).toEqual([
      { kind: 'exposure', severity: 'risk', address: 'aws_dynamodb_table.orders', message: 'turns off server-side encryption with its KMS key' },
    ]);
  });

  it('does not flag a table that keeps server-side encryption on', () => {
    const table = change({
      address: 'aws_dynamodb_table.orders',
      type: 'aws_dynamodb_table',
      before: { server_side_encryption: [{ enabled: true }], read_capacity: 5 },
      after: { server_side_encryption: [{ enabled: true }], read_capacity: 10 },
    });
    expect(findingsOf('exposure', [table])).toEqual([]);
  });

  it('does not flag execution data a state machine logged already', () => {
    const logging = [{ include_execution_data: true, level: 'ALL', log_destination: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/states/mock:*' }];
    const machine = change({
      address: 'aws_sfn_state_machine.payment_workflow',
      type: 'aws_sfn_state_machine',
      before: { logging_configuration: logging, tags: { team: 'payments' } },
      after: { logging_configuration: logging, tags: { team: 'orders' } },
    });
    expect(findingsOf('exposure', [machine])).toEqual([]);
  });

  it.each([
    ['sets its level to OFF', { logging_configuration: [{ level: 'OFF' }] }],
    ['drops its logging configuration', {}],
  ])('flags a state machine that turns its logging off: it %s', (_how, after) => {
    const machine = change({ address: 'aws_sfn_state_machine.payment_workflow', type: 'aws_sfn_state_machine', before: { logging_configuration: [{ level: 'ERROR' }] }, after });
    expect(findingsOf('exposure', [machine])).toEqual([{ kind: 'exposure', severity: 'risk', address: 'aws_sfn_state_machine.payment_workflow', message: 'turns its logging off' }]);
  });

  it('does not flag logging that was off already', () => {
    const machine = change({ address: 'aws_sfn_state_machine.payment_workflow', type: 'aws_sfn_state_machine', before: { logging_configuration: [{ level: 'OFF' }] }, after: {} });
    expect(findingsOf('exposure', [machine])).toEqual([]);
  });

  it('flags a state machine that stops encrypting with the customer managed key', () => {
    const machine = change({
      address: 'aws_sfn_state_machine.payment_workflow',
      type: 'aws_sfn_state_machine',
      before: { encryption_configuration: [{ type: 'CUSTOMER_MANAGED_KMS_KEY', kms_key_id: KEY_ARN }] },
      after: { encryption_configuration: [{ type: 'AWS_OWNED_KEY' }] },
    });
    expect(findingsOf('exposure', [machine])).toEqual([
      {
        kind: 'exposure',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'removes its KMS key (encryption_configuration[0].kms_key_id): the data is no longer encrypted with the customer managed key',
      },
      { kind: 'exposure', severity: 'risk', address: 'aws_sfn_state_machine.payment_workflow', message: 'stops encrypting with the customer managed key' },
    ]);
  });

  it('does not flag a state machine that keeps its customer managed key', () => {
    const encryption = [{ type: 'CUSTOMER_MANAGED_KMS_KEY', kms_key_id: KEY_ARN }];
    const machine = change({
      address: 'aws_sfn_state_machine.payment_workflow',
      type: 'aws_sfn_state_machine',
      before: { encryption_configuration: encryption, tags: { team: 'payments' } },
      after: { encryption_configuration: encryption, tags: { team: 'orders' } },
    });
    expect(findingsOf('exposure', [machine])).toEqual([]);
  });

  it('flags a function that turns X-Ray tracing off', () => {
    const fn = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', before: { tracing_config: [{ mode: 'Active' }] }, after: { tracing_config: [{ mode: 'PassThrough' }] } });
    expect(findingsOf('exposure', [fn])).toEqual([{ kind: 'exposure', severity: 'risk', address: 'aws_lambda_function.hold_payment', message: 'turns X-Ray tracing off' }]);
  });

  it('does not flag a function that keeps X-Ray tracing on', () => {
    const fn = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { tracing_config: [{ mode: 'Active' }], memory_size: 128 },
      after: { tracing_config: [{ mode: 'Active' }], memory_size: 256 },
    });
    expect(findingsOf('exposure', [fn])).toEqual([]);
  });
});

describe('Rule: buildReview, function code', () => {
  it('reports new function code with its hash and the size of its bundle', () => {
    const created = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action: 'create', actions: ['create'], after: { source_code_hash: 'bmV3' } });
    expect(findingsOf('code', [created], { bundles: { 'aws_lambda_function.hold_payment': { after: 5655 } } })).toEqual([
      { kind: 'code', severity: 'info', address: 'aws_lambda_function.hold_payment', message: 'new function code', details: ['source hash null → "bmV3"', 'bundle (none) → 5655 bytes'] },
    ]);
  });

  it('reports a removed function', () => {
    const deleted = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action: 'delete', actions: ['delete'], destroys: true, before: { source_code_hash: 'b2xk' } });
    expect(findingsOf('code', [deleted], { bundles: { 'aws_lambda_function.hold_payment': { before: 5612 } } })).toEqual([
      { kind: 'code', severity: 'info', address: 'aws_lambda_function.hold_payment', message: 'function removed', details: ['source hash "b2xk" → null', 'bundle 5612 bytes → (none)'] },
    ]);
  });

  it.each([
    ['new', 'create', null, { package_type: 'Image' }, 'new function code'],
    ['removed', 'delete', { package_type: 'Image' }, null, 'function removed'],
  ] as const)('reports a %s function that has no source hash, as an image function has none', (_what, action, before, after, message) => {
    const image = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action, actions: [action], destroys: action === 'delete', before, after });
    expect(findingsOf('code', [image])).toEqual([{ kind: 'code', severity: 'info', address: 'aws_lambda_function.hold_payment', message, details: ['source hash null → null'] }]);
  });

  it('says a function\'s new hash is known only after apply', () => {
    const rebuilt = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { source_code_hash: 'b2xk' },
      after: { source_code_hash: null },
      afterUnknown: { source_code_hash: true },
    });
    expect(findingsOf('code', [rebuilt])).toEqual([
      { kind: 'code', severity: 'info', address: 'aws_lambda_function.hold_payment', message: 'function code changes', details: ['source hash "b2xk" → (known after apply)'] },
    ]);
  });

  it('finds nothing but the change in a function update that keeps its code', () => {
    const resized = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { source_code_hash: 'b2xk', memory_size: 128 },
      after: { source_code_hash: 'b2xk', memory_size: 256 },
    });
    expect(reviewOf([resized]).findings).toEqual([
      { kind: 'change', severity: 'info', address: 'aws_lambda_function.hold_payment', message: 'update', details: ['memory_size: 128 → 256'] },
    ]);
  });

  it.each([
    [5612, 5655, 'bundle 5612 bytes → 5655 bytes (+43)'],
    [5655, 5612, 'bundle 5655 bytes → 5612 bytes (-43)'],
    [5612, 5612, 'bundle 5612 bytes → 5612 bytes (+0)'],
  ])('shows a bundle of %s bytes that becomes %s bytes as "%s"', (before, after, line) => {
    const rebuilt = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', before: { source_code_hash: 'b2xk' }, after: { source_code_hash: 'bmV3' } });
    const [code] = findingsOf('code', [rebuilt], { bundles: { 'aws_lambda_function.hold_payment': { before, after } } });
    expect(code.details).toEqual(['source hash "b2xk" → "bmV3"', line]);
  });

  it.each(['no-op', 'read'] as const)('reports no code of a function whose action is %s', (action) => {
    // Hashes that differ, so that only the action keeps the change out.
    const unchanged = change({ address: 'aws_lambda_function.hold_payment', type: 'aws_lambda_function', action, actions: [action], before: { source_code_hash: 'b2xk' }, after: { source_code_hash: 'bmV3' } });
    expect(findingsOf('code', [unchanged])).toEqual([]);
  });
});

describe('Rule: buildReview, the list of changes', () => {
  it('lists each attribute a new resource sets, the decoded ones and those known after apply', () => {
    const created = change({
      address: 'aws_sfn_state_machine.payment_workflow',
      type: 'aws_sfn_state_machine',
      action: 'create',
      actions: ['create'],
      after: { name: 'mock-payment-workflow', definition: JSON.stringify({ StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } }), tags: null },
      afterUnknown: { arn: true, logging_configuration: [{}] },
    });
    expect(findingsOf('change', [created])).toEqual([
      {
        kind: 'change',
        severity: 'info',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'create',
        details: ['name: "mock-payment-workflow"', 'definition: (decoded above)', 'arn: (known after apply)'],
      },
    ]);
  });

  it('marks each attribute that forces a replacement, a nested one by its block', () => {
    const replaced = change({
      address: 'aws_dynamodb_table.orders',
      type: 'aws_dynamodb_table',
      action: 'replace',
      actions: ['delete', 'create'],
      destroys: true,
      before: { hash_key: 'orderId', local_secondary_index: [{ name: 'by-date', range_key: 'createdAt' }], read_capacity: 5 },
      after: { hash_key: 'id', local_secondary_index: [{ name: 'by-date', range_key: 'updatedAt' }], read_capacity: 10 },
      replacePaths: [['hash_key'], ['local_secondary_index']],
    });
    expect(findingsOf('change', [replaced])[0].details).toEqual([
      'hash_key: "orderId" → "id" (forces replacement)',
      'local_secondary_index[0].range_key: "createdAt" → "updatedAt" (forces replacement)',
      'read_capacity: 5 → 10',
    ]);
  });

  it('says a changed trust policy is decoded above rather than repeating its JSON', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      before: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
      after: { name: 'mock-hold-payment', assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }) },
    });
    expect(findingsOf('change', [role])).toEqual([
      { kind: 'change', severity: 'info', address: 'aws_iam_role.hold_payment', message: 'update', details: ['assume_role_policy: changed (decoded above)'] },
    ]);
  });

  it('names a predicted replacement, the plan\'s reason and the construct path in the message', () => {
    const replaced = change({
      address: 'aws_dynamodb_table.orders',
      type: 'aws_dynamodb_table',
      action: 'replace',
      actions: ['delete', 'create'],
      destroys: true,
      before: { name: 'MockOrders' },
      after: { name: 'MockOrders' },
      predicted: true,
      actionReason: 'replace_because_cannot_update',
      constructPath: 'mock-payment-workflow/payment-workflow/orders-table/table',
    });
    expect(findingsOf('change', [replaced])).toEqual([
      {
        kind: 'change',
        severity: 'info',
        address: 'aws_dynamodb_table.orders',
        message: 'replace (predicted) (replace_because_cannot_update) [mock-payment-workflow/payment-workflow/orders-table/table]',
        details: [],
      },
    ]);
  });

  it.each(['no-op', 'read'] as const)('lists no change of a resource whose action is %s', (action) => {
    const unchanged = change({ address: 'aws_cloudwatch_log_group.hold_payment', type: 'aws_cloudwatch_log_group', action, actions: [action], before: { retention_in_days: 30 }, after: { retention_in_days: 30 } });
    expect(findingsOf('change', [unchanged])).toEqual([]);
  });

  it('lists drift with what changed outside Terraform', () => {
    const drifted = change({ address: 'aws_cloudwatch_log_group.hold_payment', type: 'aws_cloudwatch_log_group', before: { retention_in_days: 365 }, after: { retention_in_days: 30 } });
    expect(reviewOf([], { drift: [drifted] }).findings).toEqual([
      {
        kind: 'change',
        severity: 'info',
        address: 'aws_cloudwatch_log_group.hold_payment',
        message: 'drift: changed outside Terraform since the last apply',
        details: ['retention_in_days: 365 → 30'],
      },
    ]);
  });

  it('lists each changed output, a value known only after apply as such, and not the unchanged ones', () => {
    const outputs: ChangeSet['outputs'] = [
      { name: 'table_name', action: 'create', before: null, after: 'MockOrders', afterUnknown: false },
      { name: 'state_machine_arn', action: 'update', before: 'arn:aws:states:us-east-1:123456789012:stateMachine:mock', after: null, afterUnknown: true },
      { name: 'region', action: 'no-op', before: 'us-east-1', after: 'us-east-1', afterUnknown: false },
    ];
    expect(reviewOf([], { outputs }).findings).toEqual([
      { kind: 'change', severity: 'info', address: 'output.table_name', message: 'create output', details: ['null → "MockOrders"'] },
      {
        kind: 'change',
        severity: 'info',
        address: 'output.state_machine_arn',
        message: 'update output',
        details: ['"arn:aws:states:us-east-1:123456789012:stateMachine:mock" → (known after apply)'],
      },
    ]);
  });
});
