/**
 * The settings, each declared once: its `cdktf.json` context key, its `MPW_*` variable, its Terraform
 * module variable, its type, default and rules, and its descriptions. The loader (`load-config.ts`),
 * the module's variables and validation blocks (`payment-workflow-module.ts`) and the settings table
 * of docs/configuration.md (`npm run docs:settings`) are all produced from this table.
 *
 * Each rule is written twice side by side, once in TypeScript for the loader and once as a Terraform
 * condition for the module; __tests__/settings-registry.test.ts has Terraform evaluate every condition
 * on literal values and checks that the two agree.
 */
import {
  type BackendConfig,
  LOG_RETENTION_DAYS,
  STATE_MACHINE_LOG_LEVELS,
  WORKFLOW_TYPE_DEFAULTS,
  WORKFLOW_TYPES,
  type WorkflowConfig,
  type WorkflowType,
} from './config';
import { MODULE_TAGS } from './terraform-module';
import {
  EXPRESS_MAX_EXECUTION_SECONDS,
  executionTimeoutSeconds,
  invocationsPerTaskOf,
  largestFunctionTimeoutSeconds,
  MAX_FUNCTION_TIMEOUT_SECONDS,
} from './timeout-budget';

/** How a raw value (a `cdktf.json` value, or the text of an `MPW_*` variable) is read before the rules run. */
export type SettingType = 'string' | 'number' | 'boolean' | 'stringMap';

/** The Terraform type of a module variable, by setting type. */
export const TERRAFORM_TYPES: Readonly<Record<SettingType, string>> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  stringMap: 'map(string)',
};

/** A variable of the module, as a rule's Terraform message names it. */
export interface ModuleVariableRef {
  readonly name: string;
  readonly nullable: boolean;
}

/** One rule of a setting: the TypeScript check and the same check in Terraform, side by side. */
export interface Rule<T> {
  /** Whether the loader accepts `value`, already read as the setting's type. */
  accepts(value: T): boolean;
  /** The same rule in Terraform on `v` (`var.<name>`, never null here), without `${ }`. */
  readonly condition?: (v: string) => string;
  /** The module's message when `condition` is false: a sentence, as Terraform requires. */
  readonly errorMessage?: string | ((variable: ModuleVariableRef) => string);
  /** What the loader's message says was expected, where not the setting's `hint`. */
  readonly expected?: string;
}

/** A default: a value, one per workflow type, or one derived from the other settings. */
export type Default<T> =
  | { readonly kind: 'fixed'; readonly value: T }
  | { readonly kind: 'perWorkflowType'; readonly values: Readonly<Record<WorkflowType, T>> }
  | { readonly kind: 'derived'; of(config: WorkflowConfig): T; readonly text: string };

/** One setting. */
export interface Setting<T> {
  /** Its key in `cdktf.json`'s `context` (`backend.<field>` inside the backend object). */
  readonly key: string;
  /** The environment variable that overrides the context. */
  readonly env: string;
  readonly type: SettingType;
  /** What the loader's messages say a good value is. */
  readonly hint: string;
  /** Unset: the setting stays absent from the configuration (or, with `required`, is refused). */
  readonly default?: Default<T>;
  /** Refused when missing (the backend fields its type cannot do without). */
  readonly required?: boolean;
  readonly rules?: readonly Rule<T>[];
  /** Its input variable in the Terraform module; none for the provider's region and the state backend. */
  readonly module?: { readonly name: string; readonly description: string };
  /** Its row of the docs table: the allowed values, and the default where words say it better than the value. */
  readonly docs: { readonly allowed: string; readonly default?: string };
}

/** The state backend: its type, and the settings of each type (read only for the selected one). */
export interface BackendSettings {
  readonly type: Setting<BackendConfig['type']>;
  readonly fields: { readonly [T in BackendConfig['type']]: { readonly [F in FieldsOf<T>]-?: Setting<string> } };
}
type FieldsOf<T extends BackendConfig['type']> = Exclude<keyof Extract<BackendConfig, { type: T }>, 'type'>;

/** The registry's shape: one entry for every key of {@link WorkflowConfig}, typed by its value. */
export type SettingsRegistry = {
  readonly [K in keyof WorkflowConfig]-?: K extends 'backend'
    ? BackendSettings
    : Setting<NonNullable<WorkflowConfig[K]>>;
};

/** A setting that is not the backend, by its configuration key. */
export type PlainSettingKey = Exclude<keyof WorkflowConfig, 'backend'>;

/**
 * A rule that involves two settings. The loader checks these after every setting is read, in order;
 * those that also hold in the module name the variable whose validation block carries them.
 */
export interface CrossRule {
  accepts(config: WorkflowConfig): boolean;
  message(config: WorkflowConfig): string;
  readonly module?: {
    readonly variable: PlainSettingKey;
    /** The condition, given `var.<name>` of each setting. */
    readonly condition: (v: Readonly<Record<PlainSettingKey, string>>) => string;
    readonly errorMessage: string;
  };
}

const fixed = <T>(value: T): Default<T> => ({ kind: 'fixed', value });

/**
 * A value that matches an RE2 pattern (Terraform's `regex`). JavaScript reads it the same but for `\s`,
 * which in RE2 is ASCII whitespace only and in JavaScript also Unicode spaces such as U+00A0: it is
 * spelled out here, so the loader and the module accept the same values.
 */
function pattern(source: string, errorMessage?: string): Rule<string> {
  const ascii = '\\t\\n\\f\\r ';
  const inClasses = source.replace(/\[(?:\\.|[^\]\\])*\]/g, (chars) => chars.replaceAll('\\s', ascii));
  const regex = new RegExp(inClasses.replaceAll('\\s', `[${ascii}]`));
  return {
    accepts: (value) => regex.test(value),
    condition: (v) => `can(regex(${JSON.stringify(source)}, ${v}))`,
    errorMessage,
  };
}

/** A whole number from `min` to `max`. */
function wholeNumber(min: number, max: number): Rule<number> {
  return {
    accepts: (value) => Number.isInteger(value) && value >= min && value <= max,
    condition: (v) => `${v} == floor(${v}) && ${v} >= ${min} && ${v} <= ${max}`,
    errorMessage: ({ name, nullable }) =>
      `The ${name} must be ${nullable ? 'null or ' : ''}a whole number from ${min} to ${max}.`,
  };
}

/** One of `values`. */
function oneOf<T extends string | number>(values: readonly T[], errorMessage: string): Rule<T> {
  const list = typeof values[0] === 'number' ? `[${values.join(', ')}]` : JSON.stringify(values);
  return { accepts: (value) => values.includes(value), condition: (v) => `contains(${list}, ${v})`, errorMessage };
}

/** An AWS region name, such as us-east-1 or us-gov-west-1. */
const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]$';

const FUNCTION_TIMEOUT_SECONDS = WORKFLOW_TYPE_DEFAULTS.lambdaTimeoutSeconds;
const LOG_LEVEL = WORKFLOW_TYPE_DEFAULTS.stateMachineLogLevel;

/** AWS limits on a tag: a key of 1 to 128 characters, not starting with `aws:`, and a value of at most 256. */
const TAG_KEY_MAX_LENGTH = 128;
const TAG_VALUE_MAX_LENGTH = 256;

/** The characters of a text as Terraform's `length` counts them: user-perceived characters (e plus a combining accent is one). */
function characters(text: string): number {
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;
}

/** DynamoDB's limit on a table name, which is the prefix and the table name together. */
const TABLE_NAME_MAX_LENGTH = 255;

/**
 * Every setting, in the order the loader reads them and the docs list them.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 * @see https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
 */
export const SETTINGS: SettingsRegistry = {
  region: {
    key: 'region',
    env: 'MPW_REGION',
    type: 'string',
    hint: 'an AWS region such as us-east-1',
    default: fixed('us-east-1'),
    rules: [pattern(REGION_PATTERN)],
    docs: { allowed: 'An AWS region name such as `eu-west-1`' },
  },
  namePrefix: {
    key: 'namePrefix',
    env: 'MPW_NAME_PREFIX',
    type: 'string',
    hint: 'empty, or up to 20 of a-z A-Z 0-9 and -, e.g. "dev-"',
    default: fixed(''),
    rules: [
      pattern(
        '^[A-Za-z0-9-]{0,20}$',
        'The name_prefix must be empty or up to 20 of a-z A-Z 0-9 and -, such as "dev-".',
      ),
    ],
    module: {
      name: 'name_prefix',
      description:
        'Prefix of every resource name, so that two copies can live in one account; empty for the default names',
    },
    docs: {
      allowed: 'Up to 20 of `A-Z a-z 0-9 -`, e.g. `dev-`; goes in front of every resource name',
      default: 'empty (no prefix)',
    },
  },
  tableName: {
    key: 'tableName',
    env: 'MPW_TABLE_NAME',
    type: 'string',
    hint: '3-255 of a-z A-Z 0-9 _ . -',
    default: fixed('MockOrders'),
    rules: [pattern('^[A-Za-z0-9_.-]{3,255}$', 'The table_name must be 3 to 255 of a-z A-Z 0-9 _ . and -.')],
    module: { name: 'table_name', description: 'Name of the DynamoDB orders table, before the name prefix' },
    docs: { allowed: '3 to 255 of `A-Z a-z 0-9 _ . -` (the name before the prefix)' },
  },
  logRetentionDays: {
    key: 'logRetentionDays',
    env: 'MPW_LOG_RETENTION_DAYS',
    type: 'number',
    hint: `one of ${LOG_RETENTION_DAYS.join(', ')}`,
    default: fixed(365),
    rules: [
      oneOf(
        LOG_RETENTION_DAYS,
        `The log_retention_days must be a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}.`,
      ),
    ],
    module: {
      name: 'log_retention_days',
      description: 'Retention of every CloudWatch log group (functions and state machine), in days',
    },
    docs: { allowed: `One of CloudWatch Logs' periods: ${LOG_RETENTION_DAYS.join(', ')}` },
  },
  lambdaMemoryMb: {
    key: 'lambdaMemoryMb',
    env: 'MPW_LAMBDA_MEMORY_MB',
    type: 'number',
    hint: 'a whole number from 128 to 10240',
    default: fixed(128),
    rules: [wholeNumber(128, 10240)],
    module: { name: 'lambda_memory_mb', description: 'Memory of each Lambda function, in MB' },
    docs: { allowed: 'A whole number from 128 to 10240' },
  },
  lambdaTimeoutSeconds: {
    key: 'lambdaTimeoutSeconds',
    env: 'MPW_LAMBDA_TIMEOUT_SECONDS',
    type: 'number',
    hint: `a whole number from 1 to ${MAX_FUNCTION_TIMEOUT_SECONDS}`,
    default: { kind: 'perWorkflowType', values: FUNCTION_TIMEOUT_SECONDS },
    rules: [wholeNumber(1, MAX_FUNCTION_TIMEOUT_SECONDS)],
    module: {
      name: 'lambda_timeout_seconds',
      description:
        `Timeout of each Lambda function, in seconds; null for ${FUNCTION_TIMEOUT_SECONDS.STANDARD} (STANDARD) or ` +
        `${FUNCTION_TIMEOUT_SECONDS.EXPRESS} (EXPRESS, whose 5 minutes must hold every attempt of every Task)`,
    },
    docs: {
      allowed: `A whole number from 1 to ${MAX_FUNCTION_TIMEOUT_SECONDS}; with \`EXPRESS\`, 1 to ${largestFunctionTimeoutSeconds('EXPRESS')} ([Express workflows](express.md))`,
    },
  },
  tags: {
    key: 'tags',
    env: 'MPW_TAGS',
    type: 'stringMap',
    hint: 'a JSON object of string values, e.g. {"owner":"payments"}',
    default: fixed({}),
    rules: [
      {
        accepts: (tags) =>
          Object.entries(tags).every(
            ([key, value]) =>
              characters(key) >= 1 &&
              characters(key) <= TAG_KEY_MAX_LENGTH &&
              characters(value) <= TAG_VALUE_MAX_LENGTH &&
              !key.toLowerCase().startsWith('aws:'),
          ),
        condition: (v) =>
          `alltrue([for key, value in ${v} : length(key) >= 1 && length(key) <= ${TAG_KEY_MAX_LENGTH} ` +
          `&& length(value) <= ${TAG_VALUE_MAX_LENGTH} && !startswith(lower(key), "aws:")])`,
        errorMessage:
          `Each tag key must be 1 to ${TAG_KEY_MAX_LENGTH} characters and not start with "aws:", ` +
          `and each value at most ${TAG_VALUE_MAX_LENGTH} characters.`,
        expected: `tag keys of 1 to ${TAG_KEY_MAX_LENGTH} characters not starting with "aws:" and values of at most ${TAG_VALUE_MAX_LENGTH}`,
      },
    ],
    module: {
      name: 'tags',
      description: `Tags on every taggable resource, merged over the module's own ${Object.entries(MODULE_TAGS)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    },
    docs: {
      allowed:
        `A JSON object of string values, e.g. \`{"owner":"payments"}\`: keys of 1 to ${TAG_KEY_MAX_LENGTH} characters, not starting ` +
        `with \`aws:\`, values of at most ${TAG_VALUE_MAX_LENGTH}; \`project\` and \`managed-by\` cannot be overridden`,
    },
  },
  backend: {
    type: {
      key: 'backend.type',
      env: 'MPW_BACKEND',
      type: 'string',
      hint: 'local, s3 or cloud',
      default: fixed('local'),
      rules: [{ accepts: (type) => ['local', 's3', 'cloud'].includes(type) }],
      docs: { allowed: '`local`, `s3` or `cloud`' },
    },
    fields: {
      local: {
        path: {
          key: 'backend.path',
          env: 'MPW_STATE_PATH',
          type: 'string',
          hint: 'a path to a .tfstate file, relative to the project root',
          default: fixed('terraform.mock-payment-workflow.tfstate'),
          rules: [{ accepts: (path) => /^[^\0]+\.tfstate$/.test(path) }],
          docs: { allowed: '`local` only: a path ending in `.tfstate`, relative to the project root (or absolute)' },
        },
      },
      s3: {
        bucket: {
          key: 'backend.bucket',
          env: 'MPW_S3_BUCKET',
          type: 'string',
          hint: 'the name of an existing S3 bucket',
          required: true,
          rules: [pattern('^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$')],
          docs: {
            allowed: '3 to 63 of `a-z 0-9 . -`, starting and ending with a letter or digit',
            default: 'none: required for `s3`',
          },
        },
        key: {
          key: 'backend.key',
          env: 'MPW_S3_KEY',
          type: 'string',
          hint: 'an object key such as mock-payment-workflow/terraform.tfstate',
          default: fixed('mock-payment-workflow/terraform.tfstate'),
          rules: [{ accepts: (key) => /^[^\0]{1,1024}$/.test(key) }],
          docs: { allowed: '`s3` only: an object key of 1 to 1024 characters' },
        },
        region: {
          key: 'backend.region',
          env: 'MPW_S3_REGION',
          type: 'string',
          hint: "the bucket's region",
          default: { kind: 'derived', of: (config) => config.region, text: 'the `region` setting' },
          rules: [pattern(REGION_PATTERN)],
          docs: { allowed: "`s3` only: the bucket's region" },
        },
        kmsKeyId: {
          key: 'backend.kmsKeyId',
          env: 'MPW_S3_KMS_KEY_ID',
          type: 'string',
          hint: 'a KMS key ARN',
          rules: [{ accepts: (arn) => /^arn:aws[a-z-]*:kms:\S+$/.test(arn) }],
          docs: { allowed: '`s3` only: a KMS key ARN, `arn:aws:kms:...`', default: 'none (S3-managed keys)' },
        },
      },
      cloud: {
        organization: {
          key: 'backend.organization',
          env: 'MPW_CLOUD_ORGANIZATION',
          type: 'string',
          hint: 'your HCP Terraform organization name',
          required: true,
          rules: [pattern('^[A-Za-z0-9_-]+$')],
          docs: {
            allowed: 'HCP Terraform organization name: `A-Z a-z 0-9 _ -`',
            default: 'none: required for `cloud`',
          },
        },
        workspace: {
          key: 'backend.workspace',
          env: 'MPW_CLOUD_WORKSPACE',
          type: 'string',
          hint: 'an HCP Terraform workspace name',
          required: true,
          rules: [pattern('^[A-Za-z0-9_-]{1,90}$')],
          docs: {
            allowed: 'HCP Terraform workspace name: 1 to 90 of `A-Z a-z 0-9 _ -`',
            default: 'none: required for `cloud`',
          },
        },
        hostname: {
          key: 'backend.hostname',
          env: 'MPW_CLOUD_HOSTNAME',
          type: 'string',
          hint: 'e.g. app.terraform.io',
          rules: [pattern('^[A-Za-z0-9.-]+(:[0-9]+)?$')],
          docs: {
            allowed: '`cloud` only: a host name with an optional `:port`',
            default: "none (Terraform's default, `app.terraform.io`)",
          },
        },
      },
    },
  },
  kmsKeyArn: {
    key: 'kmsKeyArn',
    env: 'MPW_KMS_KEY_ARN',
    type: 'string',
    hint: 'the ARN of a KMS key in the deployment region, arn:aws:kms:<region>:<account>:key/<key id> (not an alias)',
    // Not an alias: IAM policies, log groups and DynamoDB need the key itself. A key id is a UUID, or `mrk-` and 32 hex digits (multi-Region).
    rules: [
      pattern(
        '^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$',
        'The kms_key_arn must be null or a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<id> (not an alias).',
      ),
    ],
    module: {
      name: 'kms_key_arn',
      description:
        "ARN of a customer managed KMS key in the same region that encrypts the table, the functions' environment, " +
        'the log groups and the state machine; null for AWS owned and AWS managed keys. Its key policy must let ' +
        'DynamoDB, Lambda, CloudWatch Logs and Step Functions use it',
    },
    docs: {
      allowed: 'A symmetric KMS key ARN in `region`, `arn:aws:kms:<region>:<account>:key/<id>` (not an alias)',
      default: 'none (AWS owned and AWS managed keys)',
    },
  },
  deletionProtection: {
    key: 'deletionProtection',
    env: 'MPW_DELETION_PROTECTION',
    type: 'boolean',
    hint: 'true or false',
    default: fixed(true),
    module: {
      name: 'deletion_protection',
      description: 'Whether DynamoDB refuses to delete the orders table; set false and apply before a destroy',
    },
    docs: {
      allowed: '`true` or `false`; `false` lets Terraform delete the table ([Clean up](operations.md#clean-up))',
    },
  },
  lambdaReservedConcurrency: {
    key: 'lambdaReservedConcurrency',
    env: 'MPW_LAMBDA_RESERVED_CONCURRENCY',
    type: 'number',
    hint: "a whole number from 1 to 10000, within your account's Lambda concurrency quota",
    rules: [wholeNumber(1, 10000)],
    module: {
      name: 'lambda_reserved_concurrency',
      description:
        "Concurrent executions reserved for each Lambda function; null for none (the account's unreserved pool)",
    },
    docs: { allowed: 'A whole number from 1 to 10000, reserved for each function', default: 'none (no reservation)' },
  },
  stateMachineLogLevel: {
    key: 'stateMachineLogLevel',
    env: 'MPW_STATE_MACHINE_LOG_LEVEL',
    type: 'string',
    hint: 'ALL, ERROR or FATAL',
    default: { kind: 'perWorkflowType', values: LOG_LEVEL },
    rules: [
      oneOf(
        STATE_MACHINE_LOG_LEVELS,
        `The state_machine_log_level must be null or one of ${STATE_MACHINE_LOG_LEVELS.join(', ')}.`,
      ),
    ],
    module: {
      name: 'state_machine_log_level',
      description:
        'What the state machine logs to its log group: ALL events, ERROR events or FATAL events only; ' +
        `null for ${LOG_LEVEL.STANDARD} (STANDARD) or ${LOG_LEVEL.EXPRESS} (EXPRESS, whose only history is its log)`,
    },
    docs: { allowed: '`ALL`, `ERROR` or `FATAL`: which events the state machine logs' },
  },
  stateMachineLogExecutionData: {
    key: 'stateMachineLogExecutionData',
    env: 'MPW_STATE_MACHINE_LOG_EXECUTION_DATA',
    type: 'boolean',
    hint: 'true or false',
    default: fixed(false),
    module: {
      name: 'state_machine_log_execution_data',
      description:
        "Whether the state machine's log events include execution data (the states' inputs and outputs, so order ids)",
    },
    docs: { allowed: "`true` or `false`; `true` puts the states' inputs and outputs, so the orders, in the log" },
  },
  workflowType: {
    key: 'workflowType',
    env: 'MPW_WORKFLOW_TYPE',
    type: 'string',
    hint: 'STANDARD or EXPRESS',
    default: fixed('STANDARD'),
    rules: [oneOf(WORKFLOW_TYPES, `The workflow_type must be one of ${WORKFLOW_TYPES.join(', ')}.`)],
    module: {
      name: 'workflow_type',
      description:
        'STANDARD (exactly-once, redrive, history kept by Step Functions) or EXPRESS (at-least-once, 5 minutes at most, ' +
        'billed by request and duration, history in the log group only); changing it replaces the state machine',
    },
    docs: { allowed: '`STANDARD` or `EXPRESS` (below); changing it replaces the state machine' },
  },
  alarms: {
    key: 'alarms',
    env: 'MPW_ALARMS',
    type: 'boolean',
    hint: 'true or false',
    default: fixed(true),
    module: {
      name: 'alarms_enabled',
      description: 'Whether the CloudWatch alarms, their SNS topic and the dashboard are created',
    },
    docs: {
      allowed: '`true` or `false`; `false` creates no alarm, topic or dashboard ([Alarms](operations.md#alarms))',
    },
  },
  alarmTopicArn: {
    key: 'alarmTopicArn',
    env: 'MPW_ALARM_TOPIC_ARN',
    type: 'string',
    hint: 'the ARN of an SNS topic in the deployment region, arn:aws:sns:<region>:<account>:<topic name>',
    // A topic name is 1 to 256 of A-Z a-z 0-9 _ -: a FIFO topic (.fifo) cannot take alarm notifications.
    rules: [
      pattern(
        '^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:[A-Za-z0-9_-]{1,256}$',
        'The alarm_topic_arn must be null or an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms.',
      ),
    ],
    module: {
      name: 'alarm_topic_arn',
      description:
        "ARN of an existing SNS topic in the same region for the alarms to notify; null for a topic of the module's own",
    },
    docs: {
      allowed: 'The ARN of an existing standard SNS topic in `region` for the alarms to notify',
      default: 'none (the stack creates `<prefix>mock-payment-workflow-alarms`)',
    },
  },
  alarmEmail: {
    key: 'alarmEmail',
    env: 'MPW_ALARM_EMAIL',
    type: 'string',
    hint: 'an e-mail address such as ops@example.com',
    // As SNS accepts for an email subscription: something@domain.tld, no spaces.
    rules: [
      pattern(
        '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
        'The alarm_email must be null or an e-mail address such as ops@example.com.',
      ),
    ],
    module: {
      name: 'alarm_email',
      description:
        'An e-mail address to subscribe to the alarm topic (SNS asks it to confirm); null for no subscription',
    },
    docs: {
      allowed: 'An e-mail address to subscribe to the alarm topic; SNS sends it a confirmation link',
      default: 'none (no subscription)',
    },
  },
  alarmPeriodSeconds: {
    key: 'alarmPeriodSeconds',
    env: 'MPW_ALARM_PERIOD_SECONDS',
    type: 'number',
    hint: 'a multiple of 60 from 60 to 86400',
    default: fixed(300),
    // CloudWatch alarms on these 1-minute metrics take a period of a whole number of minutes, up to a day.
    rules: [
      {
        accepts: (value) => value >= 60 && value <= 86400 && value % 60 === 0,
        condition: (v) => `${v} >= 60 && ${v} <= 86400 && ${v} % 60 == 0`,
        errorMessage: 'The alarm_period_seconds must be a multiple of 60 from 60 to 86400.',
      },
    ],
    module: {
      name: 'alarm_period_seconds',
      description: 'The period every alarm evaluates its metric over, in seconds',
    },
    docs: { allowed: 'A multiple of 60 from 60 to 86400: the period each alarm evaluates' },
  },
  lambdaDurationAlarmPercent: {
    key: 'lambdaDurationAlarmPercent',
    env: 'MPW_LAMBDA_DURATION_ALARM_PERCENT',
    type: 'number',
    hint: 'a whole number from 1 to 100',
    default: fixed(80),
    rules: [wholeNumber(1, 100)],
    module: {
      name: 'lambda_duration_alarm_percent',
      description: "The share of the functions' timeout, in percent, above which a function's longest duration alarms",
    },
    docs: { allowed: 'A whole number from 1 to 100: the share of the timeout a call must reach to alarm' },
  },
  synthesizeModule: {
    key: 'synthesizeModule',
    env: 'MPW_SYNTHESIZE_MODULE',
    type: 'boolean',
    hint: 'true or false',
    default: fixed(false),
    docs: {
      allowed:
        '`true` or `false`; `true` also synthesizes the module stack ([Synthesize](local-runtime.md#synthesize))',
    },
  },
};

const env = (key: PlainSettingKey): string => SETTINGS[key].env;
const expressLargestTimeout = largestFunctionTimeoutSeconds('EXPRESS');

/** The rules that involve two settings, in the order the loader checks them. */
export const CROSS_RULES: readonly CrossRule[] = [
  {
    accepts: (c) => c.lambdaTimeoutSeconds <= largestFunctionTimeoutSeconds(c.workflowType),
    message: (c) =>
      `Invalid settings "lambdaTimeoutSeconds" and "workflowType": an ${c.workflowType} execution ends after ` +
      `${EXPRESS_MAX_EXECUTION_SECONDS} s and each of its Tasks keeps ${invocationsPerTaskOf(c.workflowType)} invocations for transient errors; ` +
      `with lambdaTimeoutSeconds ${c.lambdaTimeoutSeconds} the workflow's slowest path needs ` +
      `${executionTimeoutSeconds(c.workflowType, c.lambdaTimeoutSeconds)} s; the largest lambdaTimeoutSeconds that fits is ` +
      `${largestFunctionTimeoutSeconds(c.workflowType)}. Fix: set ${env('lambdaTimeoutSeconds')} to ${largestFunctionTimeoutSeconds(c.workflowType)} ` +
      `or less (unset, ${c.workflowType} uses ${FUNCTION_TIMEOUT_SECONDS.EXPRESS}), or ${env('workflowType')} to STANDARD.`,
    module: {
      variable: 'lambdaTimeoutSeconds',
      // Null is tested first with ?:, as in the null guard of every nullable variable's rules.
      condition: (v) =>
        `${v.workflowType} != "EXPRESS" || (${v.lambdaTimeoutSeconds} == null ? true : ${v.lambdaTimeoutSeconds} <= ${expressLargestTimeout})`,
      errorMessage:
        `With workflow_type EXPRESS, whose executions end after ${EXPRESS_MAX_EXECUTION_SECONDS} s and whose Tasks keep ` +
        `${invocationsPerTaskOf('EXPRESS')} invocations each for transient errors, the lambda_timeout_seconds must be at most ` +
        `${expressLargestTimeout}, the largest for which the slowest path fits: set it to ${expressLargestTimeout} or less, or to null ` +
        `(${FUNCTION_TIMEOUT_SECONDS.EXPRESS} s for EXPRESS); or set workflow_type to STANDARD.`,
    },
  },
  {
    // CloudWatch alarms notify a topic in their own region only; a module cannot know its region.
    accepts: (c) => c.alarmTopicArn === undefined || c.alarmTopicArn.split(':')[3] === c.region,
    message: (c) =>
      `Invalid settings "alarmTopicArn" and "region": CloudWatch alarms notify a topic in their own region only, ` +
      `received a topic in ${c.alarmTopicArn?.split(':')[3]} for region ${c.region}. Fix: set ${env('alarmTopicArn')} to a topic in ${c.region}.`,
  },
  ...(['alarmTopicArn', 'alarmEmail'] as const).map(
    (name): CrossRule => ({
      accepts: (c) => c.alarms || c[name] === undefined,
      message: () =>
        `Invalid settings "alarms" and "${name}": ${name} has no effect while alarms is false. ` +
        `Fix: unset ${env(name)}, or set ${env('alarms')} to true.`,
      module: {
        variable: name,
        condition: (v) => `${v[name]} == null || ${v.alarms}`,
        errorMessage:
          `The ${SETTINGS[name].module?.name} has no effect while ${SETTINGS.alarms.module?.name} is false: ` +
          `set it to null, or ${SETTINGS.alarms.module?.name} to true.`,
      },
    }),
  ),
  {
    accepts: (c) => c.kmsKeyArn === undefined || c.kmsKeyArn.split(':')[3] === c.region,
    message: (c) =>
      `Invalid settings "kmsKeyArn" and "region": the key must be in the region the resources are deployed to, ` +
      `received a key in ${c.kmsKeyArn?.split(':')[3]} for region ${c.region}. Fix: set ${env('kmsKeyArn')} to a key in ${c.region}, ` +
      `or ${env('region')} to ${c.kmsKeyArn?.split(':')[3]}.`,
  },
  {
    accepts: (c) => c.namePrefix.length + c.tableName.length <= TABLE_NAME_MAX_LENGTH,
    message: (c) =>
      `Invalid settings "namePrefix" and "tableName": together they name the table, which DynamoDB limits to ${TABLE_NAME_MAX_LENGTH} characters, ` +
      `received ${c.namePrefix.length + c.tableName.length}. Fix: shorten ${env('tableName')} or ${env('namePrefix')}.`,
    module: {
      variable: 'tableName',
      condition: (v) => `length(${v.namePrefix}) + length(${v.tableName}) <= ${TABLE_NAME_MAX_LENGTH}`,
      errorMessage: `The name_prefix and table_name together name the table, which DynamoDB limits to ${TABLE_NAME_MAX_LENGTH} characters.`,
    },
  },
];

/** A setting and the configuration key it sets. */
export interface SettingEntry {
  readonly name: keyof WorkflowConfig;
  readonly setting: Setting<unknown>;
}

/** Every setting with its configuration key (`backend` for each backend field), in the registry's order. */
export function allSettings(): SettingEntry[] {
  return (Object.keys(SETTINGS) as (keyof WorkflowConfig)[]).flatMap((name): SettingEntry[] => {
    if (name !== 'backend') return [{ name, setting: SETTINGS[name] as Setting<unknown> }];
    const backend = SETTINGS.backend;
    const fields = Object.values(backend.fields).flatMap((byField) => Object.values(byField) as Setting<unknown>[]);
    return [backend.type as Setting<unknown>, ...fields].map((setting) => ({ name, setting }));
  });
}

/** A setting that is a module variable. */
export interface ModuleSettingEntry {
  readonly name: PlainSettingKey;
  readonly setting: Setting<unknown>;
  readonly module: NonNullable<Setting<unknown>['module']>;
}

/** The settings that are module variables, in the registry's order. */
export function moduleSettings(): ModuleSettingEntry[] {
  return allSettings().flatMap(({ name, setting }): ModuleSettingEntry[] =>
    name === 'backend' || setting.module === undefined ? [] : [{ name, setting, module: setting.module }],
  );
}

/** A setting's default for a workflow type; undefined for a setting that stays unset. */
export function defaultOf<T>(setting: Setting<T>, workflowType: WorkflowType, config?: WorkflowConfig): T | undefined {
  const found = setting.default;
  if (found === undefined) return undefined;
  if (found.kind === 'fixed') return found.value;
  if (found.kind === 'perWorkflowType') return found.values[workflowType];
  if (config === undefined)
    throw new Error(`the default of ${setting.key} is derived from the other settings, which were not given`);
  return found.of(config);
}

/** The configuration with nothing set, for a workflow type. */
export function defaultConfig(workflowType: WorkflowType): WorkflowConfig {
  const entries = (Object.keys(SETTINGS) as (keyof WorkflowConfig)[]).flatMap((name) => {
    const value =
      name === 'backend'
        ? {
            type: defaultOf(SETTINGS.backend.type, workflowType),
            path: defaultOf(SETTINGS.backend.fields.local.path, workflowType),
          }
        : defaultOf(SETTINGS[name] as Setting<unknown>, workflowType);
    return value === undefined ? [] : [[name, value] as const];
  });
  return Object.fromEntries(entries) as unknown as WorkflowConfig;
}

/** The defaults of a STANDARD workflow, nothing set. */
export const DEFAULT_CONFIG: WorkflowConfig = defaultConfig('STANDARD');
