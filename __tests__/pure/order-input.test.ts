import { InvalidOrderInput } from '../../handlers/errors';
import { parseOrderInput } from '../../handlers/order-input';

/** Runs the parser and returns what it threw, failing the test if it threw nothing. */
function rejection(input: unknown): Error {
  try {
    parseOrderInput(input);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected parseOrderInput to throw');
}

describe('Function: parseOrderInput', () => {
  it.each(['a.b', 'a:b', 'a b', 'a/b', 'a+b'])(
    'rejects the order id %j, one character outside A-Z a-z 0-9 _ -',
    (orderId) => {
      expect(() => parseOrderInput({ orderId })).toThrow(expect.objectContaining({ name: 'InvalidOrderInput' }));
    },
  );

  it.each([
    { name: 'missing orderId', input: {}, message: 'expected orderId to be a string, received no orderId.' },
    {
      name: 'an empty orderId',
      input: { orderId: '' },
      message: 'expected orderId of 1 to 64 characters, received 0 characters "".',
    },
    { name: 'null input', input: null, message: 'expected a JSON object {"orderId": "<id>"}, received null.' },
    {
      name: 'undefined input',
      input: undefined,
      message: 'expected a JSON object {"orderId": "<id>"}, received undefined.',
    },
    { name: 'a number orderId', input: { orderId: 42 }, message: 'expected orderId to be a string, received 42.' },
    {
      name: 'array input',
      input: [{ orderId: 'a' }],
      message: 'expected a JSON object {"orderId": "<id>"}, received an array.',
    },
    {
      name: 'an object orderId',
      input: { orderId: { id: 'a' } },
      message: 'expected orderId to be a string, received an object.',
    },
    {
      name: 'string input',
      input: '{"orderId":"a"}',
      message: 'expected a JSON object {"orderId": "<id>"}, received "{\\"orderId\\":\\"a\\"}".',
    },
    {
      name: 'a 65-character orderId',
      input: { orderId: 'a'.repeat(65) },
      message: `expected orderId of 1 to 64 characters, received 65 characters "${'a'.repeat(40)}" (truncated).`,
    },
    {
      name: 'a 5 KiB orderId',
      input: { orderId: 'x'.repeat(5120) },
      message: `expected orderId of 1 to 64 characters, received 5120 characters "${'x'.repeat(40)}" (truncated).`,
    },
    {
      name: 'control characters',
      input: { orderId: 'a\u0000b\nc\u001b\u0085' },
      message: 'expected orderId of only A-Z a-z 0-9 _ -, received "a\\u0000b\\nc\\u001b\\u0085".',
    },
    {
      name: 'spaces and unicode',
      input: { orderId: 'order 1 \u2713\u202e' },
      message: 'expected orderId of only A-Z a-z 0-9 _ -, received "order 1 \\u2713\\u202e".',
    },
    {
      name: 'an extra field',
      input: { orderId: 'a', amount: 5 },
      message: 'expected only the field "orderId", received unexpected field(s) "amount".',
    },
    {
      name: 'many extra fields',
      input: { orderId: 'a', b: 1, c: 2, d: 3, e: 4 },
      message: 'expected only the field "orderId", received unexpected field(s) "b", "c", "d" and 1 more.',
    },
    {
      name: 'the key orderID',
      input: { orderID: 'a' },
      message: 'expected only the field "orderId", received unexpected field(s) "orderID" (did you mean orderId?).',
    },
    {
      name: 'the key order_id',
      input: { order_id: 'a' },
      message: 'expected only the field "orderId", received unexpected field(s) "order_id" (did you mean orderId?).',
    },
    {
      name: 'the key OrderID',
      input: { OrderID: 'a' },
      message: 'expected only the field "orderId", received unexpected field(s) "OrderID" (did you mean orderId?).',
    },
    {
      name: 'the key order-id',
      input: { 'order-id': 'a' },
      message: 'expected only the field "orderId", received unexpected field(s) "order-id" (did you mean orderId?).',
    },
    {
      name: 'the key order_id beside another extra field',
      input: { amount: 5, order_id: 'a' },
      message:
        'expected only the field "orderId", received unexpected field(s) "amount", "order_id" (did you mean orderId?).',
    },
    {
      name: 'two extra fields, neither like orderId',
      input: { orderId: 'a', amount: 5, currency: 'EUR' },
      message: 'expected only the field "orderId", received unexpected field(s) "amount", "currency".',
    },
    {
      name: 'exactly three extra fields',
      input: { orderId: 'a', b: 1, c: 2, d: 3 },
      message: 'expected only the field "orderId", received unexpected field(s) "b", "c", "d".',
    },
    {
      name: 'a function orderId',
      input: { orderId: () => 'a' },
      message: 'expected orderId to be a string, received a function.',
    },
    {
      name: 'a symbol orderId',
      input: { orderId: Symbol('a') },
      message: 'expected orderId to be a string, received a symbol.',
    },
    {
      name: 'a 40-character orderId with a dot',
      input: { orderId: '012345678901234567890123456789012345678.' },
      message: 'expected orderId of only A-Z a-z 0-9 _ -, received "012345678901234567890123456789012345678.".',
    },
    {
      name: 'a 41-character orderId with a dot',
      input: { orderId: '0123456789012345678901234567890123456789.' },
      message:
        'expected orderId of only A-Z a-z 0-9 _ -, received "0123456789012345678901234567890123456789" (truncated).',
    },
  ])('rejects $name with InvalidOrderInput stating expected and received', ({ input, message }) => {
    // Act
    const err = rejection(input);

    // Assess
    expect(err).toBeInstanceOf(InvalidOrderInput);
    expect(err.name).toBe('InvalidOrderInput');
    expect(err.message).toBe(`Invalid order input: ${message}`);
  });

  it('keeps the message short and printable ASCII whatever the input', () => {
    // Prepare
    const input = { orderId: '\u0000\u202e'.repeat(2560), ['k'.repeat(5000)]: 1 };

    // Act
    const err = rejection(input);

    // Assess
    expect(err.message).toMatch(/^[\x20-\x7e]+$/);
    expect(err.message.length).toBeLessThan(200);
  });

  it.each([
    { name: 'a 1-character id', orderId: 'a' },
    { name: 'a 64-character id', orderId: 'Z'.repeat(64) },
    { name: 'letters, digits, - and _', orderId: 'a-B_9' },
  ])('accepts $name', ({ orderId }) => {
    // Act
    const parsed = parseOrderInput({ orderId });

    // Assess
    expect(parsed).toEqual({ orderId });
  });
});
