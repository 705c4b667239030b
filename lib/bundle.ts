import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync, type BuildOptions, version as esbuildVersion } from 'esbuild';

/** The Node.js version the bundles are compiled for; matches the Lambda runtime (`nodejs24.x`). */
export const BUNDLE_TARGET = 'node24';

/** File name of the bundled handler inside its folder; the Lambda handler is `index.handler`. */
export const BUNDLE_FILE = 'index.js';

/** Options of {@link bundleHandler}. */
export interface BundleHandlerOptions {
  /** Absolute path of the handler's TypeScript entry file. */
  readonly entry: string;
  /**
   * Folder to write {@link BUNDLE_FILE} into.
   * @default `.bundles/<entry name>-<content hash>` under `rootDir`: content-addressed, so concurrent
   * syntheses (jest workers) never write one folder with different contents
   */
  readonly outDir?: string;
  /**
   * Folder that paths inside the bundle are relative to.
   * @default the parent folder of the entry's folder (the project root for `handlers/*.ts`)
   */
  readonly rootDir?: string;
}

/** A bundled handler on disk. */
export interface HandlerBundle {
  /** Absolute path of the folder holding only {@link BUNDLE_FILE}. */
  readonly dir: string;
  /** Absolute path of the bundled file. */
  readonly file: string;
  /** SHA-256 of the bundled file, hex. */
  readonly sha256: string;
  /** Size of the bundled file in bytes. */
  readonly bytes: number;
}

/**
 * What a bundle was built from, kept beside the bundles: a synthesis whose inputs are unchanged
 * reuses the bundle without starting esbuild at all (most of a warm synth's cost otherwise).
 */
interface BundleRecord extends HandlerBundle {
  /** Every source file esbuild read (its metafile), relative to the root, with its SHA-256. */
  readonly inputs: Readonly<Record<string, string>>;
}

/**
 * Bundles one handler with esbuild into a single CommonJS file, deterministically: fixed target,
 * no source maps, no absolute paths, no banner with a date. The AWS SDK v3 stays external because
 * the nodejs24.x runtime provides it. Reuses an earlier bundle whose every input file is unchanged.
 */
export function bundleHandler(options: BundleHandlerOptions): HandlerBundle {
  const rootDir = options.rootDir ?? path.dirname(path.dirname(options.entry));
  const buildOptions = esbuildOptions(options.entry, rootDir);
  const recordFile = path.join(
    rootDir,
    '.bundles',
    `record-${sha256Of(JSON.stringify([esbuildVersion, buildOptions, options.outDir ?? null]))}.json`,
  );
  const record = readRecord(recordFile);
  if (record !== undefined && isUnchanged(record, rootDir)) return withoutInputs(record);
  const built = buildBundle(options, rootDir, buildOptions);
  writeAtomically(recordFile, JSON.stringify(built));
  return withoutInputs(built);
}

function esbuildOptions(entry: string, rootDir: string): BuildOptions {
  return {
    entryPoints: [path.relative(rootDir, entry)],
    absWorkingDir: rootDir,
    outfile: BUNDLE_FILE,
    write: false,
    metafile: true,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    external: ['@aws-sdk/*'],
    minifySyntax: true,
    minifyWhitespace: true,
    // Error classes set literal names; keepNames keeps every other name readable in stack traces.
    keepNames: true,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  };
}

function buildBundle(options: BundleHandlerOptions, rootDir: string, buildOptions: BuildOptions): BundleRecord {
  const result = buildSync({ ...buildOptions, write: false, metafile: true });
  const contents = result.outputFiles[0].contents;
  const sha256 = sha256Of(contents);
  const name = path.basename(options.entry, path.extname(options.entry));
  const dir = options.outDir ?? path.join(rootDir, '.bundles', `${name}-${sha256.slice(0, 16)}`);
  const file = path.join(dir, BUNDLE_FILE);
  if (!isSameFile(file, contents)) {
    fs.mkdirSync(dir, { recursive: true });
    writeAtomically(file, contents);
  }
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs).map((input) => [input, sha256Of(fs.readFileSync(path.join(rootDir, input)))]),
  );
  return { dir, file, sha256, bytes: contents.byteLength, inputs };
}

function readRecord(file: string): BundleRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BundleRecord;
  } catch {
    return undefined;
  }
}

function isUnchanged(record: BundleRecord, rootDir: string): boolean {
  try {
    return (
      sha256Of(fs.readFileSync(record.file)) === record.sha256 &&
      Object.entries(record.inputs).every(
        ([input, sha]) => sha256Of(fs.readFileSync(path.join(rootDir, input))) === sha,
      )
    );
  } catch {
    return false;
  }
}

function withoutInputs(record: BundleRecord): HandlerBundle {
  return { dir: record.dir, file: record.file, sha256: record.sha256, bytes: record.bytes };
}

function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes then renames, so a concurrent reader (another jest worker) never sees half a file. */
function writeAtomically(file: string, contents: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents, { mode: 0o644 });
  fs.renameSync(temporary, file);
}

function isSameFile(file: string, contents: Uint8Array): boolean {
  try {
    return Buffer.compare(fs.readFileSync(file), contents) === 0;
  } catch {
    return false;
  }
}
