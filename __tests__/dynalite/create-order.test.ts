import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadBundledHandler, useBundledHandler, withEnv } from '../support/bundled-handlers';
import { onlyLogLine, rejectionOf } from '../support/capture';
import { setClock } from '../support/clock';

describe('Handler: createOrder', () => {
  const fixture = useBundledHandler('create-order');

  it("creates the order in status created, with createdAt and updatedAt both the clock's time", async () => {
    // Prepare
    setClock('2026-11-30T10:00:00.000Z');

    // Act
    const result = await fixture.handler({ orderId: 'create-new' });

    // Assess
    expect(result).toEqual({ orderId: 'create-new' });
    expect(await fixture.dynamo.getItem('create-new')).toEqual({
      orderId: { S: 'create-new' },
      status: { S: 'created' },
      createdAt: { S: '2026-11-30T10:00:00.000Z' },
      updatedAt: { S: '2026-11-30T10:00:00.000Z' },
    });
  });

  it('creates the order with exactly one PutItem request', async () => {
    // Act
    const operations = await fixture.dynamo.recordOperations(() => fixture.handler({ orderId: 'create-one-request' }));

    // Assess
    expect(operations).toEqual(['PutItem']);
  });

  it('succeeds without writing when the order already exists, even if paid', async () => {
    // Prepare
    await fixture.dynamo.putOrder({
      orderId: 'create-existing',
      status: 'paid',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-02T00:00:00.000Z',
    });
    const before = await fixture.dynamo.getItem('create-existing');

    // Act
    const result = await fixture.handler({ orderId: 'create-existing' });

    // Assess
    expect(result).toEqual({ orderId: 'create-existing' });
    expect(await fixture.dynamo.getItem('create-existing')).toEqual(before);
  });

  it.each([
    { name: 'null input', input: null },
    { name: 'a misspelt key', input: { orderID: 'create-bad' } },
    { name: 'an extra field', input: { orderId: 'create-bad', amount: 10 } },
    { name: 'a 5 KiB orderId', input: { orderId: 'x'.repeat(5120) } },
  ])('rejects $name with InvalidOrderInput, sending no request', async ({ input }) => {
    // Prepare
    const before = await fixture.dynamo.scanAll();
    let err: Awaited<ReturnType<typeof rejectionOf>> | undefined;

    // Act
    const operations = await fixture.dynamo.recordOperations(async () => {
      err = await rejectionOf(fixture.handler(input));
    });

    // Assess
    expect(err?.name).toBe('InvalidOrderInput');
    expect(operations).toEqual([]);
    expect(await fixture.dynamo.scanAll()).toEqual(before);
  });

  it('fails with ConfigurationError naming ORDERS_TABLE_NAME when it is unset', async () => {
    // Prepare
    const unconfigured = { ...fixture.env, ORDERS_TABLE_NAME: undefined };

    // Act
    const err = await withEnv(unconfigured, () =>
      rejectionOf(loadBundledHandler('create-order', unconfigured, 'table-unset')({ orderId: 'create-unconfigured' })),
    );

    // Assess
    expect(err.name).toBe('ConfigurationError');
    expect(err.message).toBe(
      'Expected environment variable ORDERS_TABLE_NAME to name the orders table, received it unset.',
    );
    expect(await fixture.dynamo.getItem('create-unconfigured')).toBeUndefined();
  });

  it('propagates DynamoDB errors unchanged', async () => {
    // Prepare
    const wrongTable = { ...fixture.env, ORDERS_TABLE_NAME: 'no-such-table' };

    // Act
    const err = await withEnv(wrongTable, () =>
      rejectionOf(loadBundledHandler('create-order', wrongTable, 'table-wrong')({ orderId: 'create-wrong-table' })),
    );

    // Assess
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('logs one object with console.log (level INFO), with only step, orderId, outcome and duration', async () => {
    // Act
    await fixture.handler({ orderId: 'create-logged' });

    // Assess
    expect(onlyLogLine(fixture.logs.log)).toEqual({
      step: 'CreateOrder',
      orderId: 'create-logged',
      outcome: 'written',
      durationMs: expect.any(Number),
    });
    expect(fixture.logs.error).not.toHaveBeenCalled();
  });

  it('logs outcome unchanged when the order already exists', async () => {
    // Prepare
    await fixture.handler({ orderId: 'create-logged-twice' });
    fixture.logs.log.mockClear();

    // Act
    await fixture.handler({ orderId: 'create-logged-twice' });

    // Assess
    expect(onlyLogLine(fixture.logs.log)).toMatchObject({ outcome: 'unchanged' });
  });

  it('logs one object with console.error (level ERROR), naming the error but none of the invalid input', async () => {
    // Act
    await rejectionOf(fixture.handler({ orderId: 'secret-card-4111 1111' }));

    // Assess
    expect(onlyLogLine(fixture.logs.error)).toEqual({
      step: 'CreateOrder',
      outcome: 'error',
      durationMs: expect.any(Number),
      error: 'InvalidOrderInput',
    });
    expect(fixture.logs.log).not.toHaveBeenCalled();
  });

  it('logs durationMs as the time between the start and the end of the step on the performance clock', async () => {
    // Prepare: invalid input fails without awaiting anything, so these are the step's only two readings.
    jest.spyOn(performance, 'now').mockReturnValueOnce(80_000).mockReturnValueOnce(80_250);

    // Act
    await rejectionOf(fixture.handler({ orderId: 'not valid!' }));

    // Assess
    expect(onlyLogLine(fixture.logs.error)).toMatchObject({ step: 'CreateOrder', durationMs: 250 });
  });

  it('logs the error as UnknownError when the step fails with something other than an Error, and rethrows it', async () => {
    // Prepare: the SDK stays external to the bundle (lib/bundle.ts), so this is the client the handler sends with.
    jest.spyOn(DynamoDBClient.prototype, 'send').mockImplementation(() => Promise.reject('connection reset'));

    // Act
    const reason = await rejectionOf(fixture.handler({ orderId: 'create-not-an-error' }));

    // Assess
    expect(reason).toBe('connection reset');
    expect(onlyLogLine(fixture.logs.error)).toEqual({
      step: 'CreateOrder',
      orderId: 'create-not-an-error',
      outcome: 'error',
      durationMs: expect.any(Number),
      error: 'UnknownError',
    });
  });
});
