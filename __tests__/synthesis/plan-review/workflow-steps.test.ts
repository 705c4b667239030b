import { verdict } from '../../../review/render';
import { buildReview } from '../../../review/review';
import { diffSyntheses } from '../../../review/synthesis';
import type { StackJson } from '../../support/plan-review-cases';
import { stackSynthesis } from '../../support/plan-review';
import { reviewEdit, reviewPlanOf } from '../../support/plan-review-rules';

/** Edits the state machine's definition of a synthesis. */
function editDefinition(
  stack: StackJson,
  edit: (states: Record<string, any>, definition: Record<string, any>) => void,
): void {
  const machine = stack.resource.aws_sfn_state_machine.payment_workflow;
  const definition = JSON.parse(machine.definition);
  edit(definition.States, definition);
  machine.definition = JSON.stringify(definition);
}

/** The stack without its HoldPayment step: orders go from CreateOrder to AcceptPayment. */
function dropHoldPayment(stack: StackJson): void {
  editDefinition(stack, (states) => {
    delete states.HoldPayment;
    delete states.RecordHoldPaymentFailure;
    states.CreateOrder.Next = 'AcceptPayment';
  });
}

describe('Rule: the workflow losing a step, from two syntheses', () => {
  it('flags HoldPayment removed and says where the orders go instead', () => {
    // Act
    const run = reviewEdit(dropHoldPayment);
    // Assess
    expect(run.risks).toEqual([
      'workflow aws_sfn_state_machine.payment_workflow: HoldPayment no longer runs (its Task state is removed): orders go from CreateOrder straight to AcceptPayment',
      'workflow aws_sfn_state_machine.payment_workflow: RecordHoldPaymentFailure no longer runs (its Task state is removed)',
    ]);
    expect(run.status).toBe(3);
  });

  it('never calls the removal of a step an all-clear', () => {
    const stack = stackSynthesis();
    const head = structuredClone(stack.document);
    dropHoldPayment(head);
    expect(verdict(buildReview(diffSyntheses(stack, { document: head })))).toBe(
      '0 to add, 1 to change, 0 to destroy: 2 risks',
    );
  });

  it('flags a state that no path from the start reaches any more', () => {
    const run = reviewEdit((stack) =>
      editDefinition(stack, (states) => {
        states.CreateOrder.Next = 'AcceptPayment';
      }),
    );
    expect(run.risks).toEqual([
      'workflow aws_sfn_state_machine.payment_workflow: HoldPayment no longer runs (no path from the start reaches it any more): orders go from CreateOrder straight to AcceptPayment',
      'workflow aws_sfn_state_machine.payment_workflow: RecordHoldPaymentFailure no longer runs (no path from the start reaches it any more)',
    ]);
  });

  it('does not flag a Task renamed: the new state invokes the same function', () => {
    const run = reviewEdit((stack) =>
      editDefinition(stack, (states) => {
        states.ReservePayment = states.HoldPayment;
        delete states.HoldPayment;
        states.CreateOrder.Next = 'ReservePayment';
      }),
    );
    expect({ risks: run.risks, status: run.status }).toEqual({ risks: [], status: 0 });
  });
});

describe('Rule: the workflow losing a step, from a plan', () => {
  const task = (functionName: string, next?: string) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionName },
    ...(next === undefined ? { End: true } : { Next: next }),
  });

  it('says the workflow starts elsewhere when its first Task is removed', () => {
    const before = {
      StartAt: 'CreateOrder',
      States: { CreateOrder: task('mock-create-order', 'HoldPayment'), HoldPayment: task('mock-hold-payment') },
    };
    const after = { StartAt: 'HoldPayment', States: { HoldPayment: task('mock-hold-payment') } };
    const run = reviewPlanOf([
      {
        address: 'aws_sfn_state_machine.payment_workflow',
        type: 'aws_sfn_state_machine',
        actions: ['update'],
        before: { name: 'mock-payment-workflow', definition: JSON.stringify(before) },
        after: { name: 'mock-payment-workflow', definition: JSON.stringify(after) },
      },
    ]);
    expect(run.risks).toEqual([
      'workflow aws_sfn_state_machine.payment_workflow: CreateOrder no longer runs (its Task state is removed): the workflow now starts at HoldPayment',
    ]);
    expect(run.status).toBe(3);
  });
});
