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

/**
 * Masks Lambda environment values whose key looks secret, at any depth below an `environment` block,
 * and, under any key at any depth, every part of a string that looks like a credential
 * ({@link maskCredentials}).
 */
export function maskSecretEnvironment(value: unknown, insideEnvironment = false, key = ''): unknown {
  if (typeof value === 'string') return maskCredentials(value, key);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskSecretEnvironment(item, insideEnvironment, key));
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => {
      if (insideEnvironment && SECRET_KEY.test(name) && (item === null || typeof item !== 'object'))
        return [name, SENSITIVE];
      return [name, maskSecretEnvironment(item, insideEnvironment || name === 'environment', name)];
    }),
  );
}

/** What a credential found by its value prints as: `(credential: an AWS access key id)`. */
export function credentialMark(kind: string): string {
  return `(credential: ${kind})`;
}

/** A masked credential inside a string, capturing what it looked like. */
export const CREDENTIAL_MARK = /\(credential: ([^)]+)\)/g;

/**
 * Credential formats known by their shape, in the order they are tried.
 * @see https://docs.stripe.com/keys (sk_live_, rk_live_), https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 * (AKIA, ASIA), https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/ (ghp_ and its siblings)
 * A private key without its END line stops at a quote, so a JSON document holding it still parses.
 */
export const CREDENTIAL_FORMATS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  {
    kind: 'a private key',
    pattern: /-----BEGIN[A-Z ]*PRIVATE KEY-----[^"]*?(?:-----END[A-Z ]*PRIVATE KEY-----|(?="|$))/g,
  },
  { kind: 'a Stripe secret key', pattern: /\b[sr]k_(?:live|test)_[0-9A-Za-z]{10,}/g },
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{22,})/g },
  { kind: 'a Slack token', pattern: /\bxox[bpaor]-[0-9A-Za-z-]{10,}/g },
];

/**
 * A run of base64 or base64url characters as long as a credential: an AWS secret access key has 40,
 * most API keys 32 to 64. A longer run is an encoded file (a bundled zip), not a credential.
 */
const CREDENTIAL_LENGTH = { min: 32, max: 128 } as const;
const TOKEN_RUN = /[A-Za-z0-9+/_-]+={0,2}/g;

/**
 * Bits of Shannon entropy per character from which a run counts as random: the limit detect-secrets
 * uses for base64 strings. English words and names stay well under it; 40 random base64 characters
 * measure about 5.
 * @see https://github.com/Yelp/detect-secrets/blob/master/docs/plugins.md
 */
export const CREDENTIAL_ENTROPY_BITS = 4.5;

/** Attribute names that hold a digest of content, which is random by design and no secret. */
const DIGEST_KEY = /hash|sha\d*|md5|etag|digest|checksum/i;

/** Shannon entropy of a string, in bits per character. */
export function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / text.length) * Math.log2(count / text.length);
  return bits;
}

/**
 * Whether a run of characters is a random string of credential length: {@link CREDENTIAL_LENGTH},
 * upper case, lower case and digits all present (a hex digest, a UUID or a name lacks one of them),
 * and at least {@link CREDENTIAL_ENTROPY_BITS} per character.
 */
export function looksRandom(run: string): boolean {
  const body = run.replace(/=+$/, '');
  if (body.length < CREDENTIAL_LENGTH.min || body.length > CREDENTIAL_LENGTH.max) return false;
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body) || !/[0-9]/.test(body)) return false;
  return entropyBits(body) >= CREDENTIAL_ENTROPY_BITS;
}

/**
 * A string with each part that looks like a credential replaced by {@link credentialMark}: a known
 * format anywhere, or a random run of credential length unless the attribute holds a digest
 * (`source_code_hash`). The rest of the string stays, so a definition still decodes.
 */
export function maskCredentials(text: string, key = ''): string {
  let masked = text;
  for (const { kind, pattern } of CREDENTIAL_FORMATS) masked = masked.replace(pattern, () => credentialMark(kind));
  if (DIGEST_KEY.test(key)) return masked;
  return masked.replace(TOKEN_RUN, (run) =>
    randomRun(run) ? credentialMark('a random string of credential length') : run,
  );
}

/**
 * {@link looksRandom}, and for a run with `/` (base64 has it: an AWS secret access key may) no path
 * shape: a leading `/` or a lower-case word of three letters or more between slashes (`/assets/`).
 */
function randomRun(run: string): boolean {
  if (!looksRandom(run)) return false;
  return !run.includes('/') || (!run.startsWith('/') && !/(^|\/)[a-z_-]{3,}(\/|$)/.test(run));
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
  const text =
    typeof value === 'string'
      ? value === SENSITIVE || value === KNOWN_AFTER_APPLY
        ? value
        : JSON.stringify(value)
      : JSON.stringify(value);
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
