import { mutationFigures } from '../../scripts/bench';

/** A Stryker JSON report (mutation-testing-report-schema) with `counts` mutants of each status, in one file. */
function report(counts: Record<string, number>): { files: Record<string, { mutants: { status: string }[] }> } {
  const mutants = Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })));
  return { files: { 'handlers/status.ts': { mutants } } };
}

describe('Benchmark: the figures of a mutation report', () => {
  it("counts killed and timed-out mutants as detected, over all but the ones that do not compile or crash, as Stryker's score does", () => {
    const figures = mutationFigures(
      report({ Killed: 170, Timeout: 4, Survived: 20, NoCoverage: 6, CompileError: 40, RuntimeError: 2, Ignored: 3 }),
      12.5,
    );
    expect(figures).toEqual({
      minutes: 12.5,
      mutants: 245,
      killed: 170,
      timedOut: 4,
      survived: 20,
      noCoverage: 6,
      invalid: 45,
      scorePercent: 87,
    });
  });

  it('rounds the score down to two decimals, so a score just under the goal never reads as meeting it', () => {
    expect(mutationFigures(report({ Killed: 5666, Survived: 1001 }), 1).scorePercent).toBe(84.98);
  });

  it('adds the mutants of every file', () => {
    const two = {
      files: { 'a.ts': { mutants: [{ status: 'Killed' }] }, 'b.ts': { mutants: [{ status: 'Survived' }] } },
    };
    expect(mutationFigures(two, 1)).toMatchObject({ mutants: 2, killed: 1, survived: 1, scorePercent: 50 });
  });

  it('gives a score of 0 for a report without a valid mutant, rather than dividing by zero', () => {
    expect(mutationFigures(report({ CompileError: 3 }), 1).scorePercent).toBe(0);
  });
});
