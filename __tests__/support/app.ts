import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root, where cdktf.json is. */
export const PROJECT_ROOT = path.join(__dirname, '..', '..');

/** Runs the `app` command of cdktf.json, as `cdktf synth` does, writing into `outdir`. */
export function runApp(outdir: string, env: Record<string, string> = {}, cwd = PROJECT_ROOT): SpawnSyncReturns<string> {
  const { app, context } = JSON.parse(fs.readFileSync(path.join(cwd, 'cdktf.json'), 'utf8'));
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MPW_')));
  return spawnSync(app, {
    cwd,
    shell: true,
    encoding: 'utf8',
    env: { ...cleanEnv, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify(context ?? {}), ...env },
  });
}

/** Every file below a folder, as paths relative to it. */
export function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
