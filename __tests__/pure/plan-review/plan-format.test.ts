import { UnreadableInput, UnsupportedPlanFormat } from '../../../review/errors';
import { readPlan } from '../../../review/plan';
import { renderMarkdown, renderText, verdict } from '../../../review/render';
import { buildReview } from '../../../review/review';

/** A plan document in the documented format, written by hand: cases the offline provider cannot produce. */
function plan(resourceChanges: object[], extra: object = {}): object {
  return { format_version: '1.2', terraform_version: '1.11.4', resource_changes: resourceChanges, ...extra };
}

function tableChange(actions: string[], before: object | null, after: object | null, extra: object = {}): object {
  return {
    address: 'aws_dynamodb_table.orders',
    mode: 'managed',
    type: 'aws_dynamodb_table',
    name: 'orders',
    change: { actions, before, after, after_unknown: {}, ...extra },
  };
}

const TABLE = { name: 'MockOrders', hash_key: 'orderId', deletion_protection_enabled: true };

describe('Plan review: the plan JSON format', () => {
  it('counts a create-before-destroy replacement as a replacement that loses the data', () => {
    // Prepare
    const document = plan([
      tableChange(['create', 'delete'], TABLE, { ...TABLE, hash_key: 'id' }, { replace_paths: [['hash_key']] }),
    ]);
    // Act
    const review = buildReview(readPlan(document));
    // Assess
    expect(verdict(review)).toBe(
      '1 to add, 0 to change, 1 to destroy (1 replacement, in both add and destroy): 2 risks',
    );
    expect(review.findings[0].message).toBe('is replaced (forced by hash_key): every item in the table is lost');
  });

  it('counts a forgotten resource apart, and not as a data loss: the resource stays in AWS', () => {
    const review = buildReview(readPlan(plan([tableChange(['forget'], TABLE, null)])));
    expect(verdict(review)).toBe('0 to add, 0 to change, 0 to destroy (1 to forget): no risky change');
  });

  it('counts a deleted table as destroyed and as a data loss', () => {
    const review = buildReview(readPlan(plan([tableChange(['delete'], TABLE, null, {})])));
    expect(verdict(review)).toBe('0 to add, 0 to change, 1 to destroy: 2 risks');
    expect(review.findings[0]).toMatchObject({
      kind: 'data-loss',
      address: 'aws_dynamodb_table.orders',
      message: 'is destroyed: every item in the table is lost',
    });
  });

  it('refuses a plan of an unknown major format version', () => {
    expect(() => readPlan({ format_version: '2.0' })).toThrow(UnsupportedPlanFormat);
    expect(() => readPlan({ format_version: '2.0' })).toThrow('plan format_version 2.0 is not supported: expected 1.x');
  });

  it('accepts a newer minor format version', () => {
    expect(readPlan({ format_version: '1.9', planned_values: { root_module: {} } }).changes).toEqual([]);
  });

  it('refuses a document that is not a plan', () => {
    expect(() => readPlan({ resource: {} })).toThrow(UnreadableInput);
  });

  it('shows only the drift that matters to the plan', () => {
    // Prepare
    const drifted = (address: string): object => ({
      address,
      mode: 'managed',
      type: 'aws_cloudwatch_log_group',
      change: {
        actions: ['update'],
        before: { retention_in_days: 365 },
        after: { retention_in_days: 30 },
        after_unknown: {},
      },
    });
    const document = plan([], {
      resource_drift: [
        drifted('aws_cloudwatch_log_group.create_order'),
        drifted('aws_cloudwatch_log_group.hold_payment'),
      ],
      relevant_attributes: [{ resource: 'aws_cloudwatch_log_group.hold_payment', attribute: ['arn'] }],
    });
    // Act
    const changeSet = readPlan(document);
    // Assess
    expect(changeSet.drift.map((d) => d.address)).toEqual(['aws_cloudwatch_log_group.hold_payment']);
    expect(renderText(buildReview(changeSet))).toContain(
      'Drift:\n  aws_cloudwatch_log_group.hold_payment: drift: changed outside Terraform since the last apply\n      retention_in_days: 365 → 30',
    );
  });

  it('masks a whole object marked sensitive, and a sensitive output', () => {
    // Prepare
    const document = plan(
      [
        {
          address: 'aws_lambda_function.create_order',
          mode: 'managed',
          type: 'aws_lambda_function',
          change: {
            actions: ['update'],
            before: { environment: [{ variables: { MODE: 'old-secret-value' } }] },
            after: { environment: [{ variables: { MODE: 'new-secret-value' } }] },
            after_unknown: {},
            before_sensitive: { environment: true },
            after_sensitive: { environment: true },
          },
        },
      ],
      {
        output_changes: {
          api_key: {
            actions: ['update'],
            before: 'old-output-secret',
            after: 'new-output-secret',
            after_unknown: false,
            before_sensitive: true,
            after_sensitive: true,
          },
        },
      },
    );
    // Act
    const review = buildReview(readPlan(document));
    const printed = `${renderText(review)}${renderMarkdown(review)}${JSON.stringify(review)}`;
    // Assess
    expect(printed).not.toMatch(/old-secret-value|new-secret-value|old-output-secret|new-output-secret/);
    expect(review.changeSet.outputs).toEqual([
      { name: 'api_key', action: 'update', before: '(sensitive)', after: '(sensitive)', afterUnknown: false },
    ]);
  });

  it('ignores data sources read during the plan', () => {
    const document = plan([
      {
        address: 'data.aws_region.current',
        mode: 'data',
        type: 'aws_region',
        change: { actions: ['read'], before: null, after: {}, after_unknown: {} },
      },
    ]);
    expect(readPlan(document).changes).toEqual([]);
  });
});
