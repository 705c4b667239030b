/** Attribute values: masking what must never be printed, and flattening values into leaf paths. */
import type { PathStep } from './model';

/** What a masked value prints as. */
export const SENSITIVE = '(sensitive)';

/** What a value not known until apply prints as. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

/** Environment variable names whose values are treated as secrets though no provider marks them. */
const SECRET_KEY = /secret|passw(or)?d|token|api[_-]?key|private[_-]?key|credential|auth/i;

/**
 * Replaces every leaf that a `*_sensitive` mirror marks with {@link SENSITIVE}; a mirror of `true`
 * masks the whole value, as Terraform marks a whole sensitive object.
 */
export function maskSensitive(value: unknown, sensitive: unknown): unknown {
  if (sensitive === true) return value === null || value === undefined ? value : SENSITIVE;
  if (sensitive === null || typeof sensitive !== 'object' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, i) => maskSensitive(item, (sensitive as unknown[])[i]));
  const mirror = sensitive as Record<string, unknown>;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSensitive(item, mirror[key])]));
}

/** Masks Lambda environment values whose key looks secret, at any depth below an `environment` block. */
export function maskSecretEnvironment(value: unknown, insideEnvironment = false): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskSecretEnvironment(item, insideEnvironment));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (insideEnvironment && SECRET_KEY.test(key) && (item === null || typeof item !== 'object')) return [key, SENSITIVE];
      return [key, maskSecretEnvironment(item, insideEnvironment || key === 'environment')];
    }),
  );
}

/** Every leaf of a value by its path; an empty object or list is a leaf of its own. */
export function leaves(value: unknown): Map<string, { path: PathStep[]; value: unknown }> {
  const out = new Map<string, { path: PathStep[]; value: unknown }>();
  const visit = (item: unknown, path: PathStep[]): void => {
    if (item !== null && typeof item === 'object' && Object.keys(item).length > 0) {
      for (const [key, child] of Object.entries(item)) visit(child, [...path, Array.isArray(item) ? Number(key) : key]);
    } else {
      out.set(pathText(path), { path, value: item });
    }
  };
  visit(value, []);
  return out;
}

/** Whether a mirror such as `after_unknown` marks a path (or one of its parents) with `true`. */
export function marked(mirror: unknown, path: readonly PathStep[]): boolean {
  let node = mirror;
  for (const step of path) {
    if (node === true) return true;
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[String(step)];
  }
  return node === true;
}

/** A path as a reviewer reads it: `point_in_time_recovery[0].enabled`. */
export function pathText(path: readonly PathStep[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/** A nested block as an object: the plan writes blocks as one-element lists, cdk.tf.json as objects. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
}

/** A value shown on one line: strings quoted, long ones shortened. */
export function show(value: unknown, max = 120): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? (value === SENSITIVE || value === KNOWN_AFTER_APPLY ? value : JSON.stringify(value)) : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Equal as JSON values, ignoring key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
}

/** A string that holds JSON (a policy, a definition) as its parsed value, or undefined. */
export function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
