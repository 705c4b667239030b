import type { WorkflowType } from '../../lib/config';
import { invocationsPerTask, longestRetryWaitSeconds } from '../../lib/timeout-budget';
import { resolveReferences } from '../support/references';
import { onlyResource, synthWorkflowStack } from '../support/synth';
import {
  type DefinitionJson,
  LAMBDA_INIT_SECONDS,
  slowestPathSeconds,
  slowestTaskSeconds,
  type StateJson,
} from '../support/timeout-budget';

/**
 * The timeout budget on AWS, which the local runtime cannot show (it never runs a step for minutes):
 * for every function timeout the settings accept, each Task outlasts its function, so Lambda ends a
 * slow call and the Catch records it, and the slowest path through the workflow ends before the
 * execution's own timeout, whose States.Timeout no Catch handles.
 *
 * The worst case is computed from the synthesized definition alone, by a walk of every path
 * (support/timeout-budget.ts), not with the code that derives the timeouts.
 */

/** The definition's Task states: each step and the recorder of its failure. */
const TASK_STATES = [
  'CreateOrder',
  'RecordCreateOrderFailure',
  'HoldPayment',
  'RecordHoldPaymentFailure',
  'AcceptPayment',
  'RecordAcceptPaymentFailure',
] as const;

/** `value` for each of {@link TASK_STATES}, what a check of every Task expects. */
const forEachTask = <T>(value: T): Record<string, T> => Object.fromEntries(TASK_STATES.map((name) => [name, value]));

function definitionOf(
  lambdaTimeoutSeconds: number,
  workflowType: WorkflowType = 'STANDARD',
): { definition: DefinitionJson; functionTimeouts: number[] } {
  // The alarms play no part in the budget, and are half of a synthesis.
  const { stack } = synthWorkflowStack({ lambdaTimeoutSeconds, workflowType, alarms: false });
  return {
    definition: JSON.parse(resolveReferences(onlyResource(stack, 'aws_sfn_state_machine').definition, stack)),
    functionTimeouts: Object.values(stack.resource.aws_lambda_function).map((fn: any) => fn.timeout),
  };
}

describe('Timeout budget: the model of this suite', () => {
  it('counts a Task at its worst: every invocation timing out, every retry waiting its longest', () => {
    const task: StateJson = {
      Type: 'Task',
      TimeoutSeconds: 5,
      Retry: [{ ErrorEquals: ['A'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
    };
    expect(slowestTaskSeconds(task)).toBe(3 * 5 + 1 + 2);
  });

  it('takes the slowest of the paths, through a Catch too', () => {
    const definition: DefinitionJson = {
      StartAt: 'A',
      TimeoutSeconds: 100,
      States: {
        A: { Type: 'Task', TimeoutSeconds: 5, Next: 'B', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }] },
        B: { Type: 'Task', TimeoutSeconds: 2, End: true },
        C: { Type: 'Task', TimeoutSeconds: 7, Next: 'D' },
        D: { Type: 'Fail' },
      },
    };
    expect(slowestPathSeconds(definition)).toBe(12);
  });
});

describe('Timeout budget: the retry policy', () => {
  it("invokes a Task once, then up to each retrier's MaxAttempts, counted apart", () => {
    expect(
      invocationsPerTask([
        { ErrorEquals: ['A'], IntervalSeconds: 1, MaxAttempts: 6, BackoffRate: 2 },
        { ErrorEquals: ['B'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 },
      ]),
    ).toBe(10);
  });

  it.each([
    [
      'doubling from 1 s, capped at 20 s, 6 attempts',
      { IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 20 },
      51,
    ],
    ['doubling from 1 s, uncapped, 6 attempts', { IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 6 }, 63],
    ['1.5 times from 2 s, 3 attempts', { IntervalSeconds: 2, BackoffRate: 1.5, MaxAttempts: 3 }, 9.5],
    ['no attempt', { IntervalSeconds: 3, BackoffRate: 2, MaxAttempts: 0 }, 0],
  ])('waits at most the sum of its intervals: %s', (_case, retrier, seconds) => {
    expect(longestRetryWaitSeconds({ ErrorEquals: ['A'], ...retrier })).toBe(seconds);
  });
});

describe.each([
  // function timeout, Task timeout, execution timeout, slowest path
  [1, 16, 932, 872],
  [10, 25, 1292, 1232],
  [900, 915, 36892, 36832],
])(
  'Timeout budget with functions that time out after %i s',
  (functionTimeout, taskTimeout, executionTimeout, slowestPath) => {
    let definition: DefinitionJson;
    let functionTimeouts: number[];
    let tasks: [string, StateJson][];
    beforeAll(() => {
      ({ definition, functionTimeouts } = definitionOf(functionTimeout));
      tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
    });

    it(`gives every Task ${taskTimeout} s and the execution ${executionTimeout} s`, () => {
      expect(functionTimeouts).toEqual([functionTimeout, functionTimeout, functionTimeout, functionTimeout]);
      expect(Object.fromEntries(tasks.map(([name, state]) => [name, state.TimeoutSeconds]))).toEqual(
        forEachTask(taskTimeout),
      );
      expect(definition.TimeoutSeconds).toBe(executionTimeout);
    });

    it('lets every Task outlast its function and Lambda init, so Lambda ends a slow call first', () => {
      const room = tasks.map(([name, state]) => [
        name,
        (state.TimeoutSeconds as number) - functionTimeout - LAMBDA_INIT_SECONDS >= 0,
      ]);
      expect(Object.fromEntries(room)).toEqual(forEachTask(true));
    });

    it(`ends the slowest path (${slowestPath} s) before the execution times out`, () => {
      expect(slowestPathSeconds(definition)).toBe(slowestPath);
      expect(slowestPathSeconds(definition)).toBeLessThan(definition.TimeoutSeconds);
    });

    it('catches a Task timeout (States.Timeout) in every Task, so the failure is recorded or the execution ends in OrderFailed', () => {
      const caught = tasks.map(([name, state]) => [
        name,
        (state.Catch ?? []).some(
          (c) => c.ErrorEquals.includes('States.ALL') || c.ErrorEquals.includes('States.Timeout'),
        ),
      ]);
      expect(Object.fromEntries(caught)).toEqual(forEachTask(true));
    });
  },
);

describe.each([
  // function timeout, Task timeout, execution timeout, slowest path
  [1, 2, 200, 140],
  [2, 3, 248, 188],
  [3, 4, 296, 236],
])(
  'Timeout budget of an EXPRESS workflow with functions that time out after %i s',
  (functionTimeout, taskTimeout, executionTimeout, slowestPath) => {
    let definition: DefinitionJson;
    let tasks: [string, StateJson][];
    beforeAll(() => {
      ({ definition } = definitionOf(functionTimeout, 'EXPRESS'));
      tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
    });

    it(`gives every Task ${taskTimeout} s and the execution ${executionTimeout} s, within Express's 300 s`, () => {
      expect(Object.fromEntries(tasks.map(([name, state]) => [name, state.TimeoutSeconds]))).toEqual(
        forEachTask(taskTimeout),
      );
      expect(definition.TimeoutSeconds).toBe(executionTimeout);
      expect(definition.TimeoutSeconds).toBeLessThanOrEqual(300);
    });

    it('retries a transient Lambda error 10 times and a DynamoDB error once in every Task, waiting 1 s at most each time', () => {
      const retries = tasks.map(([name, state]) => [name, state.Retry?.map((r) => [r.MaxAttempts, r.MaxDelaySeconds])]);
      expect(Object.fromEntries(retries)).toEqual(
        forEachTask([
          [10, 1],
          [1, 1],
        ]),
      );
    });

    it(`ends the slowest path (${slowestPath} s: every Task 12 times until it times out, every wait its longest) before the execution times out`, () => {
      expect(slowestPathSeconds(definition)).toBe(slowestPath);
      expect(slowestPathSeconds(definition)).toBeLessThan(definition.TimeoutSeconds);
    });

    it('catches a Task timeout (States.Timeout) in every Task, so a cold start longer than the Task is recorded as a failure, not lost', () => {
      const caught = tasks.map(([name, state]) => [
        name,
        (state.Catch ?? []).some(
          (c) => c.ErrorEquals.includes('States.ALL') || c.ErrorEquals.includes('States.Timeout'),
        ),
      ]);
      expect(Object.fromEntries(caught)).toEqual(forEachTask(true));
    });
  },
);

describe('Timeout budget: what an EXPRESS workflow refuses', () => {
  it('refuses lambdaTimeoutSeconds above 3 with EXPRESS in the construct, for a caller that bypasses the configuration (see config.test.ts)', () => {
    expect(() => synthWorkflowStack({ workflowType: 'EXPRESS', lambdaTimeoutSeconds: 4 })).toThrow(
      'Invalid props "lambdaTimeoutSeconds" and "workflowType": an EXPRESS execution ends after 300 s and each of its Tasks keeps ' +
        '12 invocations for transient errors, which the slowest path fits only up to lambdaTimeoutSeconds 3, received 4. ' +
        'Fix: set lambdaTimeoutSeconds to 3 or less, or workflowType to STANDARD.',
    );
  });
});
