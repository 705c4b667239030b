import type { Construct } from 'constructs';
import { App, conditional, Op, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { configureBackend } from './backend';
import type { WorkflowConfig, WorkflowType } from './config';
import { PaymentWorkflow, type PaymentWorkflowProps } from './payment-workflow';
import { WorkflowMonitoring, type WorkflowMonitoringProps } from './workflow-monitoring';

/** Name of the deployable stack: its folder under cdktf.out/stacks and its default state file. */
export const STACK_NAME = 'mock-payment-workflow';

/** Tags every resource carries through the provider's `default_tags`. */
export const DEFAULT_TAGS = { project: 'mock-payment-workflow', 'managed-by': 'cdktf' } as const;

/**
 * The props of a construct that carry a setting, named as in the configuration, each required: a
 * setting left out of the stack's pass-through fails tsc rather than leaving the construct on its default.
 */
export type SettingsOf<P> = { readonly [K in keyof P & keyof WorkflowConfig]-?: WorkflowConfig[K] };

/**
 * The settings that no construct takes as a prop of the same name, each with what reads it. Keyed by
 * every other setting: a new one fails tsc here until it is a prop of a construct (and then
 * {@link SettingsOf} makes the stack pass it) or it is named here with its reader.
 */
export const SETTINGS_READ_OUTSIDE_THE_CONSTRUCTS: {
  readonly [K in Exclude<keyof WorkflowConfig, keyof PaymentWorkflowProps | keyof WorkflowMonitoringProps>]-?: string;
} = {
  region: "the AWS provider's region",
  tags: "the AWS provider's default tags",
  backend: 'the state backend (lib/backend.ts)',
  alarms: 'whether the stack builds the monitoring',
  synthesizeModule: 'whether main.ts adds the module stack',
};

/** Properties of a {@link PaymentWorkflowStack}. */
export interface PaymentWorkflowStackProps {
  /** The validated configuration (see `lib/config.ts`). */
  readonly config: WorkflowConfig;
}

/** The deployable stack: providers, state backend, the workflow and its outputs. */
export class PaymentWorkflowStack extends TerraformStack {
  /** The workflow's resources. */
  public readonly workflow: PaymentWorkflow;
  /** The alarms, their topic and the dashboard; undefined when the `alarms` setting is false. */
  public readonly monitoring?: WorkflowMonitoring;

  constructor(scope: Construct, id: string, props: PaymentWorkflowStackProps) {
    super(scope, id);
    const { config } = props;
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { ...config.tags, ...DEFAULT_TAGS } }],
    });
    new ArchiveProvider(this, 'archive');
    configureBackend(this, config.backend, App.of(this).outdir);

    const workflowSettings: SettingsOf<PaymentWorkflowProps> = {
      namePrefix: config.namePrefix,
      tableName: config.tableName,
      logRetentionDays: config.logRetentionDays,
      lambdaMemoryMb: config.lambdaMemoryMb,
      lambdaTimeoutSeconds: config.lambdaTimeoutSeconds,
      kmsKeyArn: config.kmsKeyArn,
      deletionProtection: config.deletionProtection,
      lambdaReservedConcurrency: config.lambdaReservedConcurrency,
      stateMachineLogLevel: config.stateMachineLogLevel,
      stateMachineLogExecutionData: config.stateMachineLogExecutionData,
      workflowType: config.workflowType,
    };
    this.workflow = new PaymentWorkflow(this, 'payment-workflow', workflowSettings);
    addWorkflowOutputs(this, this.workflow, config.workflowType);
    if (config.alarms) {
      const monitoringSettings: SettingsOf<WorkflowMonitoringProps> = {
        namePrefix: config.namePrefix,
        alarmTopicArn: config.alarmTopicArn,
        alarmEmail: config.alarmEmail,
        alarmPeriodSeconds: config.alarmPeriodSeconds,
        lambdaDurationAlarmPercent: config.lambdaDurationAlarmPercent,
        lambdaTimeoutSeconds: config.lambdaTimeoutSeconds,
        kmsKeyArn: config.kmsKeyArn,
        workflowType: config.workflowType,
      };
      this.monitoring = new WorkflowMonitoring(this, 'monitoring', { workflow: this.workflow, ...monitoringSettings });
      addMonitoringOutputs(this, this.workflow, this.monitoring.topicArn, this.monitoring.dashboardName);
    }
  }
}

/**
 * The outputs of the alarms and the dashboard; with `enabled` (a module's Terraform value), null each
 * where the module turned them off.
 */
export function addMonitoringOutputs(
  scope: Construct,
  workflow: PaymentWorkflow,
  topicArn: string,
  dashboardName: string,
  enabled?: boolean,
): void {
  const orNull = (value: string): string =>
    enabled === undefined ? value : Token.asString(conditional(enabled, value, Token.nullValue()));
  new TerraformOutput(scope, 'alarm_topic_arn', {
    value: orNull(topicArn),
    description: 'ARN of the SNS topic the alarms notify',
  });
  new TerraformOutput(scope, 'dashboard_url', {
    // The whole URL is null: Terraform refuses a null inside a string template.
    value: orNull(
      `https://${workflow.region}.console.aws.amazon.com/cloudwatch/home?region=${workflow.region}#dashboards/dashboard/${dashboardName}`,
    ),
    description: 'The CloudWatch dashboard of the workflow',
  });
}

/**
 * The outputs of a workflow: names, ARNs and ready-to-paste AWS CLI commands. The redrive and
 * list-executions commands only for a STANDARD workflow: Step Functions neither redrives nor lists
 * EXPRESS executions, whose recovery is a re-run and whose history is the log group.
 *
 * @param workflowType the state machine's type; a Terraform value in a module, where those commands
 * are then null for EXPRESS
 */
export function addWorkflowOutputs(
  scope: Construct,
  workflow: PaymentWorkflow,
  workflowType: WorkflowType = 'STANDARD',
): void {
  const output = (id: string, value: string, description: string): TerraformOutput =>
    new TerraformOutput(scope, id, { value, description });
  // An output of STANDARD only: left out for EXPRESS, or null in a module when its type is EXPRESS.
  const standardOnly = (id: string, value: string, description: string): void => {
    if (workflowType === 'EXPRESS') return;
    output(
      id,
      Token.isUnresolved(workflowType)
        ? Token.asString(conditional(Op.eq(workflowType, 'EXPRESS'), Token.nullValue(), value))
        : value,
      description,
    );
  };
  const table = workflow.ordersTable;
  output('table_name', table.tableName, 'Name of the DynamoDB orders table');
  output('table_arn', table.tableArn, 'ARN of the DynamoDB orders table');
  for (const [name, fn] of workflow.functionsByKey) {
    output(`${name}_function_name`, fn.functionName, `Name of the ${name.replace('_', ' ')} Lambda function`);
    output(`${name}_function_arn`, fn.functionArn, `ARN of the ${name.replace('_', ' ')} Lambda function`);
  }
  output('state_machine_arn', workflow.stateMachine.arn, 'ARN of the payment workflow state machine');
  output(
    'start_execution_command',
    `aws stepfunctions start-execution --region ${workflow.region} --state-machine-arn ${workflow.stateMachine.arn} --input '{"orderId":"1234"}'`,
    'AWS CLI command that starts an execution for order 1234',
  );
  output(
    'get_order_status_command',
    `aws dynamodb get-item --region ${workflow.region} --table-name ${table.tableName} --key '{"orderId":{"S":"1234"}}' --consistent-read --query Item.status.S --output text`,
    "AWS CLI command that prints order 1234's status",
  );
  standardOnly(
    'list_failed_executions_command',
    `aws stepfunctions list-executions --region ${workflow.region} --state-machine-arn ${workflow.stateMachine.arn} --status-filter FAILED --query 'executions[].[name,executionArn,stopDate]' --output text`,
    'AWS CLI command that lists the failed executions; null for EXPRESS, whose executions Step Functions does not list (docs/runbook.md)',
  );
  output(
    'list_failed_orders_command',
    `aws dynamodb scan --region ${workflow.region} --table-name ${table.tableName} --filter-expression '#s = :failed' --expression-attribute-names '{"#s":"status"}' --expression-attribute-values '{":failed":{"S":"failed"}}' --projection-expression 'orderId, failedStep, failedError' --output json`,
    'AWS CLI command that lists the orders marked failed, with the step and error (docs/runbook.md)',
  );
  standardOnly(
    'redrive_execution_command',
    `aws stepfunctions redrive-execution --region ${workflow.region} --execution-arn <execution-arn>`,
    'AWS CLI command that redrives a failed execution from its failed state, within 14 days; null for EXPRESS, which re-runs instead (docs/runbook.md)',
  );
}
