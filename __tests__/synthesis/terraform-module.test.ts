import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, Testing, TerraformStack } from 'cdktf';
import { DataArchiveFile } from '@cdktf/provider-archive/lib/data-archive-file';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ConfigurationError, LOG_RETENTION_DAYS, STATE_MACHINE_LOG_LEVELS } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/settings';
import { loadConfig } from '../../lib/load-config';
import {
  MODULE_ARCHIVE_ROOT,
  MODULE_PROVIDERS,
  MODULE_STACK_NAME,
  MODULE_TERRAFORM_VERSION,
} from '../../lib/payment-workflow-module';
import { NoBackend, RequiredProvider, TagResources } from '../../lib/terraform-module';
import { buildModule, type BuiltModule, ModuleBuildError, renderModuleReadme } from '../../scripts/build-module';
import { filesBelow, PROJECT_ROOT, runApp } from '../support/app';
import { synthWorkflowStack } from '../support/synth';
import { FUNCTION_COUNT } from '../support/steps';

/** Resource types of the workflow whose AWS resources take tags. */
const TAGGABLE_TYPES = [
  'aws_cloudwatch_log_group',
  'aws_dynamodb_table',
  'aws_iam_role',
  'aws_lambda_function',
  'aws_sfn_state_machine',
];

/** Whether the cdktf settings accept a value (the module's rules must say the same). */
function configAccepts(context: Record<string, unknown>): boolean {
  try {
    loadConfig((key) => context[key], {});
    return true;
  } catch (error) {
    // Only a refused setting is a verdict: any other error (a TypeError, say) is a bug, not a "no".
    if (error instanceof ConfigurationError) return false;
    throw error;
  }
}

/** Rows of the markdown table under a `## heading`, as arrays of cells without backticks. */
function tableRows(markdown: string, heading: string): string[][] {
  const section = markdown.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) =>
      line
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((cell) => cell.replace(/\\\|/g, '|').replace(/^`(.*)`$/, '$1')),
    );
}

describe('Construct: RequiredProvider', () => {
  const stackWith = (build: (stack: TerraformStack) => void): TerraformStack => {
    const stack = new TerraformStack(Testing.app(), 'module');
    build(stack);
    return stack;
  };

  it('satisfies cdktf provider check and writes only the requirement, no provider block', () => {
    // Prepare
    const stack = stackWith((s) => {
      new RequiredProvider(s, 'aws', { name: 'aws', source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' });
      new DataAwsRegion(s, 'region');
    });
    // Act
    const json = JSON.parse(Testing.synth(stack, true));
    // Assess
    expect(json.provider).toBeUndefined();
    expect(json.terraform.required_providers).toEqual({
      aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' },
    });
  });

  it('still lets cdktf report a provider nobody declared', () => {
    // Prepare
    const stack = stackWith((s) => {
      new RequiredProvider(s, 'aws', { name: 'aws', source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' });
      new DataArchiveFile(s, 'zip', { type: 'zip', sourceDir: 'src', outputPath: 'out.zip' });
    });
    // Act
    const synth = () => Testing.synth(stack, true);
    // Assess
    expect(synth).toThrow(/without a matching provider construct.*archive/s);
  });
});

describe('Construct: NoBackend', () => {
  const synthesizedTerraform = (withNoBackend: boolean): Record<string, unknown> => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-nobackend-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'module');
    new RequiredProvider(stack, 'aws', { name: 'aws', source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' });
    if (withNoBackend) new NoBackend(stack);
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'module', 'cdk.tf.json'), 'utf8'));
    fs.rmSync(outdir, { recursive: true, force: true });
    return json.terraform;
  };

  it('keeps cdktf from adding its implicit local backend', () => {
    expect(synthesizedTerraform(true)).toEqual({
      required_providers: { aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' } },
    });
  });

  it('is needed: without it cdktf writes a local backend with an absolute path', () => {
    const terraform = synthesizedTerraform(false) as { backend: { local: { path: string } } };
    expect(path.isAbsolute(terraform.backend.local.path)).toBe(true);
  });
});

describe('Aspect: TagResources', () => {
  it('tags the resources that take tags, and leaves alone those that do not or set their own', () => {
    // Prepare
    const stack = new TerraformStack(Testing.app(), 'module');
    new AwsProvider(stack, 'aws');
    new CloudwatchLogGroup(stack, 'plain', { name: 'plain' });
    new CloudwatchLogGroup(stack, 'own', { name: 'own', tags: { team: 'a' } });
    new IamRolePolicy(stack, 'policy', { role: 'r', policy: '{}' });
    Aspects.of(stack).add(new TagResources({ project: 'p' }));
    // Act
    const json = JSON.parse(Testing.synth(stack));
    // Assess
    expect(json.resource.aws_cloudwatch_log_group.plain.tags).toEqual({ project: 'p' });
    expect(json.resource.aws_cloudwatch_log_group.own.tags).toEqual({ team: 'a' });
    expect(json.resource.aws_iam_role_policy.policy.tags).toBeUndefined();
  });
});

describe('Module: the Terraform module for Terraform users', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-module-test-'));
  let built: BuiltModule;
  let module: any;
  let readme: string;

  beforeAll(() => {
    built = buildModule(outDir);
    module = JSON.parse(fs.readFileSync(path.join(outDir, 'main.tf.json'), 'utf8'));
    readme = fs.readFileSync(path.join(outDir, 'README.md'), 'utf8');
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  describe('variables', () => {
    it('declares each input with a type and the default of the matching cdktf setting', () => {
      const declared = Object.fromEntries(
        Object.entries(module.variable).map(([name, v]: [string, any]) => [name, { type: v.type, default: v.default }]),
      );
      expect(declared).toEqual({
        name_prefix: { type: 'string', default: DEFAULT_CONFIG.namePrefix },
        table_name: { type: 'string', default: DEFAULT_CONFIG.tableName },
        log_retention_days: { type: 'number', default: DEFAULT_CONFIG.logRetentionDays },
        lambda_memory_mb: { type: 'number', default: DEFAULT_CONFIG.lambdaMemoryMb },
        lambda_timeout_seconds: { type: 'number', default: null },
        lambda_reserved_concurrency: { type: 'number', default: null },
        deletion_protection: { type: 'bool', default: DEFAULT_CONFIG.deletionProtection },
        state_machine_log_level: { type: 'string', default: null },
        state_machine_log_execution_data: { type: 'bool', default: DEFAULT_CONFIG.stateMachineLogExecutionData },
        workflow_type: { type: 'string', default: 'STANDARD' },
        tags: { type: 'map(string)', default: {} },
        kms_key_arn: { type: 'string', default: null },
        alarms_enabled: { type: 'bool', default: true },
        alarm_topic_arn: { type: 'string', default: null },
        alarm_email: { type: 'string', default: null },
        alarm_period_seconds: { type: 'number', default: 300 },
        lambda_duration_alarm_percent: { type: 'number', default: 80 },
      });
    });

    it('describes every input in one line, and lets null mean the default unless null is a value', () => {
      for (const [name, v] of Object.entries(module.variable) as [string, any][]) {
        expect({ name, description: /^[A-Z][^\n]{10,}$/.test(v.description), nullable: v.nullable }).toEqual({
          name,
          description: true,
          nullable: [
            'lambda_timeout_seconds',
            'lambda_reserved_concurrency',
            'kms_key_arn',
            'alarm_topic_arn',
            'alarm_email',
            'state_machine_log_level',
          ].includes(name),
        });
      }
    });

    it('words every validation error as a sentence, as Terraform requires', () => {
      const messages = Object.values(module.variable).flatMap((v: any) =>
        (v.validation ?? []).map((r: any) => r.error_message),
      );
      expect(messages).toHaveLength(18);
      for (const message of messages) expect(message).toMatch(/^[A-Z].*[.?]$/);
    });

    it('accepts and rejects the same name prefixes and table names as the cdktf settings', () => {
      const patternOf = (name: string): RegExp => {
        const quoted = new RegExp(`regex\\(("(?:[^"\\\\]|\\\\.)*"), var\\.${name}\\)`).exec(
          module.variable[name].validation[0].condition,
        )?.[1];
        return new RegExp(JSON.parse(quoted as string));
      };
      const prefixes = ['', 'dev-', 'Team-1', 'a'.repeat(20), 'a'.repeat(21), 'dev_', 'dév-', 'has space'];
      const tables = ['ab', 'abc', 'Mock.Orders_1-x', 'a'.repeat(255), 'a'.repeat(256), 'no space', 'ördërs'];
      for (const prefix of prefixes) {
        expect({ prefix, module: patternOf('name_prefix').test(prefix) }).toEqual({
          prefix,
          module: configAccepts({ namePrefix: prefix }),
        });
      }
      for (const table of tables) {
        expect({ table, module: patternOf('table_name').test(table) }).toEqual({
          table,
          module: configAccepts({ tableName: table }),
        });
      }
    });

    it('accepts and rejects the same KMS key ARNs as the cdktf setting, and null for none', () => {
      const quoted = /regex\(("(?:[^"\\]|\\.)*"), var\.kms_key_arn\)/.exec(
        module.variable.kms_key_arn.validation[0].condition,
      )?.[1];
      const pattern = new RegExp(JSON.parse(quoted as string));
      const keys = [
        'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
        'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'arn:aws:kms:us-east-1:123456789012:alias/orders',
        'arn:aws:kms:us-east-1:1234:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        '1234abcd-12ab-34cd-56ef-1234567890ab',
      ];
      // The cdktf setting also wants the key in the deployment's region; a module cannot know its region.
      const regionOf = (key: string) => /^arn:[^:]+:kms:([^:]+):/.exec(key)?.[1] ?? 'us-east-1';
      for (const key of keys) {
        expect({ key, module: pattern.test(key) }).toEqual({
          key,
          module: configAccepts({ kmsKeyArn: key, region: regionOf(key) }),
        });
      }
      expect(module.variable.kms_key_arn.validation[0].condition).toMatch(/^\$\{var\.kms_key_arn == null \? true : /);
    });

    it('limits the prefix and the table name together to the 255 characters of a DynamoDB table name', () => {
      expect(module.variable.table_name.validation[1].condition).toBe(
        '${length(var.name_prefix) + length(var.table_name) <= 255}',
      );
      expect(configAccepts({ namePrefix: 'dev-', tableName: 'a'.repeat(252) })).toBe(false);
    });

    it.each([
      ['lambda_memory_mb', 'lambdaMemoryMb', 128, 10240],
      ['lambda_timeout_seconds', 'lambdaTimeoutSeconds', 1, 900],
      ['lambda_reserved_concurrency', 'lambdaReservedConcurrency', 1, 10000],
    ])('allows %s the whole numbers the cdktf setting %s allows, %i to %i', (name, setting, lowest, highest) => {
      const [, min, max] = (
        />= (\d+) && var\.\w+ <= (\d+)/.exec(module.variable[name].validation[0].condition) ?? []
      ).map(Number);
      // The bounds read from the rule, else a rule the pattern misses would leave only NaN to compare.
      expect([min, max]).toEqual([lowest, highest]);
      for (const value of [min - 1, min, min + 0.5, max, max + 1]) {
        const moduleAccepts = Number.isInteger(value) && value >= min && value <= max;
        expect({ value, module: moduleAccepts }).toEqual({ value, module: configAccepts({ [setting]: value }) });
      }
    });

    it('lets lambda_reserved_concurrency be null for no reservation', () => {
      expect(module.variable.lambda_reserved_concurrency.validation[0].condition).toMatch(
        /^\$\{var\.lambda_reserved_concurrency == null \? true : \(.*\)\}$/,
      );
    });

    it('allows exactly the log retentions CloudWatch Logs accepts and the state machine log levels', () => {
      const listIn = (name: string): unknown =>
        JSON.parse(/contains\((\[[^\]]*\])/.exec(module.variable[name].validation[0].condition)?.[1] as string);
      expect(listIn('log_retention_days')).toEqual([...LOG_RETENTION_DAYS]);
      expect(listIn('state_machine_log_level')).toEqual([...STATE_MACHINE_LOG_LEVELS]);
      expect(listIn('workflow_type')).toEqual(['STANDARD', 'EXPRESS']);
    });

    it('refuses lambda_timeout_seconds above 3 with workflow_type EXPRESS, reading the other variable (Terraform 1.9)', () => {
      expect(module.variable.lambda_timeout_seconds.validation[1].condition).toBe(
        '${var.workflow_type != "EXPRESS" || (var.lambda_timeout_seconds == null ? true : var.lambda_timeout_seconds <= 3)}',
      );
    });

    it("lets lambda_timeout_seconds be null for the workflow type's default", () => {
      expect(module.variable.lambda_timeout_seconds.validation[0].condition).toMatch(
        /^\$\{var\.lambda_timeout_seconds == null \? true : \(.*\)\}$/,
      );
    });
  });

  describe('outputs', () => {
    it('has the outputs of the deployable stack, each with a description', () => {
      const deployable = synthWorkflowStack().stack.output;
      expect(Object.keys(module.output).sort()).toEqual(Object.keys(deployable).sort());
      for (const [name, output] of Object.entries(module.output) as [string, any][]) {
        expect({ name, description: output.description }).toEqual({ name, description: deployable[name].description });
      }
    });
  });

  describe('providers and backend', () => {
    it('writes no provider block and no backend, not even cdktf implicit local one', () => {
      expect(module.provider).toBeUndefined();
      expect(module.terraform.backend).toBeUndefined();
      expect(module.terraform.cloud).toBeUndefined();
      expect(Object.keys(module.terraform).sort()).toEqual(['required_providers', 'required_version']);
    });

    it('requires its providers by registry source with a version range', () => {
      expect(module.terraform.required_providers).toEqual({
        aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' },
        archive: { source: 'hashicorp/archive', version: '>= 2.7.1, < 3.0.0' },
      });
      expect(module.terraform.required_version).toBe(MODULE_TERRAFORM_VERSION);
    });

    it('starts each range at the provider version the npm bindings were generated for', () => {
      // Prepare
      const stack = new TerraformStack(Testing.app(), 'versions');
      const aws = new AwsProvider(stack, 'aws');
      // Act
      const generatedFor = aws.terraformGeneratorMetadata?.providerVersion;
      // Assess
      expect(MODULE_PROVIDERS.aws.version).toBe(`>= ${generatedFor}, < ${Number(generatedFor?.split('.')[0]) + 1}.0.0`);
    });
  });

  describe('resources', () => {
    it('declares the same resources and data sources as the deployable stack, from the same constructs', () => {
      const addresses = (blocks: Record<string, Record<string, unknown>>): string[] =>
        Object.entries(blocks)
          .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`))
          .sort();
      const deployable = synthWorkflowStack().stack;
      // The additions: the key statements of the state machine and of each function, in policies created only when a key is given.
      const keyPolicies = [
        'payment_workflow_key',
        'create_order_table_key',
        'hold_payment_table_key',
        'accept_payment_table_key',
        'record_failure_table_key',
      ];
      // And the e-mail subscription, which the deployable stack has only when alarmEmail is set.
      const moduleOnly = [
        ...keyPolicies.map((id) => `aws_iam_role_policy.${id}`),
        'aws_sns_topic_subscription.alarm_email',
      ];
      expect(addresses(module.resource)).toEqual([...addresses(deployable.resource), ...moduleOnly].sort());
      expect(addresses(module.data)).toEqual(addresses(deployable.data));
    });

    it('names every resource after the name_prefix and table_name variables', () => {
      expect(module.resource.aws_dynamodb_table.orders.name).toBe('${var.name_prefix}${var.table_name}');
      const functions = Object.values(module.resource.aws_lambda_function) as any[];
      expect(functions).toHaveLength(FUNCTION_COUNT);
      for (const fn of functions) {
        expect(fn.function_name).toMatch(/^\$\{var\.name_prefix\}mock-[a-z-]+$/);
      }
      expect(module.resource.aws_sfn_state_machine.payment_workflow.name).toBe(
        '${var.name_prefix}mock-payment-workflow',
      );
    });

    it('takes every setting of the construct from a variable', () => {
      const fn = module.resource.aws_lambda_function.create_order;
      const machine = module.resource.aws_sfn_state_machine.payment_workflow;
      expect({
        memory: fn.memory_size,
        timeout: fn.timeout,
        reserved: fn.reserved_concurrent_executions,
        retention: module.resource.aws_cloudwatch_log_group.payment_workflow.retention_in_days,
        deletionProtection: module.resource.aws_dynamodb_table.orders.deletion_protection_enabled,
        logLevel: machine.logging_configuration.level,
        logData: machine.logging_configuration.include_execution_data,
        type: machine.type,
      }).toEqual({
        memory: '${var.lambda_memory_mb}',
        timeout: '${coalesce(var.lambda_timeout_seconds, (var.workflow_type == "EXPRESS") ? 3 : 10)}',
        reserved: '${var.lambda_reserved_concurrency}',
        retention: '${var.log_retention_days}',
        deletionProtection: '${var.deletion_protection}',
        logLevel: '${coalesce(var.state_machine_log_level, (var.workflow_type == "EXPRESS") ? "ALL" : "ERROR")}',
        logData: '${var.state_machine_log_execution_data}',
        type: '${var.workflow_type}',
      });
    });

    it('encrypts with kms_key_arn when it is given, chosen by conditional expressions', () => {
      const machine = module.resource.aws_sfn_state_machine.payment_workflow;
      expect({
        table: module.resource.aws_dynamodb_table.orders.server_side_encryption,
        machine: machine.encryption_configuration,
        functionEnvironment: module.resource.aws_lambda_function.create_order.kms_key_arn,
        logGroup: module.resource.aws_cloudwatch_log_group.payment_workflow.kms_key_id,
      }).toEqual({
        table: { enabled: '${(var.kms_key_arn != null)}', kms_key_arn: '${var.kms_key_arn}' },
        machine: {
          type: '${(var.kms_key_arn == null) ? "AWS_OWNED_KEY" : "CUSTOMER_MANAGED_KMS_KEY"}',
          kms_key_id: '${var.kms_key_arn}',
          kms_data_key_reuse_period_seconds: '${(var.kms_key_arn == null) ? null : 300}',
        },
        functionEnvironment: '${var.kms_key_arn}',
        logGroup: '${var.kms_key_arn}',
      });
    });

    it('lets the state machine use the key only through a policy that exists when kms_key_arn is given', () => {
      const keyPolicy = module.resource.aws_iam_role_policy.payment_workflow_key;
      expect(keyPolicy.count).toBe('${(var.kms_key_arn == null) ? 0 : 1}');
      expect(JSON.parse(keyPolicy.policy).Statement.map((s: any) => [s.Sid, s.Resource])).toEqual([
        ['UseKeyForOwnData', ['${var.kms_key_arn}']],
        ['UseKeyForLogDelivery', ['${var.kms_key_arn}']],
      ]);
      expect(module.resource.aws_iam_role_policy.payment_workflow.policy).not.toContain('kms:');
      expect(module.resource.aws_sfn_state_machine.payment_workflow.depends_on).toContain(
        'aws_iam_role_policy.payment_workflow_key',
      );
    });

    it('tags every resource that takes tags with the caller tags over its own', () => {
      expect(module.locals.resource_tags).toBe('${merge({"project" = "mock-payment-workflow"}, var.tags)}');
      const taggable = TAGGABLE_TYPES.flatMap((type) =>
        Object.entries(module.resource[type] ?? {}).map(([id, resource]: [string, any]) => ({
          address: `${type}.${id}`,
          resource,
        })),
      );
      // 5 log groups, the table, 5 roles, 4 functions and the state machine.
      expect(taggable).toHaveLength(16);
      for (const { address, resource } of taggable) {
        expect({ address, tags: resource.tags }).toEqual({ address, tags: '${local.resource_tags}' });
      }
    });
  });

  describe('paths', () => {
    it('reads each bundle from the module folder, relative to path.module', () => {
      expect(Object.keys(module.data.archive_file).sort()).toEqual([
        'accept_payment',
        'create_order',
        'hold_payment',
        'record_failure',
      ]);
      for (const archive of Object.values(module.data.archive_file) as any[]) {
        expect(archive.source_dir).toMatch(/^\$\{path\.module\}\/assets\//);
        const dir = archive.source_dir.replace('${path.module}', outDir);
        expect(fs.readdirSync(dir)).toEqual(['index.js']);
      }
    });

    it('writes each zip below the calling root, in a folder per name prefix, never into the module folder', () => {
      expect(Object.keys(module.data.archive_file).sort()).toEqual([
        'accept_payment',
        'create_order',
        'hold_payment',
        'record_failure',
      ]);
      for (const [id, archive] of Object.entries(module.data.archive_file) as [string, any][]) {
        expect(archive.output_path).toBe(
          `${MODULE_ARCHIVE_ROOT}/\${var.name_prefix}mock-payment-workflow/${id.replace(/_/g, '-')}.zip`,
        );
      }
      expect(MODULE_ARCHIVE_ROOT).toBe('${path.root}/.terraform/archives');
    });

    it('writes no absolute path of the machine anywhere in the module folder', () => {
      const offenders = filesBelow(outDir).filter((file) => {
        const text = fs.readFileSync(path.join(outDir, file), 'utf8');
        return [PROJECT_ROOT, outDir, os.homedir(), os.tmpdir(), '${path.cwd}'].some((absolute) =>
          text.includes(absolute),
        );
      });
      expect(offenders).toEqual([]);
    });
  });

  describe('Script: npm run module', () => {
    it('writes the module JSON, its assets, a README, a basic example and its terraform tests, and nothing else', () => {
      const files = filesBelow(outDir).filter((file) => !file.startsWith(`assets${path.sep}`));
      expect(files).toEqual([
        'README.md',
        path.join('examples', 'basic', 'main.tf'),
        'main.tf.json',
        path.join('tests', 'contract.tftest.hcl'),
        path.join('tests', 'validation.tftest.hcl'),
      ]);
      expect(built.dir).toBe(outDir);
    });

    it('writes the module stack exactly as cdktf synth does with synthesizeModule', () => {
      // Prepare
      const appOut = fs.mkdtempSync(path.join(PROJECT_ROOT, 'cdktf.out', 'module-test-'));
      // Act
      const result = runApp(appOut, { MPW_SYNTHESIZE_MODULE: 'true' });
      // Assess
      expect(result.status).toBe(0);
      const synthesized = fs.readFileSync(path.join(appOut, 'stacks', MODULE_STACK_NAME, 'cdk.tf.json'), 'utf8');
      expect(synthesized).toBe(fs.readFileSync(path.join(outDir, 'main.tf.json'), 'utf8'));
      fs.rmSync(appOut, { recursive: true, force: true });
    });

    it('lists exactly the variables in the README inputs, with their description, type, default and need', () => {
      const expected = Object.entries(module.variable).map(([name, v]: [string, any]) => [
        name,
        v.description,
        v.type,
        JSON.stringify(v.default),
        'no',
      ]);
      expect(tableRows(readme, 'Inputs')).toEqual(expected);
    });

    it('lists exactly the outputs in the README, with their descriptions', () => {
      const expected = Object.entries(module.output).map(([name, o]: [string, any]) => [name, o.description]);
      expect(tableRows(readme, 'Outputs')).toEqual(expected);
    });

    it('states every validation rule and the required versions in the README', () => {
      const messages: string[] = Object.values(module.variable).flatMap((v: any) =>
        (v.validation ?? []).map((r: any) => r.error_message),
      );
      expect(messages).toHaveLength(18);
      for (const message of messages) expect(readme).toContain(message);
      expect(tableRows(readme, 'Requirements')).toEqual([
        ['terraform', MODULE_TERRAFORM_VERSION],
        ['archive (`hashicorp/archive`)', MODULE_PROVIDERS.archive.version],
        ['aws (`hashicorp/aws`)', MODULE_PROVIDERS.aws.version],
      ]);
    });

    it('generates the README from the module JSON alone', () => {
      expect(renderModuleReadme(module)).toBe(readme);
    });

    it('calls the module in the example with only its required inputs and configures the provider there', () => {
      const example = fs.readFileSync(path.join(outDir, 'examples', 'basic', 'main.tf'), 'utf8');
      const call = /module "payment_workflow" \{\n([^}]*)\}/.exec(example)?.[1];
      expect(call).toBe('  source = "../.."\n');
      expect(example).toMatch(/provider "aws" \{\n {2}region = "us-east-1"\n\}/);
      expect(example).toContain(`version = "${MODULE_PROVIDERS.aws.version}"`);
      expect(example).not.toMatch(/backend|\/work\/|\\\\/);
    });

    it('updates an earlier build in place, replacing only its own files', () => {
      // Prepare
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-module-rebuild-'));
      buildModule(dir);
      fs.writeFileSync(path.join(dir, 'assets', 'stale.js'), '');
      fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT');
      // Act
      buildModule(dir);
      // Assess
      expect(fs.existsSync(path.join(dir, 'assets', 'stale.js'))).toBe(false);
      expect(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toBe('MIT');
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a folder that holds something other than an earlier build, and leaves it as it was', () => {
      // Prepare
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-module-other-'));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
      // Act
      let error: unknown;
      try {
        buildModule(dir);
      } catch (caught) {
        error = caught;
      }
      // Assess
      expect(error).toBeInstanceOf(ModuleBuildError);
      expect((error as Error).name).toBe('ModuleBuildError');
      expect((error as Error).message).toMatch(
        /expected an empty folder or an earlier build .* received a folder holding notes\.txt/,
      );
      expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('runs as the package script, with --out', () => {
      // Prepare
      const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
      const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-module-cli-')), 'module');
      // Act
      const result = spawnSync(`${scripts.module} --out ${JSON.stringify(dir)}`, {
        cwd: PROJECT_ROOT,
        shell: true,
        encoding: 'utf8',
      });
      const usage = spawnSync(`${scripts.module} --bogus`, { cwd: PROJECT_ROOT, shell: true, encoding: 'utf8' });
      // Assess
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(fs.existsSync(path.join(dir, 'main.tf.json'))).toBe(true);
      expect(usage.status).toBe(2);
      expect(usage.stderr).toMatch(/^Unexpected arguments: --bogus\n\nUsage: npm run module/);
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    });
  });
});
