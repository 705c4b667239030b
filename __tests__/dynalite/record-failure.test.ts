import { loadBundledHandler, seeded, useBundledHandler, withEnv } from '../support/bundled-handlers';
import { onlyLogLine, rejectionOf } from '../support/capture';
import { setClock } from '../support/clock';

/** The bundled RecordFailure handler against dynalite: what the Record<Step>Failure states do to an order. */
describe('Handler: recordFailure', () => {
  const fixture = useBundledHandler('record-failure');
  const record = (orderId: string, step = 'HoldPayment', error = 'Lambda.ServiceException') =>
    fixture.handler({ executionInput: { orderId }, step, error } as never);

  it.each(['created', 'hold', 'failed'])('marks an order in %s failed with the step and the error', async (status) => {
    // Prepare
    await fixture.dynamo.putOrder(seeded(`rf-${status}`, status));
    setClock('2026-11-30T10:00:00.000Z');
    // Act
    const result = await record(`rf-${status}`, 'AcceptPayment', 'PaymentNotHeld');
    // Assess
    expect(result).toEqual({ orderId: `rf-${status}`, step: 'AcceptPayment', error: 'PaymentNotHeld', recorded: true });
    expect(await fixture.dynamo.getItem(`rf-${status}`)).toEqual({
      orderId: { S: `rf-${status}` },
      status: { S: 'failed' },
      failedStep: { S: 'AcceptPayment' },
      failedError: { S: 'PaymentNotHeld' },
      createdAt: { S: '2024-01-01T00:00:00.000Z' },
      updatedAt: { S: '2026-11-30T10:00:00.000Z' },
    });
  });

  it('leaves a paid order paid and says it recorded nothing', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('rf-paid', 'paid'));
    const before = await fixture.dynamo.getItem('rf-paid');
    // Act
    const result = await record('rf-paid');
    // Assess
    expect(result).toMatchObject({ orderId: 'rf-paid', recorded: false });
    expect(await fixture.dynamo.getItem('rf-paid')).toEqual(before);
  });

  it('leaves an order in a status no step writes (cancelled) unchanged, so no re-run resumes and pays it', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('rf-cancelled', 'cancelled'));
    const before = await fixture.dynamo.getItem('rf-cancelled');
    // Act
    const result = await record('rf-cancelled');
    // Assess
    expect(result).toMatchObject({ orderId: 'rf-cancelled', recorded: false });
    expect(await fixture.dynamo.getItem('rf-cancelled')).toEqual(before);
  });

  it('creates no order for an id that has none', async () => {
    // Act
    const result = await record('rf-missing');
    // Assess
    expect(result).toMatchObject({ orderId: 'rf-missing', recorded: false });
    expect(await fixture.dynamo.getItem('rf-missing')).toBeUndefined();
  });

  it.each([
    [
      'a step of no workflow',
      { step: 'ShipOrder', error: 'X' },
      'Expected step to be one of CreateOrder, HoldPayment, AcceptPayment, received "ShipOrder".',
    ],
    [
      'the recorder itself as the step',
      { step: 'RecordFailure', error: 'X' },
      'Expected step to be one of CreateOrder, HoldPayment, AcceptPayment, received "RecordFailure".',
    ],
    [
      'an empty error name',
      { step: 'HoldPayment', error: '' },
      'Expected error to be an error name of 1 to 128 characters, received "".',
    ],
    [
      'an error name of 129 characters',
      { step: 'HoldPayment', error: 'E'.repeat(129) },
      /^Expected error to be an error name of 1 to 128 characters, received "E+/,
    ],
  ])('refuses %s by name and writes nothing', async (_case, envelope, message) => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('rf-refused', 'hold'));
    const before = await fixture.dynamo.getItem('rf-refused');
    // Act
    const err = await rejectionOf(fixture.handler({ executionInput: { orderId: 'rf-refused' }, ...envelope } as never));
    // Assess
    expect(err.name).toBe('InvalidFailureRecord');
    expect(err.message).toMatch(message);
    expect(await fixture.dynamo.getItem('rf-refused')).toEqual(before);
  });

  it('keeps an error name of exactly 128 characters', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('rf-long', 'hold'));
    // Act
    const result = await record('rf-long', 'HoldPayment', 'E'.repeat(128));
    // Assess
    expect(result.recorded).toBe(true);
    expect((await fixture.dynamo.getItem('rf-long'))?.failedError).toEqual({ S: 'E'.repeat(128) });
  });

  it.each([null, undefined])(
    'refuses an envelope of %p with InvalidFailureRecord, as one without a step',
    async (envelope) => {
      // Act
      const err = await rejectionOf(fixture.handler(envelope));
      // Assess
      expect(err.name).toBe('InvalidFailureRecord');
      expect(err.message).toBe(
        'Expected step to be one of CreateOrder, HoldPayment, AcceptPayment, received undefined.',
      );
    },
  );

  it('fails with InvalidOrderInput and writes nothing when the execution input names no valid order', async () => {
    // Prepare
    const before = await fixture.dynamo.scanAll();
    // Act
    const err = await rejectionOf(
      fixture.handler({ executionInput: { order_id: 'rf-misnamed' }, step: 'HoldPayment', error: 'X' } as never),
    );
    // Assess
    expect(err.name).toBe('InvalidOrderInput');
    expect(await fixture.dynamo.scanAll()).toEqual(before);
  });

  it('propagates DynamoDB errors unchanged instead of reporting nothing recorded', async () => {
    // Prepare
    const wrongTable = { ...fixture.env, ORDERS_TABLE_NAME: 'no-such-table' };
    // Act
    const err = await withEnv(wrongTable, () =>
      rejectionOf(
        loadBundledHandler(
          'record-failure',
          wrongTable,
          'table-wrong',
        )({
          executionInput: { orderId: 'rf-wrong-table' },
          step: 'HoldPayment',
          error: 'X',
        } as never),
      ),
    );
    // Assess
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('logs one object with console.log for the step RecordFailure with the orderId and outcome', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('rf-logged', 'hold'));
    // Act
    await record('rf-logged');
    // Assess
    expect(onlyLogLine(fixture.logs.log)).toEqual({
      step: 'RecordFailure',
      orderId: 'rf-logged',
      outcome: 'written',
      durationMs: expect.any(Number),
    });
  });
});
