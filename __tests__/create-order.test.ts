import {
  type BundledHandlers,
  type HandlerEnv,
  loadBundledHandler,
  removeBundledHandlers,
  withEnv,
} from './support/bundled-handlers';
import { type CapturedConsole, captureConsole, onlyLogLine, rejectionOf } from './support/capture';
import { type LocalDynamo, startDynalite } from './support/dynalite';

describe('Handler: createOrder', () => {
  let dynamo: LocalDynamo;
  let env: HandlerEnv;
  let createOrder: BundledHandlers['create-order'];
  let logs: CapturedConsole;

  beforeAll(async () => {
    dynamo = await startDynalite();
    env = { ORDERS_TABLE_NAME: dynamo.tableName, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
    createOrder = loadBundledHandler('create-order', env);
  });

  afterAll(async () => {
    await dynamo.close();
    removeBundledHandlers();
  });

  beforeEach(() => {
    logs = captureConsole();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('creates the order in status created with createdAt equal to updatedAt', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const result = await createOrder({ orderId: 'create-new' });

    // Assess
    expect(result).toEqual({ orderId: 'create-new' });
    const item = await dynamo.getItem('create-new');
    expect(item).toEqual({
      orderId: { S: 'create-new' },
      status: { S: 'created' },
      createdAt: { S: expect.any(String) },
      updatedAt: { S: item?.createdAt?.S },
    });
    const createdAt = item?.createdAt?.S ?? '';
    expect(new Date(createdAt).toISOString()).toBe(createdAt);
    expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(createdAt)).toBeLessThanOrEqual(Date.now());
  });

  it('creates the order with exactly one PutItem request', async () => {
    // Act
    const operations = await dynamo.recordOperations(() => createOrder({ orderId: 'create-one-request' }));

    // Assess
    expect(operations).toEqual(['PutItem']);
  });

  it('succeeds without writing when the order already exists, even if paid', async () => {
    // Prepare
    await dynamo.putOrder({
      orderId: 'create-existing',
      status: 'paid',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-02T00:00:00.000Z',
    });
    const before = await dynamo.getItem('create-existing');

    // Act
    const result = await createOrder({ orderId: 'create-existing' });

    // Assess
    expect(result).toEqual({ orderId: 'create-existing' });
    expect(await dynamo.getItem('create-existing')).toEqual(before);
  });

  it.each([
    { name: 'null input', input: null },
    { name: 'a misspelt key', input: { orderID: 'create-bad' } },
    { name: 'an extra field', input: { orderId: 'create-bad', amount: 10 } },
    { name: 'a 5 KiB orderId', input: { orderId: 'x'.repeat(5120) } },
  ])('rejects $name with InvalidOrderInput, sending no request', async ({ input }) => {
    // Prepare
    const before = await dynamo.scanAll();
    let err: Awaited<ReturnType<typeof rejectionOf>> | undefined;

    // Act
    const operations = await dynamo.recordOperations(async () => {
      err = await rejectionOf(createOrder(input));
    });

    // Assess
    expect(err?.name).toBe('InvalidOrderInput');
    expect(operations).toEqual([]);
    expect(await dynamo.scanAll()).toEqual(before);
  });

  it('fails with ConfigurationError naming ORDERS_TABLE_NAME when it is unset', async () => {
    // Prepare
    const unconfigured = { ...env, ORDERS_TABLE_NAME: undefined };

    // Act
    const err = await withEnv(unconfigured, () =>
      rejectionOf(loadBundledHandler('create-order', unconfigured, 'table-unset')({ orderId: 'create-unconfigured' })),
    );

    // Assess
    expect(err.name).toBe('ConfigurationError');
    expect(err.message).toContain('ORDERS_TABLE_NAME');
    expect(await dynamo.getItem('create-unconfigured')).toBeUndefined();
  });

  it('propagates DynamoDB errors unchanged', async () => {
    // Prepare
    const wrongTable = { ...env, ORDERS_TABLE_NAME: 'no-such-table' };

    // Act
    const err = await withEnv(wrongTable, () =>
      rejectionOf(loadBundledHandler('create-order', wrongTable, 'table-wrong')({ orderId: 'create-wrong-table' })),
    );

    // Assess
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('logs one INFO line with only step, orderId, outcome and duration', async () => {
    // Act
    await createOrder({ orderId: 'create-logged' });

    // Assess
    expect(onlyLogLine(logs.log)).toEqual({
      level: 'INFO',
      step: 'CreateOrder',
      orderId: 'create-logged',
      outcome: 'written',
      durationMs: expect.any(Number),
    });
    expect(logs.error).not.toHaveBeenCalled();
  });

  it('logs outcome unchanged when the order already exists', async () => {
    // Prepare
    await createOrder({ orderId: 'create-logged-twice' });
    logs.log.mockClear();

    // Act
    await createOrder({ orderId: 'create-logged-twice' });

    // Assess
    expect(onlyLogLine(logs.log)).toMatchObject({ level: 'INFO', outcome: 'unchanged' });
  });

  it('logs one ERROR line naming the error but none of the invalid input', async () => {
    // Act
    await rejectionOf(createOrder({ orderId: 'secret-card-4111 1111' }));

    // Assess
    expect(onlyLogLine(logs.error)).toEqual({
      level: 'ERROR',
      step: 'CreateOrder',
      outcome: 'error',
      durationMs: expect.any(Number),
      error: 'InvalidOrderInput',
    });
    expect(logs.log).not.toHaveBeenCalled();
  });
});
