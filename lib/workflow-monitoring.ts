import { Construct } from 'constructs';
import { conditional, Fn, Op, Token } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { type DashboardBody, dashboardBody, type DashboardWidget } from './dashboard';
import type { PaymentWorkflow } from './payment-workflow';
import { STATE_MACHINE_NAME } from '../workflow/steps';
import { WORKFLOW_TYPES, type WorkflowType } from './config';
import { policyJson } from './policies';
import { alarmNamePrefixOf, alarmTopicNameOf, dashboardNameOf } from './resource-names';

/** Where the runbook lives, as alarm descriptions cite it. */
export const RUNBOOK = 'docs/runbook.md';

/** The DynamoDB operations the handlers call: the table's SystemErrors alarm sums them. */
export const TABLE_OPERATIONS = ['PutItem', 'UpdateItem', 'GetItem'] as const;

/** Properties of a {@link WorkflowMonitoring}. */
export interface WorkflowMonitoringProps {
  /** The workflow to watch. */
  readonly workflow: PaymentWorkflow;
  /** Prefix of every resource name, as the workflow's. */
  readonly namePrefix: string;
  /**
   * ARN of an existing SNS topic, in the workflow's region, that the alarms notify.
   * @default undefined: a topic of the stack's own, `<prefix>mock-payment-workflow-alarms`
   */
  readonly alarmTopicArn?: string;
  /**
   * Whether `alarmTopicArn` is a Terraform value that may be null at plan (a module input): the topic is
   * then created with a count.
   * @default false
   */
  readonly alarmTopicArnMayBeNull?: boolean;
  /**
   * An e-mail address to subscribe to the topic (SNS sends it a confirmation link first).
   * @default undefined: no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Whether `alarmEmail` is a Terraform value that may be null at plan (a module input).
   * @default false
   */
  readonly alarmEmailMayBeNull?: boolean;
  /**
   * The period of every alarm, in seconds; each alarms when its threshold is reached in one period.
   * @default 300 (as AWS Solutions Constructs' state machine alarms)
   */
  readonly alarmPeriodSeconds?: number;
  /**
   * The share of the functions' timeout, in percent, that a function's longest duration in a period
   * must reach to alarm.
   * @default 80
   */
  readonly lambdaDurationAlarmPercent?: number;
  /**
   * Timeout of the functions, in seconds, as the workflow's.
   * @default 10
   */
  readonly lambdaTimeoutSeconds?: number;
  /**
   * ARN of a customer managed KMS key that encrypts the topic; its key policy must let CloudWatch use
   * it (README, Customer managed key).
   * @default undefined: an unencrypted topic, since CloudWatch cannot publish to one encrypted with SNS's AWS managed key
   */
  readonly kmsKeyArn?: string;
  /**
   * The state machine's type, as the workflow's (a Terraform value in a module): an alarm exists only for
   * the types whose executions move its metric ({@link ALARM_WORKFLOW_TYPES}).
   * @default 'STANDARD'
   */
  readonly workflowType?: WorkflowType;
  /**
   * Whether to create the resources, as a Terraform value decided at plan (a module's switch): each
   * resource then gets a count.
   * @default undefined: created, without a count
   */
  readonly enabled?: boolean;
}

/**
 * The workflow types for which an alarm's metric can move, by alarm id; an alarm not listed exists for
 * both. `executions_aborted`: an Express execution cannot be stopped ("StopExecution is not supported by
 * EXPRESS state machines"). `executions_throttled`: `ExecutionThrottled` counts throttled state
 * transitions, and Express state transitions have no throttle.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (Quotas related to state throttling)
 */
export const ALARM_WORKFLOW_TYPES: Readonly<Record<string, readonly WorkflowType[]>> = {
  executions_aborted: ['STANDARD'],
  executions_throttled: ['STANDARD'],
};

/**
 * The metric of `starts_throttled`: the API metric `ThrottledEvents` of `StartExecution`. Its token
 * bucket is the account's in the region, shared by every state machine there, so the metric has no
 * state machine dimension; a refused start never becomes an execution, so no execution metric counts it.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html (API metrics, dimension APIName)
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (Quotas related to API action throttling)
 */
export const START_THROTTLE_METRIC = {
  namespace: 'AWS/States',
  metricName: 'ThrottledEvents',
  dimensions: { APIName: 'StartExecution' },
} as const;

/** One alarm: its Terraform id, name, what it means, and its metric. */
interface AlarmSpec {
  readonly id: string;
  readonly name: string;
  /** The runbook section, an anchor of {@link RUNBOOK}. */
  readonly runbookSection: string;
  readonly what: string;
  readonly threshold: number;
  readonly metric:
    | {
        readonly namespace: string;
        readonly metricName: string;
        readonly dimensions: Readonly<Record<string, string>>;
        readonly statistic: 'Sum' | 'Maximum';
      }
    | { readonly query: CloudwatchMetricAlarmMetricQuery[] };
}

/**
 * Operations for the workflow: CloudWatch alarms on the state machine, each function and the table,
 * an SNS topic they notify (created unless one is given, with a policy that lets only this account's
 * alarms publish), an optional e-mail subscription, and a dashboard.
 *
 * Thresholds: one failed, timed-out, aborted or throttled execution is one order that did not get
 * paid, so each alarms at 1 in a period; so do function errors and throttles (each is a step that
 * failed or waited) and the table's system errors and throttled requests. A function's duration
 * alarms when its longest call reaches a share of its timeout, before calls start timing out.
 */
export class WorkflowMonitoring extends Construct {
  /** The alarms, by Terraform id. */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  /** ARN of the topic the alarms notify. */
  public readonly topicArn: string;
  /** The topic the stack created, if it created one. */
  public readonly topic?: SnsTopic;
  /** The dashboard. */
  public readonly dashboard: CloudwatchDashboard;
  /** Name of the dashboard. */
  public readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: WorkflowMonitoringProps) {
    super(scope, id);
    const { workflow, enabled } = props;
    const count = enabled === undefined ? undefined : Token.asNumber(conditional(enabled, 1, 0));
    // Created when `given` holds and, in a module, when the switch is on.
    const countWhen = (given: unknown): number =>
      Token.asNumber(conditional(enabled === undefined ? given : Op.and(given, enabled), 1, 0));
    const stateMachineName = `${props.namePrefix}${STATE_MACHINE_NAME}`;
    // Every alarm's name starts with the same words, which the topic policy matches.
    const alarmNamePrefix = alarmNamePrefixOf(stateMachineName);
    const period = props.alarmPeriodSeconds ?? 300;
    const { partition, accountId, region } = workflow;
    const arnIn = (service: string, resource: string) =>
      `arn:${partition}:${service}:${region}:${accountId}:${resource}`;

    const topicName = alarmTopicNameOf(stateMachineName);
    // Built from its parts: the alarms and the dashboard must not need an index into a counted topic.
    const ownTopicArn = arnIn('sns', topicName);
    const createTopic = props.alarmTopicArn === undefined || props.alarmTopicArnMayBeNull;
    if (createTopic) {
      const topicCount =
        props.alarmTopicArn === undefined ? count : countWhen(Op.eq(props.alarmTopicArn, Token.nullValue()));
      this.topic = new SnsTopic(this, 'topic', { name: topicName, kmsMasterKeyId: props.kmsKeyArn, count: topicCount });
      this.topic.overrideLogicalId('alarms');
      const topicPolicy = new SnsTopicPolicy(this, 'topic-policy', {
        arn: ownTopicArn,
        policy: policyJson([
          {
            Sid: 'PublishFromThisAccountsWorkflowAlarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['sns:Publish'],
            Resource: [ownTopicArn],
            Condition: {
              StringEquals: { 'aws:SourceAccount': accountId },
              ArnLike: { 'aws:SourceArn': arnIn('cloudwatch', `alarm:${alarmNamePrefix}*`) },
            },
          },
        ]),
        count: topicCount,
        dependsOn: [this.topic],
      });
      topicPolicy.overrideLogicalId('alarms');
    }
    this.topicArn =
      props.alarmTopicArn === undefined
        ? ownTopicArn
        : props.alarmTopicArnMayBeNull
          ? Token.asString(conditional(Op.eq(props.alarmTopicArn, Token.nullValue()), ownTopicArn, props.alarmTopicArn))
          : props.alarmTopicArn;

    if (props.alarmEmail !== undefined) {
      const subscription = new SnsTopicSubscription(this, 'email', {
        topicArn: this.topicArn,
        protocol: 'email',
        endpoint: props.alarmEmail,
        count: props.alarmEmailMayBeNull ? countWhen(Op.neq(props.alarmEmail, Token.nullValue())) : count,
        ...(this.topic === undefined ? {} : { dependsOn: [this.topic] }),
      });
      subscription.overrideLogicalId('alarm_email');
    }

    const durationThresholdMs = thresholdMs(props.lambdaTimeoutSeconds ?? 10, props.lambdaDurationAlarmPercent ?? 80);
    const functions = workflow.functionsByKey;
    const tableName = workflow.ordersTable.tableName;
    const machineDimensions = { StateMachineArn: workflow.stateMachineArn };
    const specs: AlarmSpec[] = [
      {
        id: 'executions_failed',
        name: `${alarmNamePrefix}executions-failed`,
        runbookSection: 'executions-failed',
        what: 'Executions failed: orders were rejected or marked failed',
        threshold: 1,
        metric: {
          namespace: 'AWS/States',
          metricName: 'ExecutionsFailed',
          dimensions: machineDimensions,
          statistic: 'Sum',
        },
      },
      {
        id: 'executions_timed_out',
        name: `${alarmNamePrefix}executions-timed-out`,
        runbookSection: 'executions-timed-out',
        what: 'Executions timed out: their orders may be left in created or hold',
        threshold: 1,
        metric: {
          namespace: 'AWS/States',
          metricName: 'ExecutionsTimedOut',
          dimensions: machineDimensions,
          statistic: 'Sum',
        },
      },
      {
        id: 'executions_aborted',
        name: `${alarmNamePrefix}executions-aborted`,
        runbookSection: 'executions-aborted',
        what: 'Executions were stopped: their orders may be left in created or hold',
        threshold: 1,
        metric: {
          namespace: 'AWS/States',
          metricName: 'ExecutionsAborted',
          dimensions: machineDimensions,
          statistic: 'Maximum',
        },
      },
      {
        id: 'executions_throttled',
        name: `${alarmNamePrefix}executions-throttled`,
        runbookSection: 'executions-throttled',
        what: "Step Functions throttled the workflow's state transitions: executions were delayed",
        threshold: 1,
        metric: {
          namespace: 'AWS/States',
          metricName: 'ExecutionThrottled',
          dimensions: machineDimensions,
          statistic: 'Sum',
        },
      },
      {
        id: 'starts_throttled',
        name: `${alarmNamePrefix}starts-throttled`,
        runbookSection: 'starts-throttled',
        what: 'Step Functions refused StartExecution calls in this account and region: callers got ThrottlingException',
        threshold: 1,
        metric: { ...START_THROTTLE_METRIC, dimensions: { ...START_THROTTLE_METRIC.dimensions }, statistic: 'Sum' },
      },
      ...functions.flatMap(([key, fn]): AlarmSpec[] => {
        const dimensions = { FunctionName: fn.functionName };
        return [
          {
            id: `${key}_errors`,
            name: `${alarmNamePrefix}${key.replace('_', '-')}-errors`,
            runbookSection: 'function-errors',
            what: `Function ${fn.functionName} raised errors: a step failed, then was retried or recorded as failed`,
            threshold: 1,
            metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions, statistic: 'Sum' },
          },
          {
            id: `${key}_throttles`,
            name: `${alarmNamePrefix}${key.replace('_', '-')}-throttles`,
            runbookSection: 'function-throttles',
            what: `Lambda throttled ${fn.functionName}: the account's or the function's concurrency ran out`,
            threshold: 1,
            metric: { namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions, statistic: 'Sum' },
          },
          {
            id: `${key}_duration`,
            name: `${alarmNamePrefix}${key.replace('_', '-')}-duration`,
            runbookSection: 'function-duration',
            what: `Function ${fn.functionName} ran close to its timeout: calls are about to time out`,
            threshold: durationThresholdMs,
            metric: { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions, statistic: 'Maximum' },
          },
        ];
      }),
      {
        id: 'table_system_errors',
        name: `${alarmNamePrefix}table-system-errors`,
        runbookSection: 'table-system-errors',
        what: `DynamoDB answered requests to ${tableName} with server errors`,
        threshold: 1,
        // SystemErrors is reported per operation only: the alarm sums the operations the handlers call.
        metric: {
          query: [
            ...TABLE_OPERATIONS.map(
              (operation, index): CloudwatchMetricAlarmMetricQuery => ({
                id: `m${index + 1}`,
                returnData: false,
                metric: {
                  namespace: 'AWS/DynamoDB',
                  metricName: 'SystemErrors',
                  dimensions: { TableName: tableName, Operation: operation },
                  stat: 'Sum',
                  period,
                },
              }),
            ),
            {
              id: 'errors',
              expression: TABLE_OPERATIONS.map((_, index) => `m${index + 1}`).join(' + '),
              label: 'SystemErrors',
              returnData: true,
            },
          ],
        },
      },
      {
        id: 'table_write_throttles',
        name: `${alarmNamePrefix}table-write-throttles`,
        runbookSection: 'table-throttles',
        what: `DynamoDB throttled writes to ${tableName}`,
        threshold: 1,
        metric: {
          namespace: 'AWS/DynamoDB',
          metricName: 'WriteThrottleEvents',
          dimensions: { TableName: tableName },
          statistic: 'Sum',
        },
      },
      {
        id: 'table_read_throttles',
        name: `${alarmNamePrefix}table-read-throttles`,
        runbookSection: 'table-throttles',
        what: `DynamoDB throttled reads of ${tableName}`,
        threshold: 1,
        metric: {
          namespace: 'AWS/DynamoDB',
          metricName: 'ReadThrottleEvents',
          dimensions: { TableName: tableName },
          statistic: 'Sum',
        },
      },
    ];

    const workflowType = props.workflowType ?? 'STANDARD';
    const typesOf = (spec: AlarmSpec): readonly WorkflowType[] => ALARM_WORKFLOW_TYPES[spec.id] ?? WORKFLOW_TYPES;
    // A module's type is known at plan only: every alarm is declared, those of one type only counted on it.
    const typeKnown = !Token.isUnresolved(workflowType);
    const countOf = (spec: AlarmSpec): number | undefined => {
      const types = typesOf(spec);
      if (typeKnown || types.length === WORKFLOW_TYPES.length) return count;
      return countWhen(types.map((type): unknown => Op.eq(workflowType, type)).reduce((a, b) => Op.or(a, b)));
    };
    const declared = typeKnown ? specs.filter((spec) => typesOf(spec).includes(workflowType)) : specs;

    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    for (const spec of declared) {
      const alarm = new CloudwatchMetricAlarm(this, spec.id, {
        alarmName: spec.name,
        alarmDescription: `${spec.what}. Runbook: ${RUNBOOK}#${spec.runbookSection}`,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: spec.threshold,
        evaluationPeriods: 1,
        // No data means no call in the period: nothing failed.
        treatMissingData: 'notBreaching',
        ...('query' in spec.metric
          ? { metricQuery: spec.metric.query }
          : {
              namespace: spec.metric.namespace,
              metricName: spec.metric.metricName,
              dimensions: Token.isUnresolved(spec.metric.dimensions)
                ? spec.metric.dimensions
                : { ...spec.metric.dimensions },
              statistic: spec.metric.statistic,
              period,
            }),
        alarmActions: [this.topicArn],
        okActions: [this.topicArn],
        count: countOf(spec),
        ...(this.topic === undefined ? {} : { dependsOn: [this.topic] }),
      });
      alarm.overrideLogicalId(spec.id);
      alarms[spec.id] = alarm;
    }
    this.alarms = alarms;

    this.dashboardName = dashboardNameOf(stateMachineName);
    // The alarm widget lists the alarms that exist: with a module's type, one body per type, chosen at plan.
    const bodyFor = (type: WorkflowType): DashboardBody =>
      dashboardOf({
        region,
        period,
        stateMachineArn: workflow.stateMachineArn,
        functionNames: functions.map(([, fn]) => fn.functionName),
        tableName,
        alarmArns: specs
          .filter((spec) => typesOf(spec).includes(type))
          .map((spec) => arnIn('cloudwatch', `alarm:${spec.name}`)),
      });
    // jsonencode in each branch: a JSON string literal inside a conditional is not escaped, which Terraform refuses.
    const chosenBody = (): string =>
      Token.asString(
        conditional(
          Op.eq(workflowType, 'EXPRESS'),
          Fn.jsonencode(bodyFor('EXPRESS')),
          Fn.jsonencode(bodyFor('STANDARD')),
        ),
      );
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: this.dashboardName,
      dashboardBody: typeKnown ? dashboardBody(bodyFor(workflowType)) : chosenBody(),
      count,
    });
    this.dashboard.overrideLogicalId('payment_workflow');
  }
}

/** A share of a timeout in milliseconds, as a number or, for a module variable, a Terraform expression. */
function thresholdMs(timeoutSeconds: number, percent: number): number {
  if (!Token.isUnresolved(timeoutSeconds) && !Token.isUnresolved(percent)) return timeoutSeconds * 10 * percent;
  return Token.asNumber(Op.mul(Op.mul(timeoutSeconds, 10), percent));
}

/** What the dashboard shows. */
interface DashboardInput {
  readonly region: string;
  readonly period: number;
  readonly stateMachineArn: string;
  readonly functionNames: readonly string[];
  readonly tableName: string;
  readonly alarmArns: readonly string[];
}

/** The dashboard: executions, each step's duration and errors, the table's throttles, and every alarm's state. */
function dashboardOf(input: DashboardInput): DashboardBody {
  const { region, period } = input;
  const widgets: DashboardWidget[] = [
    {
      type: 'metric',
      x: 0,
      y: 0,
      width: 12,
      height: 6,
      properties: {
        title: 'Executions started, succeeded, failed',
        region,
        period,
        stat: 'Sum',
        view: 'timeSeries',
        metrics: ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed'].map((metric) => [
          'AWS/States',
          metric,
          'StateMachineArn',
          input.stateMachineArn,
        ]),
      },
    },
    {
      type: 'alarm',
      x: 12,
      y: 0,
      width: 12,
      height: 6,
      properties: { title: 'Alarms', alarms: [...input.alarmArns] },
    },
    {
      type: 'metric',
      x: 0,
      y: 6,
      width: 12,
      height: 6,
      properties: {
        title: 'Duration of each step (maximum, ms)',
        region,
        period,
        stat: 'Maximum',
        view: 'timeSeries',
        metrics: input.functionNames.map((name) => ['AWS/Lambda', 'Duration', 'FunctionName', name]),
      },
    },
    {
      type: 'metric',
      x: 12,
      y: 6,
      width: 12,
      height: 6,
      properties: {
        title: 'Errors of each step',
        region,
        period,
        stat: 'Sum',
        view: 'timeSeries',
        metrics: input.functionNames.map((name) => ['AWS/Lambda', 'Errors', 'FunctionName', name]),
      },
    },
    {
      type: 'metric',
      x: 0,
      y: 12,
      width: 12,
      height: 6,
      properties: {
        title: 'Table throttles',
        region,
        period,
        stat: 'Sum',
        view: 'timeSeries',
        metrics: ['WriteThrottleEvents', 'ReadThrottleEvents'].map((metric) => [
          'AWS/DynamoDB',
          metric,
          'TableName',
          input.tableName,
        ]),
      },
    },
  ];
  return { widgets };
}
