/**
 * The subset of CloudWatch Logs JSON filter patterns the runbook uses, evaluated on one log event:
 * `{ $.a.b = "text" }`, `!=`, a `*` wildcard inside the quotes, numeric `=`, `!=`, `<`, `<=`, `>`, `>=`,
 * and conditions joined by `&&`. An event that is not a JSON object matches nothing; a string
 * comparison matches only a string field, a numeric one only a number. Anything else is refused, so
 * the runbook cannot use syntax this evaluator would get wrong.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html (Using filter patterns to match terms in JSON log events)
 */

/** A filter pattern uses syntax outside the subset above. */
export class UnsupportedFilterPattern extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFilterPattern';
  }
}

type Condition = { readonly path: readonly string[]; readonly op: string } & (
  | { readonly text: string }
  | { readonly number: number }
);

const CONDITION = /^\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*(=|!=|<=|>=|<|>)\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?))$/;

/** Parses a pattern of the subset; throws {@link UnsupportedFilterPattern} on anything else. */
export function parseJsonFilterPattern(pattern: string): readonly Condition[] {
  const body = /^\{\s*(.*?)\s*\}$/.exec(pattern.trim())?.[1];
  if (body === undefined)
    throw new UnsupportedFilterPattern(
      `Expected a JSON filter pattern in braces, received ${JSON.stringify(pattern)}.`,
    );
  return body.split('&&').map((part): Condition => {
    const m = CONDITION.exec(part.trim());
    if (m === null)
      throw new UnsupportedFilterPattern(
        `Expected $.field <op> "text" or a number, received ${JSON.stringify(part.trim())}.`,
      );
    const [, selector, op, text, number] = m as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const path = selector.slice(1).split('.');
    if (text !== undefined) {
      if (op !== '=' && op !== '!=')
        throw new UnsupportedFilterPattern(`Expected = or != before a string, received ${op}.`);
      return { path, op, text: text.replace(/\\(.)/g, '$1') };
    }
    return { path, op, number: Number(number) };
  });
}

/** Whether the log event `message` matches `pattern`. */
export function matchesJsonFilterPattern(pattern: string, message: string): boolean {
  const conditions = parseJsonFilterPattern(pattern);
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return false;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  return conditions.every((condition) => holds(condition, valueAt(event, condition.path)));
}

function valueAt(event: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined),
    event,
  );
}

function holds(condition: Condition, value: unknown): boolean {
  if ('text' in condition) {
    if (typeof value !== 'string') return false;
    const wildcard = new RegExp(
      `^${condition.text
        .split('*')
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return wildcard.test(value) === (condition.op === '=');
  }
  if (typeof value !== 'number') return false;
  const n = condition.number;
  const result: Record<string, boolean> = {
    '=': value === n,
    '!=': value !== n,
    '<': value < n,
    '<=': value <= n,
    '>': value > n,
    '>=': value >= n,
  };
  return result[condition.op] as boolean;
}
