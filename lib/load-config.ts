/**
 * Reads the configuration: every setting of the registry (`settings.ts`) from `cdktf.json` → `context`,
 * overridden by its `MPW_*` environment variable, read as its type, checked against its rules, and the
 * rules between settings last. Errors name the setting, where the bad value came from and how to fix it.
 */
import { type BackendConfig, ConfigurationError, type WorkflowConfig } from './config';
import { allSettings, CROSS_RULES, defaultOf, type Setting, SETTINGS } from './settings';

/** Every environment variable this module reads. */
export const CONFIG_ENV_VARS: readonly string[] = allSettings().map(({ setting }) => setting.env);

/** Reads a context value by key; `app.node.tryGetContext` fits. */
export type ContextReader = (key: string) => unknown;

/** A raw value and where it came from, for error messages. */
interface Raw {
  readonly value: unknown;
  readonly source: string;
}

/**
 * Reads and validates the configuration.
 *
 * @param context reads `cdktf.json` context (`app.node.tryGetContext`)
 * @param env environment variables; `MPW_*` ones override the context
 * @throws ConfigurationError naming the first bad setting
 */
export function loadConfig(context: ContextReader, env: NodeJS.ProcessEnv = process.env): WorkflowConfig {
  rejectUnknownEnv(env);
  const backendContext = context('backend');
  if (backendContext !== undefined && !isPlainObject(backendContext)) {
    throw new ConfigurationError(
      `Invalid setting "backend" from cdktf.json context "backend": expected an object such as {"type":"local"}, ` +
        `received ${show(backendContext)}. Fix: make "backend" in cdktf.json's context an object with a "type".`,
    );
  }
  const backendObject = (backendContext ?? {}) as Record<string, unknown>;
  const read = (setting: Setting<unknown>): Raw | undefined => {
    const fromEnv = env[setting.env];
    if (fromEnv !== undefined && fromEnv !== '')
      return { value: fromEnv, source: `environment variable ${setting.env}` };
    const [head, tail] = setting.key.split('.');
    const value = tail === undefined ? context(head) : backendObject[tail];
    if (value === undefined || value === null) return undefined;
    return { value, source: `cdktf.json context "${setting.key}"` };
  };

  // Every value that is set, in the registry's order; the defaults after, since some depend on other settings.
  const set: Record<string, unknown> = {};
  let backendFields: Record<string, Setting<string>> = {};
  for (const name of Object.keys(SETTINGS) as (keyof WorkflowConfig)[]) {
    if (name === 'backend') {
      const type =
        parsedValue(SETTINGS.backend.type, read(SETTINGS.backend.type)) ?? defaultOf(SETTINGS.backend.type, 'STANDARD');
      backendFields = SETTINGS.backend.fields[type as BackendConfig['type']];
      const backend: Record<string, unknown> = { type };
      for (const [field, setting] of Object.entries(backendFields)) {
        const raw = read(setting);
        if (raw === undefined && setting.required) missing(setting, type as string);
        if (raw !== undefined) backend[field] = parsedValue(setting, raw);
      }
      set.backend = backend;
    } else {
      const value = parsedValue(SETTINGS[name] as Setting<unknown>, read(SETTINGS[name] as Setting<unknown>));
      if (value !== undefined) set[name] = value;
    }
  }
  const workflowType = (set.workflowType ??
    defaultOf(SETTINGS.workflowType, 'STANDARD')) as WorkflowConfig['workflowType'];
  const config: Record<string, unknown> = {};
  for (const name of Object.keys(SETTINGS) as (keyof WorkflowConfig)[]) {
    const value =
      name === 'backend' ? set.backend : (set[name] ?? defaultOf(SETTINGS[name] as Setting<unknown>, workflowType));
    if (value !== undefined) config[name] = value;
  }
  // The backend's defaults last: the s3 bucket's region is the deployment's unless set.
  const backend = set.backend as Record<string, unknown>;
  for (const [field, setting] of Object.entries(backendFields)) {
    const value = backend[field] ?? defaultOf(setting, workflowType, config as unknown as WorkflowConfig);
    if (value !== undefined) backend[field] = value;
  }

  const loaded = config as unknown as WorkflowConfig;
  const broken = CROSS_RULES.find((rule) => !rule.accepts(loaded));
  if (broken !== undefined) throw new ConfigurationError(broken.message(loaded));
  return loaded;
}

/** A setting's value read as its type and checked against its rules; undefined when it is not set. */
function parsedValue<T>(setting: Setting<T>, raw: Raw | undefined): T | undefined {
  if (raw === undefined) return undefined;
  const value = asType(setting, raw);
  const broken = (setting.rules ?? []).find((rule) => !rule.accepts(value as T));
  if (broken !== undefined) fail(setting, raw, broken.expected);
  return value as T;
}

/** A raw value as the setting's type: a variable's text becomes a number, a boolean or a JSON object. */
function asType(setting: Setting<unknown>, raw: Raw): unknown {
  const value = raw.value;
  switch (setting.type) {
    case 'string':
      return typeof value === 'string' ? value : fail(setting, raw);
    case 'number': {
      // Whole digits only: JavaScript's Number() would also read 1e3, 0x100 and ' 256'.
      const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      return typeof number === 'number' ? number : fail(setting, raw);
    }
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      return fail(setting, raw);
    case 'stringMap': {
      const object = typeof value === 'string' ? parseJson(value) : value;
      const isMap = isPlainObject(object) && Object.values(object).every((v) => typeof v === 'string');
      return isMap ? object : fail(setting, raw);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function rejectUnknownEnv(env: NodeJS.ProcessEnv): void {
  const unknown = Object.keys(env).filter((name) => name.startsWith('MPW_') && !CONFIG_ENV_VARS.includes(name));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Unknown setting ${unknown.join(', ')} in the environment. ` +
        `Known MPW_* variables: ${CONFIG_ENV_VARS.join(', ')}. Fix: correct the name or unset it.`,
    );
  }
}

function fail(setting: Setting<unknown>, raw: Raw, expected: string = setting.hint): never {
  throw new ConfigurationError(
    `Invalid setting "${setting.key}" from ${raw.source}: expected ${expected}, received ${show(raw.value)}. ` +
      `Fix: set ${setting.env} or "${setting.key}" in cdktf.json's context to ${expected}.`,
  );
}

function missing(setting: Setting<unknown>, backendType: string): never {
  throw new ConfigurationError(
    `Missing setting "${setting.key}": the ${backendType} backend needs it. ` +
      `Fix: set ${setting.env} or "${setting.key}" in cdktf.json's context to ${setting.hint}.`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
