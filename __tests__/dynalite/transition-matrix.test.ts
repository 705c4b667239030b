import { loadBundledHandler, type HandlerName, seeded, useBundledHandler } from '../support/bundled-handlers';
import { rejectionOf } from '../support/capture';
import { setClock } from '../support/clock';

/**
 * Every step against every status an order can be in, with the bundled handlers against dynalite: what
 * each writes, leaves alone or refuses. The matrix is written out by hand, not derived from
 * handlers/status.ts, so a handler that writes or skips a transition it should not fails here without
 * the soak. `missing` is no order at all; `cancelled` is a status no step writes (an operator's).
 */

type Start = 'missing' | 'created' | 'hold' | 'paid' | 'failed' | 'cancelled';

/** The status the order is left in, `unchanged` when the item is byte for byte as seeded, or the error's name. */
type Outcome = { readonly writes: string } | 'unchanged' | 'no order' | { readonly refuses: string };

const MATRIX: readonly (readonly [HandlerName, Start, Outcome])[] = [
  ['create-order', 'missing', { writes: 'created' }],
  ['create-order', 'created', 'unchanged'],
  ['create-order', 'hold', 'unchanged'],
  ['create-order', 'paid', 'unchanged'],
  ['create-order', 'failed', 'unchanged'],
  ['create-order', 'cancelled', 'unchanged'],

  ['hold-payment', 'missing', { refuses: 'OrderNotFound' }],
  ['hold-payment', 'created', { writes: 'hold' }],
  ['hold-payment', 'hold', 'unchanged'],
  ['hold-payment', 'paid', 'unchanged'],
  ['hold-payment', 'failed', { writes: 'hold' }],
  ['hold-payment', 'cancelled', { refuses: 'OrderNotHoldable' }],

  ['accept-payment', 'missing', { refuses: 'OrderNotFound' }],
  ['accept-payment', 'created', { refuses: 'PaymentNotHeld' }],
  ['accept-payment', 'hold', { writes: 'paid' }],
  ['accept-payment', 'paid', 'unchanged'],
  ['accept-payment', 'failed', { refuses: 'PaymentNotHeld' }],
  ['accept-payment', 'cancelled', { refuses: 'PaymentNotHeld' }],

  ['record-failure', 'missing', 'no order'],
  ['record-failure', 'created', { writes: 'failed' }],
  ['record-failure', 'hold', { writes: 'failed' }],
  ['record-failure', 'paid', 'unchanged'],
  ['record-failure', 'failed', { writes: 'failed' }],
  ['record-failure', 'cancelled', 'unchanged'],
];

/** The input each handler takes for the order `orderId`. */
function inputFor(name: HandlerName, orderId: string): unknown {
  if (name !== 'record-failure') return { orderId };
  return { executionInput: { orderId }, step: 'HoldPayment', error: 'States.Timeout' };
}

const describeOutcome = (outcome: Outcome): string => {
  if (typeof outcome === 'string') return outcome === 'unchanged' ? 'leaves it unchanged' : 'creates no order';
  return 'writes' in outcome ? `moves it to ${outcome.writes}` : `refuses with ${outcome.refuses}`;
};

describe('Transitions: every step from every status, against dynalite', () => {
  const fixture = useBundledHandler('create-order');
  const handlers = {} as Record<HandlerName, (input: unknown) => Promise<unknown>>;
  beforeAll(() => {
    handlers['create-order'] = fixture.handler;
    for (const name of ['hold-payment', 'accept-payment', 'record-failure'] as const)
      handlers[name] = loadBundledHandler(name, fixture.env);
  });

  it.each(MATRIX.map(([name, start, outcome]) => [name, start, describeOutcome(outcome), outcome] as const))(
    '%s on an order in %s %s',
    async (name, start, _, outcome) => {
      // Prepare
      const orderId = `matrix-${name}-${start}`;
      if (start !== 'missing') await fixture.dynamo.putOrder(seeded(orderId, start));
      const before = await fixture.dynamo.getItem(orderId);
      setClock('2026-12-02T12:00:00.000Z');

      // Act
      const settled = await handlers[name](inputFor(name, orderId)).then(
        () => undefined,
        (error: Error) => error,
      );

      // Assess
      const after = await fixture.dynamo.getItem(orderId);
      if (typeof outcome === 'object' && 'refuses' in outcome) {
        expect(settled?.name).toBe(outcome.refuses);
        expect(after).toEqual(before);
      } else if (outcome === 'unchanged') {
        expect(settled).toBeUndefined();
        expect(after).toEqual(before);
      } else if (outcome === 'no order') {
        expect(settled).toBeUndefined();
        expect(after).toBeUndefined();
      } else {
        expect(settled).toBeUndefined();
        expect(after?.status).toEqual({ S: outcome.writes });
        expect(after?.updatedAt).toEqual({ S: '2026-12-02T12:00:00.000Z' });
      }
    },
  );

  it('records the failed step and error on the order it marks failed', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('matrix-failure-fields', 'hold'));

    // Act
    await handlers['record-failure'](inputFor('record-failure', 'matrix-failure-fields'));

    // Assess
    expect(await fixture.dynamo.getItem('matrix-failure-fields')).toMatchObject({
      status: { S: 'failed' },
      failedStep: { S: 'HoldPayment' },
      failedError: { S: 'States.Timeout' },
    });
  });

  it('drops the failure it recovered from when HoldPayment resumes a failed order', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('matrix-resume', 'created'));
    await handlers['record-failure'](inputFor('record-failure', 'matrix-resume'));

    // Act
    await handlers['hold-payment']({ orderId: 'matrix-resume' });

    // Assess
    const item = await fixture.dynamo.getItem('matrix-resume');
    expect(Object.keys(item ?? {}).sort()).toEqual(['createdAt', 'orderId', 'status', 'updatedAt']);
    expect(item?.status).toEqual({ S: 'hold' });
  });

  it('refuses with a message that names the statuses the step moves from and the one it found', async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('matrix-message', 'cancelled'));

    // Act
    const error = await rejectionOf(handlers['hold-payment']({ orderId: 'matrix-message' }));

    // Assess
    expect(error.message).toBe(
      'Expected order "matrix-message" in status created or failed to move it to hold, received status "cancelled".',
    );
  });
});
