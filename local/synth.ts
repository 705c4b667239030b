import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SynthesisFailed } from './errors';

/** The project root, where cdktf.json is. */
export const PROJECT_ROOT = path.join(__dirname, '..');

/** What {@link ensureSynthesized} did. */
export interface SynthesisResult {
  /** Absolute path of the output folder (cdktf.json's `output`, default cdktf.out). */
  readonly outdir: string;
  /** Whether the app ran (false: the output was newer than every input). */
  readonly synthesized: boolean;
  readonly durationMs: number;
}

/** Inputs of a synthesis: a change to any of them makes cdktf.out stale. */
const INPUTS = ['main.ts', 'cdktf.json', 'package-lock.json', 'lib', 'handlers', 'workflow'];

/** Options of {@link ensureSynthesized}. */
export interface SynthesisOptions {
  /**
   * Output folder, relative to the root: another configuration's synthesis beside the default one.
   * @default cdktf.json's `output`, or cdktf.out
   */
  readonly outdir?: string;
  /**
   * `MPW_*` settings for this synthesis, over the environment's; given, the app always runs.
   * @default none
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * Runs cdktf.json's `app` command, as `cdktf synth` does, unless the output is newer than every
 * input. An `MPW_*` variable in the environment always re-synthesizes: it may change the output.
 */
export function ensureSynthesized(
  root = PROJECT_ROOT,
  stackName = 'mock-payment-workflow',
  options: SynthesisOptions = {},
): SynthesisResult {
  const started = Date.now();
  const cdktfJson = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8'));
  const outdir = path.resolve(root, options.outdir ?? cdktfJson.output ?? 'cdktf.out');
  const stackFile = path.join(outdir, 'stacks', stackName, 'cdk.tf.json');
  const overridden = options.settings !== undefined || Object.keys(process.env).some((name) => name.startsWith('MPW_'));
  if (!overridden && fs.existsSync(stackFile) && newestInput(root) < fs.statSync(stackFile).mtimeMs) {
    return { outdir, synthesized: false, durationMs: Date.now() - started };
  }
  const result = spawnSync(cdktfJson.app, {
    cwd: root,
    shell: true,
    encoding: 'utf8',
    // cdktf synth hands the app cdktf.json's context in this variable; without it the settings there are ignored.
    env: {
      ...process.env,
      ...options.settings,
      CDKTF_OUTDIR: outdir,
      CDKTF_CONTEXT_JSON: JSON.stringify(cdktfJson.context ?? {}),
    },
  });
  if (result.status !== 0) {
    throw new SynthesisFailed(
      `\`${cdktfJson.app}\` exited with ${result.status}: ${(result.stderr || result.stdout).trim()}`,
    );
  }
  return { outdir, synthesized: true, durationMs: Date.now() - started };
}

function newestInput(root: string): number {
  let newest = 0;
  const visit = (file: string): void => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) return;
    if (stat.isDirectory()) fs.readdirSync(file).forEach((name) => visit(path.join(file, name)));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  INPUTS.forEach((input) => visit(path.join(root, input)));
  return newest;
}
