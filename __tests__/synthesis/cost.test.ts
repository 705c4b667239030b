import {
  type CostInputs,
  costPerMillionOrders,
  type DefinitionShape,
  functionsInvoked,
  quotasByRate,
  stateTransitions,
  statesOnPath,
} from '../../lib/cost';
import { formatCapacity } from '../../scripts/cost';
import { resolveReferences } from '../support/references';
import { onlyResource, synthWorkflowStack } from '../support/synth';

/**
 * The cost model (lib/cost.ts): transitions counted on definitions, the cost table's arithmetic on
 * fixed inputs (expected values worked out by hand from the prices in lib/cost.ts), and the quota that
 * binds first. `npm run cost` feeds it the synthesized stacks and a local run's measurements.
 */

describe('Cost: counting state transitions on small hand-made definitions', () => {
  const definition: DefinitionShape = {
    StartAt: 'A',
    States: {
      A: { Type: 'Task', Next: 'B', Parameters: { FunctionName: 'fa' } },
      B: {
        Type: 'Task',
        Next: 'C',
        Catch: [{ ErrorEquals: ['Known'], Next: 'R' }],
        Parameters: { FunctionName: 'fb' },
      },
      C: { Type: 'Task', End: true, Parameters: { FunctionName: 'fc' } },
      R: { Type: 'Task', Next: 'F', Parameters: { FunctionName: 'fr' } },
      F: { Type: 'Fail' },
    },
  };

  it('counts one transition per state entered on the happy path', () => {
    expect(stateTransitions(definition)).toBe(3);
  });

  it('follows the Catch that names the error at the failing state, to the end', () => {
    expect(statesOnPath(definition, { failAt: 'B', error: 'Known' })).toEqual(['A', 'B', 'R', 'F']);
    expect(functionsInvoked(definition, { failAt: 'B', error: 'Known' })).toEqual(['fa', 'fb', 'fr']);
  });

  it('ends at a failing state whose Catch does not match the error', () => {
    expect(statesOnPath(definition, { failAt: 'B', error: 'Unknown' })).toEqual(['A', 'B']);
  });

  it('refuses a path that loops, which it could not count', () => {
    const loop: DefinitionShape = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } },
    };
    expect(() => stateTransitions(loop)).toThrow('The path enters A twice: the cost model counts paths without loops');
  });
});

describe('Cost: counting state transitions on the synthesized definition', () => {
  const { stack } = synthWorkflowStack();
  const definition: DefinitionShape = JSON.parse(
    resolveReferences(onlyResource(stack, 'aws_sfn_state_machine').definition, stack),
  );

  it('counts 3 on the happy path', () => {
    expect(statesOnPath(definition)).toEqual(['CreateOrder', 'HoldPayment', 'AcceptPayment']);
  });

  it('counts 5 when AcceptPayment fails for good, caught and recorded', () => {
    expect(statesOnPath(definition, { failAt: 'AcceptPayment', error: 'PaymentNotHeld' })).toEqual([
      'CreateOrder',
      'HoldPayment',
      'AcceptPayment',
      'RecordAcceptPaymentFailure',
      'OrderFailed',
    ]);
  });

  it('counts 3 when the input is rejected, with one function call', () => {
    const path = { failAt: 'CreateOrder', error: 'InvalidOrderInput' };
    expect(statesOnPath(definition, path)).toEqual(['CreateOrder', 'ReadRejection', 'RejectInput']);
    expect(functionsInvoked(definition, path)).toHaveLength(1);
  });
});

describe('Cost: the table of a million orders, on fixed inputs', () => {
  const inputs: CostInputs = {
    workflowType: 'STANDARD',
    stateTransitions: 3,
    invocations: [1, 2, 3].map(() => ({ memoryMb: 128, architecture: 'x86_64' as const, durationMs: 10 })),
    executionMs: 30,
    expressMemoryMb: 64,
    writes: 3,
    strongReads: 0,
    itemBytes: 100,
  };

  it('prices STANDARD by state transition, and names the transitions as the dominant line', () => {
    // Act
    const table = costPerMillionOrders(inputs);
    // Assess
    expect(table.lines.map((l) => [l.item, Number(l.usdPerMillion.toFixed(6))])).toEqual([
      ['state transitions', 75],
      ['requests', 0.6],
      ['duration (lower bound)', 0.0625],
      ['write request units', 1.875],
      ['read request units', 0],
    ]);
    expect(Number(table.totalUsdPerMillion.toFixed(4))).toBe(77.5375);
    expect(table.dominant.item).toBe('state transitions');
  });

  it('prices EXPRESS by request and by duration rounded up to 100 ms in 64 MB, and names the writes as the dominant line', () => {
    // Act
    const table = costPerMillionOrders({ ...inputs, workflowType: 'EXPRESS' });
    // Assess
    expect(table.lines.slice(0, 2).map((l) => [l.item, Number(l.usdPerMillion.toFixed(7))])).toEqual([
      ['Express requests', 1],
      ['Express duration', 0.1041875],
    ]);
    expect(Number(table.totalUsdPerMillion.toFixed(6))).toBe(3.641688);
    expect(table.dominant.item).toBe('write request units');
  });

  it('charges a write one unit per KB or part of one, and arm64 its lower duration price', () => {
    const table = costPerMillionOrders({
      ...inputs,
      itemBytes: 1500,
      invocations: inputs.invocations.map((call) => ({ ...call, architecture: 'arm64' as const })),
    });
    expect(table.lines.find((l) => l.item === 'write request units')?.usdPerMillion).toBe(3.75);
    expect(Number(table.lines.find((l) => l.item === 'duration (lower bound)')?.usdPerMillion.toFixed(8))).toBe(
      0.05000025,
    );
  });
});

describe('Cost: which quota binds first', () => {
  const base = { region: 'us-east-1', stateTransitions: 3, callDurationsMs: [10, 10, 10], writeUnits: 3, readUnits: 0 };

  it('is StartExecution at 300 orders/s for STANDARD in us-east-1, then its state transitions at 500', () => {
    const quotas = quotasByRate({ ...base, workflowType: 'STANDARD' });
    expect(quotas.map((q) => Math.floor(q.ordersPerSecond))).toEqual([300, 500, 13333, 33333]);
  });

  it('is StartExecution at 150 orders/s for STANDARD in a region with the smaller buckets', () => {
    expect(
      Math.floor(quotasByRate({ ...base, region: 'eu-central-1', workflowType: 'STANDARD' })[0].ordersPerSecond),
    ).toBe(150);
  });

  it('is StartExecution at 6000 orders/s for EXPRESS, unless a reserved concurrency binds first', () => {
    expect(Math.floor(quotasByRate({ ...base, workflowType: 'EXPRESS' })[0].ordersPerSecond)).toBe(6000);
    const reserved = quotasByRate({ ...base, workflowType: 'EXPRESS', reservedConcurrency: 10 })[0];
    expect([reserved.name, reserved.ordersPerSecond]).toEqual([
      'Reserved concurrency of each function, 10 (the lambdaReservedConcurrency setting)',
      1000,
    ]);
  });

  it('says which quotas bind at a rate, and which binds first where none does', () => {
    const standard = quotasByRate({ ...base, workflowType: 'STANDARD' });
    const express = quotasByRate({ ...base, workflowType: 'EXPRESS' });
    expect(formatCapacity({ STANDARD: standard, EXPRESS: express }, 400).split('\n')).toEqual([
      'STANDARD at 400 orders/s: BINDS: Step Functions StartExecution (Standard), 300/s (300 orders/s; raise: Service Quotas, Step Functions)',
      'EXPRESS at 400 orders/s: fits: the first quota to bind is Step Functions StartExecution (Express), 6000/s, at 6000 orders/s',
    ]);
  });
});
