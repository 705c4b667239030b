import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureSynthesized } from '../../local/synth';
import type { Finding, Review } from '../../review/model';
import { readPlan } from '../../review/plan';
import { buildReview } from '../../review/review';
import { diffSyntheses, type Synthesis } from '../../review/synthesis';
import { PLAN_REVIEW_CASES } from './plan-review-cases';
import { type StackJson, withStandIns } from './terraform-stand-ins';

/** Folder of the plan review's fixtures. */
export const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'plan-review');

/** The real plan JSON of a fixture case. */
export function fixturePlan(name: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name, 'plan.json'), 'utf8'));
}

/** The review of a fixture case's real plan. */
export function reviewOfPlan(name: string): Review {
  return buildReview(readPlan(fixturePlan(name)));
}

/** The review of a fixture case's real plan read with the head's synthesis, as the pull-request workflow reads it. */
export function reviewOfPlanWithSynthesis(name: string): Review {
  const testCase = PLAN_REVIEW_CASES.find((c) => c.name === name);
  if (testCase === undefined) throw new Error(`no plan review case ${name}`);
  const head = structuredClone(stackSynthesis().document);
  testCase.editHead(head);
  // The fixture plans were made with literals for the data sources: the synthesis must say the same.
  return buildReview(readPlan(fixturePlan(name), withStandIns(head)));
}

/** The deployable stack as `cdktf synth` writes it (construct paths and bundles included). */
export function stackSynthesis(): { document: StackJson; dir: string } {
  const { outdir } = ensureSynthesized();
  const dir = path.join(outdir, 'stacks', 'mock-payment-workflow');
  return { document: JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')), dir };
}

/** The review of a fixture case's edits as two syntheses: the stack as it is, and the edited copy. */
export function reviewOfSynthesis(name: string): Review {
  const testCase = PLAN_REVIEW_CASES.find((c) => c.name === name);
  if (testCase === undefined) throw new Error(`no plan review case ${name}`);
  const stack = stackSynthesis();
  const head = structuredClone(stack.document);
  testCase.editHead(head);
  const base: Synthesis = testCase.baseIsStack ? stack : { document: { resource: {} } };
  return buildReview(diffSyntheses(base, { document: head, dir: stack.dir }));
}

/** The risks of a review as `kind address: message` lines, the way a reviewer reads them. */
export function riskLines(review: Review): string[] {
  return review.findings
    .filter((f: Finding) => f.severity === 'risk')
    .map((f) => `${f.kind} ${f.address}: ${f.message}`);
}
