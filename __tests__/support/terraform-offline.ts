/**
 * Terraform with a provider, offline: roots made from a synthesis or the built module with the
 * stand-ins of terraform-stand-ins.ts, installed from a filesystem mirror, validated and planned with
 * fake credentials. Where terraform or the mirror's aws provider is missing, the suites are skipped
 * visibly (docs/tests.md says what then goes unchecked).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { TERRAFORM_AVAILABLE } from './terraform';
import {
  applyStandIns,
  type MirrorProviders,
  offlineProvider,
  providersInMirror,
  type StackJson,
} from './terraform-stand-ins';

/** The filesystem mirror Terraform installs providers from (unpacked or packed layout). */
export const PLUGIN_MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';

/** The providers of {@link PLUGIN_MIRROR}. */
export const MIRROR: MirrorProviders = providersInMirror(PLUGIN_MIRROR);

/** `describe` where terraform and the mirror's aws provider are there, else `describe.skip` with a warning naming what goes unchecked. */
export function describeWithProviderMirror(unchecked: string): jest.Describe {
  const missing = !TERRAFORM_AVAILABLE
    ? 'terraform is not on PATH'
    : MIRROR.aws.length === 0
      ? `no hashicorp/aws in the provider mirror ${PLUGIN_MIRROR} (TF_PLUGIN_MIRROR)`
      : undefined;
  if (missing !== undefined) console.warn(`${missing}: ${unchecked} is not checked (see docs/tests.md)`);
  return missing === undefined ? describe : describe.skip;
}

/** Shared by every suite and worker: the CLI configuration naming the mirror and the plugin cache. */
const SHARED_DIR = path.join(os.tmpdir(), `mpw-terraform-${os.userInfo().uid}`);

/**
 * The environment of every terraform command: providers from the mirror only, one plugin cache for all
 * roots (an unpacked mirror is linked, a packed one unpacked once), no version check, no prompts.
 */
export function offlineEnv(): Record<string, string> {
  const cliConfig = path.join(SHARED_DIR, 'cli.tfrc');
  const cache = path.join(SHARED_DIR, 'plugin-cache');
  fs.mkdirSync(cache, { recursive: true });
  const text = `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(PLUGIN_MIRROR)}\n  }\n}\n`;
  if (!fs.existsSync(cliConfig) || fs.readFileSync(cliConfig, 'utf8') !== text) fs.writeFileSync(cliConfig, text);
  return {
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_PLUGIN_CACHE_DIR: cache,
    // The lock file records the mirror's hashes only; a cached copy is the same provider.
    TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: '1',
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
  };
}

/** The outcome of a terraform command; never throws on a non-zero exit. */
export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform in `dir` asynchronously (the Step Functions stand-in answers from this process meanwhile). */
export function terraform(dir: string, args: readonly string[]): Promise<TerraformRun> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      [...args, '-no-color'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, ...offlineEnv() }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      },
    );
  });
}

/** Runs terraform and fails with its output unless it succeeds. */
export async function terraformOk(dir: string, args: readonly string[]): Promise<string> {
  const run = await terraform(dir, args);
  if (run.code !== 0) throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

/**
 * Stands in for the Step Functions API, which the aws provider calls during plan to validate a definition
 * (ValidateStateMachineDefinition, hashicorp/terraform-provider-aws#39472): every definition is OK.
 */
export async function startValidationStandIn(): Promise<{
  readonly endpoint: string;
  readonly close: () => Promise<void>;
}> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ result: 'OK', diagnostics: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A temporary folder for one suite, removed after it. */
export function temporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A root in `dir` from a synthesized stack folder (`cdk.tf.json` and `assets/`): the stand-ins applied,
 * the aws provider offline, then `edit` (a planted mistake) on the result.
 */
export function writeStackRoot(
  stackDir: string,
  dir: string,
  sfnEndpoint: string,
  edit: (config: StackJson) => void = () => undefined,
): StackJson {
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(stackDir, 'assets'), path.join(dir, 'assets'), { recursive: true });
  const synthesis = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const config = applyStandIns(synthesis, { mirror: MIRROR, dir });
  const [aws] = config.provider.aws;
  config.provider.aws = [{ region: aws.region, ...offlineProvider(sfnEndpoint), default_tags: aws.default_tags }];
  edit(config);
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config, null, 1));
  return config;
}

/** A copy of the built module in `dir` with the stand-ins applied to its `main.tf.json`; returns that JSON. */
export function writeModuleCopy(moduleDir: string, dir: string): StackJson {
  fs.cpSync(moduleDir, dir, { recursive: true });
  const module = JSON.parse(fs.readFileSync(path.join(dir, 'main.tf.json'), 'utf8'));
  const config = applyStandIns(module, { mirror: MIRROR, dir });
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config, null, 1));
  return config;
}

/**
 * A copy of the built module in `dir` (see {@link writeModuleCopy}), and an override
 * file that puts the example root's aws provider offline; returns the example root's folder.
 */
export function writeModuleExample(moduleDir: string, dir: string, sfnEndpoint: string): string {
  const config = writeModuleCopy(moduleDir, dir);
  const example = path.join(dir, 'examples', 'basic');
  const override = {
    terraform: { required_providers: { aws: config.terraform.required_providers.aws } },
    provider: { aws: offlineProvider(sfnEndpoint) },
  };
  // Terraform merges *_override.tf.json into the example's own blocks: the example itself stays as shipped.
  fs.writeFileSync(path.join(example, 'offline_override.tf.json'), JSON.stringify(override, null, 1));
  return example;
}

/** Lets `dir` use the providers `initialized` installed: one init for several roots of the same providers. */
export function shareInit(initialized: string, dir: string): void {
  fs.symlinkSync(path.join(initialized, '.terraform'), path.join(dir, '.terraform'));
  fs.copyFileSync(path.join(initialized, '.terraform.lock.hcl'), path.join(dir, '.terraform.lock.hcl'));
}

/** The `Plan: …` line of a plan's output. */
export function planSummary(stdout: string): string | undefined {
  return /^Plan: .*$/m.exec(stdout)?.[0];
}

/** The resource types a plan's output creates, sorted. */
export function plannedTypes(stdout: string): string[] {
  const types = [...stdout.matchAll(/^\s*# (?:module\.\w+\.)?(\w+)\.\S+ will be created$/gm)].map((match) => match[1]);
  return [...new Set(types)].sort();
}
