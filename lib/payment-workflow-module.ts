import { Construct } from 'constructs';
import {
  Aspects,
  conditional,
  Fn,
  Op,
  TerraformLocal,
  TerraformStack,
  TerraformVariable,
  TerraformVariableConfig,
  TerraformVariableValidationConfig,
  Token,
  VariableType,
} from 'cdktf';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  DEFAULT_CONFIG,
  EXPRESS_DEFAULT_LAMBDA_TIMEOUT_SECONDS,
  EXPRESS_DEFAULT_LOG_LEVEL,
  LOG_RETENTION_DAYS,
  STATE_MACHINE_LOG_LEVELS,
  StateMachineLogLevel,
  WORKFLOW_TYPES,
  WorkflowType,
} from './config';
import { EXPRESS_MAX_EXECUTION_SECONDS, invocationsPerTaskOf, largestFunctionTimeoutSeconds } from './timeout-budget';
import { PaymentWorkflow, PaymentWorkflowProps } from './payment-workflow';
import { STATE_MACHINE_NAME } from '../workflow/steps';
import { addMonitoringOutputs, addWorkflowOutputs } from './payment-workflow-stack';
import { NoBackend, RequiredProvider, TagResources } from './terraform-module';
import { WorkflowMonitoring } from './workflow-monitoring';

/** Name of the module stack: its folder under cdktf.out/stacks. */
export const MODULE_STACK_NAME = 'mock-payment-workflow-module';

/**
 * The Terraform versions the module works with. 1.9 is the first to let a variable's validation read
 * another variable (the table name's length check reads the prefix).
 */
export const MODULE_TERRAFORM_VERSION = '>= 1.9.0';

/**
 * The providers the module needs, as ranges: a module pins no exact version, so that it can share a
 * root with other modules. The lower bounds are the versions the npm bindings were generated for
 * (`@cdktf/provider-aws` 21.22.1 is hashicorp/aws 6.25.0); a major release may break the schema.
 */
export const MODULE_PROVIDERS = {
  aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' },
  archive: { source: 'hashicorp/archive', version: '>= 2.7.1, < 3.0.0' },
} as const;

/** Tags the module puts on every taggable resource, under the caller's `tags`. */
export const MODULE_TAGS = { project: 'mock-payment-workflow' } as const;

/**
 * Where the module writes the functions' zips at plan time, below the calling root: Terraform advises
 * never to write into `path.module`, which may be a shared or read-only copy of the module, and which
 * every instance of a module from a local path shares. One folder per state machine name, so two
 * instances in one root (different name prefixes) never write the same file.
 *
 * @see https://developer.hashicorp.com/terraform/language/expressions/references#filesystem-and-workspace-info
 */
export const MODULE_ARCHIVE_ROOT = '${path.root}/.terraform/archives';

/** The constraints of the inputs: the same as the cdktf settings' in `lib/config.ts`. */
export const MODULE_INPUT_RULES = {
  namePrefixPattern: '^[A-Za-z0-9-]{0,20}$',
  tableNamePattern: '^[A-Za-z0-9_.-]{3,255}$',
  /** A KMS key ARN (not an alias), as `kmsKeyArn` in lib/config.ts. */
  kmsKeyArnPattern:
    '^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$',
  /** DynamoDB's limit on a table name, which is the prefix and the table name together. */
  tableNameMaxLength: 255,
  lambdaMemoryMb: { min: 128, max: 10240 },
  lambdaTimeoutSeconds: { min: 1, max: 900 },
  lambdaReservedConcurrency: { min: 1, max: 10000 },
  lambdaDurationAlarmPercent: { min: 1, max: 100 },
  alarmPeriodSeconds: { min: 60, max: 86400, multipleOf: 60 },
  /** An SNS topic ARN (not a FIFO topic), as `alarmTopicArn` in lib/config.ts. */
  snsTopicArnPattern: '^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:[A-Za-z0-9_-]{1,256}$',
  /** An e-mail address, as `alarmEmail` in lib/config.ts. */
  emailPattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
  /** AWS limits on a tag. */
  tagKeyMaxLength: 128,
  tagValueMaxLength: 256,
} as const;

/** The module's input variables. */
export interface PaymentWorkflowModuleVariables {
  readonly namePrefix: TerraformVariable;
  readonly tableName: TerraformVariable;
  readonly logRetentionDays: TerraformVariable;
  readonly lambdaMemoryMb: TerraformVariable;
  readonly lambdaTimeoutSeconds: TerraformVariable;
  readonly lambdaReservedConcurrency: TerraformVariable;
  readonly deletionProtection: TerraformVariable;
  readonly stateMachineLogLevel: TerraformVariable;
  readonly stateMachineLogExecutionData: TerraformVariable;
  readonly workflowType: TerraformVariable;
  readonly tags: TerraformVariable;
  readonly kmsKeyArn: TerraformVariable;
  readonly alarmsEnabled: TerraformVariable;
  readonly alarmTopicArn: TerraformVariable;
  readonly alarmEmail: TerraformVariable;
  readonly alarmPeriodSeconds: TerraformVariable;
  readonly lambdaDurationAlarmPercent: TerraformVariable;
}

/** Every property of `T`, each to be stated, though an optional one may be stated as `undefined`. */
type EveryProperty<T> = { [K in keyof Required<T>]: T[K] };

/**
 * The workflow as a reusable Terraform module: the same {@link PaymentWorkflow} construct and outputs as
 * the deployable stack, its settings taken from input variables, no provider configuration and no
 * backend. `npm run module` (scripts/build-module.ts) turns its folder into a publishable module.
 *
 * Paths in it are relative: the bundles are read from `${path.module}/assets/...` and the zips are
 * written below the calling root ({@link MODULE_ARCHIVE_ROOT}), so the folder works wherever it is copied.
 */
export class PaymentWorkflowModuleStack extends TerraformStack {
  /** The workflow's resources. */
  public readonly workflow: PaymentWorkflow;
  /** The alarms, their topic and the dashboard, each created `alarms_enabled ? 1 : 0` times. */
  public readonly monitoring: WorkflowMonitoring;
  /** The input variables. */
  public readonly variables: PaymentWorkflowModuleVariables;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new RequiredProvider(this, 'aws', { name: AwsProvider.tfResourceType, ...MODULE_PROVIDERS.aws });
    new RequiredProvider(this, 'archive', { name: ArchiveProvider.tfResourceType, ...MODULE_PROVIDERS.archive });
    new NoBackend(this);
    this.addOverride('terraform.required_version', MODULE_TERRAFORM_VERSION);

    this.variables = defineVariables(this);
    const vars = this.variables;
    // EveryProperty: a property added to the construct fails the type check here until the module decides on it.
    const isExpress = Op.eq(vars.workflowType.stringValue, 'EXPRESS');
    // Null picks the type's default, as the configuration does: 3 s for EXPRESS, 10 s for STANDARD.
    const functionTimeoutSeconds = Token.asNumber(
      Fn.coalesce([
        vars.lambdaTimeoutSeconds.numberValue,
        conditional(isExpress, EXPRESS_DEFAULT_LAMBDA_TIMEOUT_SECONDS, DEFAULT_CONFIG.lambdaTimeoutSeconds),
      ]),
    );
    const props: EveryProperty<PaymentWorkflowProps> = {
      namePrefix: vars.namePrefix.stringValue,
      tableName: vars.tableName.stringValue,
      logRetentionDays: vars.logRetentionDays.numberValue,
      lambdaMemoryMb: vars.lambdaMemoryMb.numberValue,
      lambdaTimeoutSeconds: functionTimeoutSeconds,
      lambdaReservedConcurrency: vars.lambdaReservedConcurrency.numberValue,
      deletionProtection: booleanOf(vars.deletionProtection),
      // Null picks the type's default: ALL for EXPRESS, whose only history is its log; ERROR for STANDARD.
      stateMachineLogLevel: Fn.coalesce([
        vars.stateMachineLogLevel.stringValue,
        conditional(isExpress, EXPRESS_DEFAULT_LOG_LEVEL, DEFAULT_CONFIG.stateMachineLogLevel),
      ]) as StateMachineLogLevel,
      workflowType: vars.workflowType.stringValue as WorkflowType,
      stateMachineLogExecutionData: booleanOf(vars.stateMachineLogExecutionData),
      kmsKeyArn: vars.kmsKeyArn.stringValue,
      // The input may be null: the construct decides with conditional expressions, not at synth.
      kmsKeyMayBeNull: true,
      archiveDir: `${MODULE_ARCHIVE_ROOT}/${vars.namePrefix.stringValue}${STATE_MACHINE_NAME}`,
    };
    this.workflow = new PaymentWorkflow(this, 'payment-workflow', props);
    const resourceTags = new TerraformLocal(this, 'resource_tags', Fn.merge([MODULE_TAGS, vars.tags.value]));
    Aspects.of(this).add(new TagResources(resourceTags.asStringMap));
    addWorkflowOutputs(this, this.workflow, vars.workflowType.stringValue as WorkflowType);
    const enabled = vars.alarmsEnabled.booleanValue;
    this.monitoring = new WorkflowMonitoring(this, 'monitoring', {
      workflow: this.workflow,
      namePrefix: vars.namePrefix.stringValue,
      topicArn: vars.alarmTopicArn.stringValue,
      topicArnMayBeNull: true,
      email: vars.alarmEmail.stringValue,
      emailMayBeNull: true,
      periodSeconds: vars.alarmPeriodSeconds.numberValue,
      durationAlarmPercent: vars.lambdaDurationAlarmPercent.numberValue,
      lambdaTimeoutSeconds: functionTimeoutSeconds,
      kmsKeyArn: vars.kmsKeyArn.stringValue,
      workflowType: vars.workflowType.stringValue as WorkflowType,
      enabled: enabled as unknown as boolean,
    });
    addMonitoringOutputs(this, this.workflow, this.monitoring.topicArn, this.monitoring.dashboardName, enabled as unknown as boolean);
  }
}

function defineVariables(stack: TerraformStack): PaymentWorkflowModuleVariables {
  const rules = MODULE_INPUT_RULES;
  // In a scope of their own: an output may have a variable's name (table_name), a construct id may not.
  const scope = new Construct(stack, 'variables');
  const variable = (name: string, config: TerraformVariableConfig): TerraformVariable => {
    const { default: defaultValue, ...rest } = config;
    // cdktf cannot render a null default (it snake-cases the keys of every object, null included).
    const created = new TerraformVariable(scope, name, defaultValue === null ? rest : config);
    if (defaultValue === null) created.addOverride('default', null);
    created.overrideLogicalId(name);
    return created;
  };
  const namePrefix = variable('name_prefix', {
    type: VariableType.STRING,
    default: DEFAULT_CONFIG.namePrefix,
    nullable: false,
    description: 'Prefix of every resource name, so that two copies can live in one account; empty for the default names',
    validation: [
      {
        condition: matches('name_prefix', rules.namePrefixPattern),
        errorMessage: 'The name_prefix must be empty or up to 20 of a-z A-Z 0-9 and -, such as "dev-".',
      },
    ],
  });
  const tableName = variable('table_name', {
    type: VariableType.STRING,
    default: DEFAULT_CONFIG.tableName,
    nullable: false,
    description: 'Name of the DynamoDB orders table, before the name prefix',
    validation: [
      {
        condition: matches('table_name', rules.tableNamePattern),
        errorMessage: 'The table_name must be 3 to 255 of a-z A-Z 0-9 _ . and -.',
      },
      {
        condition: `\${length(var.name_prefix) + length(var.table_name) <= ${rules.tableNameMaxLength}}`,
        errorMessage: `The name_prefix and table_name together name the table, which DynamoDB limits to ${rules.tableNameMaxLength} characters.`,
      },
    ],
  });
  const logRetentionDays = variable('log_retention_days', {
    type: VariableType.NUMBER,
    default: DEFAULT_CONFIG.logRetentionDays,
    nullable: false,
    description: 'Retention of every CloudWatch log group (functions and state machine), in days',
    validation: [
      {
        condition: `\${contains([${LOG_RETENTION_DAYS.join(', ')}], var.log_retention_days)}`,
        errorMessage: `The log_retention_days must be a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}.`,
      },
    ],
  });
  const lambdaMemoryMb = variable('lambda_memory_mb', {
    type: VariableType.NUMBER,
    default: DEFAULT_CONFIG.lambdaMemoryMb,
    nullable: false,
    description: 'Memory of each Lambda function, in MB',
    validation: [wholeNumberBetween('lambda_memory_mb', rules.lambdaMemoryMb)],
  });
  const expressLargestTimeout = largestFunctionTimeoutSeconds('EXPRESS');
  const lambdaTimeoutSeconds = variable('lambda_timeout_seconds', {
    type: VariableType.NUMBER,
    default: null,
    nullable: true,
    description:
      `Timeout of each Lambda function, in seconds; null for ${DEFAULT_CONFIG.lambdaTimeoutSeconds} (STANDARD) or ` +
      `${EXPRESS_DEFAULT_LAMBDA_TIMEOUT_SECONDS} (EXPRESS, whose 5 minutes must hold every attempt of every Task)`,
    validation: [
      wholeNumberBetween('lambda_timeout_seconds', rules.lambdaTimeoutSeconds, { orNull: true }),
      {
        // Terraform 1.9 and later let a validation read another variable; null is tested first with ?:, as in wholeNumberBetween.
        condition:
          `\${var.workflow_type != "EXPRESS" || (var.lambda_timeout_seconds == null ? true : ` +
          `var.lambda_timeout_seconds <= ${expressLargestTimeout})}`,
        errorMessage:
          `With workflow_type EXPRESS, whose executions end after ${EXPRESS_MAX_EXECUTION_SECONDS} s and whose Tasks keep ` +
          `${invocationsPerTaskOf('EXPRESS')} invocations each for transient errors, the lambda_timeout_seconds must be at most ` +
          `${expressLargestTimeout}, the largest for which the slowest path fits: set it to ${expressLargestTimeout} or less, or to null ` +
          `(${EXPRESS_DEFAULT_LAMBDA_TIMEOUT_SECONDS} s for EXPRESS); or set workflow_type to STANDARD.`,
      },
    ],
  });
  const workflowType = variable('workflow_type', {
    type: VariableType.STRING,
    default: DEFAULT_CONFIG.workflowType,
    nullable: false,
    description:
      'STANDARD (exactly-once, redrive, history kept by Step Functions) or EXPRESS (at-least-once, 5 minutes at most, ' +
      'billed by request and duration, history in the log group only); changing it replaces the state machine',
    validation: [
      {
        condition: `\${contains(${JSON.stringify(WORKFLOW_TYPES)}, var.workflow_type)}`,
        errorMessage: `The workflow_type must be one of ${WORKFLOW_TYPES.join(', ')}.`,
      },
    ],
  });
  const lambdaReservedConcurrency = variable('lambda_reserved_concurrency', {
    type: VariableType.NUMBER,
    default: null,
    nullable: true,
    description: "Concurrent executions reserved for each Lambda function; null for none (the account's unreserved pool)",
    validation: [wholeNumberBetween('lambda_reserved_concurrency', rules.lambdaReservedConcurrency, { orNull: true })],
  });
  const deletionProtection = variable('deletion_protection', {
    type: VariableType.BOOL,
    default: DEFAULT_CONFIG.deletionProtection,
    nullable: false,
    description: 'Whether DynamoDB refuses to delete the orders table; set false and apply before a destroy',
  });
  const stateMachineLogLevel = variable('state_machine_log_level', {
    type: VariableType.STRING,
    default: null,
    nullable: true,
    description:
      'What the state machine logs to its log group: ALL events, ERROR events or FATAL events only; ' +
      `null for ${DEFAULT_CONFIG.stateMachineLogLevel} (STANDARD) or ${EXPRESS_DEFAULT_LOG_LEVEL} (EXPRESS, whose only history is its log)`,
    validation: [
      {
        condition: `\${var.state_machine_log_level == null ? true : contains(${JSON.stringify(STATE_MACHINE_LOG_LEVELS)}, var.state_machine_log_level)}`,
        errorMessage: `The state_machine_log_level must be null or one of ${STATE_MACHINE_LOG_LEVELS.join(', ')}.`,
      },
    ],
  });
  const stateMachineLogExecutionData = variable('state_machine_log_execution_data', {
    type: VariableType.BOOL,
    default: DEFAULT_CONFIG.stateMachineLogExecutionData,
    nullable: false,
    description: "Whether the state machine's log events include execution data (the states' inputs and outputs, so order ids)",
  });
  const tags = variable('tags', {
    type: VariableType.MAP_STRING,
    default: DEFAULT_CONFIG.tags,
    nullable: false,
    description: `Tags on every taggable resource, merged over the module's own ${Object.entries(MODULE_TAGS).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    validation: [
      {
        condition:
          `\${alltrue([for key, value in var.tags : length(key) >= 1 && length(key) <= ${rules.tagKeyMaxLength} ` +
          `&& length(value) <= ${rules.tagValueMaxLength} && !startswith(lower(key), "aws:")])}`,
        errorMessage:
          `Each tag key must be 1 to ${rules.tagKeyMaxLength} characters and not start with "aws:", ` +
          `and each value at most ${rules.tagValueMaxLength} characters.`,
      },
    ],
  });
  const kmsKeyArn = variable('kms_key_arn', {
    type: VariableType.STRING,
    default: null,
    nullable: true,
    description:
      'ARN of a customer managed KMS key in the same region that encrypts the table, the functions\' environment, ' +
      'the log groups and the state machine; null for AWS owned and AWS managed keys. Its key policy must let ' +
      'DynamoDB, Lambda, CloudWatch Logs and Step Functions use it',
    validation: [
      {
        condition: `\${var.kms_key_arn == null ? true : can(regex(${JSON.stringify(rules.kmsKeyArnPattern)}, var.kms_key_arn))}`,
        errorMessage: 'The kms_key_arn must be null or a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<id> (not an alias).',
      },
    ],
  });
  const alarmsEnabled = variable('alarms_enabled', {
    type: VariableType.BOOL,
    default: DEFAULT_CONFIG.alarms,
    nullable: false,
    description: 'Whether the CloudWatch alarms, their SNS topic and the dashboard are created',
  });
  const alarmTopicArn = variable('alarm_topic_arn', {
    type: VariableType.STRING,
    default: null,
    nullable: true,
    description: 'ARN of an existing SNS topic in the same region for the alarms to notify; null for a topic of the module\'s own',
    validation: [
      {
        condition: `\${var.alarm_topic_arn == null ? true : can(regex(${JSON.stringify(rules.snsTopicArnPattern)}, var.alarm_topic_arn))}`,
        errorMessage: 'The alarm_topic_arn must be null or an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms.',
      },
      {
        condition: '${var.alarm_topic_arn == null || var.alarms_enabled}',
        errorMessage: 'The alarm_topic_arn has no effect while alarms_enabled is false: set it to null, or alarms_enabled to true.',
      },
    ],
  });
  const alarmEmail = variable('alarm_email', {
    type: VariableType.STRING,
    default: null,
    nullable: true,
    description: 'An e-mail address to subscribe to the alarm topic (SNS asks it to confirm); null for no subscription',
    validation: [
      {
        condition: `\${var.alarm_email == null ? true : can(regex(${JSON.stringify(rules.emailPattern)}, var.alarm_email))}`,
        errorMessage: 'The alarm_email must be null or an e-mail address such as ops@example.com.',
      },
      {
        condition: '${var.alarm_email == null || var.alarms_enabled}',
        errorMessage: 'The alarm_email has no effect while alarms_enabled is false: set it to null, or alarms_enabled to true.',
      },
    ],
  });
  const alarmPeriodSeconds = variable('alarm_period_seconds', {
    type: VariableType.NUMBER,
    default: DEFAULT_CONFIG.alarmPeriodSeconds,
    nullable: false,
    description: 'The period every alarm evaluates its metric over, in seconds',
    validation: [
      {
        condition:
          `\${var.alarm_period_seconds >= ${rules.alarmPeriodSeconds.min} && var.alarm_period_seconds <= ${rules.alarmPeriodSeconds.max} ` +
          `&& var.alarm_period_seconds % ${rules.alarmPeriodSeconds.multipleOf} == 0}`,
        errorMessage: `The alarm_period_seconds must be a multiple of ${rules.alarmPeriodSeconds.multipleOf} from ${rules.alarmPeriodSeconds.min} to ${rules.alarmPeriodSeconds.max}.`,
      },
    ],
  });
  const lambdaDurationAlarmPercent = variable('lambda_duration_alarm_percent', {
    type: VariableType.NUMBER,
    default: DEFAULT_CONFIG.lambdaDurationAlarmPercent,
    nullable: false,
    description: "The share of the functions' timeout, in percent, above which a function's longest duration alarms",
    validation: [wholeNumberBetween('lambda_duration_alarm_percent', rules.lambdaDurationAlarmPercent)],
  });
  return {
    alarmsEnabled,
    alarmTopicArn,
    alarmEmail,
    alarmPeriodSeconds,
    lambdaDurationAlarmPercent,
    namePrefix,
    tableName,
    logRetentionDays,
    lambdaMemoryMb,
    lambdaTimeoutSeconds,
    lambdaReservedConcurrency,
    deletionProtection,
    stateMachineLogLevel,
    stateMachineLogExecutionData,
    workflowType,
    tags,
    kmsKeyArn,
  };
}

/** A condition that `var.<name>` matches an RE2 pattern (free of `${` and `%{`, so it needs no template escaping). */
function matches(name: string, pattern: string): string {
  return `\${can(regex(${JSON.stringify(pattern)}, var.${name}))}`;
}

/**
 * A validation that `var.<name>` is a whole number in a range (or null, if `orNull`). The null test is a
 * conditional, not `||`: Terraform's logical operators evaluate both sides, and `null >= 1` is an error.
 */
function wholeNumberBetween(
  name: string,
  range: { readonly min: number; readonly max: number },
  options: { readonly orNull?: boolean } = {},
): TerraformVariableValidationConfig {
  const inRange = `var.${name} == floor(var.${name}) && var.${name} >= ${range.min} && var.${name} <= ${range.max}`;
  return {
    condition: options.orNull ? `\${var.${name} == null ? true : (${inRange})}` : `\${${inRange}}`,
    errorMessage: `The ${name} must be ${options.orNull ? 'null or ' : ''}a whole number from ${range.min} to ${range.max}.`,
  };
}

/**
 * A boolean variable for a construct's boolean property. cdktf has no boolean token, so this is the
 * variable's reference object; the construct passes it through into the resource untouched.
 */
function booleanOf(variable: TerraformVariable): boolean {
  return variable.booleanValue as unknown as boolean;
}
