import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Terraform for the suites that let it evaluate the module's expressions and validation. Such a root
 * holds only variable blocks, so no provider is needed and nothing is downloaded. Where terraform is
 * not on PATH, the suites are skipped, visibly: jest reports them as skipped, and a warning says why.
 */

/** Whether terraform is on PATH. */
export const TERRAFORM_AVAILABLE = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

/** `describe` where terraform is on PATH, else `describe.skip` with a warning naming what goes unchecked. */
export function describeWithTerraform(unchecked: string): jest.Describe {
  if (!TERRAFORM_AVAILABLE) console.warn(`terraform is not on PATH: ${unchecked} is not evaluated (see docs/tests.md)`);
  return TERRAFORM_AVAILABLE ? describe : describe.skip;
}

/** A temporary root module holding `json` as main.tf.json, removed after the suite. */
export function terraformRoot(json: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-terraform-'));
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(json));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs terraform in `dir` with `-var name=value` for each of `vars`, offline and without the user's CLI configuration. */
export function runTerraform(
  dir: string,
  command: string[],
  vars: Readonly<Record<string, string>>,
  input?: string,
): SpawnSyncReturns<string> {
  const args = Object.entries(vars).flatMap(([name, value]) => ['-var', `${name}=${value}`]);
  return spawnSync('terraform', [...command, ...args], {
    cwd: dir,
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
  });
}

/** The values of Terraform `expressions` (without `${ }`) for the given variables, by `terraform console`. */
export function evaluateExpressions(
  dir: string,
  expressions: readonly string[],
  vars: Readonly<Record<string, string>>,
): unknown[] {
  const result = runTerraform(dir, ['console'], vars, `jsonencode([${expressions.join(', ')}])\n`);
  if (result.status !== 0) throw new Error(`terraform console failed: ${result.stderr}`);
  return JSON.parse(JSON.parse(result.stdout.trim()));
}
