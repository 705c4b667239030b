import { privilegeFindings } from '../../../review/iam';
import type { ResourceChange } from '../../../review/model';
import { change, LAMBDA_TRUST, policy } from '../../support/plan-review-changes';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders';

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

  it.each([
    'iam:GetRole',
    'iam:ListRolePolicies',
    'iam:SimulatePrincipalPolicy',
    'iam:GenerateServiceLastAccessedDetails',
  ])('lists the IAM read %s on one role as a plain grant', (action) => {
    const roleArn = 'arn:aws:iam::123456789012:role/mock-hold-payment';
    expect(privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: action, Resource: roleArn })])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is new, with 1 grants',
        details: [`+ ${action} on ${roleArn}`],
      },
    ]);
  });

  it.each(['IAM:PassRole', 'DynamoDB:DeleteItem', 'iam:passrole'])(
    'flags %s on one resource as destructive: IAM action names ignore case',
    (action) => {
      expect(
        privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: action, Resource: TABLE_ARN })]),
      ).toEqual([
        {
          kind: 'privilege',
          severity: 'risk',
          address: 'aws_iam_role.hold_payment',
          message: `gains ${action} on ${TABLE_ARN}: a destructive action`,
          details: ['from aws_iam_role_policy.hold_payment'],
        },
      ]);
    },
  );

  it('lists IAM:GetRole on one role as a plain grant, a read in any case', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/mock-hold-payment';
    expect(
      privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'IAM:GetRole', Resource: roleArn })]),
    ).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is new, with 1 grants',
        details: [`+ IAM:GetRole on ${roleArn}`],
      },
    ]);
  });

  it('lists XRay:PutTraceSegments on every resource as a plain grant, the only resource it takes in any case', () => {
    expect(
      privilegeFindings([newHoldPaymentPolicy({ Effect: 'Allow', Action: 'XRay:PutTraceSegments', Resource: '*' })]),
    ).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is new, with 1 grants',
        details: ['+ XRay:PutTraceSegments on *'],
      },
    ]);
  });

  it('flags a destructive action on a wildcard resource', () => {
    const findings = privilegeFindings([
      newHoldPaymentPolicy({
        Effect: 'Allow',
        Action: 'dynamodb:DeleteItem',
        Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/*',
      }),
    ]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message:
          'gains dynamodb:DeleteItem on arn:aws:dynamodb:us-east-1:123456789012:table/*: a destructive action on a wildcard resource',
        details: ['from aws_iam_role_policy.hold_payment'],
      },
    ]);
  });

  it('flags a NotAction grant: it allows every action but the listed ones', () => {
    const findings = privilegeFindings([
      newHoldPaymentPolicy({ Effect: 'Allow', NotAction: 'iam:*', Resource: TABLE_ARN }),
    ]);
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
    const findings = privilegeFindings([
      newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: TABLE_ARN }),
    ]);
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
      after: {
        role: 'mock-hold-payment',
        policy: JSON.stringify({ Statement: { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN } }),
      },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([single])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is new, with 1 grants',
        details: [`+ dynamodb:GetItem on ${TABLE_ARN}`],
      },
    ]);
  });

  it('lists a grant with its condition', () => {
    const findings = privilegeFindings([
      newHoldPaymentPolicy({
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: TABLE_ARN,
        Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } },
      }),
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
    const findings = privilegeFindings([
      newHoldPaymentPolicy({ Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' }),
    ]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is new, with 1 grants',
        details: ['+ Deny dynamodb:DeleteTable on *'],
      },
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
      newAttachment(
        'aws_iam_role_policy_attachment.logs',
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ),
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

  it("reads the grants of a role's inline policy, naming the policy they come from", () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      action: 'create',
      after: {
        name: 'mock-hold-payment',
        assume_role_policy: LAMBDA_TRUST,
        inline_policy: [
          { name: 'orders-access', policy: policy({ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: '*' }) },
        ],
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
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'trusts Service:lambda.amazonaws.com',
      },
    ]);
  });

  it('names an inline policy without a name by its role alone', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      action: 'create',
      after: {
        name: 'mock-hold-payment',
        inline_policy: [{ policy: policy({ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: '*' }) }],
      },
    });
    expect(privilegeFindings([role])[0].details).toEqual(['from aws_iam_role.hold_payment inline policy']);
  });

  it('says a removed role is removed with all its access, and nothing more', () => {
    const removed = [
      change({
        address: 'aws_iam_role.hold_payment',
        type: 'aws_iam_role',
        action: 'delete',
        actions: ['delete'],
        destroys: true,
        before: HOLD_PAYMENT_ROLE_KEPT.before,
      }),
      change({
        address: 'aws_iam_role_policy.hold_payment',
        type: 'aws_iam_role_policy',
        action: 'delete',
        actions: ['delete'],
        destroys: true,
        before: {
          role: 'mock-hold-payment',
          policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
        },
        references: { role: ['aws_iam_role.hold_payment'] },
      }),
    ];
    expect(privilegeFindings(removed)).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'is removed with all its access',
      },
    ]);
  });

  it('reports the roles in the order of their addresses', () => {
    const newRole = (name: string): ResourceChange =>
      change({
        address: `aws_iam_role.${name}`,
        type: 'aws_iam_role',
        action: 'create',
        after: { name: `mock-${name}`, assume_role_policy: LAMBDA_TRUST },
      });
    expect(privilegeFindings([newRole('record_failure'), newRole('accept_payment')]).map((f) => f.address)).toEqual([
      'aws_iam_role.accept_payment',
      'aws_iam_role.record_failure',
    ]);
  });

  it('finds the role of a policy by the role name when the policy does not refer to it, not a function of the same name', () => {
    // Prepare
    const sameName = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { function_name: 'mock-hold-payment', name: 'mock-hold-payment' },
      after: { function_name: 'mock-hold-payment', name: 'mock-hold-payment' },
    });
    const byName = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      action: 'create',
      after: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
      },
    });
    // Act
    const findings = privilegeFindings([HOLD_PAYMENT_ROLE_KEPT, sameName, byName]);
    // Assess
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'gains 1 and loses 0 grants',
        details: [`+ dynamodb:GetItem on ${TABLE_ARN}`],
      },
    ]);
  });

  it('names a role the change set does not hold by its name', () => {
    const orphan = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      action: 'create',
      after: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
      },
    });
    expect(privilegeFindings([orphan])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'role mock-hold-payment',
        message: 'is new, with 1 grants',
        details: [`+ dynamodb:GetItem on ${TABLE_ARN}`],
      },
    ]);
  });

  it('reads a role that existed with its trust policy and gains its first grant as changed, not new', () => {
    const findings = privilegeFindings([
      HOLD_PAYMENT_ROLE_KEPT,
      newHoldPaymentPolicy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
    ]);
    expect(findings).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'gains 1 and loses 0 grants',
        details: [`+ dynamodb:GetItem on ${TABLE_ARN}`],
      },
    ]);
  });

  it('reads a role that had grants but no known trust policy as changed, not new', () => {
    const widened = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      before: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
      },
      after: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE_ARN }),
      },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([widened])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'gains 1 and loses 0 grants',
        details: [`+ dynamodb:PutItem on ${TABLE_ARN}`],
      },
    ]);
  });

  it('reads a role whose earlier side shows neither grants nor a trust policy as new', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      before: { name: 'mock-hold-payment' },
      after: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
    });
    expect(privilegeFindings([role])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'trusts Service:lambda.amazonaws.com',
      },
    ]);
  });

  it('flags a trust policy that gains the principal *: any AWS account may assume the role', () => {
    const role = change({
      address: 'aws_iam_role.hold_payment',
      type: 'aws_iam_role',
      before: { name: 'mock-hold-payment', assume_role_policy: LAMBDA_TRUST },
      after: {
        name: 'mock-hold-payment',
        assume_role_policy: policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
      },
    });
    expect(privilegeFindings([role])).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message: 'its trust policy allows principal *: any AWS account may assume this role',
      },
    ]);
  });

  it('says a policy is known only after apply because it names a created and a replaced resource, not an updated one', () => {
    // Prepare
    const changes = [
      change({
        address: 'aws_dynamodb_table.orders',
        type: 'aws_dynamodb_table',
        action: 'create',
        actions: ['create'],
      }),
      change({ address: 'aws_kms_key.orders', type: 'aws_kms_key' }),
      change({
        address: 'aws_lambda_function.hold_payment',
        type: 'aws_lambda_function',
        action: 'replace',
        actions: ['delete', 'create'],
        destroys: true,
      }),
      change({
        address: 'aws_iam_role_policy.hold_payment',
        type: 'aws_iam_role_policy',
        action: 'create',
        actions: ['create'],
        after: { role: 'mock-hold-payment' },
        afterUnknown: { policy: true },
        references: {
          role: ['aws_iam_role.hold_payment'],
          policy: ['aws_dynamodb_table.orders', 'aws_kms_key.orders', 'aws_lambda_function.hold_payment'],
        },
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
      before: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
      },
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
      before: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
      },
      after: { role: 'mock-hold-payment' },
      afterUnknown: { policy: true },
      references: { role: ['aws_iam_role.hold_payment'] },
      configured: {
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '${aws_dynamodb_table.orders.arn}' }),
      },
    });
    expect(privilegeFindings([configured])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message:
          'aws_iam_role_policy.hold_payment: policy is (known after apply); read from the synthesis, where ${...} is a value decided at apply',
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
      before: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE_ARN }),
      },
      after: {
        role: 'mock-hold-payment',
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
      },
      references: { role: ['aws_iam_role.hold_payment'] },
    });
    expect(privilegeFindings([narrowed])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'gains 0 and loses 1 grants',
        details: [`- dynamodb:PutItem on ${TABLE_ARN}`],
      },
    ]);
  });

  it('lists a grant whose condition changes as one lost and one gained', () => {
    const statement = (account: string): object => ({
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: TABLE_ARN,
      Condition: { StringEquals: { 'aws:PrincipalAccount': account } },
    });
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
    const findings = privilegeFindings([
      newHoldPaymentPolicy({
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: 'arn:aws:dynamodb:*:123456789012:table/MockOrders',
      }),
    ]);
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

  it("reads no role's access from a key policy", () => {
    const key = change({
      address: 'aws_kms_key.orders',
      type: 'aws_kms_key',
      action: 'create',
      after: {
        policy: policy({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'kms:*',
          Resource: '*',
        }),
      },
    });
    expect(privilegeFindings([key])).toEqual([]);
  });

  it('names a role read by a data source by its name', () => {
    const onExistingRole = change({
      address: 'aws_iam_role_policy.hold_payment',
      type: 'aws_iam_role_policy',
      action: 'create',
      after: {
        role: 'mock-shared-role',
        policy: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE_ARN }),
      },
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
        assume_role_policy: policy({
          Effect: 'Allow',
          Principal: {
            Service: ['lambda.amazonaws.com', 'states.amazonaws.com'],
            AWS: 'arn:aws:iam::999999999999:root',
          },
          Action: 'sts:AssumeRole',
        }),
      },
    });
    expect(privilegeFindings([role])).toEqual([
      {
        kind: 'privilege',
        severity: 'risk',
        address: 'aws_iam_role.hold_payment',
        message:
          'its trust policy gains principal Service:states.amazonaws.com, AWS:arn:aws:iam::999999999999:root: it may now assume the role',
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
      after: {
        name: 'mock-payment-workflow',
        assume_role_policy: policy({
          Effect: 'Allow',
          Principal: { Service: ['states.amazonaws.com', 'events.amazonaws.com'] },
          Action: 'sts:AssumeRole',
        }),
      },
    });
    expect(privilegeFindings([role])).toEqual([
      {
        kind: 'privilege',
        severity: 'info',
        address: 'aws_iam_role.payment_workflow',
        message: 'trusts Service:states.amazonaws.com, Service:events.amazonaws.com',
      },
    ]);
  });

  it('says nothing of whom a new role trusts when its trust policy names no principal', () => {
    const role = change({
      address: 'aws_iam_role.payment_workflow',
      type: 'aws_iam_role',
      action: 'create',
      after: {
        name: 'mock-payment-workflow',
        assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
      },
    });
    expect(privilegeFindings([role])).toEqual([]);
  });
});
