import { FAILURE_RECORDER, WORKFLOW_STEPS } from '../../workflow/steps';

/**
 * The step table, pinned once with literals. Suites that count what the table makes (functions,
 * bundles) derive their count from it, so adding a step changes this suite and not theirs.
 */
describe('Step table: workflow/steps.ts', () => {
  it('holds the three steps in order: CreateOrder, HoldPayment, AcceptPayment', () => {
    expect(WORKFLOW_STEPS.map((step) => step.stateName)).toEqual(['CreateOrder', 'HoldPayment', 'AcceptPayment']);
  });

  it('has each step write its own status: created, hold, paid', () => {
    expect(WORKFLOW_STEPS.map((step) => step.status)).toEqual(['created', 'hold', 'paid']);
  });

  it('names a function for each step and one for the failure recorder, four in all', () => {
    expect([...WORKFLOW_STEPS, FAILURE_RECORDER].map((step) => step.functionName)).toEqual([
      'mock-create-order',
      'mock-hold-payment',
      'mock-accept-payment',
      'mock-record-failure',
    ]);
  });
});
