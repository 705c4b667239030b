import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { loadBundledHandler, seeded, useBundledHandler, withEnv } from '../support/bundled-handlers';
import { onlyLogLine, rejectionOf } from '../support/capture';
import { setClock } from '../support/clock';

describe('Handler: holdPayment', () => {
  const fixture = useBundledHandler('hold-payment');

  it("moves a created order to hold, keeping createdAt and setting updatedAt to the clock's time", async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-created', 'created'));
    setClock('2026-11-30T10:00:00.000Z');

    // Act
    const result = await fixture.handler({ orderId: 'hold-created' });

    // Assess
    expect(result).toEqual({ orderId: 'hold-created' });
    expect(await fixture.dynamo.getItem('hold-created')).toEqual({
      orderId: { S: 'hold-created' },
      status: { S: 'hold' },
      createdAt: { S: '2024-01-01T00:00:00.000Z' },
      updatedAt: { S: '2026-11-30T10:00:00.000Z' },
    });
  });

  it('moves on updatedAt, and not createdAt, when the clock has moved on since CreateOrder', async () => {
    // Prepare
    setClock('2026-11-30T10:00:00.000Z');
    await loadBundledHandler('create-order', fixture.env)({ orderId: 'hold-later' });
    jest.setSystemTime(new Date('2026-11-30T10:00:01.500Z'));

    // Act
    await fixture.handler({ orderId: 'hold-later' });

    // Assess
    expect(await fixture.dynamo.getItem('hold-later')).toEqual({
      orderId: { S: 'hold-later' },
      status: { S: 'hold' },
      createdAt: { S: '2026-11-30T10:00:00.000Z' },
      updatedAt: { S: '2026-11-30T10:00:01.500Z' },
    });
  });

  it('moves the order with exactly one UpdateItem request', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-one-request', 'created'));

    // Act
    const operations = await fixture.dynamo.recordOperations(() => fixture.handler({ orderId: 'hold-one-request' }));

    // Assess
    expect(operations).toEqual(['UpdateItem']);
  });

  it('checks a repeat with one UpdateItem and one GetItem request', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-repeat-requests', 'hold'));

    // Act
    const operations = await fixture.dynamo.recordOperations(() =>
      fixture.handler({ orderId: 'hold-repeat-requests' }),
    );

    // Assess
    expect(operations).toEqual(['UpdateItem', 'GetItem']);
  });

  it.each(['hold', 'paid'])('succeeds without writing when the order is already in status %s', async (status) => {
    // Prepare
    await fixture.dynamo.putOrder(seeded(`hold-already-${status}`, status));
    const before = await fixture.dynamo.getItem(`hold-already-${status}`);

    // Act
    const result = await fixture.handler({ orderId: `hold-already-${status}` });

    // Assess
    expect(result).toEqual({ orderId: `hold-already-${status}` });
    expect(await fixture.dynamo.getItem(`hold-already-${status}`)).toEqual(before);
  });

  it('rejects a missing order with OrderNotFound and creates no item', async () => {
    // Prepare
    const before = await fixture.dynamo.scanAll();

    // Act
    const err = await rejectionOf(fixture.handler({ orderId: 'hold-missing' }));

    // Assess
    expect(err.name).toBe('OrderNotFound');
    expect(err.message).toContain('"hold-missing"');
    expect(await fixture.dynamo.getItem('hold-missing')).toBeUndefined();
    expect(await fixture.dynamo.scanAll()).toEqual(before);
  });

  it('rejects an order in another status with OrderNotHoldable caused by the failed condition', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-cancelled', 'cancelled'));
    const before = await fixture.dynamo.getItem('hold-cancelled');

    // Act
    const err = await rejectionOf(fixture.handler({ orderId: 'hold-cancelled' }));

    // Assess
    expect(err.name).toBe('OrderNotHoldable');
    expect(err.message).toBe(
      'Expected order "hold-cancelled" in status created or failed to move it to hold, received status "cancelled".',
    );
    expect(err.cause?.name).toBe('ConditionalCheckFailedException');
    expect(await fixture.dynamo.getItem('hold-cancelled')).toEqual(before);
  });

  it('moves a failed order to hold and drops the failure it recovered from', async () => {
    // Prepare
    await fixture.dynamo.client.send(
      new PutItemCommand({
        TableName: fixture.dynamo.tableName,
        Item: {
          orderId: { S: 'hold-failed' },
          status: { S: 'failed' },
          failedStep: { S: 'HoldPayment' },
          failedError: { S: 'Lambda.ServiceException' },
          createdAt: { S: '2024-01-01T00:00:00.000Z' },
          updatedAt: { S: '2024-01-02T00:00:00.000Z' },
        },
      }),
    );
    setClock('2026-11-30T10:00:00.000Z');

    // Act
    const result = await fixture.handler({ orderId: 'hold-failed' });

    // Assess
    expect(result).toEqual({ orderId: 'hold-failed' });
    expect(await fixture.dynamo.getItem('hold-failed')).toEqual({
      orderId: { S: 'hold-failed' },
      status: { S: 'hold' },
      createdAt: { S: '2024-01-01T00:00:00.000Z' },
      updatedAt: { S: '2026-11-30T10:00:00.000Z' },
    });
  });

  it('rejects an order with no status with OrderNotHoldable, saying it received none', async () => {
    // Prepare
    await fixture.dynamo.client.send(
      new PutItemCommand({
        TableName: fixture.dynamo.tableName,
        Item: {
          orderId: { S: 'hold-no-status' },
          createdAt: { S: '2024-01-01T00:00:00.000Z' },
          updatedAt: { S: '2024-01-02T00:00:00.000Z' },
        },
      }),
    );

    // Act
    const err = await rejectionOf(fixture.handler({ orderId: 'hold-no-status' }));

    // Assess
    expect(err.name).toBe('OrderNotHoldable');
    expect(err.message).toBe(
      'Expected order "hold-no-status" in status created or failed to move it to hold, received status undefined.',
    );
  });

  it('propagates DynamoDB errors unchanged, without reading the order to classify them', async () => {
    // Prepare
    const wrongTable = { ...fixture.env, ORDERS_TABLE_NAME: 'no-such-table' };
    let err: Awaited<ReturnType<typeof rejectionOf>> | undefined;

    // Act
    const operations = await fixture.dynamo.recordOperations(async () => {
      err = await withEnv(wrongTable, () =>
        rejectionOf(loadBundledHandler('hold-payment', wrongTable, 'table-wrong')({ orderId: 'hold-wrong-table' })),
      );
    });

    // Assess
    expect(err?.name).toBe('ResourceNotFoundException');
    expect(operations).toEqual(['UpdateItem']);
  });

  it.each([
    { name: 'string input', input: 'hold-created' },
    { name: 'the key order_id', input: { order_id: 'hold-created' } },
    { name: 'an orderId with control characters', input: { orderId: 'hold\u0000created' } },
  ])('rejects $name with InvalidOrderInput and leaves the table unchanged', async ({ input }) => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-created', 'created'));
    const before = await fixture.dynamo.scanAll();

    // Act
    const err = await rejectionOf(fixture.handler(input));

    // Assess
    expect(err.name).toBe('InvalidOrderInput');
    expect(await fixture.dynamo.scanAll()).toEqual(before);
  });

  it('fails with ConfigurationError naming ORDERS_TABLE_NAME when it is unset', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-unconfigured', 'created'));
    const unconfigured = { ...fixture.env, ORDERS_TABLE_NAME: undefined };

    // Act
    const err = await withEnv(unconfigured, () =>
      rejectionOf(loadBundledHandler('hold-payment', unconfigured, 'table-unset')({ orderId: 'hold-unconfigured' })),
    );

    // Assess
    expect(err.name).toBe('ConfigurationError');
    expect(err.message).toContain('ORDERS_TABLE_NAME');
  });

  it('logs one object with console.log (level INFO), with only step, orderId, outcome and duration', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-logged', 'created'));

    // Act
    await fixture.handler({ orderId: 'hold-logged' });

    // Assess
    expect(onlyLogLine(fixture.logs.log)).toEqual({
      step: 'HoldPayment',
      orderId: 'hold-logged',
      outcome: 'written',
      durationMs: expect.any(Number),
    });
    expect(fixture.logs.error).not.toHaveBeenCalled();
  });

  it('logs outcome unchanged for a repeat', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('hold-logged-repeat', 'hold'));

    // Act
    await fixture.handler({ orderId: 'hold-logged-repeat' });

    // Assess
    expect(onlyLogLine(fixture.logs.log)).toMatchObject({ outcome: 'unchanged' });
  });

  it('logs one object with console.error (level ERROR), with the validated orderId and the error name', async () => {
    // Act
    await rejectionOf(fixture.handler({ orderId: 'hold-logged-missing' }));

    // Assess
    expect(onlyLogLine(fixture.logs.error)).toEqual({
      step: 'HoldPayment',
      orderId: 'hold-logged-missing',
      outcome: 'error',
      durationMs: expect.any(Number),
      error: 'OrderNotFound',
    });
    expect(fixture.logs.log).not.toHaveBeenCalled();
  });
});
