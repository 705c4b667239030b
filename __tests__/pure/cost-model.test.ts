import {
  costPerMillionOrders,
  type CostInputs,
  type DefinitionShape,
  functionsInvoked,
  PRICES,
  statesOnPath,
} from '../../pricing/cost-model';

/** The cost model's arithmetic on inputs chosen by hand, line by line (cost.test.ts prices the synthesized stack). */

const INPUTS: CostInputs = {
  workflowType: 'STANDARD',
  stateTransitions: 10,
  invocations: [
    { memoryMb: 1024, architecture: 'x86_64', durationMs: 100 },
    { memoryMb: 512, architecture: 'arm64', durationMs: 200.2 },
  ],
  executionMs: 250,
  expressMemoryMb: 64,
  writes: 2,
  strongReads: 3,
  itemBytes: 5000,
};

describe('Cost model: costPerMillionOrders', () => {
  const lineOf = (inputs: CostInputs, item: string) =>
    costPerMillionOrders(inputs).lines.find((line) => line.item === item);

  it('adds the GB-seconds of every call, each rounded up to the millisecond', () => {
    // 0.1 s × 1 GB + 0.201 s × 0.5 GB
    expect(lineOf(INPUTS, 'duration (lower bound)')).toMatchObject({ perOrder: 0.2005, unit: 'GB-second' });
  });

  it('counts a strong read of a 5,000-byte item as two read units, each at the read price', () => {
    // 3 reads × ceil(5000 / 4096) = 6 units; 6 million units at $0.125 per million
    expect(lineOf(INPUTS, 'read request units')).toMatchObject({ perOrder: 6, usdPerMillion: 0.75 });
  });

  it('counts a read of an item under 4 KB as one unit', () => {
    expect(lineOf({ ...INPUTS, itemBytes: 100 }, 'read request units')?.perOrder).toBe(3);
  });

  it('counts a write of a 5,000-byte item as five write units', () => {
    expect(lineOf(INPUTS, 'write request units')).toMatchObject({ perOrder: 10, usdPerMillion: 6.25 });
  });

  it('bills an EXPRESS execution per started 100 ms and 64 MB', () => {
    // ceil(250 / 100) = 3 → 0.3 s × 64 MB / 1024 = 0.01875 GB-second
    expect(lineOf({ ...INPUTS, workflowType: 'EXPRESS' }, 'Express duration')).toMatchObject({
      perOrder: 0.01875,
      unit: 'GB-second',
    });
  });

  it('names its prices by region and the day they were read', () => {
    expect([PRICES.standardStateTransition.region, PRICES.standardStateTransition.checked]).toEqual([
      'us-east-1',
      '2026-11-30',
    ]);
  });
});

describe('Cost model: paths through a definition', () => {
  const DEFINITION: DefinitionShape = {
    StartAt: 'A',
    States: {
      A: { Type: 'Task', Next: 'B', Parameters: { FunctionName: 'fn-a' } },
      B: { Type: 'Pass', Next: 'C', Parameters: { FunctionName: 'not-a-call' } },
      C: { Type: 'Task', End: true },
    },
  };

  it('invokes a function only for a Task state that names one', () => {
    expect(functionsInvoked(DEFINITION)).toEqual(['fn-a']);
  });

  it('refuses a path that reaches a state the definition does not have, naming it', () => {
    expect(() => statesOnPath({ StartAt: 'A', States: { A: { Type: 'Task', Next: 'Nowhere' } } })).toThrow(
      new RangeError('The path reaches Nowhere, which the definition does not have'),
    );
  });
});
