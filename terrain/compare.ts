/**
 * Compares this project's synthesis with CDK Terrain's, stack by stack, block by block, attribute by
 * attribute, and judges every difference by a documented rule: ignored (cdktf's own metadata, which
 * Terraform does not read), explained (a known cause, such as a newer prebuilt provider pin), or
 * unexplained, which fails the check. Pure: it reads values, never files.
 */

/** A step of a path into a cdk.tf.json document: an object key or an array index. */
export type PathStep = string | number;

/** What one synthesis has that the other has not, or has with another value. */
export type DifferenceKind = 'added' | 'removed' | 'changed';

/** One difference between this project's synthesis ("ours") and CDK Terrain's ("theirs"). */
export interface Difference {
  /** The stack, as named under cdktf.out/stacks/. */
  readonly stack: string;
  /** Where in the stack: into cdk.tf.json, or `['assets', file]` for an asset file. */
  readonly path: readonly PathStep[];
  /** `added`: only CDK Terrain has it; `removed`: only this project has it. */
  readonly kind: DifferenceKind;
  /** This project's value; absent when added. */
  readonly ours?: unknown;
  /** CDK Terrain's value; absent when removed. */
  readonly theirs?: unknown;
}

/** How the check counts a difference. */
export type Verdict = 'ignored' | 'explained' | 'unexplained';

/** A difference with its verdict and its cause, as printed. */
export interface JudgedDifference extends Difference {
  readonly verdict: Verdict;
  /** The rule's explanation, or why none applies. */
  readonly cause: string;
}

/** A documented reason a difference is acceptable. */
export interface DifferenceRule {
  /** Stable id, printed with the cause. */
  readonly id: string;
  readonly verdict: Exclude<Verdict, 'unexplained'>;
  /** The cause when the rule explains `difference`, undefined when it does not apply. */
  explain(difference: Difference): string | undefined;
}

/** One stack's synthesis: its cdk.tf.json and the SHA-256 of each file under its assets folder. */
export interface StackSynthesis {
  readonly document: unknown;
  /** Path relative to the stack's assets folder → SHA-256, hex. */
  readonly assets: Readonly<Record<string, string>>;
}

/** Every stack of one synthesis, by name. */
export type Synthesis = Readonly<Record<string, StackSynthesis>>;

/** Cause given to a difference no rule explains. */
export const UNEXPLAINED_CAUSE = 'no documented rule explains it';

/** An exact provider version as the prebuilt providers pin it, e.g. `6.25.0`. */
const EXACT_VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

/** `terraform.required_providers.<name>.<attribute>` and the provider's name, or undefined. */
function requiredProviderAttribute(path: readonly PathStep[], attribute: string): string | undefined {
  const [block, providers, name, key, ...rest] = path;
  const matches =
    block === 'terraform' &&
    providers === 'required_providers' &&
    typeof name === 'string' &&
    key === attribute &&
    rest.length === 0;
  return matches ? name : undefined;
}

/** cdktf writes its own bookkeeping under `//` keys: construct paths, unique ids, its version. */
export const CDKTF_METADATA: DifferenceRule = {
  id: 'cdktf-metadata',
  verdict: 'ignored',
  explain: (difference) =>
    difference.path.includes('//')
      ? 'cdktf\'s own metadata ("//"): Terraform does not read it; holds the cdktf/cdktn version'
      : undefined,
};

/**
 * A prebuilt provider package pins the provider release it was generated from: @cdktf/provider-aws
 * 21.22.1 pins hashicorp/aws 6.25.0, @cdktn/provider-aws 25.7.0 a later 6.x. Explained only when both
 * are exact versions of the same major and CDK Terrain's is not older: a downgrade or a new major is
 * a change of provider, not of packaging.
 */
export const PREBUILT_PROVIDER_VERSION: DifferenceRule = {
  id: 'prebuilt-provider-version',
  verdict: 'explained',
  explain: (difference) => {
    const name = requiredProviderAttribute(difference.path, 'version');
    if (name === undefined || difference.kind !== 'changed') return undefined;
    const ours = EXACT_VERSION.exec(String(difference.ours));
    const theirs = EXACT_VERSION.exec(String(difference.theirs));
    if (ours === null || theirs === null || ours[1] !== theirs[1]) return undefined;
    const [oursNumbers, theirsNumbers] = [ours, theirs].map((match) => match.slice(1).map(Number));
    const newer = oursNumbers.findIndex((part, i) => part !== theirsNumbers[i]);
    if (newer >= 0 && theirsNumbers[newer] < oursNumbers[newer]) return undefined;
    return (
      `provider version: the CDK Terrain prebuilt ${name} provider is generated from ${name} ${difference.theirs}, ` +
      `the CDKTF one from ${difference.ours} (same major); terraform init -upgrade updates the lock file`
    );
  },
};

/**
 * @cdktf/provider-aws writes the source `aws`, @cdktn/provider-aws `hashicorp/aws`: Terraform reads a
 * bare type name as `hashicorp/<name>`, so both are registry.terraform.io/hashicorp/aws, the address
 * state records. Other namespaces would be another provider.
 */
export const IMPLICIT_HASHICORP_SOURCE: DifferenceRule = {
  id: 'implicit-hashicorp-source',
  verdict: 'explained',
  explain: (difference) => {
    const name = requiredProviderAttribute(difference.path, 'source');
    if (name === undefined || difference.kind !== 'changed') return undefined;
    const sources = new Set([difference.ours, difference.theirs]);
    if (!sources.has(name) || !sources.has(`hashicorp/${name}`)) return undefined;
    return `renamed provider source: "${name}" and "hashicorp/${name}" are the same provider (a bare name means hashicorp/), as recorded in state`;
  },
};

/** The documented rules, in the order they are tried. docs/moving-to-cdk-terrain.md lists them. */
export const DIFFERENCE_RULES: readonly DifferenceRule[] = [
  CDKTF_METADATA,
  PREBUILT_PROVIDER_VERSION,
  IMPLICIT_HASHICORP_SOURCE,
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Every difference between two JSON values, at the outermost path where they differ: a resource only
 * one side has is one difference, not one per attribute. Object key order does not matter; array
 * order does (Terraform reads lists in order).
 */
export function diffJson(stack: string, ours: unknown, theirs: unknown, path: readonly PathStep[] = []): Difference[] {
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    return Array.from({ length: Math.max(ours.length, theirs.length) }, (_, i) =>
      diffChild(stack, ours, theirs, i, path),
    ).flat();
  }
  if (isObject(ours) && isObject(theirs)) {
    const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
    return keys.flatMap((key) => diffChild(stack, ours, theirs, key, path));
  }
  return ours === theirs ? [] : [{ stack, path, kind: 'changed', ours, theirs }];
}

function diffChild(
  stack: string,
  ours: object,
  theirs: object,
  step: PathStep,
  path: readonly PathStep[],
): Difference[] {
  const inOurs = Object.hasOwn(ours, step);
  const inTheirs = Object.hasOwn(theirs, step);
  const at = [...path, step];
  const oursValue = (ours as Record<PathStep, unknown>)[step];
  const theirsValue = (theirs as Record<PathStep, unknown>)[step];
  if (!inTheirs) return [{ stack, path: at, kind: 'removed', ours: oursValue }];
  if (!inOurs) return [{ stack, path: at, kind: 'added', theirs: theirsValue }];
  return diffJson(stack, oursValue, theirsValue, at);
}

/**
 * Every difference between two syntheses: stacks only one side has, then per stack the cdk.tf.json
 * and the asset files by content (the bundles must be byte for byte the same).
 */
export function diffSyntheses(ours: Synthesis, theirs: Synthesis): Difference[] {
  const stacks = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
  return stacks.flatMap((stack): Difference[] => {
    const [mine, other] = [ours[stack], theirs[stack]];
    if (other === undefined) return [{ stack, path: [], kind: 'removed', ours: 'the whole stack' }];
    if (mine === undefined) return [{ stack, path: [], kind: 'added', theirs: 'the whole stack' }];
    return [
      ...diffJson(stack, mine.document, other.document),
      ...diffJson(stack, mine.assets, other.assets, ['assets']),
    ];
  });
}

/** Each difference with the first rule that explains it, or {@link UNEXPLAINED_CAUSE}. */
export function judge(
  differences: readonly Difference[],
  rules: readonly DifferenceRule[] = DIFFERENCE_RULES,
): JudgedDifference[] {
  return differences.map((difference) => {
    for (const rule of rules) {
      const cause = rule.explain(difference);
      if (cause !== undefined) return { ...difference, verdict: rule.verdict, cause: `${cause} [${rule.id}]` };
    }
    return { ...difference, verdict: 'unexplained', cause: UNEXPLAINED_CAUSE };
  });
}

/** Exit status of the check: 1 when any difference is unexplained, 0 otherwise. */
export function exitStatusOf(judged: readonly JudgedDifference[]): 0 | 1 {
  return judged.some((difference) => difference.verdict === 'unexplained') ? 1 : 0;
}

/** The blocks of a cdk.tf.json that Terraform reads as one unit: `resource.<type>.<name>`, `output.<name>`, … */
export function blocksOf(document: unknown): string[] {
  if (!isObject(document)) return [];
  return Object.entries(document)
    .filter(([key]) => key !== '//')
    .flatMap(([key, value]) => {
      if ((key === 'resource' || key === 'data') && isObject(value)) {
        return Object.entries(value).flatMap(([type, named]) =>
          Object.keys(isObject(named) ? named : {}).map((name) => `${key}.${type}.${name}`),
        );
      }
      if ((key === 'output' || key === 'variable' || key === 'provider') && isObject(value))
        return Object.keys(value).map((name) => `${key}.${name}`);
      return [key];
    })
    .sort();
}

/** The block (as {@link blocksOf} names it) a path in cdk.tf.json falls in. */
export function blockOfPath(path: readonly PathStep[]): string {
  const [key, first, second] = path.map(String);
  if ((key === 'resource' || key === 'data') && second !== undefined) return `${key}.${first}.${second}`;
  if ((key === 'output' || key === 'variable' || key === 'provider') && first !== undefined) return `${key}.${first}`;
  return key ?? '(stack)';
}
