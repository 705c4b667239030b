/**
 * `npm run module [-- --out <dir>]`: writes the workflow as a Terraform module ready to publish, by
 * default to `dist/terraform-module/`:
 *
 * - `main.tf.json`: the synthesized module stack (`cdk.tf.json`, renamed; Terraform reads `*.tf.json`),
 * - `assets/`: the bundled handlers it zips at plan time,
 * - `README.md`: inputs and outputs, generated from the variable and output blocks of `main.tf.json`,
 * - `examples/basic/main.tf`: a root module that calls it with only its required inputs,
 * - `tests/*.tftest.hcl`: its `terraform test` files, from `scripts/module-tests.ts`.
 *
 * The module is synthesized in this process from {@link PaymentWorkflowModuleStack}, the same stack
 * `cdktf synth` writes to `cdktf.out/stacks/mock-payment-workflow-module/`; it reads no setting.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { DEFAULT_CONFIG } from '../lib/settings';
import { MODULE_ARCHIVE_ROOT, MODULE_STACK_NAME, PaymentWorkflowModuleStack } from '../lib/payment-workflow-module';
import { ModuleTestsError, renderModuleTests } from './module-tests';

/** The project root, where package.json is. */
const PROJECT_ROOT = path.join(__dirname, '..');

/** Where `npm run module` writes the module unless `--out` says otherwise (gitignored). */
export const DEFAULT_MODULE_DIR = path.join(PROJECT_ROOT, 'dist', 'terraform-module');

/** The entries of the module folder this script writes; a rebuild replaces exactly these. */
export const MODULE_ENTRIES = ['main.tf.json', 'assets', 'README.md', 'examples', 'tests'] as const;

/** The folder of the example root, inside the module folder. */
export const BASIC_EXAMPLE_DIR = path.join('examples', 'basic');

/** A variable block of the synthesized module. */
export interface ModuleVariable {
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly validation?: ReadonlyArray<{ readonly condition: string; readonly error_message: string }>;
}

/** The parts of the synthesized module's JSON that the README and the example are generated from. */
export interface ModuleJson {
  readonly terraform: {
    readonly required_version?: string;
    readonly required_providers: Record<string, { readonly source: string; readonly version: string }>;
  };
  readonly variable: Record<string, ModuleVariable>;
  readonly output: Record<string, { readonly description: string; readonly value: unknown }>;
}

/** The module folder could not be written. */
export class ModuleBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModuleBuildError';
  }
}

/** What {@link buildModule} wrote. */
export interface BuiltModule {
  /** Absolute path of the module folder. */
  readonly dir: string;
  /** The module's JSON, as written to `main.tf.json`. */
  readonly module: ModuleJson;
}

/**
 * Synthesizes the module stack and writes the module folder to `outDir`. A folder from an earlier
 * build is updated (only {@link MODULE_ENTRIES} are replaced); any other non-empty folder is refused.
 *
 * @throws ModuleBuildError when `outDir` holds something that is not an earlier build
 */
export function buildModule(outDir: string = DEFAULT_MODULE_DIR): BuiltModule {
  const dir = path.resolve(outDir);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-module-'));
  try {
    const app = new App({ outdir: workDir });
    new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME);
    app.synth();
    const stackDir = path.join(workDir, 'stacks', MODULE_STACK_NAME);
    const text = fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
    const module = JSON.parse(text) as ModuleJson;
    // Only once the module is synthesized (and the README renders), so a failure leaves an earlier build as it was.
    const readme = renderModuleReadme(module);
    const example = renderBasicExample(module);
    const tests = renderModuleTests(module);
    prepareOutDir(dir);
    fs.mkdirSync(path.join(dir, BASIC_EXAMPLE_DIR), { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.tf.json'), text);
    fs.cpSync(path.join(stackDir, 'assets'), path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'README.md'), readme);
    fs.writeFileSync(path.join(dir, BASIC_EXAMPLE_DIR, 'main.tf'), example);
    for (const [file, text] of Object.entries(tests)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    return { dir, module };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function prepareOutDir(dir: string): void {
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (existing.length > 0 && !existing.includes('main.tf.json')) {
    throw new ModuleBuildError(
      `Refusing to write the module into ${dir}: expected an empty folder or an earlier build (with main.tf.json), ` +
        `received a folder holding ${existing.slice(0, 5).join(', ')}. Fix: pass --out with a new or empty folder.`,
    );
  }
  for (const entry of MODULE_ENTRIES) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}

/** The variables a caller must set: those without a default. */
export function requiredInputs(module: ModuleJson): string[] {
  return Object.keys(module.variable).filter((name) => !('default' in module.variable[name]));
}

/** Example values of required inputs, for the example root; a new required input must get one here. */
const EXAMPLE_INPUTS: Readonly<Record<string, string>> = {};

/** The README of the module, generated from its variable, output and `terraform` blocks. */
export function renderModuleReadme(module: ModuleJson): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const required = requiredInputs(module);
  const providers = Object.entries(module.terraform.required_providers);
  const lines = [
    '# mock-payment-workflow Terraform module',
    '',
    'A mock payment workflow on AWS: a Step Functions state machine runs Lambda functions that create an order,',
    "hold its payment and accept it, each writing only the order's status to one DynamoDB table; no external API",
    'is called.',
    '',
    `Version ${version}. Generated by \`npm run module\` from the CDKTF project's constructs, the same ones as its`,
    'deployable stack: do not edit these files, regenerate them.',
    '',
    '## Usage',
    '',
    '```hcl',
    'module "payment_workflow" {',
    '  source = "<this folder, a Git URL with ?ref=<tag>, or a registry address>"',
    ...required.map((name) => `  ${name} = ${exampleInput(name)}`),
    '}',
    '```',
    '',
    required.length === 0
      ? 'Every input has a default, so `source` is the only argument a call needs.'
      : `A call needs ${required.map((name) => `\`${name}\``).join(', ')}; every other input has a default.`,
    '`examples/basic/` is a root module that calls this one that way.',
    '',
    "The module configures no provider and has no backend: it uses the calling root's `aws` provider (its",
    'region, credentials and `default_tags`; pass another one with `providers = { aws = aws.<alias> }`) and',
    "keeps its resources in the calling root's state. The `archive` provider needs no configuration.",
    '',
    `At plan time \`archive_file\` zips the bundled handlers of \`assets/\` into \`${MODULE_ARCHIVE_ROOT.replace('${path.root}', '<root>')}/<name_prefix>mock-payment-workflow/\`,`,
    'below the calling root rather than into this folder, which may be read-only or shared by several calls.',
    'Plan and apply from the same working folder, or keep that folder with a saved plan.',
    '',
    '## Tests',
    '',
    '`tests/contract.tftest.hcl` checks what the defaults create, the names under `name_prefix` and what each',
    'optional input adds or removes; `tests/validation.tftest.hcl` checks that each validation rule refuses a bad',
    'value. They mock the aws provider (no credentials, no AWS call); the archive provider zips `assets/` for',
    'real. From this folder, with network access to the registry (or a provider mirror):',
    '',
    '```bash',
    'terraform init',
    'terraform test',
    '```',
    '',
    '## Requirements',
    '',
    '| Name | Version |',
    '| --- | --- |',
    ...(module.terraform.required_version === undefined
      ? []
      : [`| terraform | \`${module.terraform.required_version}\` |`]),
    ...providers.map(([name, p]) => `| ${name} (\`${p.source}\`) | \`${p.version}\` |`),
    '',
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(module.variable).map(
      ([name, v]) =>
        `| \`${name}\` | ${cell(v.description)} | \`${v.type}\` | ${'default' in v ? `\`${JSON.stringify(v.default)}\`` : 'n/a'} | ${'default' in v ? 'no' : 'yes'} |`,
    ),
    '',
    'Validation: a value outside these rules fails the plan with this message.',
    '',
    ...Object.entries(module.variable).flatMap(([name, v]) =>
      (v.validation ?? []).map((rule) => `* \`${name}\`: ${rule.error_message}`),
    ),
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '| --- | --- |',
    ...Object.entries(module.output).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
    '',
  ];
  return lines.join('\n');
}

/** The example root: a provider, the module with its required inputs only, and two of its outputs. */
export function renderBasicExample(module: ModuleJson): string {
  const aws = module.terraform.required_providers.aws;
  const required = requiredInputs(module);
  const width = Math.max('source'.length, ...required.map((name) => name.length));
  const argument = (name: string, value: string): string => `  ${name.padEnd(width)} = ${value}`;
  const outputs = ['state_machine_arn', 'start_execution_command'].filter((name) => name in module.output);
  return [
    '# Calls the module with only its required inputs. From this folder: terraform init && terraform plan',
    'terraform {',
    ...(module.terraform.required_version === undefined
      ? []
      : [`  required_version = "${module.terraform.required_version}"`, '']),
    '  required_providers {',
    '    aws = {',
    `      source  = "${aws.source}"`,
    `      version = "${aws.version}"`,
    '    }',
    '  }',
    '}',
    '',
    'provider "aws" {',
    `  region = "${DEFAULT_CONFIG.region}"`,
    '}',
    '',
    'module "payment_workflow" {',
    argument('source', '"../.."'),
    ...required.map((name) => argument(name, exampleInput(name))),
    '}',
    ...outputs.flatMap((name) => [
      '',
      `output "${name}" {`,
      `  description = ${JSON.stringify(module.output[name].description)}`,
      `  value       = module.payment_workflow.${name}`,
      '}',
    ]),
    '',
  ].join('\n');
}

function exampleInput(name: string): string {
  const value = EXAMPLE_INPUTS[name];
  if (value === undefined) {
    throw new ModuleBuildError(
      `The module's input ${name} has no default, so the example must set it: expected a value in EXAMPLE_INPUTS ` +
        '(scripts/build-module.ts), received none. Fix: add one, or give the variable a default.',
    );
  }
  return value;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const USAGE = `Usage: npm run module [-- --out <dir>]

Writes the workflow as a Terraform module (main.tf.json, assets/, README.md, examples/basic/, tests/)
to <dir>, by default ${path.relative(PROJECT_ROOT, DEFAULT_MODULE_DIR)}/. An earlier build there is replaced.`;

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const outDir =
    argv.length === 2 && argv[0] === '--out' ? argv[1] : argv.length === 0 ? DEFAULT_MODULE_DIR : undefined;
  if (outDir === undefined) {
    console.error(`Unexpected arguments: ${argv.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  try {
    const built = buildModule(outDir);
    console.log(`Wrote the Terraform module to ${path.relative(process.cwd(), built.dir) || '.'}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ModuleBuildError) && !(error instanceof ModuleTestsError)) throw error;
    console.error(`${error.name}: ${error.message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
