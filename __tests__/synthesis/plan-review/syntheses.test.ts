import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildReview } from '../../../review/review';
import { diffSyntheses } from '../../../review/synthesis';
import { verdict } from '../../../review/render';
import { grantDeleteItemOnEverything, PLAN_REVIEW_CASES, type StackJson } from '../../support/plan-review-cases';
import { reviewOfPlan, reviewOfSynthesis, riskLines, stackSynthesis } from '../../support/plan-review';

/** Reviews the stack against a copy changed by `edit`. */
function reviewOfEdit(edit: (stack: StackJson) => void) {
  const stack = stackSynthesis();
  const head = structuredClone(stack.document);
  edit(head);
  return buildReview(diffSyntheses(stack, { document: head, dir: stack.dir }));
}

describe('Plan review: two syntheses, without Terraform', () => {
  it('finds the same risks as the real plan when protection is turned off and dynamodb:DeleteItem granted on *', () => {
    expect(riskLines(reviewOfSynthesis('protection-off-and-delete-item'))).toEqual(
      riskLines(reviewOfPlan('protection-off-and-delete-item')),
    );
  });

  it('finds the same trust policy risk as the real plan', () => {
    expect(riskLines(reviewOfSynthesis('trust-loses-conditions'))).toEqual(
      riskLines(reviewOfPlan('trust-loses-conditions')),
    );
  });

  it('predicts the replacement Terraform plans for a changed hash key, and says it is a prediction', () => {
    const risks = riskLines(reviewOfSynthesis('risky-change'));
    expect(risks).toContain(
      'data-loss aws_dynamodb_table.orders: is replaced (predicted from the synthesis) (forced by hash_key): every item in the table is lost',
    );
    expect(
      reviewOfPlan('risky-change').changeSet.changes.find((c) => c.address === 'aws_dynamodb_table.orders')
        ?.replacePaths,
    ).toEqual([['hash_key']]);
  });

  it('sees the wildcard grant that the real plan of a replaced table hides until apply', () => {
    expect(riskLines(reviewOfSynthesis('risky-change'))).toContain(
      'privilege aws_iam_role.hold_payment: gains dynamodb:DeleteItem on *: a destructive action on every resource',
    );
  });

  it('predicts a replacement of a function renamed, as the real plan does', () => {
    const predicted = reviewOfSynthesis('sensitive-and-unknown')
      .changeSet.changes.filter((c) => c.action === 'replace')
      .map((c) => c.address);
    const planned = reviewOfPlan('sensitive-and-unknown')
      .changeSet.changes.filter((c) => c.action === 'replace')
      .map((c) => c.address);
    expect({ predicted, planned }).toEqual({
      predicted: ['aws_lambda_function.accept_payment'],
      planned: ['aws_lambda_function.accept_payment'],
    });
  });

  it('predicts that a policy naming a renamed role is replaced with it', () => {
    const review = reviewOfEdit((stack) => {
      stack.resource.aws_iam_role.create_order.name = 'renamed-role';
    });
    const replaced = review.changeSet.changes
      .filter((c) => c.action === 'replace')
      .map((c) => `${c.address} ${JSON.stringify(c.replacePaths)}`);
    expect(replaced).toEqual(['aws_iam_role.create_order [["name"]]', 'aws_iam_role_policy.create_order [["role"]]']);
  });

  it('counts nothing and finds nothing when the head equals the base', () => {
    const review = reviewOfEdit(() => undefined);
    expect(verdict(review)).toBe('0 to add, 0 to change, 0 to destroy: no risky change');
    expect(review.findings).toEqual([]);
  });

  it('reports a changed bundle as new code of that function, with both bundle sizes', () => {
    // Prepare: the head's edited bundle folder, holding a 100-byte bundle
    const stack = stackSynthesis();
    const head = structuredClone(stack.document);
    PLAN_REVIEW_CASES.find((c) => c.name === 'handler-changes')?.editHead(head);
    const headDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-head-'));
    const bundleDir = path.join(headDir, head.data.archive_file.create_order.source_dir.replace('${path.module}/', ''));
    fs.mkdirSync(bundleDir, { recursive: true });
    fs.writeFileSync(path.join(bundleDir, 'index.js'), 'x'.repeat(100));
    // Act
    const review = buildReview(diffSyntheses(stack, { document: head, dir: headDir }));
    // Assess
    const code = review.findings.filter((f) => f.kind === 'code');
    expect(code.map((f) => f.address)).toEqual(['aws_lambda_function.create_order']);
    expect(code[0].details?.[1]).toMatch(/^bundle \d+ bytes → 100 bytes \(-\d+\)$/);
  });

  it('maps each change to the construct path that made it', () => {
    const review = reviewOfEdit(grantDeleteItemOnEverything);
    const change = review.findings.find((f) => f.kind === 'change');
    expect(change?.message).toBe('update [mock-payment-workflow/payment-workflow/hold-payment/policy]');
  });

  it('lists every resource of a first deployment as new, none as risky', () => {
    const review = reviewOfSynthesis('everything-new');
    expect(verdict(review)).toBe('44 to add, 0 to change, 0 to destroy: no risky change');
  });

  it('flags a state machine that starts logging execution data and stops tracing', () => {
    const review = reviewOfEdit((stack) => {
      const machine = stack.resource.aws_sfn_state_machine.payment_workflow;
      machine.logging_configuration.include_execution_data = true;
      machine.tracing_configuration.enabled = false;
    });
    expect(riskLines(review)).toEqual([
      "exposure aws_sfn_state_machine.payment_workflow: puts execution data into its logs: the states' inputs and outputs, so the orders, are logged",
      'exposure aws_sfn_state_machine.payment_workflow: turns X-Ray tracing off',
    ]);
  });

  it('flags a shorter log retention and point-in-time recovery turned off', () => {
    const review = reviewOfEdit((stack) => {
      stack.resource.aws_cloudwatch_log_group.create_order.retention_in_days = 7;
      stack.resource.aws_dynamodb_table.orders.point_in_time_recovery.enabled = false;
    });
    expect(riskLines(review)).toEqual([
      'data-loss aws_cloudwatch_log_group.create_order: shortens log retention from 365 days to 7 days: older log events are deleted',
      'data-loss aws_dynamodb_table.orders: turns point-in-time recovery off: the table can no longer be restored to a moment before a bad write',
    ]);
  });

  it('flags a function whose customer managed key is removed', () => {
    // Prepare
    const keyed = structuredClone(stackSynthesis().document);
    keyed.resource.aws_lambda_function.hold_payment.kms_key_arn = 'arn:aws:kms:us-east-1:123456789012:key/1234';
    // Act
    const review = buildReview(diffSyntheses({ document: keyed }, { document: stackSynthesis().document }));
    // Assess
    expect(riskLines(review)).toEqual([
      'exposure aws_lambda_function.hold_payment: removes its KMS key (kms_key_arn): the data is no longer encrypted with the customer managed key',
    ]);
  });
});

describe('Plan review: what a role gains', () => {
  /** Reviews the stack against a copy whose create order policy gains one statement. */
  function gaining(statement: object) {
    return reviewOfEdit((stack) => {
      const resource = stack.resource.aws_iam_role_policy.create_order;
      const policy = JSON.parse(resource.policy);
      policy.Statement.push(statement);
      resource.policy = JSON.stringify(policy);
    });
  }

  it('flags a wildcard action', () => {
    expect(
      riskLines(
        gaining({
          Effect: 'Allow',
          Action: 'dynamodb:*',
          Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders',
        }),
      ),
    ).toEqual([
      'privilege aws_iam_role.create_order: gains dynamodb:* on arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders: a wildcard action',
    ]);
  });

  it("flags a wildcard in a resource, but not the :* that names one log group's streams", () => {
    const review = gaining({
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: [
        'arn:aws:dynamodb:us-east-1:123456789012:table/*',
        'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:*',
      ],
    });
    expect(riskLines(review)).toEqual([
      'privilege aws_iam_role.create_order: gains dynamodb:GetItem on arn:aws:dynamodb:us-east-1:123456789012:table/*: a wildcard resource',
    ]);
  });

  it('flags an iam write as destructive and lists a plain read as gained', () => {
    const review = gaining({
      Effect: 'Allow',
      Action: ['iam:PassRole', 'dynamodb:Query'],
      Resource: '${aws_dynamodb_table.orders.arn}',
    });
    expect(riskLines(review)).toEqual([
      'privilege aws_iam_role.create_order: gains iam:PassRole on ${aws_dynamodb_table.orders.arn}: a destructive action',
    ]);
    expect(review.findings.find((f) => f.message === 'gains 1 and loses 0 grants')?.details).toEqual([
      '+ dynamodb:Query on ${aws_dynamodb_table.orders.arn}',
    ]);
  });

  it('lists the X-Ray actions on * of a new role without flagging them: they accept no other resource', () => {
    const review = reviewOfSynthesis('everything-new');
    const newRole = review.findings.find(
      (f) => f.address === 'aws_iam_role.create_order' && f.message.startsWith('is new'),
    );
    expect(newRole?.details).toContain('+ xray:PutTraceSegments on *');
    expect(riskLines(review)).toEqual([]);
  });

  it('flags a trust policy that gains a principal', () => {
    const review = reviewOfEdit((stack) => {
      const role = stack.resource.aws_iam_role.create_order;
      const trust = JSON.parse(role.assume_role_policy);
      trust.Statement[0].Principal = { Service: 'lambda.amazonaws.com', AWS: 'arn:aws:iam::999999999999:root' };
      role.assume_role_policy = JSON.stringify(trust);
    });
    expect(riskLines(review)).toEqual([
      'privilege aws_iam_role.create_order: its trust policy gains principal AWS:arn:aws:iam::999999999999:root: it may now assume the role',
    ]);
  });
});
