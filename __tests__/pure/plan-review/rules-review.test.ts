import type { ChangeSet, FindingKind, ResourceChange } from '../../../review/model';
import { buildReview } from '../../../review/review';
import { change, HOLD_PAYMENT, LAMBDA_TRUST, policy } from '../../support/plan-review-changes';

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
    const destroyed = change({
      address: `${type}.orders`,
      type,
      action: 'delete',
      actions: ['delete'],
      destroys: true,
      before: { name: 'orders' },
    });
    expect(findingsOf('data-loss', [destroyed])).toEqual([
      { kind: 'data-loss', severity: 'risk', address: `${type}.orders`, message },
    ]);
  });

  it('does not flag a destroyed function as a data loss: it holds no data', () => {
    const destroyed = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      action: 'delete',
      actions: ['delete'],
      destroys: true,
      before: { function_name: 'mock-hold-payment' },
    });
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
      {
        kind: 'data-loss',
        severity: 'risk',
        address: 'aws_dynamodb_table.orders',
        message: 'is replaced (forced by hash_key, range_key): every item in the table is lost',
      },
    ]);
  });

  it('names no cause of a replacement when the plan gives none', () => {
    const replaced = change({
      address: 'aws_dynamodb_table.orders',
      type: 'aws_dynamodb_table',
      action: 'replace',
      actions: ['delete', 'create'],
      destroys: true,
      before: { name: 'MockOrders' },
      after: { name: 'MockOrders' },
    });
    expect(findingsOf('data-loss', [replaced])).toEqual([
      {
        kind: 'data-loss',
        severity: 'risk',
        address: 'aws_dynamodb_table.orders',
        message: 'is replaced: every item in the table is lost',
      },
    ]);
  });

  it('flags a log retention shortened from never expiring', () => {
    const shortened = change({
      address: 'aws_cloudwatch_log_group.hold_payment',
      type: 'aws_cloudwatch_log_group',
      before: { retention_in_days: 0 },
      after: { retention_in_days: 30 },
    });
    expect(findingsOf('data-loss', [shortened])).toEqual([
      {
        kind: 'data-loss',
        severity: 'risk',
        address: 'aws_cloudwatch_log_group.hold_payment',
        message: 'shortens log retention from never expire to 30 days: older log events are deleted',
      },
    ]);
  });

  it('finds nothing but the change in a log retention made longer', () => {
    const lengthened = change({
      address: 'aws_cloudwatch_log_group.hold_payment',
      type: 'aws_cloudwatch_log_group',
      before: { retention_in_days: 30 },
      after: { retention_in_days: 365 },
    });
    expect(reviewOf([lengthened]).findings).toEqual([
      {
        kind: 'change',
        severity: 'info',
        address: 'aws_cloudwatch_log_group.hold_payment',
        message: 'update',
        details: ['retention_in_days: 30 → 365'],
      },
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
    const unkeyed = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { kms_key_arn: KEY_ARN },
      after: { kms_key_arn: next },
    });
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
    const unkeyed = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { kms_key_arn: '' },
      after: { kms_key_arn: null },
    });
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
    expect(findingsOf('exposure', [replaced]).map((f) => f.message)).toEqual([
      'removes its KMS key (kms_key_arn): the data is no longer encrypted with the customer managed key',
    ]);
  });

  it('does not flag a deleted function for its KMS key: nothing is left to expose', () => {
    const deleted = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      action: 'delete',
      actions: ['delete'],
      destroys: true,
      before: { kms_key_arn: KEY_ARN },
    });
    expect(findingsOf('exposure', [deleted])).toEqual([]);
  });

  it('flags a table that turns server-side encryption off', () => {
    const table = change({
      address: 'aws_dynamodb_table.orders',
      type: 'aws_dynamodb_table',
      before: { server_side_encryption: [{ enabled: true }] },
      after: { server_side_encryption: [{ enabled: false }] },
    });
    expect(findingsOf('exposure', [table])).toEqual([
      {
        kind: 'exposure',
        severity: 'risk',
        address: 'aws_dynamodb_table.orders',
        message: 'turns off server-side encryption with its KMS key',
      },
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
    const logging = [
      {
        include_execution_data: true,
        level: 'ALL',
        log_destination: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/states/mock:*',
      },
    ];
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
    const machine = change({
      address: 'aws_sfn_state_machine.payment_workflow',
      type: 'aws_sfn_state_machine',
      before: { logging_configuration: [{ level: 'ERROR' }] },
      after,
    });
    expect(findingsOf('exposure', [machine])).toEqual([
      {
        kind: 'exposure',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'turns its logging off',
      },
    ]);
  });

  it('does not flag logging that was off already', () => {
    const machine = change({
      address: 'aws_sfn_state_machine.payment_workflow',
      type: 'aws_sfn_state_machine',
      before: { logging_configuration: [{ level: 'OFF' }] },
      after: {},
    });
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
        message:
          'removes its KMS key (encryption_configuration[0].kms_key_id): the data is no longer encrypted with the customer managed key',
      },
      {
        kind: 'exposure',
        severity: 'risk',
        address: 'aws_sfn_state_machine.payment_workflow',
        message: 'stops encrypting with the customer managed key',
      },
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
    const fn = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { tracing_config: [{ mode: 'Active' }] },
      after: { tracing_config: [{ mode: 'PassThrough' }] },
    });
    expect(findingsOf('exposure', [fn])).toEqual([
      {
        kind: 'exposure',
        severity: 'risk',
        address: 'aws_lambda_function.hold_payment',
        message: 'turns X-Ray tracing off',
      },
    ]);
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
    const created = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      action: 'create',
      actions: ['create'],
      after: { source_code_hash: 'bmV3' },
    });
    expect(findingsOf('code', [created], { bundles: { 'aws_lambda_function.hold_payment': { after: 5655 } } })).toEqual(
      [
        {
          kind: 'code',
          severity: 'info',
          address: 'aws_lambda_function.hold_payment',
          message: 'new function code',
          details: ['source hash null → "bmV3"', 'bundle (none) → 5655 bytes'],
        },
      ],
    );
  });

  it('reports a removed function', () => {
    const deleted = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      action: 'delete',
      actions: ['delete'],
      destroys: true,
      before: { source_code_hash: 'b2xk' },
    });
    expect(
      findingsOf('code', [deleted], { bundles: { 'aws_lambda_function.hold_payment': { before: 5612 } } }),
    ).toEqual([
      {
        kind: 'code',
        severity: 'info',
        address: 'aws_lambda_function.hold_payment',
        message: 'function removed',
        details: ['source hash "b2xk" → null', 'bundle 5612 bytes → (none)'],
      },
    ]);
  });

  it.each([
    ['new', 'create', null, { package_type: 'Image' }, 'new function code'],
    ['removed', 'delete', { package_type: 'Image' }, null, 'function removed'],
  ] as const)(
    'reports a %s function that has no source hash, as an image function has none',
    (_what, action, before, after, message) => {
      const image = change({
        address: 'aws_lambda_function.hold_payment',
        type: 'aws_lambda_function',
        action,
        actions: [action],
        destroys: action === 'delete',
        before,
        after,
      });
      expect(findingsOf('code', [image])).toEqual([
        {
          kind: 'code',
          severity: 'info',
          address: 'aws_lambda_function.hold_payment',
          message,
          details: ['source hash null → null'],
        },
      ]);
    },
  );

  it("says a function's new hash is known only after apply", () => {
    const rebuilt = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { source_code_hash: 'b2xk' },
      after: { source_code_hash: null },
      afterUnknown: { source_code_hash: true },
    });
    expect(findingsOf('code', [rebuilt])).toEqual([
      {
        kind: 'code',
        severity: 'info',
        address: 'aws_lambda_function.hold_payment',
        message: 'function code changes',
        details: ['source hash "b2xk" → (known after apply)'],
      },
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
      {
        kind: 'change',
        severity: 'info',
        address: 'aws_lambda_function.hold_payment',
        message: 'update',
        details: ['memory_size: 128 → 256'],
      },
    ]);
  });

  it.each([
    [5612, 5655, 'bundle 5612 bytes → 5655 bytes (+43)'],
    [5655, 5612, 'bundle 5655 bytes → 5612 bytes (-43)'],
    [5612, 5612, 'bundle 5612 bytes → 5612 bytes (+0)'],
  ])('shows a bundle of %s bytes that becomes %s bytes as "%s"', (before, after, line) => {
    const rebuilt = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      before: { source_code_hash: 'b2xk' },
      after: { source_code_hash: 'bmV3' },
    });
    const [code] = findingsOf('code', [rebuilt], {
      bundles: { 'aws_lambda_function.hold_payment': { before, after } },
    });
    expect(code.details).toEqual(['source hash "b2xk" → "bmV3"', line]);
  });

  it.each(['no-op', 'read'] as const)('reports no code of a function whose action is %s', (action) => {
    // Hashes that differ, so that only the action keeps the change out.
    const unchanged = change({
      address: 'aws_lambda_function.hold_payment',
      type: 'aws_lambda_function',
      action,
      actions: [action],
      before: { source_code_hash: 'b2xk' },
      after: { source_code_hash: 'bmV3' },
    });
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
      after: {
        name: 'mock-payment-workflow',
        definition: JSON.stringify({ StartAt: 'HoldPayment', States: { HoldPayment: HOLD_PAYMENT } }),
        tags: null,
      },
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
      before: {
        hash_key: 'orderId',
        local_secondary_index: [{ name: 'by-date', range_key: 'createdAt' }],
        read_capacity: 5,
      },
      after: {
        hash_key: 'id',
        local_secondary_index: [{ name: 'by-date', range_key: 'updatedAt' }],
        read_capacity: 10,
      },
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
      after: {
        name: 'mock-hold-payment',
        assume_role_policy: policy({
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      },
    });
    expect(findingsOf('change', [role])).toEqual([
      {
        kind: 'change',
        severity: 'info',
        address: 'aws_iam_role.hold_payment',
        message: 'update',
        details: ['assume_role_policy: changed (decoded above)'],
      },
    ]);
  });

  it("names a predicted replacement, the plan's reason and the construct path in the message", () => {
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
        message:
          'replace (predicted) (replace_because_cannot_update) [mock-payment-workflow/payment-workflow/orders-table/table]',
        details: [],
      },
    ]);
  });

  it.each(['no-op', 'read'] as const)('lists no change of a resource whose action is %s', (action) => {
    const unchanged = change({
      address: 'aws_cloudwatch_log_group.hold_payment',
      type: 'aws_cloudwatch_log_group',
      action,
      actions: [action],
      before: { retention_in_days: 30 },
      after: { retention_in_days: 30 },
    });
    expect(findingsOf('change', [unchanged])).toEqual([]);
  });

  it('lists drift with what changed outside Terraform', () => {
    const drifted = change({
      address: 'aws_cloudwatch_log_group.hold_payment',
      type: 'aws_cloudwatch_log_group',
      before: { retention_in_days: 365 },
      after: { retention_in_days: 30 },
    });
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
      {
        name: 'state_machine_arn',
        action: 'update',
        before: 'arn:aws:states:us-east-1:123456789012:stateMachine:mock',
        after: null,
        afterUnknown: true,
      },
      { name: 'region', action: 'no-op', before: 'us-east-1', after: 'us-east-1', afterUnknown: false },
    ];
    expect(reviewOf([], { outputs }).findings).toEqual([
      {
        kind: 'change',
        severity: 'info',
        address: 'output.table_name',
        message: 'create output',
        details: ['null → "MockOrders"'],
      },
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
