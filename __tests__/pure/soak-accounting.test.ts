import {
  countOrders,
  groupWrites,
  markedFailed,
  type OrderHistory,
  visiblyFailed,
} from '../../scripts/soak-accounting';

/**
 * The soak's verdict, on literal histories: the end-to-end soak (soak.test.ts) runs thousands of orders
 * and needs its `lost`, `doubled` and `regressed` at 0; these say what each count means, order by order.
 */

/** An order that ran once, wrote each step once and ended paid. */
const CLEAN: OrderHistory = {
  status: 'paid',
  succeeded: true,
  finalStatus: 'paid',
  writes: ['CreateOrder', 'HoldPayment', 'AcceptPayment'],
};

const NOTHING = { paid: 0, failed: 0, recovered: 0, unrecorded: 0, lost: 0, doubled: 0, regressed: 0 };

describe('Soak accounting: markedFailed', () => {
  it('says an order marked failed in the table failed', () => {
    expect(markedFailed({ status: 'failed', succeeded: false })).toBe(true);
  });

  it('says an order never created failed', () => {
    expect(markedFailed({ status: undefined, succeeded: false })).toBe(true);
  });

  it.each(['created', 'hold', 'paid'])('says an order left in %s is not marked failed', (status) => {
    expect(markedFailed({ status, succeeded: false })).toBe(false);
  });
});

describe('Soak accounting: visiblyFailed', () => {
  it('counts an order marked failed whose executions all failed, with recovery by marked orders', () => {
    expect(visiblyFailed({ status: 'failed', succeeded: false }, 'marked-orders')).toBe(true);
  });

  it('does not count an order left in hold, with recovery by marked orders', () => {
    expect(visiblyFailed({ status: 'hold', succeeded: false }, 'marked-orders')).toBe(false);
  });

  it('counts an order left in hold whose executions all failed, with recovery by failed executions', () => {
    expect(visiblyFailed({ status: 'hold', succeeded: false }, 'failed-executions')).toBe(true);
  });

  it('never counts an order one of whose executions succeeded', () => {
    expect(visiblyFailed({ status: 'failed', succeeded: true }, 'failed-executions')).toBe(false);
  });
});

describe('Soak accounting: groupWrites', () => {
  it("keeps each order's written steps in the order their lines came, and drops unchanged outcomes and lines without an order", () => {
    const writes = groupWrites([
      { step: 'CreateOrder', orderId: 'a', outcome: 'written' },
      { step: 'CreateOrder', orderId: 'b', outcome: 'written' },
      { step: 'CreateOrder', orderId: 'a', outcome: 'unchanged' },
      { step: 'HoldPayment', orderId: 'a', outcome: 'written' },
      { step: 'HoldPayment', outcome: 'written' },
    ]);
    expect([...writes.entries()]).toEqual([
      ['a', ['CreateOrder', 'HoldPayment']],
      ['b', ['CreateOrder']],
    ]);
  });
});

describe('Soak accounting: countOrders', () => {
  it('counts a clean order as paid and nothing else', () => {
    expect(countOrders([CLEAN], 'marked-orders')).toEqual({ ...NOTHING, paid: 1 });
  });

  it('counts an order marked failed that the re-run took to paid as failed and recovered, not paid', () => {
    const order: OrderHistory = {
      status: 'failed',
      succeeded: false,
      finalStatus: 'paid',
      writes: ['CreateOrder', 'RecordFailure', 'HoldPayment', 'AcceptPayment'],
    };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, failed: 1, recovered: 1 });
  });

  it('counts a failed order the re-run did not take to paid as lost', () => {
    const order: OrderHistory = {
      status: 'failed',
      succeeded: false,
      finalStatus: 'failed',
      writes: ['CreateOrder', 'RecordFailure'],
    };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, failed: 1, lost: 1 });
  });

  it('counts an order left in hold without a mark as lost when the recovery goes by marked orders', () => {
    const order: OrderHistory = {
      status: 'hold',
      succeeded: false,
      finalStatus: 'hold',
      writes: ['CreateOrder', 'HoldPayment'],
    };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, paid: 1, lost: 1 });
  });

  it('counts an order left in hold without a mark as failed, unrecorded and recovered when the recovery goes by failed executions', () => {
    const order: OrderHistory = {
      status: 'hold',
      succeeded: false,
      finalStatus: 'paid',
      writes: ['CreateOrder', 'HoldPayment', 'AcceptPayment'],
    };
    expect(countOrders([order], 'failed-executions')).toEqual({ ...NOTHING, failed: 1, recovered: 1, unrecorded: 1 });
  });

  it('does not count as unrecorded a paid order whose executions all failed after the last write', () => {
    const order: OrderHistory = {
      status: 'paid',
      succeeded: false,
      finalStatus: 'paid',
      writes: ['CreateOrder', 'HoldPayment', 'AcceptPayment'],
    };
    expect(countOrders([order], 'failed-executions')).toEqual({ ...NOTHING, failed: 1, recovered: 1 });
  });

  it('counts an order created by two writes as doubled', () => {
    expect(
      countOrders(
        [{ ...CLEAN, writes: ['CreateOrder', 'CreateOrder', 'HoldPayment', 'AcceptPayment'] }],
        'marked-orders',
      ),
    ).toEqual({
      ...NOTHING,
      paid: 1,
      doubled: 1,
    });
  });

  it('counts an order paid by two writes as doubled', () => {
    expect(
      countOrders(
        [{ ...CLEAN, writes: ['CreateOrder', 'HoldPayment', 'AcceptPayment', 'AcceptPayment'] }],
        'marked-orders',
      ),
    ).toEqual({
      ...NOTHING,
      paid: 1,
      doubled: 1,
    });
  });

  it('does not count an order held by two writes (a resume from failed) as doubled', () => {
    expect(
      countOrders(
        [{ ...CLEAN, writes: ['CreateOrder', 'HoldPayment', 'HoldPayment', 'AcceptPayment'] }],
        'marked-orders',
      ),
    ).toEqual({
      ...NOTHING,
      paid: 1,
    });
  });

  it('counts an order whose execution succeeded but which was not paid before the re-runs as regressed', () => {
    const order: OrderHistory = {
      status: 'failed',
      succeeded: true,
      finalStatus: 'paid',
      writes: ['CreateOrder', 'HoldPayment', 'AcceptPayment', 'RecordFailure'],
    };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, paid: 1, lost: 1, regressed: 1 });
  });

  it('does not count a write logged after the last step as regressed while the table still shows the order paid', () => {
    const order: OrderHistory = { ...CLEAN, writes: ['CreateOrder', 'AcceptPayment', 'HoldPayment'] };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, paid: 1 });
  });

  it('counts a write logged after the last step as regressed when the table no longer shows the order paid', () => {
    const order: OrderHistory = {
      status: 'hold',
      succeeded: false,
      finalStatus: 'hold',
      writes: ['CreateOrder', 'AcceptPayment', 'HoldPayment'],
    };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, paid: 1, lost: 1, regressed: 1 });
  });

  it('counts as regressed an order whose execution succeeded but which the table shows unfinished, whatever its writes', () => {
    const order: OrderHistory = {
      status: 'hold',
      succeeded: true,
      finalStatus: 'paid',
      writes: ['CreateOrder', 'HoldPayment'],
    };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, paid: 1, lost: 1, regressed: 1 });
  });

  it("counts a write logged after the last step's, even when the last step's line came first, as regressed", () => {
    const order: OrderHistory = {
      status: 'hold',
      succeeded: false,
      finalStatus: 'hold',
      writes: ['AcceptPayment', 'HoldPayment'],
    };
    expect(countOrders([order], 'marked-orders')).toEqual({ ...NOTHING, paid: 1, lost: 1, regressed: 1 });
  });

  it('adds the counts of every order', () => {
    const failed: OrderHistory = {
      status: undefined,
      succeeded: false,
      finalStatus: 'paid',
      writes: ['CreateOrder', 'HoldPayment', 'AcceptPayment'],
    };
    expect(countOrders([CLEAN, CLEAN, failed], 'marked-orders')).toEqual({
      ...NOTHING,
      paid: 2,
      failed: 1,
      recovered: 1,
    });
  });
});
