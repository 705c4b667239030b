import { Construct } from 'constructs';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { configureBackend } from './backend';
import type { WorkflowConfig } from './config';
import { PaymentWorkflow } from './payment-workflow';

/** Name of the deployable stack: its folder under cdktf.out/stacks and its default state file. */
export const STACK_NAME = 'mock-payment-workflow';

/** Tags every resource carries through the provider's `default_tags`. */
export const DEFAULT_TAGS = { project: 'mock-payment-workflow', 'managed-by': 'cdktf' } as const;

/** Properties of a {@link PaymentWorkflowStack}. */
export interface PaymentWorkflowStackProps {
  /** The validated configuration (see `lib/config.ts`). */
  readonly config: WorkflowConfig;
}

/** The deployable stack: providers, state backend, the workflow and its outputs. */
export class PaymentWorkflowStack extends TerraformStack {
  /** The workflow's resources. */
  public readonly workflow: PaymentWorkflow;

  constructor(scope: Construct, id: string, props: PaymentWorkflowStackProps) {
    super(scope, id);
    const { config } = props;
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { ...config.tags, ...DEFAULT_TAGS } }],
    });
    new ArchiveProvider(this, 'archive');
    configureBackend(this, config.backend, App.of(this).outdir);

    this.workflow = new PaymentWorkflow(this, 'payment-workflow', {
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
    });
    addWorkflowOutputs(this, this.workflow);
  }
}

/** The outputs of a workflow: names, ARNs and two ready-to-paste AWS CLI commands. */
export function addWorkflowOutputs(scope: Construct, workflow: PaymentWorkflow): void {
  const output = (id: string, value: string, description: string): TerraformOutput =>
    new TerraformOutput(scope, id, { value, description });
  const table = workflow.ordersTable;
  output('table_name', table.tableName, 'Name of the DynamoDB orders table');
  output('table_arn', table.tableArn, 'ARN of the DynamoDB orders table');
  const functions = {
    create_order: workflow.createOrder,
    hold_payment: workflow.holdPayment,
    accept_payment: workflow.acceptPayment,
    record_failure: workflow.recordFailure,
  };
  for (const [name, fn] of Object.entries(functions)) {
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
}
