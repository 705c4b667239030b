/**
 * Team rules: a checked-in file (`.plan-review.json` at the repository root, or `--rules FILE`) that
 * raises or lowers the severity of findings by kind and address pattern, each with a reason the review
 * prints, so an accepted risk stops blocking every pull request without anyone editing `review/`.
 *
 *   { "rules": [ { "kind": "data-loss", "address": "aws_cloudwatch_log_group.*", "severity": "info",
 *                  "reason": "log groups are recreated by design; INC-123" } ] }
 */
import { InvalidTeamRules } from './errors';
import type { Finding, FindingKind, Review, Severity } from './model';

/** The default file, at the repository root. */
export const TEAM_RULES_FILE = '.plan-review.json';

const KINDS: readonly FindingKind[] = ['data-loss', 'privilege', 'exposure', 'workflow', 'code', 'change'];
const SEVERITIES: readonly Severity[] = ['risk', 'info'];
const ENTRY_KEYS = ['kind', 'address', 'message', 'severity', 'reason'];

/** One rule: findings of `kind` whose address matches `address` (and message contains `message`) get `severity`. */
export interface TeamRule {
  readonly kind: FindingKind;
  /** An address pattern: `*` matches any characters (`aws_cloudwatch_log_group.*`). */
  readonly address: string;
  /** Optional: only findings whose message contains this text. */
  readonly message?: string;
  readonly severity: Severity;
  /** Why the team accepts (or insists on) this: printed beside every finding the rule changes. */
  readonly reason: string;
}

/** Checks a parsed team rules file; a malformed entry throws {@link InvalidTeamRules} naming it. */
export function parseTeamRules(document: unknown, file: string): TeamRule[] {
  const rules = (document as { rules?: unknown } | null)?.rules;
  if (document === null || typeof document !== 'object' || Array.isArray(document) || !Array.isArray(rules)) {
    throw new InvalidTeamRules(
      `${file}: expected an object with a "rules" list; received ${JSON.stringify(document)?.slice(0, 80)}. Fix: write { "rules": [ ... ] }.`,
    );
  }
  return rules.map((entry: unknown, index: number): TeamRule => {
    const where = `${file}: rules[${index}]`;
    const fail = (what: string, received: unknown, fix: string): never => {
      throw new InvalidTeamRules(`${where}: expected ${what}; received ${JSON.stringify(received)}. Fix: ${fix}.`);
    };
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      return fail('an object', entry, 'give kind, address, severity and reason');
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((key) => !ENTRY_KEYS.includes(key));
    if (unknown.length > 0) fail(`only the keys ${ENTRY_KEYS.join(', ')}`, unknown, `remove ${unknown.join(', ')}`);
    if (!KINDS.includes(e.kind as FindingKind))
      fail(`"kind" one of ${KINDS.join(', ')}`, e.kind, 'name the kind of finding the rule changes');
    if (typeof e.address !== 'string' || e.address === '')
      fail(
        '"address" a non-empty pattern such as aws_cloudwatch_log_group.*',
        e.address,
        'name the addresses the rule applies to',
      );
    if (e.message !== undefined && (typeof e.message !== 'string' || e.message === ''))
      fail(
        '"message" a non-empty text, or no "message"',
        e.message,
        "give part of the finding's message, or leave it out",
      );
    if (!SEVERITIES.includes(e.severity as Severity))
      fail('"severity" risk or info', e.severity, 'say whether the findings become a risk or info');
    if (typeof e.reason !== 'string' || e.reason.trim() === '')
      fail('"reason" a non-empty text', e.reason, 'say why the team accepts this, so every review can print it');
    return {
      kind: e.kind as FindingKind,
      address: e.address as string,
      ...(e.message === undefined ? {} : { message: e.message as string }),
      severity: e.severity as Severity,
      reason: (e.reason as string).trim(),
    };
  });
}

/** The review with each finding's severity set by the first rule that matches it, and that rule's reason kept. */
export function applyTeamRules(review: Review, rules: readonly TeamRule[]): Review {
  if (rules.length === 0) return review;
  const findings = review.findings.map((finding): Finding => {
    const rule = rules.find(
      (r) =>
        r.kind === finding.kind &&
        addressPattern(r.address).test(finding.address) &&
        (r.message === undefined || finding.message.includes(r.message)),
    );
    return rule === undefined ? finding : { ...finding, severity: rule.severity, teamRule: rule.reason };
  });
  return { ...review, findings };
}

/** `aws_cloudwatch_log_group.*` → a regular expression matching the whole address, `*` any characters. */
function addressPattern(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
