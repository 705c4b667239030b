/**
 * The stand-ins that let Terraform validate and plan the project's configurations offline, with the
 * providers of a filesystem mirror: the one place they are written (docs/tests.md lists them). Each
 * stand-in says when the mirror needs it, checks that what it replaces is in the configuration (else it
 * is no longer needed) and that nothing it cannot handle is left (else it is no longer enough): both
 * fail the suite with a named error instead of planning something else than the project ships.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODULE_PROVIDERS } from '../../lib/payment-workflow-module';

/** A Terraform JSON configuration (a synthesis or a module), as plain JSON. */
export type StackJson = Record<string, any>;

/** Literals the offline plans use for the data sources, which need AWS to read. */
export const DATA_SOURCE_STAND_INS: Readonly<Record<string, string>> = {
  'data.aws_partition.current.partition': 'aws',
  'data.aws_caller_identity.current.account_id': '123456789012',
  'data.aws_region.current.region': 'us-east-1',
  'data.aws_region.current.name': 'us-east-1',
};

/** A configuration with the data sources' references replaced by {@link DATA_SOURCE_STAND_INS}. */
export function withStandIns(stack: StackJson): StackJson {
  let text = JSON.stringify(stack);
  for (const [reference, literal] of Object.entries(DATA_SOURCE_STAND_INS)) {
    // In a template `${reference}`; a bare reference (inside an expression) becomes a quoted string.
    text = text.split(`\${${reference}}`).join(literal);
    text = text.replace(new RegExp(`(?<![\\w.])${reference.replace(/\./g, '\\.')}(?!\\w)`, 'g'), `\\"${literal}\\"`);
  }
  return JSON.parse(text);
}

/** The first aws provider release that accepts `nodejs24.x` (FACTS.md: hashicorp/aws 6.21.0). */
export const AWS_NODEJS24_VERSION = '6.21.0';

/** What 5.x plans instead of `nodejs24.x`: the newest runtime it knows. */
export const RUNTIME_STAND_IN = { from: 'nodejs24.x', to: 'nodejs22.x' } as const;

/** A configuration with every `nodejs24.x` planned as {@link RUNTIME_STAND_IN}'s `to`. */
export function withRuntimeStandIn(stack: StackJson): StackJson {
  return JSON.parse(JSON.stringify(stack).split(`"${RUNTIME_STAND_IN.from}"`).join(`"${RUNTIME_STAND_IN.to}"`));
}

/** The provider versions of a filesystem mirror, by provider name (hashicorp namespace). */
export interface MirrorProviders {
  readonly aws: readonly string[];
  readonly archive: readonly string[];
}

/**
 * The hashicorp/aws and hashicorp/archive versions of a filesystem mirror, oldest first: folders of the
 * unpacked layout, zips of the packed one (what `terraform providers mirror` writes).
 */
export function providersInMirror(mirror: string): MirrorProviders {
  const versions = (name: string): string[] => {
    const dir = path.join(mirror, 'registry.terraform.io', 'hashicorp', name);
    const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    const found = entries.map(
      (entry) =>
        /^(\d+\.\d+\.\d+)$/.exec(entry)?.[1] ??
        new RegExp(`^terraform-provider-${name}_(\\d+\\.\\d+\\.\\d+)_`).exec(entry)?.[1],
    );
    return [...new Set(found.filter((v): v is string => v !== undefined))].sort(compareVersions);
  };
  return { aws: versions('aws'), archive: versions('archive') };
}

/** Orders two `x.y.z` versions. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i += 1) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** Whether `version` meets a Terraform constraint made of `x.y.z`, `= x.y.z`, `>= x.y.z` and `< x.y.z` parts. */
export function satisfies(version: string, constraint: string): boolean {
  return constraint.split(',').every((part) => {
    const match = /^\s*(>=|<|=)?\s*(\d+\.\d+\.\d+)\s*$/.exec(part);
    if (match === null)
      throw new StandInNotEnough(
        `Expected a version constraint of x.y.z, >= x.y.z or < x.y.z parts, received "${constraint}". Fix: teach satisfies() the new operator.`,
      );
    const order = compareVersions(version, match[2]);
    return match[1] === '>=' ? order >= 0 : match[1] === '<' ? order < 0 : order === 0;
  });
}

/** A stand-in replaces nothing in this configuration: remove it, or what it stood in for changed. */
export class StandInNoLongerNeeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StandInNoLongerNeeded';
  }
}

/** A stand-in leaves something the offline plan cannot handle: extend it. */
export class StandInNotEnough extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StandInNotEnough';
  }
}

/** Where a stand-in applies and what it may use. */
export interface StandInContext {
  /** The providers of the mirror Terraform installs from. */
  readonly mirror: MirrorProviders;
  /** The folder of the configuration being edited (bundles and zips are resolved from it). */
  readonly dir: string;
}

/** One difference between the configuration the project ships and the one planned offline. */
export interface StandIn {
  /** Short name, as docs/tests.md lists it. */
  readonly name: string;
  /** Whether the mirror's providers need it. */
  readonly neededWith: (mirror: MirrorProviders) => boolean;
  /** Edits `config` in place; throws {@link StandInNoLongerNeeded} or {@link StandInNotEnough}. */
  readonly apply: (config: StackJson, context: StandInContext) => void;
}

const newest = (versions: readonly string[]): string | undefined => versions[versions.length - 1];

/** The data sources' references become literals, and their blocks go: they read AWS. */
const dataSources: StandIn = {
  name: 'data-sources',
  neededWith: () => true,
  apply: (config) => {
    const standIns = Object.keys(DATA_SOURCE_STAND_INS).map((reference) => reference.split('.').slice(1, 3).join('.'));
    const declared = Object.entries(config.data ?? {})
      .filter(([type]) => type.startsWith('aws_'))
      .flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`));
    if (declared.length === 0)
      throw new StandInNoLongerNeeded(
        'Expected aws data sources in the configuration, received none. Fix: remove the data-sources stand-in.',
      );
    const unknown = declared.filter((source) => !standIns.includes(source));
    if (unknown.length > 0)
      throw new StandInNotEnough(
        `Expected only data sources with a literal in DATA_SOURCE_STAND_INS, received ${unknown.join(', ')}. Fix: add a literal for each attribute read.`,
      );
    Object.assign(config, withStandIns(config));
    for (const source of declared) delete config.data[source.split('.')[0]];
    if (Object.keys(config.data).length === 0) delete config.data;
    const left = /\bdata\.aws_\w+\.\w+\.\w+/.exec(JSON.stringify(config));
    if (left !== null)
      throw new StandInNotEnough(
        `Expected every data source reference replaced, received ${left[0]}. Fix: add its attribute to DATA_SOURCE_STAND_INS.`,
      );
  },
};

/** The project needs aws 6.x ({@link MODULE_PROVIDERS}); a mirror without a release in that range plans its newest. */
const awsVersion: StandIn = {
  name: 'aws-version',
  neededWith: (mirror) =>
    mirror.aws.length > 0 && !mirror.aws.some((version) => satisfies(version, MODULE_PROVIDERS.aws.version)),
  apply: (config, { mirror }) => {
    const aws = config.terraform?.required_providers?.aws;
    if (aws === undefined)
      throw new StandInNoLongerNeeded(
        'Expected terraform.required_providers.aws, received none. Fix: remove the aws-version stand-in.',
      );
    aws.version = newest(mirror.aws);
  },
};

/** Provider releases before 6.21.0 refuse `nodejs24.x`; they plan the functions on `nodejs22.x`. */
const runtime: StandIn = {
  name: 'nodejs24-runtime',
  neededWith: (mirror) =>
    mirror.aws.length > 0 && compareVersions(newest(mirror.aws) as string, AWS_NODEJS24_VERSION) < 0,
  apply: (config) => {
    const text = JSON.stringify(config);
    if (!text.includes(`"${RUNTIME_STAND_IN.from}"`))
      throw new StandInNoLongerNeeded(
        `Expected runtime ${RUNTIME_STAND_IN.from} in the configuration, received none. Fix: update or remove the nodejs24-runtime stand-in.`,
      );
    Object.assign(config, withRuntimeStandIn(config));
  },
};

/** The attributes of `archive_file` the configurations read, and what stands in for each. */
const ARCHIVE_ATTRIBUTES = ['output_path', 'output_base64sha256'] as const;

/**
 * Without hashicorp/archive, each `archive_file` becomes the zip it would make: `zip` packs the bundle
 * folder, and its path and base64 SHA-256 replace the data source's outputs.
 */
const archiveFile: StandIn = {
  name: 'archive-file',
  neededWith: (mirror) => !mirror.archive.some((version) => satisfies(version, MODULE_PROVIDERS.archive.version)),
  apply: (config, { dir }) => {
    const archives = (config.data?.archive_file ?? {}) as Record<string, StackJson>;
    if (Object.keys(archives).length === 0)
      throw new StandInNoLongerNeeded(
        'Expected archive_file data sources in the configuration, received none. Fix: remove the archive-file stand-in.',
      );
    let text = JSON.stringify(config);
    for (const [name, archive] of Object.entries(archives)) {
      const source = path.join(dir, String(archive.source_dir).replace('${path.module}', '.'));
      if (archive.type !== 'zip' || !fs.existsSync(source))
        throw new StandInNotEnough(
          `Expected archive_file.${name} to zip a folder of the configuration, received type ${archive.type} of ${archive.source_dir}. Fix: extend the archive-file stand-in.`,
        );
      const zip = path.join(dir, 'archive-stand-ins', `${name}.zip`);
      fs.mkdirSync(path.dirname(zip), { recursive: true });
      // -X: no extra file attributes, so the zip depends on the content and names only.
      const zipped = spawnSync('zip', ['-q', '-X', '-r', zip, '.'], { cwd: source, encoding: 'utf8' });
      if (zipped.status !== 0)
        throw new StandInNotEnough(
          `Expected zip to pack ${source}, received: ${zipped.error?.message ?? zipped.stderr}. Fix: install zip.`,
        );
      const hash = createHash('sha256').update(fs.readFileSync(zip)).digest('base64');
      text = text
        .split(`\${data.archive_file.${name}.output_path}`)
        .join(`\${path.module}/archive-stand-ins/${name}.zip`)
        .split(`\${data.archive_file.${name}.output_base64sha256}`)
        .join(hash);
    }
    Object.assign(config, JSON.parse(text));
    delete config.data.archive_file;
    if (Object.keys(config.data).length === 0) delete config.data;
    delete config.terraform?.required_providers?.archive;
    delete config.provider?.archive;
    const left = /data\.archive_file\.\w+\.(\w+)/.exec(JSON.stringify(config));
    if (left !== null)
      throw new StandInNotEnough(
        `Expected only ${ARCHIVE_ATTRIBUTES.join(' and ')} of archive_file read, received ${left[0]}. Fix: stand in for ${left[1]} too.`,
      );
  },
};

/** The deployable stack's backend names the project's state; the offline plan has none (an empty state). */
const backend: StandIn = {
  name: 'backend',
  neededWith: () => true,
  apply: (config) => {
    if (config.terraform?.backend === undefined) return;
    delete config.terraform.backend;
  },
};

/** Every stand-in, in the order they apply. */
export const STAND_INS: readonly StandIn[] = [dataSources, awsVersion, runtime, archiveFile, backend];

/** The names of the stand-ins a mirror needs. */
export function standInsFor(mirror: MirrorProviders): string[] {
  return STAND_INS.filter((standIn) => standIn.neededWith(mirror)).map((standIn) => standIn.name);
}

/** `config` (the JSON of `context.dir`), edited by every stand-in the mirror needs; comments dropped. */
export function applyStandIns(config: StackJson, context: StandInContext): StackJson {
  const edited = structuredClone(config);
  delete edited['//'];
  for (const standIn of STAND_INS) if (standIn.neededWith(context.mirror)) standIn.apply(edited, context);
  return edited;
}

/**
 * The aws provider's settings for a plan without credentials or network. `sfnEndpoint` answers the
 * definition check the provider makes during plan (hashicorp/terraform-provider-aws#39472).
 */
export function offlineProvider(sfnEndpoint: string): StackJson {
  return {
    access_key: 'offline',
    secret_key: 'offline',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    endpoints: [{ sfn: sfnEndpoint }],
  };
}
