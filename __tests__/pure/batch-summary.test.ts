import { executionsPerSecond, percentile } from '../../local/batch';

/** The figures `npm start -- --count` and `npm run soak` summarize a batch with, on known durations. */
describe('Function: percentile', () => {
  it('takes the p50 of an odd count as the middle duration, in any input order', () => {
    expect(percentile([12, 3, 7, 40, 5], 0.5)).toBe(7);
  });

  it('takes the p50 of an even count as the lower of the two middle durations (nearest rank)', () => {
    expect(percentile([40, 10, 30, 20], 0.5)).toBe(20);
  });

  it('takes the p50 and p99 of the durations 1 to 100 ms as 50 and 99 ms', () => {
    // Prepare
    const durations = Array.from({ length: 100 }, (_, i) => 100 - i);
    // Act
    const [p50, p99] = [percentile(durations, 0.5), percentile(durations, 0.99)];
    // Assess
    expect({ p50, p99 }).toEqual({ p50: 50, p99: 99 });
  });

  it('takes the p99 of fewer than 100 durations as the slowest', () => {
    expect(percentile([12, 3, 7, 40, 5], 0.99)).toBe(40);
  });

  it('reports 0 for a batch without durations', () => {
    expect(percentile([], 0.5)).toBe(0);
  });

  it('leaves the durations it was given in their order', () => {
    // Prepare
    const durations = [12, 3, 7];
    // Act
    percentile(durations, 0.5);
    // Assess
    expect(durations).toEqual([12, 3, 7]);
  });
});

describe('Function: executionsPerSecond', () => {
  it('divides the executions by the seconds they took', () => {
    expect(executionsPerSecond(40, 0.5)).toBe(80);
  });

  it('rounds to one decimal', () => {
    expect(executionsPerSecond(3, 0.7)).toBe(4.3);
  });
});
