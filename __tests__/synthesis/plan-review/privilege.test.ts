import { policyJson, reviewEdit, reviewPlanOf } from '../../support/plan-review-rules';

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
const EVERYTHING = { Effect: 'Allow', Action: '*', Resource: '*' };
const CUSTOMER_POLICY_ARN = 'arn:aws:iam::123456789012:policy/mock-maintenance';

describe('Rule: privilege through every door, from two syntheses', () => {
  it("flags AdministratorAccess given through the role's managed_policy_arns", () => {
    // Act
    const run = reviewEdit((stack) => {
      stack.resource.aws_iam_role.create_order.managed_policy_arns = [ADMINISTRATOR_ACCESS];
    });
    // Assess
    expect(run.risks).toEqual([
      "privilege aws_iam_role.create_order: gains policy:arn:aws:iam::aws:policy/AdministratorAccess on (the managed policy's resources): full administrator of the account",
    ]);
    expect(run.status).toBe(3);
    expect(run.text).toContain('      from aws_iam_role.create_order managed_policy_arns\n');
  });

  it('flags AdministratorAccess given through aws_iam_role_policy_attachments_exclusive', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_iam_role_policy_attachments_exclusive = {
        create_order: { role_name: '${aws_iam_role.create_order.name}', policy_arns: [ADMINISTRATOR_ACCESS] },
      };
    });
    expect(run.risks).toEqual([
      "privilege aws_iam_role.create_order: gains policy:arn:aws:iam::aws:policy/AdministratorAccess on (the managed policy's resources): full administrator of the account",
    ]);
  });

  it('decodes a new customer managed policy and follows it to the role its attachment names by reference', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_iam_policy = { maintenance: { name: 'mock-maintenance', policy: policyJson(EVERYTHING) } };
      stack.resource.aws_iam_role_policy_attachment = {
        maintenance: { role: '${aws_iam_role.hold_payment.name}', policy_arn: '${aws_iam_policy.maintenance.arn}' },
      };
    });
    expect(run.risks).toEqual(['privilege aws_iam_role.hold_payment: gains * on *: full administrator of the account']);
    expect(run.json).toContain(
      '"from aws_iam_policy.maintenance, attached by aws_iam_role_policy_attachment.maintenance"',
    );
  });

  it('flags a trust policy that lets any AWS account assume the role', () => {
    const run = reviewEdit((stack) => {
      const role = stack.resource.aws_iam_role.create_order;
      const trust = JSON.parse(role.assume_role_policy);
      trust.Statement[0].Principal = { AWS: '*' };
      role.assume_role_policy = JSON.stringify(trust);
    });
    expect(run.risks).toEqual([
      'privilege aws_iam_role.create_order: its trust policy allows principal AWS:*: any AWS account may assume this role',
    ]);
  });
});

describe('Rule: privilege through every door, from a plan', () => {
  const role = {
    address: 'aws_iam_role.hold_payment',
    type: 'aws_iam_role',
    actions: ['no-op'],
    before: {
      name: 'mock-hold-payment',
      assume_role_policy: policyJson({
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    },
    after: {
      name: 'mock-hold-payment',
      assume_role_policy: policyJson({
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    },
  };
  const attachment = {
    address: 'aws_iam_role_policy_attachment.maintenance',
    type: 'aws_iam_role_policy_attachment',
    actions: ['no-op'],
    before: { role: 'mock-hold-payment', policy_arn: CUSTOMER_POLICY_ARN },
    after: { role: 'mock-hold-payment', policy_arn: CUSTOMER_POLICY_ARN },
  };

  it('flags a change of an attached customer managed policy as a gain of the role it is attached to', () => {
    // Prepare: the policy's ARN names it; only its document changes
    const customerPolicy = {
      address: 'aws_iam_policy.maintenance',
      type: 'aws_iam_policy',
      actions: ['update'],
      before: {
        arn: CUSTOMER_POLICY_ARN,
        name: 'mock-maintenance',
        policy: policyJson({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }),
      },
      after: {
        arn: CUSTOMER_POLICY_ARN,
        name: 'mock-maintenance',
        policy: policyJson({ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: '*' }),
      },
    };
    // Act
    const run = reviewPlanOf([role, customerPolicy, attachment]);
    // Assess
    expect(run.risks).toEqual([
      'privilege aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource',
    ]);
    expect(run.findings).toContain('info privilege aws_iam_role.hold_payment: gains 0 and loses 1 grants');
    expect(run.status).toBe(3);
  });

  it("follows a new customer managed policy, whose ARN is known only after apply, to its role through the configuration's references", () => {
    // Prepare: both are created, so the plan knows neither the policy's ARN nor the attachment's policy_arn
    const customerPolicy = {
      address: 'aws_iam_policy.maintenance',
      type: 'aws_iam_policy',
      actions: ['create'],
      after: { name: 'mock-maintenance', policy: policyJson(EVERYTHING) },
      after_unknown: { arn: true },
    };
    const newAttachment = {
      ...attachment,
      actions: ['create'],
      before: null,
      after: { role: 'mock-hold-payment' },
      after_unknown: { policy_arn: true },
    };
    // Act
    const run = reviewPlanOf([role, customerPolicy, newAttachment], {
      'aws_iam_role_policy_attachment.maintenance': {
        policy_arn: ['aws_iam_policy.maintenance.arn', 'aws_iam_policy.maintenance'],
      },
    });
    // Assess
    expect(run.risks).toEqual(['privilege aws_iam_role.hold_payment: gains * on *: full administrator of the account']);
    expect(run.status).toBe(3);
  });

  it('follows a new customer managed policy listed in managed_policy_arns, where the plan writes its unknown ARN as null', () => {
    // Prepare
    const customerPolicy = {
      address: 'aws_iam_policy.maintenance',
      type: 'aws_iam_policy',
      actions: ['create'],
      after: { name: 'mock-maintenance', policy: policyJson(EVERYTHING) },
      after_unknown: { arn: true },
    };
    const roleGaining = {
      ...role,
      actions: ['update'],
      after: { ...role.after, managed_policy_arns: [null] },
      after_unknown: { managed_policy_arns: [true] },
    };
    // Act
    const run = reviewPlanOf([roleGaining, customerPolicy], {
      'aws_iam_role.hold_payment': {
        managed_policy_arns: ['aws_iam_policy.maintenance.arn', 'aws_iam_policy.maintenance'],
      },
    });
    // Assess
    expect(run.findings.filter((f) => f.includes('privilege'))).toEqual([
      'risk privilege aws_iam_role.hold_payment: gains * on *: full administrator of the account',
    ]);
  });

  it('names AdministratorAccess attached through an attachment as full administrator of the account', () => {
    const run = reviewPlanOf([
      role,
      {
        ...attachment,
        actions: ['create'],
        before: null,
        after: { role: 'mock-hold-payment', policy_arn: ADMINISTRATOR_ACCESS },
      },
    ]);
    expect(run.risks).toEqual([
      "privilege aws_iam_role.hold_payment: gains policy:arn:aws:iam::aws:policy/AdministratorAccess on (the managed policy's resources): full administrator of the account",
    ]);
  });
});
