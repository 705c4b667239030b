/**
 * Compares two syntheses (`cdk.tf.json` of a base and of a head) into a {@link ChangeSet}, with no
 * Terraform and no credentials. Replacements are predicted from {@link FORCES_REPLACEMENT}.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BundleSizes, ChangeAction, ChangeSet, PathStep, ResourceChange, SettingChange } from './model';
import { maskSecretEnvironment, sameValue } from './values';

/**
 * The attributes whose change replaces the resource, for the resource types this stack uses, as the
 * aws provider's schema marks them ForceNew (checked against real plans: see review/fixtures/README.md).
 * A change of an attribute not listed here is predicted as an in-place update.
 */
export const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  aws_dynamodb_table: ['name', 'hash_key', 'range_key', 'local_secondary_index'],
  aws_lambda_function: ['function_name', 'package_type'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_role_policy: ['name', 'name_prefix', 'role'],
  aws_iam_role_policy_attachment: ['role', 'policy_arn'],
  aws_cloudwatch_log_group: ['name', 'name_prefix'],
  aws_sfn_state_machine: ['name', 'name_prefix', 'type'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage'],
};

/** The parts of a synthesized `cdk.tf.json` the review reads. */
export interface SynthesizedDocument {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  /** `moved` blocks, as cdktf writes them for `moveTo` and `moveFromId`. */
  readonly moved?: readonly { readonly from: string; readonly to: string }[];
  /** Provider configurations by provider name, each a list (aliases). */
  readonly provider?: Record<string, readonly Record<string, unknown>[]>;
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
}

/** A synthesis and the folder its asset paths are relative to (none: bundle sizes are not read). */
export interface Synthesis {
  readonly document: SynthesizedDocument;
  readonly dir?: string;
}

/** Keys of a resource in cdk.tf.json that are no attribute of it. */
const META_KEYS = new Set(['//', 'depends_on', 'provider', 'lifecycle']);

/** A `${...}` interpolation and a resource reference inside it. */
const INTERPOLATION = /\$\{([^}]*)\}/g;
const REFERENCE = /\b((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*)/g;

interface SideResource {
  readonly values: Record<string, unknown>;
  readonly constructPath?: string;
}

/** Compares two syntheses; the head's construct paths name the code of each resource. */
export function diffSyntheses(base: Synthesis, head: Synthesis): ChangeSet {
  const after = resourcesOf(head);
  const baseResources = resourcesOf(base);
  // A `moved` block of the head pairs the base's old address with the head's new one: one update, no destroy.
  const movedFrom = new Map<string, string>();
  for (const { from, to } of head.document.moved ?? []) {
    if (baseResources.has(from) && !after.has(from) && after.has(to) && !baseResources.has(to)) movedFrom.set(to, from);
  }
  // The base's references to a moved resource read as the new address: the object, and so its ARN, is the same.
  const before = movedFrom.size === 0 ? baseResources : renamed(baseResources, movedFrom);
  const movedAway = new Set(movedFrom.values());
  // A first deployment has no settings to change: everything is new.
  const firstDeployment = before.size === 0;
  const addresses = [...new Set([...before.keys(), ...after.keys()])]
    .filter((address) => !movedAway.has(address))
    .sort();
  const oldOf = (address: string): SideResource | undefined => before.get(movedFrom.get(address) ?? address);
  const draft = new Map<string, { action: ChangeAction; replacePaths: PathStep[][] }>();
  for (const address of addresses) {
    const old = oldOf(address);
    const next = after.get(address);
    if (old === undefined) draft.set(address, { action: 'create', replacePaths: [] });
    else if (next === undefined) draft.set(address, { action: 'delete', replacePaths: [] });
    else {
      const changed = Object.keys({ ...old.values, ...next.values }).filter(
        (key) => !sameValue(old.values[key], next.values[key]),
      );
      const forcing = FORCES_REPLACEMENT[typeOf(address)] ?? [];
      const replacePaths = changed.filter((key) => forcing.includes(key)).map((key) => [key]);
      draft.set(address, {
        action: replacePaths.length > 0 ? 'replace' : changed.length > 0 ? 'update' : 'no-op',
        replacePaths,
      });
    }
  }
  propagateReplacements(after, draft);

  const changes: ResourceChange[] = addresses.map((address) => {
    const { action, replacePaths } = draft.get(address) as { action: ChangeAction; replacePaths: PathStep[][] };
    const old = oldOf(address);
    const next = after.get(address);
    const previousAddress = movedFrom.get(address);
    return {
      address,
      type: typeOf(address),
      action,
      actions: action === 'replace' ? ['delete', 'create'] : [action],
      destroys: action === 'replace' || action === 'delete',
      before: old === undefined ? null : maskSecretEnvironment(old.values),
      after: next === undefined ? null : maskSecretEnvironment(next.values),
      afterUnknown: {},
      replacePaths,
      predicted: action === 'replace',
      ...((next ?? old)?.constructPath === undefined ? {} : { constructPath: (next ?? old)?.constructPath }),
      references: referencesOf((next ?? old)?.values ?? {}),
      ...(previousAddress === undefined ? {} : { previousAddress }),
    };
  });
  return {
    source: 'synthesis',
    changes,
    drift: [],
    outputs: [],
    bundles: bundleSizes(base, head),
    settings: firstDeployment ? [] : settingChanges(base.document, head.document),
  };
}

/** The resources with every `${old.attribute}` reference rewritten to `${new.attribute}`. */
function renamed(
  resources: Map<string, SideResource>,
  movedFrom: ReadonlyMap<string, string>,
): Map<string, SideResource> {
  const out = new Map<string, SideResource>();
  for (const [address, resource] of resources) {
    let text = JSON.stringify(resource.values);
    for (const [to, from] of movedFrom)
      text = text.replace(
        new RegExp(`\\$\\{([^}]*)\\b${from.replace(/\./g, '\\.')}\\.`, 'g'),
        (_, head: string) => `\${${head}${to}.`,
      );
    out.set(address, { ...resource, values: JSON.parse(text) as Record<string, unknown> });
  }
  return out;
}

/**
 * The provider and backend settings that differ, attribute by attribute: `provider.aws.region`,
 * `provider.aws.default_tags`, `backend.s3.key`, a backend of another type as `backend`. Values are
 * masked as resources' are, since a provider block can hold a key.
 */
export function settingChanges(base: SynthesizedDocument, head: SynthesizedDocument): SettingChange[] {
  const out: SettingChange[] = [];
  const compare = (
    prefix: string,
    a: Record<string, unknown> | undefined,
    b: Record<string, unknown> | undefined,
  ): void => {
    for (const key of [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort()) {
      if (key === '//' || sameValue(a?.[key], b?.[key])) continue;
      out.push({
        setting: `${prefix}.${key}`,
        before: maskSecretValue(key, a?.[key]),
        after: maskSecretValue(key, b?.[key]),
      });
    }
  };
  for (const name of [...new Set([...Object.keys(base.provider ?? {}), ...Object.keys(head.provider ?? {})])].sort()) {
    const byAlias = (list: readonly Record<string, unknown>[] | undefined): Map<string, Record<string, unknown>> =>
      new Map(
        (list ?? []).map((config) => [typeof config.alias === 'string' ? `${name}.${config.alias}` : name, config]),
      );
    const a = byAlias(base.provider?.[name]);
    const b = byAlias(head.provider?.[name]);
    for (const key of [...new Set([...a.keys(), ...b.keys()])].sort())
      compare(`provider.${key}`, a.get(key), b.get(key));
  }
  const backendA = base.terraform?.backend ?? {};
  const backendB = head.terraform?.backend ?? {};
  const [typeA] = Object.keys(backendA);
  const [typeB] = Object.keys(backendB);
  if (typeA !== typeB) out.push({ setting: 'backend', before: typeA ?? null, after: typeB ?? null });
  else if (typeA === 'local') compare('backend.local', localBackend(backendA.local), localBackend(backendB.local));
  else if (typeA !== undefined) compare(`backend.${typeA}`, backendA[typeA], backendB[typeB]);
  return out;
}

/**
 * cdktf writes a local backend's path relative to the folder it synthesizes into, which differs between
 * a base and a head synthesized in two places: the state file's name is what identifies the state.
 */
function localBackend(config: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return config === undefined || typeof config.path !== 'string'
    ? config
    : { ...config, path: path.basename(config.path) };
}

/** Provider and backend attributes that hold credentials print masked. */
function maskSecretValue(key: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return (maskSecretEnvironment({ environment: { [key]: value } }) as { environment: Record<string, unknown> })
    .environment[key];
}

/** A resource whose replacement-forcing attribute names a replaced resource is replaced too. */
function propagateReplacements(
  after: Map<string, SideResource>,
  draft: Map<string, { action: ChangeAction; replacePaths: PathStep[][] }>,
): void {
  let grew = true;
  while (grew) {
    grew = false;
    for (const [address, resource] of after) {
      const entry = draft.get(address);
      if (entry === undefined || entry.action === 'create' || entry.action === 'replace') continue;
      const forcing = FORCES_REPLACEMENT[typeOf(address)] ?? [];
      const references = referencesOf(resource.values);
      const forced = forcing.filter((key) =>
        (references[key] ?? []).some((ref) => draft.get(ref)?.action === 'replace'),
      );
      if (forced.length > 0) {
        draft.set(address, { action: 'replace', replacePaths: forced.map((key) => [key]) });
        grew = true;
      }
    }
  }
}

/** The managed resources of a synthesis by address, a function's code standing in for its hash. */
function resourcesOf(synthesis: Synthesis): Map<string, SideResource> {
  const out = new Map<string, SideResource>();
  const archives = synthesis.document.data?.archive_file ?? {};
  for (const [type, byName] of Object.entries(synthesis.document.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) {
      const values = Object.fromEntries(Object.entries(resource).filter(([key]) => !META_KEYS.has(key)));
      if (type === 'aws_lambda_function' && typeof values.source_code_hash === 'string') {
        values.source_code_hash = codeHashStandIn(values.source_code_hash, archives);
      }
      const metadata = (resource['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
      out.set(`${type}.${name}`, { values, ...(metadata?.path === undefined ? {} : { constructPath: metadata.path }) });
    }
  }
  return out;
}

/**
 * A synthesis cannot know the zip's hash, which archive_file computes at plan; the bundle folder's
 * name is a hash of its content, so it changes exactly when the code does.
 */
function codeHashStandIn(sourceCodeHash: string, archives: Record<string, Record<string, unknown>>): string {
  const archive = /^\$\{data\.archive_file\.([\w-]+)\.output_base64sha256\}$/.exec(sourceCodeHash)?.[1];
  const sourceDir = archive === undefined ? undefined : archives[archive]?.source_dir;
  return typeof sourceDir === 'string' ? `bundle ${path.basename(sourceDir)}` : sourceCodeHash;
}

/** The resources each top-level attribute refers to through `${...}` interpolations. */
function referencesOf(values: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    const found = new Set<string>();
    for (const interpolation of JSON.stringify(value ?? null).matchAll(INTERPOLATION)) {
      for (const ref of interpolation[1].matchAll(REFERENCE)) found.add(ref[1]);
    }
    if (found.size > 0) out[key] = [...found];
  }
  return out;
}

/** Bundle sizes of each function on each side, read from the asset folders beside cdk.tf.json. */
function bundleSizes(base: Synthesis, head: Synthesis): Record<string, BundleSizes> {
  const out: Record<string, { before?: number; after?: number }> = {};
  for (const [side, synthesis] of [
    ['before', base],
    ['after', head],
  ] as const) {
    if (synthesis.dir === undefined) continue;
    const archives = synthesis.document.data?.archive_file ?? {};
    for (const [name, fn] of Object.entries(synthesis.document.resource?.aws_lambda_function ?? {})) {
      const archive = /^\$\{data\.archive_file\.([\w-]+)\.output_path\}$/.exec(String(fn.filename))?.[1];
      const sourceDir = archive === undefined ? undefined : archives[archive]?.source_dir;
      if (typeof sourceDir !== 'string') continue;
      const bytes = folderBytes(path.join(synthesis.dir, sourceDir.replace(/^\$\{path\.module\}\/?/, '')));
      if (bytes !== undefined)
        out[`aws_lambda_function.${name}`] = { ...out[`aws_lambda_function.${name}`], [side]: bytes };
    }
  }
  return out;
}

function folderBytes(dir: string): number | undefined {
  if (!fs.existsSync(dir)) return undefined;
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

function typeOf(address: string): string {
  return address.split('.')[0];
}
