import { loadBundledHandler, seeded, useBundledHandler, withEnv } from '../support/bundled-handlers';
import { onlyLogLine, rejectionOf } from '../support/capture';
import { setClock } from '../support/clock';

describe('Handler: acceptPayment', () => {
  const fixture = useBundledHandler('accept-payment');

  it("moves a held order to paid, keeping createdAt and setting updatedAt to the clock's time", async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-held', 'hold'));
    setClock('2026-11-30T10:00:00.000Z');

    // Act
    await fixture.handler({ orderId: 'accept-held' });

    // Assess
    expect(await fixture.dynamo.getItem('accept-held')).toEqual({
      orderId: { S: 'accept-held' },
      status: { S: 'paid' },
      createdAt: { S: '2024-01-01T00:00:00.000Z' },
      updatedAt: { S: '2026-11-30T10:00:00.000Z' },
    });
  });

  it('returns the paid status and a confirmation message', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-result', 'hold'));

    // Act
    const result = await fixture.handler({ orderId: 'accept-result' });

    // Assess
    expect(result).toEqual({
      orderId: 'accept-result',
      status: 'paid',
      message: 'Payment accepted for order accept-result',
    });
  });

  it('moves the order with exactly one UpdateItem request', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-one-request', 'hold'));

    // Act
    const operations = await fixture.dynamo.recordOperations(() => fixture.handler({ orderId: 'accept-one-request' }));

    // Assess
    expect(operations).toEqual(['UpdateItem']);
  });

  it('succeeds without writing, with the same result, when the order is already paid', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-paid', 'paid'));
    const before = await fixture.dynamo.getItem('accept-paid');

    // Act
    const result = await fixture.handler({ orderId: 'accept-paid' });

    // Assess
    expect(result).toEqual({
      orderId: 'accept-paid',
      status: 'paid',
      message: 'Payment accepted for order accept-paid',
    });
    expect(await fixture.dynamo.getItem('accept-paid')).toEqual(before);
  });

  it('rejects accept when payment is not held, leaving the order unchanged', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-created', 'created'));
    const before = await fixture.dynamo.getItem('accept-created');

    // Act
    const err = await rejectionOf(fixture.handler({ orderId: 'accept-created' }));

    // Assess
    expect(err.name).toBe('PaymentNotHeld');
    expect(err.message).toBe(
      'Expected order "accept-created" in status hold to move it to paid, received status "created".',
    );
    expect(err.cause?.name).toBe('ConditionalCheckFailedException');
    expect(await fixture.dynamo.getItem('accept-created')).toEqual(before);
  });

  it('rejects a missing order with OrderNotFound and creates no item', async () => {
    // Prepare
    const before = await fixture.dynamo.scanAll();

    // Act
    const err = await rejectionOf(fixture.handler({ orderId: 'accept-missing' }));

    // Assess
    expect(err.name).toBe('OrderNotFound');
    expect(err.message).toContain('"accept-missing"');
    expect(await fixture.dynamo.getItem('accept-missing')).toBeUndefined();
    expect(await fixture.dynamo.scanAll()).toEqual(before);
  });

  it.each([
    { name: 'an array', input: [{ orderId: 'accept-held-input' }] },
    { name: 'a number orderId', input: { orderId: 7 } },
    { name: 'a 65-character orderId', input: { orderId: 'a'.repeat(65) } },
  ])('rejects $name with InvalidOrderInput and leaves the table unchanged', async ({ input }) => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-held-input', 'hold'));
    const before = await fixture.dynamo.scanAll();

    // Act
    const err = await rejectionOf(fixture.handler(input));

    // Assess
    expect(err.name).toBe('InvalidOrderInput');
    expect(await fixture.dynamo.scanAll()).toEqual(before);
  });

  it('fails with ConfigurationError naming ORDERS_TABLE_NAME when it is empty', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-unconfigured', 'hold'));
    const unconfigured = { ...fixture.env, ORDERS_TABLE_NAME: '' };

    // Act
    const err = await withEnv(unconfigured, () =>
      rejectionOf(
        loadBundledHandler('accept-payment', unconfigured, 'table-empty')({ orderId: 'accept-unconfigured' }),
      ),
    );

    // Assess
    expect(err.name).toBe('ConfigurationError');
    expect(err.message).toBe(
      'Expected environment variable ORDERS_TABLE_NAME to name the orders table, received an empty string.',
    );
  });

  it('ends paid with the same item when the whole workflow runs twice, a second later', async () => {
    // Prepare
    const createOrder = loadBundledHandler('create-order', fixture.env);
    const holdPayment = loadBundledHandler('hold-payment', fixture.env);
    const runWorkflow = async (): Promise<unknown> => {
      const created = await createOrder({ orderId: 'accept-rerun' });
      const held = await holdPayment(created);
      return fixture.handler(held);
    };
    setClock('2026-11-30T10:00:00.000Z');
    await runWorkflow();
    jest.setSystemTime(new Date('2026-11-30T10:00:01.000Z'));

    // Act
    const result = await runWorkflow();

    // Assess
    expect(await fixture.dynamo.getItem('accept-rerun')).toEqual({
      orderId: { S: 'accept-rerun' },
      status: { S: 'paid' },
      createdAt: { S: '2026-11-30T10:00:00.000Z' },
      updatedAt: { S: '2026-11-30T10:00:00.000Z' },
    });
    expect(result).toEqual({
      orderId: 'accept-rerun',
      status: 'paid',
      message: 'Payment accepted for order accept-rerun',
    });
  });

  it('logs one object with console.log (level INFO), with only step, orderId, outcome and duration', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-logged', 'hold'));

    // Act
    await fixture.handler({ orderId: 'accept-logged' });

    // Assess
    expect(onlyLogLine(fixture.logs.log)).toEqual({
      step: 'AcceptPayment',
      orderId: 'accept-logged',
      outcome: 'written',
      durationMs: expect.any(Number),
    });
    expect(fixture.logs.error).not.toHaveBeenCalled();
  });

  it('logs outcome unchanged for a repeat', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-logged-repeat', 'paid'));

    // Act
    await fixture.handler({ orderId: 'accept-logged-repeat' });

    // Assess
    expect(onlyLogLine(fixture.logs.log)).toMatchObject({ outcome: 'unchanged' });
  });

  it('logs one object with console.error (level ERROR), with the validated orderId and the error name', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('accept-logged-created', 'created'));

    // Act
    await rejectionOf(fixture.handler({ orderId: 'accept-logged-created' }));

    // Assess
    expect(onlyLogLine(fixture.logs.error)).toEqual({
      step: 'AcceptPayment',
      orderId: 'accept-logged-created',
      outcome: 'error',
      durationMs: expect.any(Number),
      error: 'PaymentNotHeld',
    });
    expect(fixture.logs.log).not.toHaveBeenCalled();
  });
});
