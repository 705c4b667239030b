import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import type { WorkflowConfig } from '../../lib/config';
import { DEFAULT_CONFIG, defaultConfig } from '../../lib/settings';
import { PaymentWorkflowStack, STACK_NAME } from '../../lib/payment-workflow-stack';

/** A synthesized stack: cdktf's JSON string (for the matchers) and the parsed object. */
export interface SynthesizedStack {
  readonly json: string;
  readonly stack: TerraformJson;
}

/** The parts of a synthesized Terraform JSON document the tests read. */
export interface TerraformJson {
  readonly terraform: Record<string, any>;
  readonly provider: Record<string, any[]>;
  readonly resource: Record<string, Record<string, any>>;
  readonly data: Record<string, Record<string, any>>;
  readonly output: Record<string, { value: string; description?: string }>;
}

/**
 * Output folder of the test apps: directly in the project root like cdktf.out, so the local
 * backend's path (relative from the stack folder to the project root) is what `cdktf synth` writes.
 */
export const TEST_OUTDIR = path.join(__dirname, '..', '..', 'cdktf.out.jest');
fs.mkdirSync(TEST_OUTDIR, { recursive: true });

/**
 * Synthesizes the deployable stack with the default configuration, changed by `overrides`; with
 * `workflowType` EXPRESS, EXPRESS's function timeout unless `overrides` gives one, as the configuration does.
 */
export function synthWorkflowStack(overrides: Partial<WorkflowConfig> = {}): SynthesizedStack {
  const app = Testing.app({ outdir: TEST_OUTDIR });
  const byType =
    overrides.workflowType === 'EXPRESS' ? { lambdaTimeoutSeconds: defaultConfig('EXPRESS').lambdaTimeoutSeconds } : {};
  const stack = new PaymentWorkflowStack(app, STACK_NAME, { config: { ...DEFAULT_CONFIG, ...byType, ...overrides } });
  const json = Testing.synth(stack);
  return { json, stack: JSON.parse(json) as TerraformJson };
}

/** The only resource of a type, failing the test when there is not exactly one. */
export function onlyResource(stack: TerraformJson, type: string): any {
  const resources = Object.values(stack.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}

/** The resource of a type whose `name` (or `function_name`) is `name`. */
export function resourceNamed(stack: TerraformJson, type: string, name: string): any {
  const found = Object.values(stack.resource[type] ?? {}).filter((r: any) => (r.function_name ?? r.name) === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}

/** The logical id (`type.id`) of the resource of a type whose name is `name`, for `${type.id.attr}` references. */
export function referenceOf(stack: TerraformJson, type: string, name: string): string {
  const entry = Object.entries(stack.resource[type] ?? {}).find(
    ([, r]: [string, any]) => (r.function_name ?? r.name) === name,
  );
  if (entry === undefined) throw new Error(`no ${type} named ${name}`);
  return `${type}.${entry[0]}`;
}
