import {
  type AlarmMetric,
  evaluateAlarms,
  LocalMetrics,
  readSynthesizedAlarms,
  type SynthesizedAlarm,
} from '../../local/alarms';
import { UnsupportedAslError } from '../../local/errors';

/** The local alarm evaluation on hand-made alarms and metrics: what `npm start --count` and the soak report. */

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:mock-payment-workflow';
const failedExecutions: SynthesizedAlarm = {
  name: 'failed',
  description: 'Executions failed',
  metrics: [
    {
      namespace: 'AWS/States',
      metricName: 'ExecutionsFailed',
      dimensions: { StateMachineArn: MACHINE },
      statistic: 'Sum',
    },
  ],
  comparison: 'GreaterThanOrEqualToThreshold',
  threshold: 1,
};
const report = (status: 'SUCCEEDED' | 'FAILED', error?: string) =>
  ({
    name: 'x',
    input: {},
    status,
    ...(error ? { error } : {}),
    startedAt: 0,
    durationMs: 1,
    retries: 0,
    states: [],
    events: [],
  }) as never;

describe('Local alarms: evaluation of a run taken as one period', () => {
  it('fires an alarm whose metric reaches its threshold, and reports the value', () => {
    const metrics = LocalMetrics.of(
      MACHINE,
      [report('SUCCEEDED'), report('FAILED', 'OrderFailed'), report('FAILED', 'InvalidOrderInput')],
      new Map(),
    );
    expect(evaluateAlarms([failedExecutions], metrics)).toEqual([
      { name: 'failed', description: 'Executions failed', state: 'ALARM', value: 2, comparison: '>=', threshold: 1 },
    ]);
  });

  it('leaves the alarm OK when every execution succeeded (a Sum of 0)', () => {
    const metrics = LocalMetrics.of(MACHINE, [report('SUCCEEDED')], new Map());
    expect(evaluateAlarms([failedExecutions], metrics)[0]).toMatchObject({ state: 'OK', value: 0 });
  });

  it('counts an execution timeout as timed out, not failed', () => {
    const metrics = LocalMetrics.of(MACHINE, [report('FAILED', 'States.Timeout')], new Map());
    const timedOut: AlarmMetric = { ...failedExecutions.metrics[0], metricName: 'ExecutionsTimedOut' };
    expect([metrics.statistic(failedExecutions.metrics[0]), metrics.statistic(timedOut)]).toEqual([0, 1]);
  });

  it("treats a metric without data as not breaching, as the alarms' treat_missing_data says", () => {
    const throttled: SynthesizedAlarm = {
      ...failedExecutions,
      metrics: [{ ...failedExecutions.metrics[0], metricName: 'ExecutionThrottled' }],
    };
    expect(evaluateAlarms([throttled], LocalMetrics.of(MACHINE, [report('FAILED', 'OrderFailed')], new Map()))).toEqual(
      [{ name: 'failed', description: 'Executions failed', state: 'OK', comparison: '>=', threshold: 1 }],
    );
  });

  it("takes a function's longest call as its Duration Maximum and its failed calls as its Errors", () => {
    const functions = new Map([['fn', { invocations: 3, errors: 1, totalDurationMs: 60, maxDurationMs: 45 }]]);
    const metrics = LocalMetrics.of(MACHINE, [], functions);
    const metric = (metricName: string, statistic: string): AlarmMetric => ({
      namespace: 'AWS/Lambda',
      metricName,
      dimensions: { FunctionName: 'fn' },
      statistic,
    });
    expect([
      metrics.statistic(metric('Duration', 'Maximum')),
      metrics.statistic(metric('Errors', 'Sum')),
      metrics.statistic(metric('Throttles', 'Sum')),
    ]).toEqual([45, 1, undefined]);
  });

  it('adds up the metrics of a metric-math sum, as the table system errors alarm does', () => {
    const alarm = readSynthesizedAlarms(
      {
        aws_cloudwatch_metric_alarm: {
          sum: {
            alarm_name: 'sum',
            comparison_operator: 'GreaterThanOrEqualToThreshold',
            threshold: 3,
            metric_query: [
              { id: 'm1', metric: { namespace: 'N', metric_name: 'A', dimensions: { D: 'x' }, stat: 'Sum' } },
              { id: 'm2', metric: { namespace: 'N', metric_name: 'B', dimensions: { D: 'x' }, stat: 'Sum' } },
              { id: 'e', expression: 'm1 + m2', return_data: true },
            ],
          },
        },
      },
      (text) => text,
    );
    const metrics = new LocalMetrics();
    metrics.record('N', 'A', { D: 'x' }, 1);
    metrics.record('N', 'B', { D: 'x' }, 2);
    expect(evaluateAlarms(alarm, metrics)[0]).toMatchObject({ state: 'ALARM', value: 3 });
  });

  it('refuses a metric-math expression other than a sum, by name', () => {
    const read = () =>
      readSynthesizedAlarms(
        {
          aws_cloudwatch_metric_alarm: {
            x: { alarm_name: 'x', metric_query: [{ id: 'e', expression: 'RATE(m1)', return_data: true }] },
          },
        },
        (text) => text,
      );
    expect(read).toThrow(UnsupportedAslError);
    expect(read).toThrow('Alarm x: the local run evaluates only sums of metrics, not "RATE(m1)".');
  });
});
