import * as fs from 'node:fs';
import * as path from 'node:path';
import { readPlan } from '../../../review/plan';
import { COMMENT_LIMIT, renderMarkdown } from '../../../review/render';
import { buildReview } from '../../../review/review';
import { FIXTURES_DIR, reviewOfPlan } from '../../support/plan-review';

const LOG_URL = 'https://github.com/example/mock-payment-workflow/actions/runs/1';

/** A plan of 500 resources: 497 new log groups with long names, and three risky changes. */
function planOf500Resources(): object {
  const logGroups = Array.from({ length: 497 }, (_, i) => {
    const name = `/aws/lambda/a-function-with-a-rather-long-name-to-fill-the-comment-${String(i).padStart(3, '0')}`;
    return {
      address: `aws_cloudwatch_log_group.group_${i}`,
      mode: 'managed',
      type: 'aws_cloudwatch_log_group',
      change: {
        actions: ['create'],
        before: null,
        after: { name, retention_in_days: 365, tags: { team: 'payments', purpose: 'load' } },
        after_unknown: { arn: true, id: true },
      },
    };
  });
  const policy = (actions: string[]): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
  const definition = (retry: object[]): string =>
    JSON.stringify({
      StartAt: 'HoldPayment',
      States: { HoldPayment: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: retry, End: true } },
    });
  return {
    format_version: '1.2',
    resource_changes: [
      ...logGroups,
      {
        address: 'aws_dynamodb_table.orders',
        mode: 'managed',
        type: 'aws_dynamodb_table',
        change: {
          actions: ['delete', 'create'],
          before: { hash_key: 'orderId' },
          after: { hash_key: 'id' },
          after_unknown: {},
          replace_paths: [['hash_key']],
        },
      },
      {
        address: 'aws_iam_role_policy.hold_payment',
        mode: 'managed',
        type: 'aws_iam_role_policy',
        change: {
          actions: ['update'],
          before: { role: 'r', policy: policy(['xray:PutTraceSegments']) },
          after: { role: 'r', policy: policy(['xray:PutTraceSegments', 'dynamodb:DeleteItem']) },
          after_unknown: {},
        },
      },
      {
        address: 'aws_sfn_state_machine.payment_workflow',
        mode: 'managed',
        type: 'aws_sfn_state_machine',
        change: {
          actions: ['update'],
          before: { definition: definition([{ ErrorEquals: ['Lambda.ServiceException'] }]) },
          after: { definition: definition([]) },
          after_unknown: {},
        },
      },
    ],
  };
}

describe('Plan review: the pull-request comment', () => {
  it('keeps a 500-resource plan under the comment limit with every risk and the workflow changes', () => {
    // Act
    const markdown = renderMarkdown(buildReview(readPlan(planOf500Resources())), { logUrl: LOG_URL });
    // Assess
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(markdown).toContain(
      '### Plan review: 498 to add, 2 to change, 1 to destroy (1 replacement, in both add and destroy): 3 risks',
    );
    expect(markdown).toContain(
      '- **Data loss** `aws_dynamodb_table.orders`: is replaced (forced by hash\\_key): every item in the table is lost',
    );
    expect(markdown).toContain(
      '- **Privilege** `role r`: gains dynamodb:DeleteItem on \\*: a destructive action on every resource',
    );
    expect(markdown).toContain(
      '- **Workflow** `aws_sfn_state_machine.payment_workflow`: state HoldPayment loses its retry of Lambda.ServiceException',
    );
    expect(markdown).toContain('```mermaid');
    expect(markdown).toMatch(
      /- … \d+ more changes left out to fit a comment: see \[the job log\]\(https:\/\/github\.com\/example\/mock-payment-workflow\/actions\/runs\/1\)\./,
    );
    expect(markdown).toContain(`Left out: too long for a comment. The whole review is in [the job log](${LOG_URL}).`);
  });

  it('leaves a short review whole, the raw changes collapsed at the end', () => {
    const markdown = renderMarkdown(reviewOfPlan('protection-off-and-delete-item'));
    expect(markdown).not.toContain('left out');
    expect(markdown.trimEnd().endsWith('</details>')).toBe(true);
    expect(markdown).toContain('<details><summary>Raw plan (resource changes, sensitive values masked)</summary>');
  });

  it('puts the verdict first, then the risks, the workflow changes, the other changes and the raw plan', () => {
    const markdown = renderMarkdown(reviewOfPlan('risky-change'));
    const positions = [
      '### Plan review:',
      '#### Risks',
      '#### Workflow changes',
      '#### Other changes',
      '<details><summary>Raw plan',
    ].map((heading) => markdown.indexOf(heading));
    expect(positions[0]).toBe(0);
    expect(positions.every((position, i) => i === 0 || position > positions[i - 1])).toBe(true);
  });

  it('says which label acknowledges the data-loss and privilege risks', () => {
    expect(renderMarkdown(reviewOfPlan('protection-off-and-delete-item'))).toContain(
      '> **2 data-loss or privilege risks: the pull-request check fails until the pull request carries the label `risk-acknowledged`.**',
    );
  });

  it('escapes a ${...} reference in a message, which GitHub would render as math', () => {
    // Prepare
    const policy = (actions: string[]): string =>
      JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: actions, Resource: '${aws_dynamodb_table.orders.arn}' }],
      });
    const change = {
      actions: ['update'],
      before: { role: 'r', policy: policy([]) },
      after: { role: 'r', policy: policy(['dynamodb:Scan']) },
      after_unknown: {},
    };
    const document = {
      format_version: '1.2',
      resource_changes: [{ address: 'aws_iam_role_policy.p', mode: 'managed', type: 'aws_iam_role_policy', change }],
    };
    // Act
    const markdown = renderMarkdown(buildReview(readPlan(document)));
    // Assess
    expect(markdown).toContain(
      '- **Privilege** `role r`: gains dynamodb:Scan on \\${aws\\_dynamodb\\_table.orders.arn}: a destructive action',
    );
  });

  it('renders the risky change as the reviewed golden comment', () => {
    const golden = fs.readFileSync(path.join(FIXTURES_DIR, 'risky-change', 'review.md'), 'utf8');
    expect(renderMarkdown(reviewOfPlan('risky-change'))).toBe(golden);
  });
});
