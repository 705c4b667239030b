/**
 * The default inputs of `npm run review`: the merge base with `main`, synthesized in a temporary
 * worktree, and the working tree, each by cdktf.json's `app` command into a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeBaseNotFound, SynthesisFailed } from './errors';
import type { Synthesis } from './synthesis';

/** The stack the review compares: the deployable one. */
export const REVIEWED_STACK = 'mock-payment-workflow';

/** The branches a merge base is looked for against, the local one first. */
const BASE_REFS = ['main', 'origin/main'];

/**
 * Synthesizes the merge base with `main` and the working tree of `root` and hands both to `use`
 * while their asset folders (read for bundle sizes) still exist; then removes the temporary folders.
 */
export function withBaseAndHead<T>(root: string, use: (base: Synthesis, head: Synthesis, baseCommit: string) => T): T {
  const ref = BASE_REFS.find(
    (name) => git(root, ['rev-parse', '--verify', '--quiet', `${name}^{commit}`]).status === 0,
  );
  if (ref === undefined) {
    throw new MergeBaseNotFound(
      `no ${BASE_REFS.join(' or ')} branch to compare with: fetch main, or pass --base-synth FILE --head-synth FILE`,
    );
  }
  const mergeBase = git(root, ['merge-base', 'HEAD', ref]);
  if (mergeBase.status !== 0)
    throw new MergeBaseNotFound(`no merge base of HEAD and ${ref}: pass --base-synth FILE --head-synth FILE`);
  const baseCommit = mergeBase.stdout.trim();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-'));
  const worktree = path.join(temp, 'base');
  try {
    const added = git(root, ['worktree', 'add', '--detach', worktree, baseCommit]);
    if (added.status !== 0) throw new SynthesisFailed(`git worktree add failed: ${added.stderr.trim()}`);
    // The base's app needs the same installed packages; a symlink spares a second install.
    fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(worktree, 'node_modules'), 'dir');
    const base = synthesize(worktree, path.join(temp, 'base-out'), `the merge base ${baseCommit.slice(0, 7)}`);
    const head = synthesize(root, path.join(temp, 'head-out'), 'the working tree');
    return use(base, head, baseCommit);
  } finally {
    git(root, ['worktree', 'remove', '--force', worktree]);
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Runs the app of `cwd`'s cdktf.json into `outdir` and reads the reviewed stack. */
function synthesize(cwd: string, outdir: string, what: string): Synthesis {
  const { app, context } = JSON.parse(fs.readFileSync(path.join(cwd, 'cdktf.json'), 'utf8')) as {
    app: string;
    context?: object;
  };
  // As `cdktf synth` does: the app reads cdktf.json's context from this variable, not from the file.
  const env = {
    ...process.env,
    CDKTF_OUTDIR: outdir,
    CHECKPOINT_DISABLE: '1',
    CDKTF_CONTEXT_JSON: JSON.stringify(context ?? {}),
  };
  const result = spawnSync(app, { cwd, shell: true, encoding: 'utf8', env });
  if (result.status !== 0)
    throw new SynthesisFailed(
      `synthesizing ${what} failed (\`${app}\` exited with ${result.status}): ${(result.stderr || result.stdout).trim()}`,
    );
  const dir = path.join(outdir, 'stacks', REVIEWED_STACK);
  return { document: JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')), dir };
}

function git(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
