/**
 * The state machine graph of the local console, drawn from the synthesized definition: a mermaid
 * flowchart with one node per top-level state and an edge per `Next`, `Default`, Choice rule and
 * `Catch`, so a new state or Catch in `lib/workflow-definition.ts` appears without touching the console.
 */

/** One drawn state. */
export interface GraphNode {
  /** The node's mermaid id (`s0`, `s1`, ...): state names may hold characters mermaid ids cannot. */
  readonly id: string;
  /** The state's name in the definition. */
  readonly state: string;
  /** The state's `Type` (`Task`, `Fail`, ...). */
  readonly type: string;
}

/** One drawn transition. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'next' | 'catch' | 'choice' | 'default' | 'end';
  /** The edge's label: the errors a Catch matches, a Choice rule, ... */
  readonly label?: string;
}

/** A definition drawn as a graph. */
export interface WorkflowGraph {
  /** Mermaid flowchart source; every state name in it is escaped for mermaid. */
  readonly mermaid: string;
  /** The states in definition order. */
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Mermaid id of the start and end markers. */
export const START_NODE = 'start';
export const END_NODE = 'finish';

/** Error names shown on a Catch edge before the rest are only counted. */
const CATCH_NAMES_SHOWN = 2;

/**
 * Draws a definition's top-level states. Parallel and Map states are drawn as one node each (their
 * branches run inside them); a state without `Next` or `End` that is not terminal draws no edge.
 */
export function workflowGraph(definition: {
  readonly StartAt: string;
  readonly States: Record<string, any>;
}): WorkflowGraph {
  const names = Object.keys(definition.States);
  const ids = new Map(names.map((name, index) => [name, `s${index}`]));
  const nodes: GraphNode[] = names.map((name) => ({
    id: ids.get(name) as string,
    state: name,
    type: String(definition.States[name]?.Type),
  }));
  const edges: GraphEdge[] = [];
  const idOf = (name: string): string => ids.get(name) ?? END_NODE;
  const startAt = ids.get(definition.StartAt);
  if (startAt !== undefined) edges.push({ from: START_NODE, to: startAt, kind: 'next' });
  for (const name of names) {
    const state = definition.States[name] as Record<string, any>;
    const from = ids.get(name) as string;
    for (const [index, rule] of ((state.Choices ?? []) as Record<string, any>[]).entries()) {
      edges.push({ from, to: idOf(rule.Next), kind: 'choice', label: `Rule ${index + 1}` });
    }
    if (typeof state.Default === 'string')
      edges.push({ from, to: idOf(state.Default), kind: 'default', label: 'Default' });
    if (typeof state.Next === 'string') edges.push({ from, to: idOf(state.Next), kind: 'next' });
    if (state.End === true || state.Type === 'Succeed') edges.push({ from, to: END_NODE, kind: 'end' });
    // One edge per target: a Task that sends several catchers to the same state draws one arrow.
    const catches = new Map<string, string[]>();
    for (const catcher of (state.Catch ?? []) as Record<string, any>[]) {
      const target = idOf(catcher.Next);
      catches.set(target, [...(catches.get(target) ?? []), ...((catcher.ErrorEquals ?? []) as string[])]);
    }
    for (const [to, errors] of catches) edges.push({ from, to, kind: 'catch', label: catchLabel(errors) });
  }
  return { mermaid: toMermaid(nodes, edges), nodes, edges };
}

function catchLabel(errors: readonly string[]): string {
  const shown = errors.slice(0, CATCH_NAMES_SHOWN).join(', ');
  return errors.length > CATCH_NAMES_SHOWN ? `${shown} +${errors.length - CATCH_NAMES_SHOWN}` : shown;
}

function toMermaid(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): string {
  const lines = ['flowchart TB', `  ${START_NODE}(("Start"))`];
  for (const node of nodes) lines.push(`  ${node.id}${shape(node.type, mermaidText(node.state))}`);
  if (edges.some((edge) => edge.to === END_NODE)) lines.push(`  ${END_NODE}(("End"))`);
  for (const edge of edges) {
    const label = edge.label === undefined ? '' : `|"${mermaidText(edge.label)}"|`;
    lines.push(`  ${edge.from} ${edge.kind === 'catch' ? '-.->' : '-->'}${label} ${edge.to}`);
  }
  lines.push(`  class ${START_NODE},${END_NODE} marker`);
  return `${lines.join('\n')}\n`;
}

/** The node shape of a state type, around an already escaped label. */
function shape(type: string, label: string): string {
  switch (type) {
    case 'Choice':
      return `{"${label}"}`;
    case 'Succeed':
    case 'Fail':
      return `(["${label}"])`;
    case 'Pass':
    case 'Wait':
      return `["${label}"]`;
    default:
      return `("${label}")`;
  }
}

/**
 * Escapes text for a quoted mermaid label with mermaid's own entity codes, so a state name can
 * neither end the label nor inject markup (`"`, `#`, `<`, `>`, `&` and backticks are encoded, line
 * breaks become spaces).
 */
export function mermaidText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[#"<>&`|]/g, (ch) => `#${ch.charCodeAt(0)};`);
}
