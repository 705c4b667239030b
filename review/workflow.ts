/**
 * The state machine definition decoded: states added, removed and changed (with their changed
 * fields), retries and catches removed, and a mermaid graph of the new definition.
 * @see https://states-language.net/spec.html
 */
import type { Finding, ResourceChange, WorkflowChange } from './model';
import { marked, parseJsonString, sameValue } from './values';

type States = Record<string, Record<string, unknown>>;

/** The decoded change of each state machine, and its findings. */
export function workflowChanges(changes: readonly ResourceChange[]): {
  workflows: WorkflowChange[];
  findings: Finding[];
} {
  const workflows: WorkflowChange[] = [];
  const findings: Finding[] = [];
  const replaced = new Set(
    changes.filter((c) => c.action === 'replace' || c.action === 'create').map((c) => c.address),
  );
  for (const change of changes.filter(
    (c) => c.type === 'aws_sfn_state_machine' && c.action !== 'no-op' && c.action !== 'read',
  )) {
    const address = change.address;
    let afterValue = change.after;
    if (marked(change.afterUnknown, ['definition'])) {
      const causes = (change.references.definition ?? []).filter((ref) => replaced.has(ref));
      const because = causes.length > 0 ? `, because it names ${causes.join(', ')}, which is created or replaced` : '';
      const configured = change.configured?.definition;
      const source =
        typeof configured === 'string' ? '; read from the synthesis, where ${...} is a value decided at apply' : '';
      findings.push({
        kind: 'workflow',
        severity: 'info',
        address,
        message: `definition is (known after apply)${because}${source}`,
      });
      if (typeof configured !== 'string') continue;
      afterValue = { definition: configured };
    }
    const before = statesOf(change.before);
    const after = statesOf(afterValue);
    if (before === undefined && after === undefined) continue;
    const old = before ?? {};
    const next = after ?? {};
    const added = Object.keys(next).filter((name) => !(name in old));
    const removed = Object.keys(old).filter((name) => !(name in next));
    const changed: Record<string, string[]> = {};
    for (const name of Object.keys(next).filter((n) => n in old)) {
      const fields = Object.keys({ ...old[name], ...next[name] }).filter(
        (field) => !sameValue(old[name][field], next[name][field]),
      );
      if (fields.length > 0) changed[name] = fields;
    }
    const topFields = topLevelChanges(change.before, afterValue);
    if (added.length + removed.length + Object.keys(changed).length + topFields.length === 0) continue;
    workflows.push({
      address,
      added,
      removed,
      changed,
      mermaid: mermaidGraph(next, after === undefined ? undefined : startOf(afterValue), {
        added,
        removed,
        changed: Object.keys(changed),
      }),
    });
    if (before !== undefined) {
      for (const name of Object.keys(changed)) findings.push(...lostHandlers(address, name, old[name], next[name]));
      if (after !== undefined)
        findings.push(...lostSteps(address, old, startOf(change.before), next, startOf(afterValue), added));
    }
    const summary = [
      ...added.map((name) => `+ ${name} (${String(next[name].Type)})`),
      ...removed.map((name) => `- ${name} (${String(old[name].Type)})`),
      ...Object.entries(changed).map(([name, fields]) => `~ ${name}: ${fields.join(', ')}`),
      ...topFields.map((field) => `~ definition ${field}`),
    ];
    findings.push({
      kind: 'workflow',
      severity: 'info',
      address,
      message: before === undefined ? 'new workflow definition' : 'workflow definition changes',
      details: summary,
    });
  }
  return { workflows, findings };
}

/** A retrier or catcher of a state. */
type Handler = { readonly ErrorEquals?: string[] };

/** The errors a retrier or catcher handles; none where ErrorEquals is missing, which States Language does not allow. */
const errorsOf = (handler: Handler): string[] => handler.ErrorEquals ?? [];

/** A retrier or catcher that was there before and is gone: errors that used to be handled no longer are. */
function lostHandlers(
  address: string,
  state: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Finding[] {
  const findings: Finding[] = [];
  for (const [field, what] of [
    ['Retry', 'retry'],
    ['Catch', 'catch'],
  ] as const) {
    const remaining = new Set(((after[field] ?? []) as Handler[]).map((handler) => JSON.stringify(errorsOf(handler))));
    for (const handler of (before[field] ?? []) as Handler[]) {
      const errors = errorsOf(handler);
      if (remaining.has(JSON.stringify(errors))) continue;
      findings.push({
        kind: 'workflow',
        severity: 'risk',
        address,
        message: `state ${state} loses its ${what} of ${errors.join(', ')}: ${what === 'retry' ? 'a transient failure now fails the step at once' : 'the error now fails the execution unhandled'}`,
      });
    }
  }
  return findings;
}

/** The states a state goes on to: Next, Default, each Choice's and each Catch's Next. */
function successors(state: Record<string, unknown>): string[] {
  const targets = [
    state.Next,
    state.Default,
    ...((state.Choices ?? []) as { Next?: unknown }[]).map((c) => c.Next),
    ...((state.Catch ?? []) as { Next?: unknown }[]).map((c) => c.Next),
  ];
  return targets.filter((t): t is string => typeof t === 'string');
}

/** The top-level states reached from StartAt. */
function reachable(states: States, startAt: string | undefined): Set<string> {
  const seen = new Set<string>();
  const queue = startAt === undefined ? [] : [startAt];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name) || states[name] === undefined) continue;
    seen.add(name);
    queue.push(...successors(states[name]));
  }
  return seen;
}

/** What a Task invokes: the function it names, or its Resource. */
function invoked(state: Record<string, unknown> | undefined): string {
  const parameters = (state?.Parameters ?? state?.Arguments ?? {}) as Record<string, unknown>;
  return JSON.stringify([state?.Resource, parameters.FunctionName]);
}

/**
 * Steps the workflow loses: a Task removed (unless an added Task invokes the same thing: a rename),
 * or a state reached before that no longer is. Each names what the orders now do instead.
 */
function lostSteps(
  address: string,
  old: States,
  oldStart: string | undefined,
  next: States,
  nextStart: string | undefined,
  added: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const risk = (message: string): void => void findings.push({ kind: 'workflow', severity: 'risk', address, message });
  const renamedTo = new Set(added.filter((name) => next[name].Type === 'Task').map((name) => invoked(next[name])));
  const wasReached = reachable(old, oldStart);
  const isReached = reachable(next, nextStart);
  for (const name of Object.keys(old)) {
    if (!wasReached.has(name)) continue;
    if (!(name in next)) {
      if (old[name].Type !== 'Task' || renamedTo.has(invoked(old[name]))) continue;
      risk(`${name} no longer runs (its Task state is removed)${instead(name, old, oldStart, next, nextStart)}`);
    } else if (!isReached.has(name)) {
      risk(
        `${name} no longer runs (no path from the start reaches it any more)${instead(name, old, oldStart, next, nextStart)}`,
      );
    }
  }
  return findings;
}

/** `: orders go from CreateOrder straight to AcceptPayment`, from the states whose Next was the lost one. */
function instead(
  name: string,
  old: States,
  oldStart: string | undefined,
  next: States,
  nextStart: string | undefined,
): string {
  if (oldStart === name) return nextStart === undefined ? '' : `: the workflow now starts at ${nextStart}`;
  const routes = Object.keys(old)
    .filter((from) => old[from].Next === name && next[from] !== undefined)
    .map((from) =>
      typeof next[from].Next === 'string'
        ? `orders go from ${from} straight to ${String(next[from].Next)}`
        : `${from} now ends the workflow`,
    );
  return routes.length === 0 ? '' : `: ${routes.join('; ')}`;
}

function topLevelChanges(before: unknown, after: unknown): string[] {
  const old = definitionOf(before) ?? {};
  const next = definitionOf(after) ?? {};
  if (definitionOf(before) === undefined) return [];
  return Object.keys({ ...old, ...next }).filter((key) => key !== 'States' && !sameValue(old[key], next[key]));
}

function definitionOf(value: unknown): Record<string, unknown> | undefined {
  const definition = parseJsonString((value as Record<string, unknown> | null)?.definition);
  return definition !== null && typeof definition === 'object' ? (definition as Record<string, unknown>) : undefined;
}

function statesOf(value: unknown): States | undefined {
  const states = definitionOf(value)?.States;
  return states !== null && typeof states === 'object' ? (states as States) : undefined;
}

function startOf(value: unknown): string | undefined {
  const start = definitionOf(value)?.StartAt;
  return typeof start === 'string' ? start : undefined;
}

/** Mermaid flowchart of the new definition; added, changed and removed states carry a class each. */
export function mermaidGraph(
  states: States,
  startAt: string | undefined,
  marks: { added: string[]; removed: string[]; changed: string[] },
): string {
  const names = [...Object.keys(states), ...marks.removed];
  const id = (name: string): string => `s${names.indexOf(name)}`;
  const lines = ['flowchart TB', '  start(("Start"))'];
  for (const name of names) {
    const label = marks.removed.includes(name) ? `${name} (removed)` : name;
    const type = states[name]?.Type;
    lines.push(
      `  ${id(name)}${type === 'Fail' || type === 'Succeed' ? `(["${escapeLabel(label)}"])` : `("${escapeLabel(label)}")`}`,
    );
  }
  if (startAt !== undefined && names.includes(startAt)) lines.push(`  start --> ${id(startAt)}`);
  const hasEnd = Object.values(states).some((state) => state.End === true || state.Type === 'Succeed');
  if (hasEnd) lines.push('  finish(("End"))');
  for (const [name, state] of Object.entries(states)) {
    const targets = [state.Next, state.Default, ...((state.Choices ?? []) as { Next?: string }[]).map((c) => c.Next)];
    for (const target of new Set(targets.filter((t): t is string => typeof t === 'string' && names.includes(t))))
      lines.push(`  ${id(name)} --> ${id(target)}`);
    const catches = new Set(
      ((state.Catch ?? []) as { Next?: string }[])
        .map((c) => c.Next)
        .filter((t): t is string => typeof t === 'string' && names.includes(t)),
    );
    for (const target of catches) lines.push(`  ${id(name)} -.->|"Catch"| ${id(target)}`);
    if (state.End === true || state.Type === 'Succeed') lines.push(`  ${id(name)} --> finish`);
  }
  lines.push(
    '  classDef added fill:#d4f8d4,stroke:#1a7f37',
    '  classDef changed fill:#fff4c2,stroke:#9a6700',
    '  classDef removed fill:#ffd8d3,stroke:#cf222e,stroke-dasharray:4',
  );
  for (const [kind, list] of [
    ['added', marks.added],
    ['changed', marks.changed],
    ['removed', marks.removed],
  ] as const) {
    if (list.length > 0) lines.push(`  class ${list.map(id).join(',')} ${kind}`);
  }
  return lines.join('\n');
}

/** Mermaid's entity codes for the characters that would end or break a quoted label. */
function escapeLabel(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[#"<>&`|]/g, (ch) => `#${ch.charCodeAt(0)};`);
}
