import {
  FAILURE_RECORDER,
  HANDLER_ERRORS,
  STATE_MACHINE_NAME,
  stepNamed,
  WORKFLOW_STEPS,
  wordsOf,
} from '../../workflow/steps';

/**
 * The step table, pinned once with literal values: everything derived from it (functions, roles,
 * states, alarms, transitions, the cost script's failure path) is checked against these in its own
 * suite, so a row edited by mistake fails here first, by name.
 */

describe('Step table: the rows', () => {
  it('declares CreateOrder, HoldPayment and AcceptPayment, in that order, field by field', () => {
    expect(WORKFLOW_STEPS).toEqual([
      {
        stateName: 'CreateOrder',
        functionName: 'mock-create-order',
        handlerEntry: 'create-order.ts',
        status: 'created',
        movesFrom: [],
        tableActions: ['dynamodb:PutItem'],
      },
      {
        stateName: 'HoldPayment',
        functionName: 'mock-hold-payment',
        handlerEntry: 'hold-payment.ts',
        status: 'hold',
        movesFrom: ['created', 'failed'],
        refusalError: 'OrderNotHoldable',
        tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
      },
      {
        stateName: 'AcceptPayment',
        functionName: 'mock-accept-payment',
        handlerEntry: 'accept-payment.ts',
        status: 'paid',
        movesFrom: ['hold'],
        refusalError: 'PaymentNotHeld',
        tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
      },
    ]);
  });

  it('declares the failure recorder, which writes failed and only updates', () => {
    expect(FAILURE_RECORDER).toEqual({
      stateName: 'RecordFailure',
      functionName: 'mock-record-failure',
      handlerEntry: 'record-failure.ts',
      status: 'failed',
      tableActions: ['dynamodb:UpdateItem'],
    });
  });

  it('names the state machine mock-payment-workflow', () => {
    expect(STATE_MACHINE_NAME).toBe('mock-payment-workflow');
  });

  it("names the handlers' errors by what the state machine does with them", () => {
    expect(HANDLER_ERRORS).toEqual({
      invalidInput: 'InvalidOrderInput',
      step: ['OrderNotFound', 'PaymentNotHeld', 'OrderNotHoldable', 'ConfigurationError'],
      recorder: ['InvalidFailureRecord'],
    });
  });
});

describe('Step table: wordsOf', () => {
  it.each([
    ['HoldPayment', '_', 'hold_payment'],
    ['AcceptPayment', '-', 'accept-payment'],
    ['RecordFailure', '-', 'record-failure'],
    ['Step2Go', '_', 'step2_go'],
    ['Create', '-', 'create'],
  ] as const)('splits %s at its capitals with %s: %s', (name, separator, expected) => {
    expect(wordsOf(name, separator)).toBe(expected);
  });
});

describe('Step table: stepNamed', () => {
  it('finds the row of a state name', () => {
    expect(stepNamed('AcceptPayment').functionName).toBe('mock-accept-payment');
  });

  it('throws a RangeError quoting a name the table does not have', () => {
    expect(() => stepNamed('ShipOrder' as 'CreateOrder')).toThrow(
      new RangeError('Expected a step of workflow/steps.ts, received "ShipOrder"'),
    );
  });
});
