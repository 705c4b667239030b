/**
 * Reads the JSON of `terraform show -json <planfile>` into a {@link ChangeSet}.
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */
import { NotAPlan, PlanErrored, UnreadableInput, UnsupportedPlanFormat } from './errors';
import type { ChangeAction, ChangeSet, OutputChange, PathStep, ResourceChange } from './model';
import type { SynthesizedDocument } from './synthesis';
import { maskSecretEnvironment, maskSensitive } from './values';

/** The major version of the plan format this review reads; minor versions only add fields. */
const SUPPORTED_MAJOR = '1';

/**
 * Keys only a plan has. Terraform writes `planned_values` in every plan (an empty root module when
 * nothing is planned); `resource_changes` and `output_changes` are left out when empty. A state shown
 * with `terraform show -json` has `values` instead and none of these.
 */
const PLAN_KEYS = ['planned_values', 'resource_changes', 'output_changes'] as const;

/** One entry of `resource_changes` or `resource_drift`, as far as the review reads it. */
interface PlanResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly replace_paths?: readonly (readonly PathStep[])[];
    readonly importing?: unknown;
  };
  readonly action_reason?: string;
  readonly previous_address?: string;
}

/** Terraform's action list as one action; a list that names `delete` always destroys. */
export function actionOf(actions: readonly string[]): ChangeAction {
  const set = new Set(actions);
  if (set.has('create') && (set.has('delete') || set.has('forget'))) return 'replace';
  for (const action of ['delete', 'forget', 'create', 'update', 'read', 'no-op'] as const)
    if (set.has(action)) return action;
  throw new UnreadableInput(
    `unknown action list ${JSON.stringify(actions)}: expected Terraform's actions such as ["update"]`,
  );
}

/**
 * Parses a plan JSON document. The head's synthesis, when given, maps each address to the construct
 * that made it, and stands in for values the plan knows only after apply.
 */
export function readPlan(document: unknown, head?: SynthesizedDocument): ChangeSet {
  if (document === null || typeof document !== 'object' || !('format_version' in document)) {
    throw new UnreadableInput(
      'not a plan JSON: no format_version (expected the output of terraform show -json <planfile>)',
    );
  }
  const plan = document as Record<string, any>;
  const major = String(plan.format_version).split('.')[0];
  if (major !== SUPPORTED_MAJOR) {
    throw new UnsupportedPlanFormat(`plan format_version ${plan.format_version} is not supported: expected 1.x`);
  }
  if (!PLAN_KEYS.some((key) => key in plan)) {
    const found =
      'values' in plan ? 'it has "values", as the JSON of a state has' : `its keys are ${Object.keys(plan).join(', ')}`;
    throw new NotAPlan(
      `Expected a plan JSON with ${PLAN_KEYS.join(', ')}; received none of them: ${found}. Fix: run terraform plan -out=tfplan, then terraform show -json tfplan (not terraform show -json alone, which shows the state).`,
    );
  }
  if (plan.errored === true) {
    throw new PlanErrored(
      'Expected a complete plan; received one Terraform marks "errored": true: planning failed partway, so the plan lists only part of the changes. Fix: make terraform plan succeed, then review its plan.',
    );
  }
  const references = configurationReferences(plan.configuration?.root_module?.resources ?? []);
  const entries = (plan.resource_changes ?? []) as PlanResourceChange[];
  const synthesized = head === undefined ? new Map<string, Record<string, unknown>>() : synthesizedResources(head);
  const resolve = knownValues(plan, entries);
  const toChange = (entry: PlanResourceChange): ResourceChange => {
    const { change } = entry;
    const action = actionOf(change.actions);
    return {
      address: entry.address,
      type: entry.type,
      action,
      actions: change.actions,
      destroys: change.actions.includes('delete'),
      before: maskSecretEnvironment(maskSensitive(change.before ?? null, change.before_sensitive)),
      after: maskSecretEnvironment(maskSensitive(change.after ?? null, change.after_sensitive)),
      afterUnknown: change.after_unknown ?? {},
      replacePaths: change.replace_paths ?? [],
      predicted: false,
      ...(entry.action_reason === undefined ? {} : { actionReason: entry.action_reason }),
      ...(entry.previous_address === undefined ? {} : { previousAddress: entry.previous_address }),
      ...(change.importing === undefined ? {} : { importing: true }),
      ...constructAndConfiguration(synthesized.get(entry.address), resolve),
      references: references[entry.address] ?? {},
    };
  };
  const managed = (entry: PlanResourceChange): boolean => (entry.mode ?? 'managed') === 'managed';
  const relevant = new Set<string>((plan.relevant_attributes ?? []).map((r: { resource: string }) => r.resource));
  const outputs: OutputChange[] = Object.entries(
    (plan.output_changes ?? {}) as Record<string, PlanResourceChange['change']>,
  ).map(([name, change]) => ({
    name,
    action: actionOf(change.actions),
    before: maskSensitive(change.before ?? null, change.before_sensitive),
    after: maskSensitive(change.after ?? null, change.after_sensitive),
    afterUnknown: change.after_unknown === true,
  }));
  return {
    source: 'plan',
    changes: entries.filter(managed).map(toChange),
    drift: ((plan.resource_drift ?? []) as PlanResourceChange[])
      .filter((entry) => managed(entry) && relevant.has(entry.address))
      .map(toChange),
    outputs,
    bundles: {},
  };
}

/** The synthesized resources by address, their `//` metadata kept. */
function synthesizedResources(head: SynthesizedDocument): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(head.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) out.set(`${type}.${name}`, resource);
  }
  return out;
}

function constructAndConfiguration(
  resource: Record<string, unknown> | undefined,
  resolve: (text: string) => string,
): Pick<ResourceChange, 'constructPath' | 'configured'> {
  if (resource === undefined) return {};
  const constructPath = (resource['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path;
  const configured = Object.fromEntries(
    Object.entries(resource)
      .filter(([key]) => key !== '//' && key !== 'depends_on')
      .map(([key, value]) => [key, typeof value === 'string' ? resolve(value) : value]),
  );
  return {
    ...(constructPath === undefined ? {} : { constructPath }),
    configured: maskSecretEnvironment(configured) as Record<string, unknown>,
  };
}

/**
 * Replaces `${type.name.attribute}` in a synthesized string with the value the plan knows: the prior
 * value of a resource that is neither created nor replaced, or a data source read during the plan.
 * Any other reference stays as written, a value decided at apply.
 */
function knownValues(plan: Record<string, any>, entries: readonly PlanResourceChange[]): (text: string) => string {
  const known = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const action = actionOf(entry.change.actions);
    if (
      action !== 'create' &&
      action !== 'replace' &&
      entry.change.before !== null &&
      typeof entry.change.before === 'object'
    ) {
      known.set(
        entry.address,
        maskSensitive(entry.change.before, entry.change.before_sensitive) as Record<string, unknown>,
      );
    }
  }
  for (const resource of (plan.prior_state?.values?.root_module?.resources ?? []) as {
    address: string;
    mode: string;
    values: Record<string, unknown>;
  }[]) {
    if (resource.mode === 'data') known.set(resource.address, resource.values);
  }
  return (text) =>
    text.replace(/\$\{((?:data\.)?[a-z][a-z0-9_]*\.[\w-]+)\.(\w+)\}/g, (whole, address: string, attribute: string) => {
      const value = known.get(address)?.[attribute];
      return typeof value === 'string' ? value : whole;
    });
}

/** For each resource of the root module, the addresses each attribute's expression refers to. */
function configurationReferences(resources: readonly Record<string, any>[]): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const resource of resources) {
    const byAttribute: Record<string, string[]> = {};
    for (const [attribute, expression] of Object.entries((resource.expressions ?? {}) as Record<string, unknown>)) {
      const found = new Set<string>();
      collectReferences(expression, found);
      if (found.size > 0) byAttribute[attribute] = [...found];
    }
    out[resource.address] = byAttribute;
  }
  return out;
}

function collectReferences(expression: unknown, found: Set<string>): void {
  if (expression === null || typeof expression !== 'object') return;
  if (Array.isArray(expression)) return expression.forEach((item) => collectReferences(item, found));
  for (const [key, value] of Object.entries(expression)) {
    if (key === 'references' && Array.isArray(value)) value.forEach((ref) => found.add(resourceAddress(String(ref))));
    else collectReferences(value, found);
  }
}

/** `aws_iam_role.create_order.arn` → `aws_iam_role.create_order`; `data.x.y.z` → `data.x.y`. */
function resourceAddress(reference: string): string {
  const parts = reference.split('.');
  return (parts[0] === 'data' ? parts.slice(0, 3) : parts.slice(0, 2)).join('.').replace(/\[.*$/, '');
}
