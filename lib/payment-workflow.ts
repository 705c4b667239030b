import * as path from 'node:path';
import { Construct } from 'constructs';
import { conditional, Op, Token } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { OrderFunction } from './order-function';
import { OrdersTable } from './orders-table';
import { roleNameOf, stateMachineLogGroupNameOf } from './resource-names';
import { countIfGiven } from './terraform-module';
import {
  assumeRolePolicy,
  KmsActions,
  LAMBDA_INVOKE_FUNCTION,
  LOG_DELIVERY_ACTIONS,
  policyJson,
  type PolicyStatement,
  XRAY_SAMPLING_ACTIONS,
  XRAY_WRITE_ACTIONS,
} from './policies';
import { ConfigurationError, WORKFLOW_TYPE_DEFAULTS, type WorkflowType } from './config';
import {
  EXPRESS_MAX_EXECUTION_SECONDS,
  invocationsPerTaskOf,
  largestFunctionTimeoutSeconds,
  type LinearSeconds,
  secondsFor,
  timeoutBudget,
  type TimeoutBudget,
} from './timeout-budget';
import {
  buildWorkflowDefinition,
  type Retrier,
  TASK_RETRIERS_BY_TYPE,
  type WorkflowStep,
  type WorkflowTimeouts,
} from './workflow-definition';
import {
  FAILURE_RECORDER,
  STATE_MACHINE_NAME,
  type TableAction,
  wordsOf,
  WORKFLOW_STEPS,
  type WorkflowStepSpec,
} from '../workflow/steps';

/** Folder of the handlers' TypeScript sources; infrastructure knows handlers only by path. */
export const HANDLERS_DIR = path.join(__dirname, '..', 'handlers');

/** Environment variable the handlers read the table name from. */
export const ORDERS_TABLE_ENV = 'ORDERS_TABLE_NAME';

/** A step of the table (workflow/steps.ts) with the function that runs it. */
export interface StepFunction {
  /** The step, as declared in workflow/steps.ts. */
  readonly step: WorkflowStepSpec;
  /** Its function. */
  readonly fn: OrderFunction;
}

/** Properties of a {@link PaymentWorkflow}. */
export interface PaymentWorkflowProps {
  /**
   * Prefix of every resource name, so two copies can live in one account.
   * @default '' (the seed's names)
   */
  readonly namePrefix?: string;
  /**
   * Name of the orders table, before the prefix.
   * @default 'MockOrders'
   */
  readonly tableName?: string;
  /**
   * Retention of every log group, in days.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Memory of each function, in MB.
   * @default 128
   */
  readonly lambdaMemoryMb?: number;
  /**
   * Timeout of each function, in seconds. Each Task's and the execution's timeouts are derived from it
   * (lib/timeout-budget.ts), so that a step always fails inside its Task, where its failure is recorded.
   * @default 10 for STANDARD; 3 for EXPRESS, whose 5 minutes must hold every attempt of every Task
   */
  readonly lambdaTimeoutSeconds?: number;
  /**
   * Folder the functions' zips are written to at plan time, as a Terraform path expression. A
   * reusable module sets it outside `path.module`, which Terraform advises never to write to.
   * @default '${path.module}/dist'
   */
  readonly archiveDir?: string;
  /**
   * ARN of a customer managed KMS key, in the deployment's region, that encrypts the table, the
   * functions' environment variables, every log group and the state machine (which is then allowed
   * to use it for its own data only). The key policy must let DynamoDB, Lambda, CloudWatch Logs and
   * Step Functions use it: see docs/security.md.
   * @default undefined: AWS owned and AWS managed keys
   */
  readonly kmsKeyArn?: string;
  /**
   * Whether `kmsKeyArn` is a Terraform value that may be null at plan, as a module's optional input
   * is: the table's and the state machine's encryption are then chosen by conditional expressions,
   * and the state machine's key statements go in a policy of their own created only with a key.
   * @default false (the key, when given, is known at synth)
   */
  readonly kmsKeyMayBeNull?: boolean;
  /**
   * Whether DynamoDB refuses to delete the orders table; turn it off and apply before a destroy.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Concurrent executions reserved for each function (also the most each runs at once).
   * @default undefined: no reservation, the functions draw on the account's unreserved concurrency
   */
  readonly lambdaReservedConcurrency?: number;
  /**
   * The state machine's type. `EXPRESS` runs each order at least once (so a step may run twice, which
   * the idempotent steps allow), for 5 minutes at most, with more retries, shorter waits and shorter
   * Task timeouts (lib/workflow-definition.ts, lib/timeout-budget.ts), and keeps its history in the log
   * group only. A Terraform value in a module, decided at plan.
   * @default 'STANDARD'
   */
  readonly workflowType?: WorkflowType;
  /**
   * What the state machine logs to its log group: every event, errors, or fatal errors only.
   * @default 'ERROR' for STANDARD; 'ALL' for EXPRESS, whose only history is its log
   */
  readonly stateMachineLogLevel?: 'ALL' | 'ERROR' | 'FATAL';
  /**
   * Whether the state machine's log events include execution data: the states' inputs and outputs,
   * so the orders.
   * @default false
   */
  readonly stateMachineLogExecutionData?: boolean;
}

/**
 * The whole mock payment workflow: the orders table, one function per step of workflow/steps.ts (each
 * with its own role), and the Step Functions state machine that runs the steps in order, with its role.
 *
 * Its Terraform addresses are fixed and readable (`aws_dynamodb_table.orders`,
 * `aws_lambda_function.create_order`, `aws_sfn_state_machine.payment_workflow`, ...): one workflow per stack.
 */
export class PaymentWorkflow extends Construct {
  /** The orders table. */
  public readonly ordersTable: OrdersTable;
  /** One function per step of workflow/steps.ts, in workflow order. */
  public readonly stepFunctions: readonly StepFunction[];
  /** Marks an order `failed` (never over the final status) when a step failed after its retries. */
  public readonly recordFailure: OrderFunction;
  /** Every function by its snake_case key (`hold_payment`): the steps' in order, then the failure recorder's. */
  public readonly functionsByKey: ReadonlyArray<readonly [string, OrderFunction]>;
  /** The state machine. */
  public readonly stateMachine: SfnStateMachine;
  /** The state machine's role, allowed to invoke the workflow's functions only. */
  public readonly stateMachineRole: IamRole;
  /** The state machine's log group, under `/aws/vendedlogs/states/`. */
  public readonly stateMachineLogGroup: CloudwatchLogGroup;
  /** The steps in order, as the definition and the state machine's role use them. */
  public readonly steps: readonly WorkflowStep[];
  /** The AWS region the workflow is deployed in (a Terraform reference). */
  public readonly region: string;
  /** The AWS partition, e.g. `aws` (a Terraform reference). */
  public readonly partition: string;
  /** The AWS account the workflow is deployed in (a Terraform reference). */
  public readonly accountId: string;
  /** ARN of the state machine. */
  public readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: PaymentWorkflowProps = {}) {
    super(scope, id);
    const prefix = props.namePrefix ?? '';
    const logRetentionDays = props.logRetentionDays ?? 365;
    const workflowType = props.workflowType ?? 'STANDARD';
    const functionTimeoutSeconds =
      props.lambdaTimeoutSeconds ?? WORKFLOW_TYPE_DEFAULTS.lambdaTimeoutSeconds[workflowType];
    const partitionData = new DataAwsPartition(this, 'partition');
    const callerData = new DataAwsCallerIdentity(this, 'caller');
    const regionData = new DataAwsRegion(this, 'region');
    partitionData.overrideLogicalId('current');
    callerData.overrideLogicalId('current');
    regionData.overrideLogicalId('current');
    const partition = partitionData.partition;
    const accountId = callerData.accountId;
    this.partition = partition;
    this.accountId = accountId;
    this.region = regionData.region;

    this.ordersTable = new OrdersTable(this, 'orders-table', {
      tableName: `${prefix}${props.tableName ?? 'MockOrders'}`,
      kmsKeyArn: props.kmsKeyArn,
      kmsKeyMayBeNull: props.kmsKeyMayBeNull,
      deletionProtection: props.deletionProtection,
      region: this.region,
      accountId,
    });

    // Construct id `hold-payment` gives the readable address `aws_lambda_function.hold_payment`.
    const orderFunction = (spec: { stateName: string; functionName: string; handlerEntry: string }): OrderFunction =>
      new OrderFunction(this, wordsOf(spec.stateName, '-'), {
        functionName: `${prefix}${spec.functionName}`,
        entry: path.join(HANDLERS_DIR, spec.handlerEntry),
        environment: { [ORDERS_TABLE_ENV]: this.ordersTable.tableName },
        logRetentionDays,
        memoryMb: props.lambdaMemoryMb,
        timeoutSeconds: functionTimeoutSeconds,
        archiveDir: props.archiveDir,
        kmsKeyArn: props.kmsKeyArn,
        reservedConcurrency: props.lambdaReservedConcurrency,
      });
    this.stepFunctions = WORKFLOW_STEPS.map((step) => ({ step, fn: orderFunction(step) }));
    this.recordFailure = orderFunction(FAILURE_RECORDER);
    this.functionsByKey = [
      ...this.stepFunctions.map(({ step, fn }) => [wordsOf(step.stateName, '_'), fn] as const),
      [wordsOf(FAILURE_RECORDER.stateName, '_'), this.recordFailure] as const,
    ];
    const grant = (fn: OrderFunction, actions: readonly TableAction[]) =>
      actions.forEach((action) => this.ordersTable.grant(fn, action));
    for (const { step, fn } of this.stepFunctions) grant(fn, step.tableActions);
    grant(this.recordFailure, FAILURE_RECORDER.tableActions);

    this.steps = this.stepFunctions.map(({ step, fn }) => ({ stateName: step.stateName, functionArn: fn.functionArn }));

    const stateMachineName = `${prefix}${STATE_MACHINE_NAME}`;
    // Built from its parts, not taken from the resource: the role's policies must not depend on the machine.
    const stateMachineArn = `arn:${partition}:states:${this.region}:${accountId}:stateMachine:${stateMachineName}`;
    this.stateMachineLogGroup = new CloudwatchLogGroup(this, 'state-machine-log-group', {
      name: stateMachineLogGroupNameOf(stateMachineName),
      retentionInDays: logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.stateMachineLogGroup.overrideLogicalId('payment_workflow');

    this.stateMachineRole = new IamRole(this, 'state-machine-role', {
      name: roleNameOf(stateMachineName),
      description: `Role of the ${stateMachineName} state machine: invokes its own functions only`,
      // Confused deputy guard: only this account's state machine of this name may assume the role.
      assumeRolePolicy: assumeRolePolicy('states.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': accountId },
        ArnLike: { 'aws:SourceArn': stateMachineArn },
      }),
    });
    this.stateMachineRole.overrideLogicalId('payment_workflow');
    const stateMachinePolicy = new IamRolePolicy(this, 'state-machine-policy', {
      name: `${stateMachineName}-policy`,
      role: this.stateMachineRole.id,
      policy: policyJson([
        {
          Sid: 'InvokeWorkflowFunctions',
          Effect: 'Allow',
          Action: [LAMBDA_INVOKE_FUNCTION],
          Resource: [...this.steps.map((step) => step.functionArn), this.recordFailure.functionArn].flatMap((arn) => [
            arn,
            `${arn}:*`,
          ]),
        },
        {
          // The log delivery API has no resource-level permissions: "*" is required.
          Sid: 'DeliverLogs',
          Effect: 'Allow',
          Action: [...LOG_DELIVERY_ACTIONS],
          Resource: ['*'],
        },
        {
          // X-Ray has no resource-level permissions: "*" is required.
          Sid: 'WriteTraces',
          Effect: 'Allow',
          Action: [...XRAY_WRITE_ACTIONS, ...XRAY_SAMPLING_ACTIONS],
          Resource: ['*'],
        },
        ...(props.kmsKeyArn === undefined || props.kmsKeyMayBeNull
          ? []
          : stateMachineKeyStatements(props.kmsKeyArn, stateMachineArn, partition, accountId, this.region)),
      ]),
    });
    stateMachinePolicy.overrideLogicalId('payment_workflow');
    const withoutKey = props.kmsKeyArn === undefined ? undefined : Op.eq(props.kmsKeyArn, Token.nullValue());
    const keyPolicies = [stateMachinePolicy];
    if (props.kmsKeyArn !== undefined && props.kmsKeyMayBeNull) {
      // A policy of its own, created only when the key is given: a null key would leave `Resource: null`.
      const keyPolicy = new IamRolePolicy(this, 'state-machine-key-policy', {
        name: `${stateMachineName}-key-policy`,
        role: this.stateMachineRole.id,
        policy: policyJson(
          stateMachineKeyStatements(props.kmsKeyArn, stateMachineArn, partition, accountId, this.region),
        ),
        count: countIfGiven(props.kmsKeyArn),
      });
      keyPolicy.overrideLogicalId('payment_workflow_key');
      keyPolicies.push(keyPolicy);
    }

    const byType = typedRetriesAndTimeouts(this.steps.length, workflowType, functionTimeoutSeconds);
    if (!Token.isUnresolved(workflowType) && !Token.isUnresolved(functionTimeoutSeconds)) {
      const largest = largestFunctionTimeoutSeconds(workflowType);
      if (functionTimeoutSeconds > largest) {
        throw new ConfigurationError(
          `Invalid props "lambdaTimeoutSeconds" and "workflowType": an ${workflowType} execution ends after ${EXPRESS_MAX_EXECUTION_SECONDS} s ` +
            `and each of its Tasks keeps ${invocationsPerTaskOf(workflowType)} invocations for transient errors, ` +
            `which the slowest path fits only up to lambdaTimeoutSeconds ${largest}, received ${functionTimeoutSeconds}. ` +
            `Fix: set lambdaTimeoutSeconds to ${largest} or less, or workflowType to STANDARD.`,
        );
      }
    }
    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: stateMachineName,
      type: workflowType,
      roleArn: this.stateMachineRole.arn,
      definition: JSON.stringify(
        buildWorkflowDefinition(
          this.steps,
          this.recordFailure.functionArn,
          partition,
          byType.timeouts,
          byType.retriers,
        ),
      ),
      loggingConfiguration: {
        logDestination: `${this.stateMachineLogGroup.arn}:*`,
        level: props.stateMachineLogLevel ?? WORKFLOW_TYPE_DEFAULTS.stateMachineLogLevel[workflowType],
        // Execution data holds the order; keep it out of the logs unless asked for.
        includeExecutionData: props.stateMachineLogExecutionData ?? false,
      },
      tracingConfiguration: { enabled: true },
      // Always written: the block is optional and computed, so leaving it out when the key is removed
      // would plan no change and leave the state machine on the old key.
      encryptionConfiguration:
        props.kmsKeyArn === undefined
          ? { type: 'AWS_OWNED_KEY' }
          : props.kmsKeyMayBeNull
            ? {
                type: Token.asString(conditional(withoutKey, 'AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY')),
                kmsKeyId: props.kmsKeyArn,
                kmsDataKeyReusePeriodSeconds: Token.asNumber(conditional(withoutKey, Token.nullValue(), 300)),
              }
            : {
                type: 'CUSTOMER_MANAGED_KMS_KEY',
                kmsKeyId: props.kmsKeyArn,
                // Step Functions' default, written out so the plan shows it.
                kmsDataKeyReusePeriodSeconds: 300,
              },
      // Creating the machine validates that its role may invoke the functions, deliver logs and use the key.
      dependsOn: keyPolicies,
    });
    this.stateMachine.overrideLogicalId('payment_workflow');
    this.stateMachineArn = this.stateMachine.arn;
  }
}

/** A budgeted timeout for a function timeout that is a number, or a Terraform expression on a module variable. */
function budgetSeconds(linear: LinearSeconds, functionTimeoutSeconds: number): number {
  if (!Token.isUnresolved(functionTimeoutSeconds)) return secondsFor(linear, functionTimeoutSeconds);
  return Token.asNumber(Op.add(Op.mul(functionTimeoutSeconds, linear.perFunctionTimeoutSecond), linear.seconds));
}

/**
 * The Tasks' retriers and timeouts of a workflow type. For a type known at synth, that type's; for a
 * Terraform value (a module variable), each number that differs between the types is a conditional
 * expression on it, a whole expression in each branch (Terraform's `?:` binds looser than `*`). The two
 * types' retriers differ in numbers only (attempts and longest wait), not in the errors they match.
 */
function typedRetriesAndTimeouts(
  stepCount: number,
  workflowType: WorkflowType,
  functionTimeoutSeconds: number,
): { retriers: readonly Retrier[]; timeouts: WorkflowTimeouts } {
  const timeoutsOf = (budget: TimeoutBudget): WorkflowTimeouts => ({
    taskTimeoutSeconds: budgetSeconds(budget.taskTimeout, functionTimeoutSeconds),
    executionTimeoutSeconds: budgetSeconds(budget.executionTimeout, functionTimeoutSeconds),
  });
  if (!Token.isUnresolved(workflowType)) {
    return {
      retriers: TASK_RETRIERS_BY_TYPE[workflowType],
      timeouts: timeoutsOf(timeoutBudget(stepCount, workflowType)),
    };
  }
  const isExpress = Op.eq(workflowType, 'EXPRESS');
  const pick = (express: number, standard: number, same: boolean): number =>
    same ? standard : Token.asNumber(conditional(isExpress, express, standard));
  const express = TASK_RETRIERS_BY_TYPE.EXPRESS;
  const retriers = TASK_RETRIERS_BY_TYPE.STANDARD.map((retrier, index) => {
    const other = express[index];
    const numberOf = (key: 'IntervalSeconds' | 'MaxAttempts' | 'BackoffRate' | 'MaxDelaySeconds') =>
      pick(other[key] as number, retrier[key] as number, other[key] === retrier[key]);
    return {
      ...retrier,
      IntervalSeconds: numberOf('IntervalSeconds'),
      MaxAttempts: numberOf('MaxAttempts'),
      BackoffRate: numberOf('BackoffRate'),
      MaxDelaySeconds: numberOf('MaxDelaySeconds'),
    };
  });
  const [s, e] = [timeoutBudget(stepCount, 'STANDARD'), timeoutBudget(stepCount, 'EXPRESS')];
  const [st, et] = [timeoutsOf(s), timeoutsOf(e)];
  const same = (a: LinearSeconds, b: LinearSeconds) =>
    a.perFunctionTimeoutSecond === b.perFunctionTimeoutSecond && a.seconds === b.seconds;
  return {
    retriers,
    timeouts: {
      taskTimeoutSeconds: pick(et.taskTimeoutSeconds, st.taskTimeoutSeconds, same(e.taskTimeout, s.taskTimeout)),
      executionTimeoutSeconds: pick(
        et.executionTimeoutSeconds,
        st.executionTimeoutSeconds,
        same(e.executionTimeout, s.executionTimeout),
      ),
    },
  };
}

/**
 * What the state machine's role needs of a customer managed key, each scoped by the encryption
 * context Step Functions sends: data keys for this state machine's own definition and execution
 * history, and data keys for delivering its logs, which an encrypted state machine that logs needs.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html
 */
function stateMachineKeyStatements(
  keyArn: string,
  stateMachineArn: string,
  partition: string,
  accountId: string,
  region: string,
): PolicyStatement[] {
  return [
    {
      Sid: 'UseKeyForOwnData',
      Effect: 'Allow',
      Action: [KmsActions.DECRYPT, KmsActions.GENERATE_DATA_KEY],
      Resource: [keyArn],
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn } },
    },
    {
      Sid: 'UseKeyForLogDelivery',
      Effect: 'Allow',
      Action: [KmsActions.GENERATE_DATA_KEY],
      Resource: [keyArn],
      // As the Step Functions guide gives it: StringEquals, so the value is compared as written, `*` included.
      Condition: {
        StringEquals: { 'kms:EncryptionContext:SourceArn': `arn:${partition}:logs:${region}:${accountId}:*` },
      },
    },
  ];
}
