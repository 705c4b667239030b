import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/** The Node.js version the bundles are compiled for; matches the Lambda runtime (`nodejs22.x`). */
export const BUNDLE_TARGET = 'node22';

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
 * Bundles one handler with esbuild into a single CommonJS file, deterministically: fixed target,
 * no source maps, no absolute paths, no banner with a date. The AWS SDK v3 stays external because
 * the nodejs22.x runtime provides it.
 */
export function bundleHandler(options: BundleHandlerOptions): HandlerBundle {
  const rootDir = options.rootDir ?? path.dirname(path.dirname(options.entry));
  const result = buildSync({
    entryPoints: [options.entry],
    absWorkingDir: rootDir,
    outfile: BUNDLE_FILE,
    write: false,
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
  });
  const contents = result.outputFiles[0].contents;
  const sha256 = createHash('sha256').update(contents).digest('hex');
  const name = path.basename(options.entry, path.extname(options.entry));
  const dir = options.outDir ?? path.join(rootDir, '.bundles', `${name}-${sha256.slice(0, 16)}`);
  const file = path.join(dir, BUNDLE_FILE);
  if (!isSameFile(file, contents)) {
    fs.mkdirSync(dir, { recursive: true });
    // Write then rename, so a concurrent reader never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, contents, { mode: 0o644 });
    fs.renameSync(temporary, file);
  }
  return { dir, file, sha256, bytes: contents.byteLength };
}

function isSameFile(file: string, contents: Uint8Array): boolean {
  try {
    return Buffer.compare(fs.readFileSync(file), contents) === 0;
  } catch {
    return false;
  }
}
