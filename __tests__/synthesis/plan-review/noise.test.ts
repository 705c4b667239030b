import { renderText, verdict } from '../../../review/render';
import { buildReview } from '../../../review/review';
import { diffSyntheses } from '../../../review/synthesis';
import type { StackJson } from '../../support/plan-review-cases';
import { stackSynthesis } from '../../support/plan-review';
import { reviewEdit, reviewPlanOf } from '../../support/plan-review-rules';

const LOG_GROUPS = ['accept_payment', 'create_order', 'hold_payment', 'payment_workflow', 'record_failure'];

/** The review model of the stack against a copy changed by `edit`. */
function reviewOfEdit(edit: (stack: StackJson) => void) {
  const stack = stackSynthesis();
  const head = structuredClone(stack.document);
  edit(head);
  return buildReview(diffSyntheses(stack, { document: head }));
}

/** The hold payment policy with the table named by `resource` instead of `${aws_dynamodb_table.orders.arn}`. */
function tableNamedAs(resource: string) {
  return (stack: StackJson): void => {
    const rolePolicy = stack.resource.aws_iam_role_policy.hold_payment;
    rolePolicy.policy = rolePolicy.policy.split('${aws_dynamodb_table.orders.arn}').join(resource);
  };
}

describe('Less noise: updates of tags only', () => {
  it('collapses updates that change only tags into one line with the count', () => {
    // Act
    const run = reviewEdit((stack) => {
      for (const name of LOG_GROUPS) stack.resource.aws_cloudwatch_log_group[name].tags = { team: 'payments' };
    });
    // Assess
    const lines = run.text.split('\n');
    expect(lines.slice(lines.indexOf('To update:'))).toEqual([
      'To update:',
      '  5 resources: update only their tags',
      '      tags.team: null → "payments"',
      '      resources: aws_cloudwatch_log_group.accept_payment, aws_cloudwatch_log_group.create_order, aws_cloudwatch_log_group.hold_payment, aws_cloudwatch_log_group.payment_workflow, aws_cloudwatch_log_group.record_failure',
      '',
    ]);
  });

  it("collapses tags_all changed by the provider's default_tags in a plan", () => {
    const retagged = (name: string) => ({
      address: `aws_cloudwatch_log_group.${name}`,
      type: 'aws_cloudwatch_log_group',
      actions: ['update'],
      before: { name, retention_in_days: 365, tags: {}, tags_all: { project: 'mock-payment-workflow' } },
      after: {
        name,
        retention_in_days: 365,
        tags: {},
        tags_all: { project: 'mock-payment-workflow', team: 'payments' },
      },
    });
    const run = reviewPlanOf(LOG_GROUPS.map(retagged));
    expect(run.findings).toEqual(['info change 5 resources: update only their tags']);
  });
});

describe('Less noise: a replacement', () => {
  it('names in one line the attributes only known after apply', () => {
    const run = reviewPlanOf([
      {
        address: 'aws_lambda_function.accept_payment',
        type: 'aws_lambda_function',
        actions: ['delete', 'create'],
        before: {
          function_name: 'mock-accept-payment',
          arn: 'arn:aws:lambda:us-east-1:123456789012:function:mock-accept-payment',
          version: '$LATEST',
        },
        after: { function_name: 'mock-accept-payment-v2' },
        after_unknown: { arn: true, version: true },
        replace_paths: [['function_name']],
      },
    ]);
    expect(run.text).toContain(
      [
        '  aws_lambda_function.accept_payment: replace',
        '      function_name: "mock-accept-payment" → "mock-accept-payment-v2" (forces replacement)',
        '      (known after apply): arn, version',
      ].join('\n'),
    );
  });
});

describe('Less noise: grants that name the same resource', () => {
  it('finds no gain or loss when a reference to the table becomes the literal ARN built from its name', () => {
    const review = reviewOfEdit(
      tableNamedAs(
        'arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/MockOrders',
      ),
    );
    expect(review.findings.filter((f) => f.kind === 'privilege')).toEqual([]);
  });

  it("finds no gain or loss when the ARN reference becomes an ARN built from the table's name reference", () => {
    const review = reviewOfEdit(
      tableNamedAs('arn:aws:dynamodb:us-east-1:123456789012:table/${aws_dynamodb_table.orders.name}'),
    );
    expect(review.findings.filter((f) => f.kind === 'privilege')).toEqual([]);
  });

  it('still lists a grant that moves to another table', () => {
    const review = reviewOfEdit(tableNamedAs('arn:aws:dynamodb:us-east-1:123456789012:table/OtherOrders'));
    expect(review.findings.filter((f) => f.kind === 'privilege').map((f) => f.message)).toEqual([
      'gains 2 and loses 2 grants',
    ]);
  });
});

describe('Less noise: identical findings', () => {
  it('names the five log groups whose retention is shortened alike in one line', () => {
    const run = reviewEdit((stack) => {
      for (const name of LOG_GROUPS) stack.resource.aws_cloudwatch_log_group[name].retention_in_days = 7;
    });
    expect(run.risks).toEqual([
      'data-loss aws_cloudwatch_log_group.accept_payment, aws_cloudwatch_log_group.create_order, aws_cloudwatch_log_group.hold_payment, aws_cloudwatch_log_group.payment_workflow, aws_cloudwatch_log_group.record_failure: shortens log retention from 365 days to 7 days: older log events are deleted',
    ]);
  });
});

describe('Less noise, never a false all-clear: the verdict', () => {
  it('says a deletion must be read when no rule finds a risk in it', () => {
    const review = reviewOfEdit((stack) => {
      delete stack.resource.aws_cloudwatch_dashboard;
    });
    expect(verdict(review)).toBe(
      '0 to add, 0 to change, 1 to destroy: no risk found, but 1 destroyed: read it before merging',
    );
    expect(renderText(review)).not.toContain('no risky change');
  });
});
