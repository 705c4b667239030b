import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendConfig } from '../../lib/config';
import { DEFAULT_CONFIG, defaultOf, type PlainSettingKey, type Setting, SETTINGS } from '../../lib/settings';
import { PROJECT_ROOT, runApp } from '../support/app';

/** The `context` of the project's own cdktf.json. */
function shippedContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8')).context;
}

/**
 * The settings as shipped: main.ts run as `cdktf synth` runs it, with the context of the project's own
 * cdktf.json read from the file, and the workflow type chosen the way a user does (MPW_WORKFLOW_TYPE).
 * cdktf.json ships only what differs from the defaults of lib/settings.ts: a value pinned there
 * overrides a default that depends on the workflow type, silently (an EXPRESS workflow then logged at
 * ERROR, leaving no trace of a successful order anywhere), and a copy of a default drifts from it.
 */

/** Whether a shipped value adds nothing: null, the default, or any value of a setting whose default depends on the workflow type. */
function isDefault(setting: Setting<unknown>, value: unknown): boolean {
  if (setting.required) return false;
  if (setting.default?.kind === 'perWorkflowType' || value === null) return true;
  return JSON.stringify(value) === JSON.stringify(defaultOf(setting, 'STANDARD', DEFAULT_CONFIG));
}

/** The synthesized state machine's log level and the functions' timeouts, for these MPW_* settings. */
function synthesized(env: Record<string, string>): { level: string; functionTimeouts: number[] } {
  const outdir = fs.mkdtempSync(path.join(PROJECT_ROOT, 'cdktf.out', 'shipped-settings-'));
  try {
    const result = runApp(outdir, env);
    if (result.status !== 0) throw new Error(`the app exited with ${result.status}: ${result.stderr}`);
    const stack = JSON.parse(
      fs.readFileSync(path.join(outdir, 'stacks', 'mock-payment-workflow', 'cdk.tf.json'), 'utf8'),
    );
    return {
      level: stack.resource.aws_sfn_state_machine.payment_workflow.logging_configuration.level,
      functionTimeouts: Object.values<{ timeout: number }>(stack.resource.aws_lambda_function).map((fn) => fn.timeout),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('Settings: cdktf.json as shipped', () => {
  it('ships an empty context: every setting at its default, so none pinned over a default of the workflow type', () => {
    expect(shippedContext()).toEqual({});
  });

  it('ships no setting at its default value, nor one whose default depends on the workflow type', () => {
    const { backend = {}, ...settings } = shippedContext() as { backend?: Record<string, unknown> };
    const fields: Record<string, Setting<unknown>> = SETTINGS.backend.fields[
      (backend.type ?? 'local') as BackendConfig['type']
    ];
    const atDefault = [
      ...Object.entries(settings).filter(([name, value]) =>
        isDefault(SETTINGS[name as PlainSettingKey] as Setting<unknown>, value),
      ),
      ...Object.entries(backend)
        .filter(([field, value]) => (field === 'type' ? value === 'local' : isDefault(fields[field], value)))
        .map(([field, value]) => [`backend.${field}`, value]),
    ];
    expect(atDefault).toEqual([]);
  });

  it('logs ALL events of an EXPRESS workflow, whose log is its only history', () => {
    expect(synthesized({ MPW_WORKFLOW_TYPE: 'EXPRESS' }).level).toBe('ALL');
  });

  it('logs ERROR events of a STANDARD workflow', () => {
    expect(synthesized({}).level).toBe('ERROR');
  });

  it('keeps the log level a user sets for an EXPRESS workflow', () => {
    expect(synthesized({ MPW_WORKFLOW_TYPE: 'EXPRESS', MPW_STATE_MACHINE_LOG_LEVEL: 'ERROR' }).level).toBe('ERROR');
  });

  it("times an EXPRESS workflow's functions out after 3 s and a STANDARD workflow's after 10 s", () => {
    expect([synthesized({ MPW_WORKFLOW_TYPE: 'EXPRESS' }).functionTimeouts, synthesized({}).functionTimeouts]).toEqual([
      [3, 3, 3, 3],
      [10, 10, 10, 10],
    ]);
  });
});
