/** The check's printed comparison: a summary per stack, then every difference with its verdict and cause. */
import { blockOfPath, blocksOf, type JudgedDifference, type PathStep, type Synthesis, type Verdict } from './compare';

/** Longest value printed in the table; the rest is cut with an ellipsis. */
const MAX_VALUE_WIDTH = 40;

/** Order of the verdicts in the table: what fails the check first. */
const VERDICT_ORDER: readonly Verdict[] = ['unexplained', 'explained', 'ignored'];

/** A path as people read it: `terraform.required_providers.aws.version`, `tags[0]`. */
export function formatPath(path: readonly PathStep[]): string {
  if (path.length === 0) return '(whole stack)';
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/** A value as one short table cell; `(none)` for a side that lacks it. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length <= MAX_VALUE_WIDTH ? text : `${text.slice(0, MAX_VALUE_WIDTH - 1)}…`;
}

/** Rows of left-aligned columns, each as wide as its widest cell; the last column is not padded. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '),
    )
    .join('\n');
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * Per stack: the Terraform blocks (each resource, data source, output, variable, provider, the
 * terraform block) compared, split into equal (apart from ignored metadata), differing only in
 * explained ways, and differing unexplained; and the asset files with the same bytes on both sides.
 */
export function renderSummary(ours: Synthesis, theirs: Synthesis, judged: readonly JudgedDifference[]): string {
  const stacks = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
  const rows = stacks.map((stack) => {
    const blocks = [...new Set([...blocksOf(ours[stack]?.document), ...blocksOf(theirs[stack]?.document)])];
    const inStack = judged.filter((d) => d.stack === stack && d.verdict !== 'ignored');
    const whole = inStack.some((d) => d.path.length === 0);
    const verdictOf = (block: string): Verdict | 'equal' => {
      const differences = inStack.filter((d) => d.path[0] !== 'assets' && blockOfPath(d.path) === block);
      if (whole || differences.some((d) => d.verdict === 'unexplained')) return 'unexplained';
      return differences.length > 0 ? 'explained' : 'equal';
    };
    const verdicts = blocks.map(verdictOf);
    const count = (verdict: Verdict | 'equal'): string => String(verdicts.filter((v) => v === verdict).length);
    const assets = new Set([...Object.keys(ours[stack]?.assets ?? {}), ...Object.keys(theirs[stack]?.assets ?? {})]);
    const differingAssets = new Set(inStack.filter((d) => d.path[0] === 'assets').map((d) => String(d.path[1])));
    const sameAssets = whole ? 0 : [...assets].filter((file) => !differingAssets.has(file)).length;
    return [
      stack,
      String(blocks.length),
      count('equal'),
      count('explained'),
      count('unexplained'),
      `${sameAssets} of ${assets.size}`,
    ];
  });
  return table([['Stack', 'Blocks', 'Equal', 'Explained', 'Unexplained', 'Asset files with the same bytes'], ...rows]);
}

/** Every difference, unexplained first, with both values, the verdict and the cause. */
export function renderDifferences(judged: readonly JudgedDifference[]): string {
  if (judged.length === 0) return 'No differences.';
  const sorted = [...judged].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict));
  const rows = sorted.map((d) => [
    d.verdict,
    d.stack,
    formatPath(d.path),
    formatValue(d.ours),
    formatValue(d.theirs),
    d.cause,
  ]);
  return table([['Verdict', 'Stack', 'Path', 'This project (cdktf)', 'CDK Terrain (cdktn)', 'Cause'], ...rows]);
}

/** The closing line: what the differences add up to. */
export function renderResult(judged: readonly JudgedDifference[]): string {
  const count = (verdict: Verdict): number => judged.filter((d) => d.verdict === verdict).length;
  const unexplained = count('unexplained');
  const tail = `${plural(count('explained'), 'explained difference')}, ${plural(count('ignored'), 'ignored metadata difference')}`;
  if (unexplained > 0) return `Result: NOT EQUAL: ${plural(unexplained, 'unexplained difference')} (and ${tail}).`;
  return `Result: equal apart from ${tail}.`;
}
