import * as path from 'node:path';
import { buildModule, type ModuleJson } from '../../scripts/build-module';
import { ModuleTestsError, REFUSED_VALUES, renderModuleTests } from '../../scripts/module-tests';
import {
  describeWithProviderMirror,
  temporaryDir,
  terraform,
  terraformOk,
  type TerraformRun,
  writeModuleCopy,
} from '../support/terraform-offline';

/** A module of one input with one validation rule. */
const moduleWith = (variable: string): ModuleJson => ({
  terraform: { required_providers: {} },
  variable: {
    [variable]: { type: 'string', description: 'x', validation: [{ condition: '${true}', error_message: 'x' }] },
  },
  output: {},
});

describe('Module: terraform test files', () => {
  it('keeps one refused value for each validation rule, by input', () => {
    expect(REFUSED_VALUES.map((c) => `${c.variable}#${c.rule}`)).toEqual([
      'alarm_email#0',
      'alarm_email#1',
      'alarm_period_seconds#0',
      'alarm_topic_arn#0',
      'alarm_topic_arn#1',
      'kms_key_arn#0',
      'lambda_duration_alarm_percent#0',
      'lambda_memory_mb#0',
      'lambda_reserved_concurrency#0',
      'lambda_timeout_seconds#0',
      'lambda_timeout_seconds#1',
      'log_retention_days#0',
      'name_prefix#0',
      'state_machine_log_level#0',
      'table_name#0',
      'table_name#1',
      'tags#0',
      'workflow_type#0',
    ]);
  });

  it('refuses to build tests for a module whose validation rule has no refused value', () => {
    const act = (): unknown => renderModuleTests(moduleWith('colour'));
    expect(act).toThrow(ModuleTestsError);
    expect(act).toThrow(
      /^Expected one refused value per validation rule of the module, received none for colour#0 and values for rules that do not exist: alarm_email#0, /,
    );
  });
});

describeWithProviderMirror('terraform test of the built module')('Module: terraform test, offline', () => {
  const work = temporaryDir('mpw-terraform-test-');
  let run: TerraformRun;

  beforeAll(
    async () => {
      // Prepare
      const built = buildModule(path.join(work, 'build'));
      const dir = path.join(work, 'module');
      writeModuleCopy(built.dir, dir);
      await terraformOk(dir, ['init', '-input=false']);
      // Act
      run = await terraform(dir, ['test']);
    },
    15 * 60 * 1000,
  );

  it('passes every contract and validation run of the shipped tests', () => {
    expect(`${run.stderr}${/^(Success|Failure)!.*$/m.exec(run.stdout)?.[0]}`).toBe('Success! 26 passed, 0 failed.');
  });

  it('runs each validation rule with the value it refuses', () => {
    const passed = [...run.stdout.matchAll(/run "(refuses_\w+)"\.\.\. pass/g)].map((match) => match[1]);
    expect(passed).toHaveLength(18);
  });
});
