/**
 * Reads the configuration: every setting from `cdktf.json` → `context`, overridden by an `MPW_*`
 * environment variable, validated. Errors name the setting, where the bad value came from and how to fix it.
 */
import {
  BackendConfig,
  ConfigurationError,
  DEFAULT_CONFIG,
  DEFAULT_STATE_FILE,
  EXPRESS_DEFAULT_LAMBDA_TIMEOUT_SECONDS,
  EXPRESS_DEFAULT_LOG_LEVEL,
  LOG_RETENTION_DAYS,
  STATE_MACHINE_LOG_LEVELS,
  StateMachineLogLevel,
  WORKFLOW_TYPES,
  WorkflowConfig,
  WorkflowType,
} from './config';
import { EXPRESS_MAX_EXECUTION_SECONDS, executionTimeoutSeconds, invocationsPerTaskOf, largestFunctionTimeoutSeconds } from './timeout-budget';

/** One setting: its context key, its environment variable and how to read it. */
interface Setting {
  readonly key: string;
  readonly env: string;
  readonly hint: string;
}

const SETTINGS = {
  region: { key: 'region', env: 'MPW_REGION', hint: 'an AWS region such as us-east-1' },
  namePrefix: {
    key: 'namePrefix',
    env: 'MPW_NAME_PREFIX',
    hint: 'empty, or up to 20 of a-z A-Z 0-9 and -, e.g. "dev-"',
  },
  tableName: { key: 'tableName', env: 'MPW_TABLE_NAME', hint: '3-255 of a-z A-Z 0-9 _ . -' },
  logRetentionDays: {
    key: 'logRetentionDays',
    env: 'MPW_LOG_RETENTION_DAYS',
    hint: `one of ${LOG_RETENTION_DAYS.join(', ')}`,
  },
  lambdaMemoryMb: { key: 'lambdaMemoryMb', env: 'MPW_LAMBDA_MEMORY_MB', hint: 'a whole number from 128 to 10240' },
  lambdaTimeoutSeconds: {
    key: 'lambdaTimeoutSeconds',
    env: 'MPW_LAMBDA_TIMEOUT_SECONDS',
    hint: 'a whole number from 1 to 900',
  },
  tags: { key: 'tags', env: 'MPW_TAGS', hint: 'a JSON object of string values, e.g. {"owner":"payments"}' },
  backend: { key: 'backend.type', env: 'MPW_BACKEND', hint: 'local, s3 or cloud' },
  statePath: { key: 'backend.path', env: 'MPW_STATE_PATH', hint: 'a path to a .tfstate file, relative to the project root' },
  s3Bucket: { key: 'backend.bucket', env: 'MPW_S3_BUCKET', hint: 'the name of an existing S3 bucket' },
  s3Key: { key: 'backend.key', env: 'MPW_S3_KEY', hint: 'an object key such as mock-payment-workflow/terraform.tfstate' },
  s3Region: { key: 'backend.region', env: 'MPW_S3_REGION', hint: "the bucket's region" },
  s3KmsKeyId: { key: 'backend.kmsKeyId', env: 'MPW_S3_KMS_KEY_ID', hint: 'a KMS key ARN' },
  cloudOrganization: {
    key: 'backend.organization',
    env: 'MPW_CLOUD_ORGANIZATION',
    hint: 'your HCP Terraform organization name',
  },
  cloudWorkspace: { key: 'backend.workspace', env: 'MPW_CLOUD_WORKSPACE', hint: 'an HCP Terraform workspace name' },
  cloudHostname: { key: 'backend.hostname', env: 'MPW_CLOUD_HOSTNAME', hint: 'e.g. app.terraform.io' },
  kmsKeyArn: {
    key: 'kmsKeyArn',
    env: 'MPW_KMS_KEY_ARN',
    hint: 'the ARN of a KMS key in the deployment region, arn:aws:kms:<region>:<account>:key/<key id> (not an alias)',
  },
  deletionProtection: { key: 'deletionProtection', env: 'MPW_DELETION_PROTECTION', hint: 'true or false' },
  lambdaReservedConcurrency: {
    key: 'lambdaReservedConcurrency',
    env: 'MPW_LAMBDA_RESERVED_CONCURRENCY',
    hint: 'a whole number from 1 to 10000, within your account\'s Lambda concurrency quota',
  },
  stateMachineLogLevel: {
    key: 'stateMachineLogLevel',
    env: 'MPW_STATE_MACHINE_LOG_LEVEL',
    hint: 'ALL, ERROR or FATAL',
  },
  stateMachineLogExecutionData: {
    key: 'stateMachineLogExecutionData',
    env: 'MPW_STATE_MACHINE_LOG_EXECUTION_DATA',
    hint: 'true or false',
  },
  workflowType: { key: 'workflowType', env: 'MPW_WORKFLOW_TYPE', hint: 'STANDARD or EXPRESS' },
  alarms: { key: 'alarms', env: 'MPW_ALARMS', hint: 'true or false' },
  alarmTopicArn: {
    key: 'alarmTopicArn',
    env: 'MPW_ALARM_TOPIC_ARN',
    hint: 'the ARN of an SNS topic in the deployment region, arn:aws:sns:<region>:<account>:<topic name>',
  },
  alarmEmail: { key: 'alarmEmail', env: 'MPW_ALARM_EMAIL', hint: 'an e-mail address such as ops@example.com' },
  alarmPeriodSeconds: {
    key: 'alarmPeriodSeconds',
    env: 'MPW_ALARM_PERIOD_SECONDS',
    hint: 'a multiple of 60 from 60 to 86400',
  },
  lambdaDurationAlarmPercent: {
    key: 'lambdaDurationAlarmPercent',
    env: 'MPW_LAMBDA_DURATION_ALARM_PERCENT',
    hint: 'a whole number from 1 to 100',
  },
  synthesizeModule: { key: 'synthesizeModule', env: 'MPW_SYNTHESIZE_MODULE', hint: 'true or false' },
} satisfies Record<string, Setting>;

/** Every environment variable this module reads. */
export const CONFIG_ENV_VARS: readonly string[] = Object.values(SETTINGS).map((s) => s.env);

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
  const read = (setting: Setting): Raw | undefined => {
    const fromEnv = env[setting.env];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: `environment variable ${setting.env}` };
    const [head, tail] = setting.key.split('.');
    const value = tail === undefined ? context(head) : backendObject[tail];
    if (value === undefined || value === null) return undefined;
    return { value, source: `cdktf.json context "${setting.key}"` };
  };
  const workflowType = workflowTypeOf(read(SETTINGS.workflowType));
  const config: WorkflowConfig = {
    region: string(SETTINGS.region, read(SETTINGS.region), DEFAULT_CONFIG.region, /^[a-z]{2}(-[a-z]+)+-\d$/),
    namePrefix: string(SETTINGS.namePrefix, read(SETTINGS.namePrefix), '', /^[A-Za-z0-9-]{0,20}$/),
    tableName: string(SETTINGS.tableName, read(SETTINGS.tableName), DEFAULT_CONFIG.tableName, /^[A-Za-z0-9_.-]{3,255}$/),
    logRetentionDays: oneOf(SETTINGS.logRetentionDays, read(SETTINGS.logRetentionDays), DEFAULT_CONFIG.logRetentionDays),
    lambdaMemoryMb: integer(SETTINGS.lambdaMemoryMb, read(SETTINGS.lambdaMemoryMb), DEFAULT_CONFIG.lambdaMemoryMb, 128, 10240),
    lambdaTimeoutSeconds: integer(
      SETTINGS.lambdaTimeoutSeconds,
      read(SETTINGS.lambdaTimeoutSeconds),
      workflowType === 'EXPRESS' ? EXPRESS_DEFAULT_LAMBDA_TIMEOUT_SECONDS : DEFAULT_CONFIG.lambdaTimeoutSeconds,
      1,
      900,
    ),
    tags: tags(read(SETTINGS.tags)),
    backend: backend(read(SETTINGS.backend), read),
    ...optional('kmsKeyArn', read(SETTINGS.kmsKeyArn), (raw) => matching(SETTINGS.kmsKeyArn, raw, KMS_KEY_ARN)),
    deletionProtection: boolean(SETTINGS.deletionProtection, read(SETTINGS.deletionProtection), DEFAULT_CONFIG.deletionProtection),
    ...optional('lambdaReservedConcurrency', read(SETTINGS.lambdaReservedConcurrency), (raw) =>
      integer(SETTINGS.lambdaReservedConcurrency, raw, 0, 1, 10000),
    ),
    stateMachineLogLevel: logLevel(read(SETTINGS.stateMachineLogLevel), workflowType),
    stateMachineLogExecutionData: boolean(
      SETTINGS.stateMachineLogExecutionData,
      read(SETTINGS.stateMachineLogExecutionData),
      DEFAULT_CONFIG.stateMachineLogExecutionData,
    ),
    workflowType,
    alarms: boolean(SETTINGS.alarms, read(SETTINGS.alarms), DEFAULT_CONFIG.alarms),
    ...optional('alarmTopicArn', read(SETTINGS.alarmTopicArn), (raw) => matching(SETTINGS.alarmTopicArn, raw, SNS_TOPIC_ARN)),
    ...optional('alarmEmail', read(SETTINGS.alarmEmail), (raw) => matching(SETTINGS.alarmEmail, raw, EMAIL_ADDRESS)),
    alarmPeriodSeconds: alarmPeriod(read(SETTINGS.alarmPeriodSeconds)),
    lambdaDurationAlarmPercent: integer(
      SETTINGS.lambdaDurationAlarmPercent,
      read(SETTINGS.lambdaDurationAlarmPercent),
      DEFAULT_CONFIG.lambdaDurationAlarmPercent,
      1,
      100,
    ),
    synthesizeModule: boolean(SETTINGS.synthesizeModule, read(SETTINGS.synthesizeModule), DEFAULT_CONFIG.synthesizeModule),
  };
  const largestTimeout = largestFunctionTimeoutSeconds(config.workflowType);
  if (config.lambdaTimeoutSeconds > largestTimeout) {
    throw new ConfigurationError(
      `Invalid settings "lambdaTimeoutSeconds" and "workflowType": an ${config.workflowType} execution ends after ` +
        `${EXPRESS_MAX_EXECUTION_SECONDS} s and each of its Tasks keeps ${invocationsPerTaskOf(config.workflowType)} invocations for transient errors; ` +
        `with lambdaTimeoutSeconds ${config.lambdaTimeoutSeconds} the workflow's slowest path needs ` +
        `${executionTimeoutSeconds(config.workflowType, config.lambdaTimeoutSeconds)} s; the largest lambdaTimeoutSeconds that fits is ` +
        `${largestTimeout}. Fix: set ${SETTINGS.lambdaTimeoutSeconds.env} to ${largestTimeout} or less (unset, ${config.workflowType} uses ` +
        `${EXPRESS_DEFAULT_LAMBDA_TIMEOUT_SECONDS}), or ${SETTINGS.workflowType.env} to STANDARD.`,
    );
  }
  const topicRegion = config.alarmTopicArn?.split(':')[3];
  if (topicRegion !== undefined && topicRegion !== config.region) {
    throw new ConfigurationError(
      `Invalid settings "alarmTopicArn" and "region": CloudWatch alarms notify a topic in their own region only, ` +
        `received a topic in ${topicRegion} for region ${config.region}. Fix: set ${SETTINGS.alarmTopicArn.env} to a topic in ${config.region}.`,
    );
  }
  if (!config.alarms) {
    const unused = (['alarmTopicArn', 'alarmEmail'] as const).filter((name) => config[name] !== undefined);
    if (unused.length > 0) {
      throw new ConfigurationError(
        `Invalid settings "alarms" and "${unused[0]}": ${unused[0]} has no effect while alarms is false. ` +
          `Fix: unset ${SETTINGS[unused[0]].env}, or set ${SETTINGS.alarms.env} to true.`,
      );
    }
  }
  const keyRegion = config.kmsKeyArn?.split(':')[3];
  if (keyRegion !== undefined && keyRegion !== config.region) {
    throw new ConfigurationError(
      `Invalid settings "kmsKeyArn" and "region": the key must be in the region the resources are deployed to, ` +
        `received a key in ${keyRegion} for region ${config.region}. Fix: set ${SETTINGS.kmsKeyArn.env} to a key in ${config.region}, ` +
        `or ${SETTINGS.region.env} to ${keyRegion}.`,
    );
  }
  if (config.namePrefix.length + config.tableName.length > 255) {
    throw new ConfigurationError(
      `Invalid settings "namePrefix" and "tableName": together they name the table, which DynamoDB limits to 255 characters, ` +
        `received ${config.namePrefix.length + config.tableName.length}. Fix: shorten ${SETTINGS.tableName.env} or ${SETTINGS.namePrefix.env}.`,
    );
  }
  return config;
}

function backend(typeRaw: Raw | undefined, read: (s: Setting) => Raw | undefined): BackendConfig {
  const type = typeRaw === undefined ? 'local' : typeRaw.value;
  switch (type) {
    case 'local':
      return { type: 'local', path: string(SETTINGS.statePath, read(SETTINGS.statePath), DEFAULT_STATE_FILE, /^[^\0]+\.tfstate$/) };
    case 's3': {
      const kmsKeyId = read(SETTINGS.s3KmsKeyId);
      return {
        type: 's3',
        bucket: required(SETTINGS.s3Bucket, read(SETTINGS.s3Bucket), 's3', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
        key: string(SETTINGS.s3Key, read(SETTINGS.s3Key), 'mock-payment-workflow/terraform.tfstate', /^[^\0]{1,1024}$/),
        region: string(SETTINGS.s3Region, read(SETTINGS.s3Region) ?? read(SETTINGS.region), DEFAULT_CONFIG.region, /^[a-z]{2}(-[a-z]+)+-\d$/),
        ...(kmsKeyId === undefined ? {} : { kmsKeyId: matching(SETTINGS.s3KmsKeyId, kmsKeyId, /^arn:aws[a-z-]*:kms:\S+$/) }),
      };
    }
    case 'cloud': {
      const hostname = read(SETTINGS.cloudHostname);
      return {
        type: 'cloud',
        organization: required(SETTINGS.cloudOrganization, read(SETTINGS.cloudOrganization), 'cloud', /^[A-Za-z0-9_-]+$/),
        workspace: required(SETTINGS.cloudWorkspace, read(SETTINGS.cloudWorkspace), 'cloud', /^[A-Za-z0-9_-]{1,90}$/),
        ...(hostname === undefined ? {} : { hostname: matching(SETTINGS.cloudHostname, hostname, /^[A-Za-z0-9.-]+(:\d+)?$/) }),
      };
    }
    default:
      return fail(SETTINGS.backend, typeRaw as Raw);
  }
}

/**
 * A KMS key ARN, not an alias: IAM policies, log groups and DynamoDB need the key itself.
 * Key ids are UUIDs, or `mrk-` and 32 hex digits for a multi-Region key.
 */
const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$/;

/** An SNS topic ARN: a name of 1 to 256 of A-Z a-z 0-9 _ - (a FIFO topic cannot take alarm notifications). */
const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** An e-mail address, as SNS accepts for an email subscription: something@domain.tld, no spaces. */
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `{ [name]: value }` when the setting is set, `{}` when not, so an unset optional setting stays absent. */
function optional<K extends string, T>(name: K, raw: Raw | undefined, parse: (raw: Raw) => T): { [P in K]?: T } {
  return raw === undefined ? {} : ({ [name]: parse(raw) } as { [P in K]?: T });
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

function fail(setting: Setting, raw: Raw): never {
  throw new ConfigurationError(
    `Invalid setting "${setting.key}" from ${raw.source}: expected ${setting.hint}, received ${show(raw.value)}. ` +
      `Fix: set ${setting.env} or "${setting.key}" in cdktf.json's context to ${setting.hint}.`,
  );
}

function required(setting: Setting, raw: Raw | undefined, backendType: string, pattern: RegExp): string {
  if (raw === undefined) {
    throw new ConfigurationError(
      `Missing setting "${setting.key}": the ${backendType} backend needs it. ` +
        `Fix: set ${setting.env} or "${setting.key}" in cdktf.json's context to ${setting.hint}.`,
    );
  }
  return matching(setting, raw, pattern);
}

function string(setting: Setting, raw: Raw | undefined, fallback: string, pattern: RegExp): string {
  return raw === undefined ? fallback : matching(setting, raw, pattern);
}

/** The value of a setting that is set, if it is a string that matches `pattern`. */
function matching(setting: Setting, raw: Raw, pattern: RegExp): string {
  if (typeof raw.value !== 'string' || !pattern.test(raw.value)) fail(setting, raw);
  return raw.value;
}

function integer(setting: Setting, raw: Raw | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = typeof raw.value === 'string' && /^\d+$/.test(raw.value) ? Number(raw.value) : raw.value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(setting, raw);
  return value;
}

function boolean(setting: Setting, raw: Raw | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (raw.value === true || raw.value === 'true') return true;
  if (raw.value === false || raw.value === 'false') return false;
  return fail(setting, raw);
}

function workflowTypeOf(raw: Raw | undefined): WorkflowType {
  if (raw === undefined) return DEFAULT_CONFIG.workflowType;
  if (typeof raw.value !== 'string' || !(WORKFLOW_TYPES as readonly string[]).includes(raw.value)) {
    fail(SETTINGS.workflowType, raw);
  }
  return raw.value as WorkflowType;
}

function logLevel(raw: Raw | undefined, workflowType: WorkflowType): StateMachineLogLevel {
  if (raw === undefined) return workflowType === 'EXPRESS' ? EXPRESS_DEFAULT_LOG_LEVEL : DEFAULT_CONFIG.stateMachineLogLevel;
  const value = raw.value;
  if (typeof value !== 'string' || !(STATE_MACHINE_LOG_LEVELS as readonly string[]).includes(value)) {
    fail(SETTINGS.stateMachineLogLevel, raw);
  }
  return value as StateMachineLogLevel;
}

/** CloudWatch alarms on these 1-minute metrics take a period of a whole number of minutes, up to a day. */
function alarmPeriod(raw: Raw | undefined): number {
  const value = integer(SETTINGS.alarmPeriodSeconds, raw, DEFAULT_CONFIG.alarmPeriodSeconds, 60, 86400);
  if (value % 60 !== 0) fail(SETTINGS.alarmPeriodSeconds, raw as Raw);
  return value;
}

function oneOf(setting: Setting, raw: Raw | undefined, fallback: number): number {
  const value = integer(setting, raw, fallback, 1, Number.MAX_SAFE_INTEGER);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value)) fail(setting, raw as Raw);
  return value;
}

function tags(raw: Raw | undefined): Record<string, string> {
  if (raw === undefined) return {};
  let value = raw.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      fail(SETTINGS.tags, raw);
    }
  }
  if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    fail(SETTINGS.tags, raw);
  }
  return value as Record<string, string>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
