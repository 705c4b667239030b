/** The review as terminal text, as a pull-request comment (markdown) and as JSON. */
import { BLOCKING_KINDS, type Finding, type Review, RISK_ACKNOWLEDGED_LABEL } from './model';

/** A GitHub comment holds at most this many characters; a longer one is refused with HTTP 422. */
export const COMMENT_LIMIT = 65_536;

/** Room kept under {@link COMMENT_LIMIT} for the marker and header the workflow adds. */
const COMMENT_MARGIN = 1_536;

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Link to the job log, where the whole review is, named when a section is shortened. */
  readonly logUrl?: string;
  /** Most characters of the comment. @default {@link COMMENT_LIMIT} less a margin for the workflow's header */
  readonly maxLength?: number;
}

const KIND_TITLES: Record<Finding['kind'], string> = {
  'data-loss': 'Data loss',
  privilege: 'Privilege',
  exposure: 'Exposure',
  monitoring: 'Monitoring',
  workflow: 'Workflow',
  code: 'Function code',
  change: 'Change',
};

const ACTION_ORDER = ['delete', 'replace', 'forget', 'create', 'update', 'move'] as const;

/**
 * The verdict line, its counts as Terraform's own "Plan: 1 to add, 0 to change, 1 to destroy." with
 * what that line folds in said beside it: `1 to add, 0 to change, 1 to destroy (1 replacement, in both add and destroy): 2 risks`.
 */
export function verdict(review: Review): string {
  const { add, change, destroy, replace, forget, import: imports, move } = review.counts;
  const beside = [
    ...(replace > 0 ? [`${replace} replacement${replace === 1 ? '' : 's'}, in both add and destroy`] : []),
    ...(move > 0 ? [`${move} moved`] : []),
    ...(forget > 0 ? [`${forget} to forget`] : []),
  ];
  const counts = `${imports > 0 ? `${imports} to import, ` : ''}${add} to add, ${change} to change, ${destroy} to destroy${beside.length > 0 ? ` (${beside.join('; ')})` : ''}`;
  const risks = risksOf(review).length;
  // A deletion is never called safe: the rules may not know what the destroyed resource held (a replacement counts in destroy).
  const none =
    destroy === 0
      ? 'no risky change'
      : `no risk found, but ${destroy} destroyed: read ${destroy === 1 ? 'it' : 'them'} before merging`;
  return `${counts}: ${risks === 0 ? none : `${risks} risk${risks === 1 ? '' : 's'}`}`;
}

/** Whether a finding fails the pull-request check until the pull request carries {@link RISK_ACKNOWLEDGED_LABEL}. */
export function isBlocking(finding: Finding): boolean {
  return finding.severity === 'risk' && BLOCKING_KINDS.includes(finding.kind);
}

/** The findings a team rule lowered from a risk: listed with the rule's reason, never silently dropped. */
function acceptedOf(review: Review): Finding[] {
  return review.findings.filter((f) => f.teamRule !== undefined && f.severity === 'info');
}

/** The cost line (`Cost: $77.58 → $3.68 a million orders (-$73.90; STANDARD → EXPRESS)`), when the price changes. */
function costLine(review: Review): string | undefined {
  return review.cost === undefined ? undefined : review.cost.line;
}

/** The findings a reviewer must look at, in the order they were found. */
export function risksOf(review: Review): Finding[] {
  return review.findings.filter((finding) => finding.severity === 'risk');
}

/** What the source of the review means for the reader. */
function sourceLine(review: Review): string {
  return review.source === 'plan'
    ? 'From a Terraform plan: replacements are as Terraform will do them.'
    : 'From two syntheses, without Terraform: replacements are predicted from the attributes that force one; drift and values known only after apply are not seen.';
}

function blockingLine(review: Review): string | undefined {
  const blocking = risksOf(review).filter(isBlocking).length;
  if (blocking === 0) return undefined;
  return `${blocking} data-loss or privilege risk${blocking === 1 ? '' : 's'}: the pull-request check fails until the pull request carries the label \`${RISK_ACKNOWLEDGED_LABEL}\`.`;
}

/** The review for a terminal. */
export function renderText(review: Review): string {
  const lines = [`Plan review: ${verdict(review)}`];
  const cost = costLine(review);
  if (cost !== undefined) lines.push(cost);
  lines.push(sourceLine(review));
  const blocking = blockingLine(review);
  if (blocking !== undefined) lines.push(blocking.replace(/`/g, ''));
  const section = (title: string, findings: readonly Finding[]): void => {
    if (findings.length === 0) return;
    lines.push('', `${title}:`);
    for (const finding of findings) {
      const tag = finding.severity === 'risk' || finding.teamRule !== undefined ? `[${finding.kind}] ` : '';
      lines.push(`  ${tag}${finding.address}: ${finding.message}`);
      for (const detail of finding.details ?? []) lines.push(`      ${detail}`);
      if (finding.teamRule !== undefined) lines.push(`      team rule: ${finding.teamRule}`);
    }
  };
  section('Risks', risksOf(review));
  section('Accepted by team rules (.plan-review.json)', acceptedOf(review));
  section(
    'Workflow changes',
    review.findings.filter((f) => f.kind === 'workflow' && f.severity === 'info'),
  );
  section(
    'Function code',
    review.findings.filter((f) => f.kind === 'code'),
  );
  section(
    'Access changes',
    review.findings.filter((f) => (f.kind === 'privilege' || f.kind === 'exposure') && f.severity === 'info'),
  );
  for (const action of ACTION_ORDER) {
    section(
      `To ${action}`,
      review.findings.filter((f) => f.kind === 'change' && f.message.split(' ')[0] === action),
    );
  }
  section(
    'Drift',
    review.findings.filter((f) => f.kind === 'change' && f.message.startsWith('drift')),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The review as JSON: counts, findings with a `blocking` flag each, the change list (address, previous
 * address, actions, construct path), the stack-wide settings and the cost; not the values.
 */
export function renderJson(review: Review): string {
  const { source, counts, findings, workflows, changeSet, cost } = review;
  const changes = changeSet.changes
    .filter((c) => (c.action !== 'no-op' && c.action !== 'read') || c.previousAddress !== undefined)
    .map((c) => ({
      address: c.address,
      previousAddress: c.previousAddress ?? null,
      action: c.action,
      actions: c.actions,
      constructPath: c.constructPath ?? null,
      predicted: c.predicted,
      ...(c.importing === true ? { importing: true } : {}),
    }));
  return `${JSON.stringify(
    {
      source,
      verdict: verdict(review),
      counts,
      risks: risksOf(review).length,
      blocking: findings.filter(isBlocking).length,
      ...(cost === undefined ? {} : { cost }),
      findings: findings.map((f) => ({ ...f, blocking: isBlocking(f) })),
      changes,
      settings: changeSet.settings ?? [],
      workflows,
    },
    null,
    2,
  )}\n`;
}

/**
 * The review as a pull-request comment. The verdict, the risks and the workflow changes are never
 * cut; past the length limit the raw changes go first, then the other changes, then the code.
 */
export function renderMarkdown(review: Review, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? COMMENT_LIMIT - COMMENT_MARGIN;
  const log = options.logUrl === undefined ? 'the job log' : `[the job log](${options.logUrl})`;
  const essential = [
    `### Plan review: ${verdict(review)}`,
    ...(costLine(review) === undefined ? [] : ['', costLine(review) as string]),
    '',
    sourceLine(review),
    ...(blockingLine(review) === undefined ? [] : ['', `> **${blockingLine(review)}**`]),
    '',
    ...risksSection(review),
    ...acceptedSection(review),
    ...workflowSection(review),
  ].join('\n');

  const code = review.findings.filter((f) => f.kind === 'code').map((f) => findingItem(f));
  const others = [
    ...review.findings
      .filter((f) => (f.kind === 'privilege' || f.kind === 'exposure') && f.severity === 'info')
      .map((f) => findingItem(f)),
    ...ACTION_ORDER.flatMap((action) =>
      review.findings
        .filter((f) => f.kind === 'change' && f.message.split(' ')[0] === action)
        .map((f) => findingItem(f, action)),
    ),
    ...review.findings
      .filter((f) => f.kind === 'change' && f.message.startsWith('drift'))
      .map((f) => findingItem(f, 'drift')),
  ];
  const raw = rawSection(review);

  const join = (
    codeItems: string[],
    otherItems: string[],
    rawText: string,
    codeLeft: number,
    othersLeft: number,
  ): string => {
    const parts = [essential];
    if (code.length > 0)
      parts.push(['#### Function code', '', ...codeItems, ...omitted(codeLeft, 'function', log), ''].join('\n'));
    if (others.length > 0)
      parts.push(['#### Other changes', '', ...otherItems, ...omitted(othersLeft, 'change', log), ''].join('\n'));
    parts.push(rawText);
    return parts.join('\n');
  };
  const whole = join(code, others, raw, 0, 0);
  if (whole.length <= maxLength) return whole;
  const noRaw = `<details><summary>Raw changes</summary>\n\nLeft out: too long for a comment. The whole review is in ${log}.\n\n</details>\n`;
  // Keep as many items as fit, first of the other changes, then of the code.
  const fittingCount = (items: string[], fixed: number): number => {
    let length = fixed;
    let kept = 0;
    for (const item of items) {
      if (length + item.length + 1 > maxLength) break;
      length += item.length + 1;
      kept += 1;
    }
    return kept;
  };
  const withoutOthers = join(code, [], noRaw, 0, others.length);
  if (withoutOthers.length <= maxLength) {
    const kept = fittingCount(others, withoutOthers.length + 80);
    return join(code, others.slice(0, kept), noRaw, 0, others.length - kept);
  }
  const bare = join([], [], noRaw, code.length, others.length);
  const kept = fittingCount(code, bare.length + 80);
  return join(code.slice(0, kept), [], noRaw, code.length - kept, others.length);
}

function omitted(count: number, noun: string, log: string): string[] {
  return count === 0
    ? []
    : [`- … ${count} more ${noun}${count === 1 ? '' : 's'} left out to fit a comment: see ${log}.`];
}

function risksSection(review: Review): string[] {
  const risks = risksOf(review);
  if (risks.length === 0) return ['#### Risks', '', 'No risky change.', ''];
  return ['#### Risks', '', ...risks.map((f) => findingItem(f, KIND_TITLES[f.kind])), ''];
}

function acceptedSection(review: Review): string[] {
  const accepted = acceptedOf(review);
  if (accepted.length === 0) return [];
  return [
    '#### Accepted by team rules (`.plan-review.json`)',
    '',
    ...accepted.map((f) => findingItem(f, KIND_TITLES[f.kind])),
    '',
  ];
}

function workflowSection(review: Review): string[] {
  const notes = review.findings.filter((f) => f.kind === 'workflow' && f.severity === 'info');
  if (notes.length === 0) return [];
  const lines = ['#### Workflow changes', '', ...notes.map((f) => findingItem(f))];
  for (const workflow of review.workflows) {
    lines.push(
      '',
      `New definition of \`${workflow.address}\` (green: added, yellow: changed, red: removed):`,
      '',
      '```mermaid',
      workflow.mermaid,
      '```',
    );
  }
  return [...lines, ''];
}

function findingItem(finding: Finding, label?: string): string {
  // A change's message starts with its action, which the label already says.
  const message =
    finding.kind === 'change' && label !== undefined ? finding.message.replace(/^\S+ ?/, '') : finding.message;
  const blocking = isBlocking(finding) ? ' **(blocking)**' : '';
  const head = `- ${label === undefined ? '' : `**${label}** `}\`${finding.address}\`${message === '' ? '' : `: ${inline(message)}`}${blocking}`;
  const details = (finding.details ?? []).map((d) => `  - \`${d.replace(/`/g, "'")}\``);
  const rule = finding.teamRule === undefined ? [] : [`  - team rule: ${inline(finding.teamRule)}`];
  return [head, ...details, ...rule].join('\n');
}

/** Markdown would read `*` and `_` in ARNs and actions as emphasis, and `$` in `${...}` as math. */
function inline(text: string): string {
  return text.replace(/([*_<>$])/g, '\\$1');
}

function rawSection(review: Review): string {
  const entries = review.changeSet.changes
    .filter((c) => c.action !== 'no-op')
    .map((c) =>
      JSON.stringify({
        address: c.address,
        actions: c.actions,
        before: c.before,
        after: c.after,
        after_unknown: c.afterUnknown,
        replace_paths: c.replacePaths,
      }),
    );
  const title =
    review.source === 'plan'
      ? 'Raw plan (resource changes, sensitive values masked)'
      : 'Raw changes (both syntheses, secret-looking values masked)';
  return [`<details><summary>${title}</summary>`, '', '````json', ...entries, '````', '', '</details>', ''].join('\n');
}
