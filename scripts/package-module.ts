/**
 * `npm run package-module [-- --out <dir>] [--tag <tag>]`: the release's files, by default in `dist/`:
 *
 * - `terraform-module/`: the built module (`npm run module`),
 * - `mock-payment-workflow-module-<version>.tar.gz`: that folder as the release asset, byte for byte the
 *   same for the same module (sorted names, no times, no owners),
 * - `release-notes.md`: the CHANGELOG.md section of the version.
 *
 * With `--tag`, it first checks that the tag is `v` and package.json's version. One version for the
 * project and the module: package.json's, which the module README also prints.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { buildModule } from './build-module';

const PROJECT_ROOT = path.join(__dirname, '..');

/** Where the release's files go unless `--out` says otherwise (gitignored). */
export const DEFAULT_RELEASE_DIR = path.join(PROJECT_ROOT, 'dist');

/** The release could not be packaged. */
export class ReleaseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReleaseError';
  }
}

/** The project's version, from package.json. */
export function projectVersion(root: string = PROJECT_ROOT): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The name of the release asset of a version. */
export function archiveName(version: string): string {
  return `mock-payment-workflow-module-${version}.tar.gz`;
}

/** @throws ReleaseError unless `tag` is `v<version>` */
export function checkTag(tag: string, version: string): void {
  if (tag !== `v${version}`) {
    throw new ReleaseError(
      `Expected the tag v${version} (package.json's version), received ${tag}. Fix: tag the commit v${version}, or set package.json's version and CHANGELOG.md first.`,
    );
  }
}

/**
 * The body of CHANGELOG.md's `## [<version>]` section (Keep a Changelog).
 *
 * @throws ReleaseError when there is none
 */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0)
    throw new ReleaseError(
      `Expected a "## [${version}] - <date>" section in CHANGELOG.md, received none. Fix: move the Unreleased entries under a section for ${version}.`,
    );
  const end = lines.findIndex((line, i) => i > start && /^## \[/.test(line));
  return `${lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()}\n`;
}

/** What {@link packageModule} wrote. */
export interface ReleaseFiles {
  readonly moduleDir: string;
  readonly archive: string;
  readonly notes: string;
}

/** Builds the module into `outDir/terraform-module`, packs it and writes the release notes of the project's version. */
export function packageModule(outDir: string = DEFAULT_RELEASE_DIR, tag?: string): ReleaseFiles {
  const version = projectVersion();
  if (tag !== undefined) checkTag(tag, version);
  const notes = releaseNotes(fs.readFileSync(path.join(PROJECT_ROOT, 'CHANGELOG.md'), 'utf8'), version);
  const { dir: moduleDir } = buildModule(path.join(outDir, 'terraform-module'));
  // GNU tar without times and owners, gzip without a name or time: the same module gives the same bytes.
  const tar = spawnSync(
    'tar',
    [
      '--create',
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--format=gnu',
      '--directory',
      moduleDir,
      '.',
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  if (tar.status !== 0)
    throw new ReleaseError(
      `Expected tar to pack ${moduleDir}, received: ${tar.error?.message ?? tar.stderr.toString()}. Fix: install GNU tar.`,
    );
  const archive = path.join(outDir, archiveName(version));
  fs.writeFileSync(archive, zlib.gzipSync(tar.stdout, { level: 9 }));
  const notesFile = path.join(outDir, 'release-notes.md');
  fs.writeFileSync(notesFile, notes);
  return { moduleDir, archive, notes: notesFile };
}

const USAGE = `Usage: npm run package-module [-- --out <dir>] [--tag <tag>]

Builds the Terraform module into <dir>/terraform-module/, packs it as <dir>/${archiveName('<version>')}
and writes <dir>/release-notes.md from CHANGELOG.md; <dir> is ${path.relative(PROJECT_ROOT, DEFAULT_RELEASE_DIR)}/ by default.
--tag checks that the tag is v<version of package.json> first.`;

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!['--out', '--tag'].includes(argv[i]) || argv[i + 1] === undefined) {
      console.error(`Unexpected arguments: ${argv.join(' ')}\n\n${USAGE}`);
      return 2;
    }
    options[argv[i]] = argv[i + 1];
  }
  try {
    const files = packageModule(options['--out'] ?? DEFAULT_RELEASE_DIR, options['--tag']);
    console.log(
      `Wrote ${path.relative(process.cwd(), files.archive)} and ${path.relative(process.cwd(), files.notes)}`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`${error.name}: ${error.message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
