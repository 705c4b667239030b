/**
 * The plan review's rules run as a reviewer runs them: `npm run review -- --fail-on-risk` in the three
 * formats, on a synthesized pair (the stack and an edited copy) or on a plan JSON built in the test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseReviewOptions, runReview } from '../../review/cli';
import { PROJECT_ROOT } from './app';
import { stackSynthesis } from './plan-review';
import type { StackJson } from './plan-review-cases';

/** What one input gives in each format, with `--fail-on-risk`. */
export interface RuleRun {
  /** Exit status of each format's run (the same in all three). */
  readonly status: number;
  readonly text: string;
  readonly markdown: string;
  readonly json: string;
  /** The risks of the JSON format as `kind address: message` lines. */
  readonly risks: string[];
  /** Every finding of the JSON format as `severity kind address: message` lines. */
  readonly findings: string[];
}

/** One resource change of a plan JSON, as `terraform show -json` writes it. */
export interface PlanEntry {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
}

function runAll(args: string[]): RuleRun {
  const run = (format: string): { status: number; output: string } =>
    runReview(parseReviewOptions([...args, '--format', format, '--fail-on-risk']), PROJECT_ROOT);
  const [text, markdown, json] = ['text', 'markdown', 'json'].map(run);
  if (text.status !== json.status || markdown.status !== json.status)
    throw new Error('the formats disagree on the exit status');
  const model = JSON.parse(json.output) as {
    findings: { kind: string; severity: string; address: string; message: string }[];
  };
  return {
    status: json.status,
    text: text.output,
    markdown: markdown.output,
    json: json.output,
    risks: model.findings.filter((f) => f.severity === 'risk').map((f) => `${f.kind} ${f.address}: ${f.message}`),
    findings: model.findings.map((f) => `${f.severity} ${f.kind} ${f.address}: ${f.message}`),
  };
}

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-rules-'));

/** Reviews the stack's synthesis, changed by `editBase`, against a copy changed by `edit`, as two cdk.tf.json files. */
export function reviewEdit(
  edit: (head: StackJson) => void,
  editBase: (base: StackJson) => void = () => undefined,
): RuleRun {
  const dir = tempDir();
  const stack = stackSynthesis().document;
  const base = structuredClone(stack);
  editBase(base);
  const head = structuredClone(stack);
  edit(head);
  fs.writeFileSync(path.join(dir, 'base.json'), JSON.stringify(base));
  fs.writeFileSync(path.join(dir, 'head.json'), JSON.stringify(head));
  return runAll(['--base-synth', path.join(dir, 'base.json'), '--head-synth', path.join(dir, 'head.json')]);
}

/**
 * Reviews a plan JSON holding the given resource changes, and the references of each resource's
 * configuration by attribute (`{ 'aws_x.y': { policy_arn: ['aws_iam_policy.z.arn'] } }`), as the plan's
 * `configuration` block gives them.
 */
export function reviewPlanOf(
  entries: readonly PlanEntry[],
  references: Readonly<Record<string, Record<string, string[]>>> = {},
): RuleRun {
  const file = path.join(tempDir(), 'plan.json');
  const resourceChanges = entries.map(
    ({ address, type, actions, before = null, after = null, after_unknown = {}, replace_paths }) => ({
      address,
      mode: 'managed',
      type,
      name: address.split('.')[1],
      change: { actions, before, after, after_unknown, ...(replace_paths === undefined ? {} : { replace_paths }) },
    }),
  );
  const resources = Object.entries(references).map(([address, byAttribute]) => ({
    address,
    expressions: Object.fromEntries(
      Object.entries(byAttribute).map(([attribute, refs]) => [attribute, { references: refs }]),
    ),
  }));
  fs.writeFileSync(
    file,
    JSON.stringify({
      format_version: '1.2',
      resource_changes: resourceChanges,
      configuration: { root_module: { resources } },
    }),
  );
  return runAll(['--plan', file]);
}

/** Reviews a plan JSON file. */
export function reviewPlanFile(file: string): RuleRun {
  return runAll(['--plan', file]);
}

/** A policy document as the plan and the synthesis write it: a JSON string. */
export function policyJson(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
