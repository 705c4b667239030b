/**
 * The edits that move a copy of this project from CDKTF to CDK Terrain: package.json dependencies and
 * scripts, and the module specifiers of imports. Pure string and object work, so it is unit tested
 * and the check's output can say what it changed. Only module specifiers and command words change:
 * a string such as the `managed-by: cdktf` tag is data, and rewriting it would change every resource.
 */
import { NoTerrainEquivalent } from './errors';
import { type ReplacedPackage, TERRAIN_EQUIVALENTS } from './versions';

/** The dependency sections of package.json the rewrite edits. */
const DEPENDENCY_SECTIONS = ['dependencies', 'devDependencies'] as const;

/** The parts of package.json the rewrite reads. */
export interface PackageJson {
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** A dependency the rewrite replaced, as `name@version` on each side. */
export interface ReplacedDependency {
  readonly from: string;
  readonly to: string;
}

/** package.json for CDK Terrain, with what changed. */
export interface PackageJsonRewrite {
  readonly packageJson: PackageJson;
  readonly dependencies: readonly ReplacedDependency[];
  /** Names of the scripts whose `cdktf` command became `cdktn`. */
  readonly scripts: readonly string[];
}

/** A package name that belongs to CDKTF: `cdktf`, `cdktf-*` or `@cdktf/*`. */
const CDKTF_PACKAGE = /^(cdktf(-[\w.-]+)?|@cdktf\/[\w.-]+)$/;

/** `cdktf` as a command word (`cdktf synth`, `npx cdktf diff`), never `cdktf.json` or `cdktf.out`. */
const CDKTF_COMMAND = /(^|[\s;&|(])cdktf(?=\s|$)/g;

/**
 * A module specifier of CDKTF in `from '…'`, `import '…'`, `require('…')` or `import('…')`: the
 * package (`cdktf`, `@cdktf/provider-aws`) and an optional subpath (`/lib/provider`).
 */
const CDKTF_SPECIFIER =
  /(\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)(['"])(cdktf(?:-[\w.-]+)?|@cdktf\/[\w.-]+)((?:\/[^'"]*)?)\2/g;

/** The CDK Terrain package of a CDKTF one; throws {@link NoTerrainEquivalent} for one versions.ts lacks. */
function equivalentOf(name: string): { readonly name: string; readonly version: string } {
  if (!Object.hasOwn(TERRAIN_EQUIVALENTS, name)) {
    throw new NoTerrainEquivalent(
      `${name} has no CDK Terrain equivalent in terrain/versions.ts: add it (npm view @cdktn/... versions --json)`,
    );
  }
  return TERRAIN_EQUIVALENTS[name as ReplacedPackage];
}

/**
 * Replaces each CDKTF dependency (and constructs) with its CDK Terrain equivalent at the exact version
 * of versions.ts, in the same section, and the `cdktf` command of every script with `cdktn`.
 */
export function rewritePackageJson(packageJson: PackageJson): PackageJsonRewrite {
  const dependencies: ReplacedDependency[] = [];
  const sections: Record<string, Record<string, string>> = {};
  for (const section of DEPENDENCY_SECTIONS) {
    const current = packageJson[section];
    if (current === undefined) continue;
    const next: Record<string, string> = {};
    for (const [name, version] of Object.entries(current)) {
      if (!CDKTF_PACKAGE.test(name) && !Object.hasOwn(TERRAIN_EQUIVALENTS, name)) {
        next[name] = version;
        continue;
      }
      const equivalent = equivalentOf(name);
      next[equivalent.name] = equivalent.version;
      dependencies.push({ from: `${name}@${version}`, to: `${equivalent.name}@${equivalent.version}` });
    }
    // npm keeps dependencies sorted by name; so does the rewrite, so npm install leaves the order alone.
    sections[section] = Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  const scripts: string[] = [];
  const rewrittenScripts: Record<string, string> = {};
  for (const [name, command] of Object.entries(packageJson.scripts ?? {})) {
    const rewritten = rewriteCommand(command);
    if (rewritten !== command) scripts.push(name);
    rewrittenScripts[name] = rewritten;
  }
  const scriptsPart = packageJson.scripts === undefined ? {} : { scripts: rewrittenScripts };
  return { packageJson: { ...packageJson, ...scriptsPart, ...sections }, dependencies, scripts };
}

/** A shell command with the `cdktf` CLI replaced by `cdktn`. */
export function rewriteCommand(command: string): string {
  return command.replace(CDKTF_COMMAND, '$1cdktn');
}

/**
 * A TypeScript or JavaScript source with each CDKTF module specifier that has an equivalent replaced;
 * `count` of them. Another CDKTF specifier stays: package.json is where a missing equivalent stops the
 * check ({@link rewritePackageJson}); a specifier found only in source text may be a string in a test,
 * and a real import of an uninstalled package fails the copy's type check, which the check reports.
 */
export function rewriteImports(source: string): { readonly text: string; readonly count: number } {
  let count = 0;
  const text = source.replace(
    CDKTF_SPECIFIER,
    (match: string, keyword: string, quote: string, name: string, subpath: string) => {
      if (!Object.hasOwn(TERRAIN_EQUIVALENTS, name)) return match;
      count += 1;
      return `${keyword}${quote}${TERRAIN_EQUIVALENTS[name as ReplacedPackage].name}${subpath}${quote}`;
    },
  );
  return { text, count };
}
