/**
 * What a configuration of the workflow is: its settings and their types, and the error a bad one
 * raises. Each setting's key, variable, default and rules are declared once in `settings.ts`; reading
 * them is `load-config.ts`, which only the app's entry point and its own tests import.
 */

/** Where Terraform keeps state. */
export type BackendConfig =
  | { readonly type: 'local'; readonly path: string }
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      readonly kmsKeyId?: string;
    }
  | { readonly type: 'cloud'; readonly organization: string; readonly workspace: string; readonly hostname?: string };

/** The validated configuration of one deployment of the workflow. */
export interface WorkflowConfig {
  /** AWS region to deploy to. */
  readonly region: string;
  /** Prefix added to every resource name, so two copies can live in one account. Empty for none. */
  readonly namePrefix: string;
  /** DynamoDB table name, before the prefix (the seed's `OrdersTableName`). */
  readonly tableName: string;
  /** Retention of every CloudWatch log group, in days. */
  readonly logRetentionDays: number;
  /** Memory of each Lambda function, in MB. */
  readonly lambdaMemoryMb: number;
  /** Timeout of each Lambda function, in seconds. */
  readonly lambdaTimeoutSeconds: number;
  /** Extra tags on every resource, beside `project` and `managed-by`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Terraform state backend. */
  readonly backend: BackendConfig;
  /**
   * ARN of a customer managed KMS key, in `region`, that encrypts the table, the functions' environment
   * variables, every log group and the state machine. Unset: AWS owned and AWS managed keys.
   */
  readonly kmsKeyArn?: string;
  /** Whether DynamoDB refuses to delete the orders table (turn it off and deploy before a destroy). */
  readonly deletionProtection: boolean;
  /** Concurrent executions reserved for each function. Unset: no reservation (the account's shared pool). */
  readonly lambdaReservedConcurrency?: number;
  /** What the state machine logs: `ALL` events, `ERROR` events or `FATAL` events only. */
  readonly stateMachineLogLevel: StateMachineLogLevel;
  /** Whether the state machine's log events include execution data (inputs and outputs, so order ids). */
  readonly stateMachineLogExecutionData: boolean;
  /**
   * The state machine's type: `STANDARD` (exactly-once, up to a year, redrive, history kept 90 days) or
   * `EXPRESS` (at-least-once, 5 minutes at most, billed by request and duration, history in CloudWatch Logs only).
   */
  readonly workflowType: WorkflowType;
  /** Whether CloudWatch alarms, their SNS topic and the dashboard are created. */
  readonly alarms: boolean;
  /**
   * ARN of an existing SNS topic, in `region`, that the alarms notify. Unset: the stack creates one,
   * encrypted with `kmsKeyArn` when that is set.
   */
  readonly alarmTopicArn?: string;
  /** An e-mail address subscribed to the alarm topic. Unset: no subscription. */
  readonly alarmEmail?: string;
  /** The period each alarm evaluates its metric over, in seconds (one period, threshold reached once). */
  readonly alarmPeriodSeconds: number;
  /** The share of the functions' timeout, in percent, above which a function's longest duration alarms. */
  readonly lambdaDurationAlarmPercent: number;
  /**
   * Whether the app also synthesizes the module stack beside the deployable one. Off, cdktf's commands
   * see one stack and need no stack name; `npm run module` builds the module either way.
   */
  readonly synthesizeModule: boolean;
}

/** The log levels a state machine may log at; `OFF` is not offered, the state machine always logs. */
export const STATE_MACHINE_LOG_LEVELS = ['ALL', 'ERROR', 'FATAL'] as const;

/** A state machine log level. */
export type StateMachineLogLevel = (typeof STATE_MACHINE_LOG_LEVELS)[number];

/** The state machine types Step Functions offers. */
export const WORKFLOW_TYPES = ['STANDARD', 'EXPRESS'] as const;

/** A state machine type. */
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

/**
 * The defaults that depend on the workflow type, read by the registry (`settings.ts`) and by the
 * construct for its own props' defaults. An EXPRESS workflow keeps no execution history of its own, so
 * only `ALL` logs which states ran (execution data stays out either way); and its function timeout is
 * Lambda's own default, since every second of it is paid for by each of the many attempts an Express
 * Task keeps within its 5 minutes (lib/timeout-budget.ts).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
 */
export const WORKFLOW_TYPE_DEFAULTS: {
  readonly lambdaTimeoutSeconds: Readonly<Record<WorkflowType, number>>;
  readonly stateMachineLogLevel: Readonly<Record<WorkflowType, StateMachineLogLevel>>;
} = {
  lambdaTimeoutSeconds: { STANDARD: 10, EXPRESS: 3 },
  stateMachineLogLevel: { STANDARD: 'ERROR', EXPRESS: 'ALL' },
};

/** A setting is missing, malformed or out of range. Raised at synth, before anything is written. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
