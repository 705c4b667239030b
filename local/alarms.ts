import type { ExecutionReport } from './runtime';
import type { FunctionMetrics } from './lambda-host';
import { UnsupportedAslError } from './errors';

/** One metric an alarm reads: namespace, name, dimensions and the statistic it takes. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
}

/** A CloudWatch alarm as synthesized: a metric (or the sum of several) against a threshold. */
export interface SynthesizedAlarm {
  readonly name: string;
  readonly description: string;
  /** The metrics whose statistics the alarm adds up: one for a plain alarm, several for a sum expression. */
  readonly metrics: readonly AlarmMetric[];
  readonly comparison: string;
  readonly threshold: number;
}

/** An alarm's verdict on a local run, taken as one period. */
export interface AlarmVerdict {
  readonly name: string;
  readonly description: string;
  readonly state: 'ALARM' | 'OK';
  /** The value the threshold was compared with; undefined when there was no data (treated as not breaching). */
  readonly value?: number;
  readonly comparison: string;
  readonly threshold: number;
}

/** Reads the alarms of a synthesized stack, references resolved by `resolve`. */
export function readSynthesizedAlarms(
  resources: Record<string, Record<string, any>>,
  resolve: (text: string) => string,
): SynthesizedAlarm[] {
  return Object.values(resources.aws_cloudwatch_metric_alarm ?? {}).map((raw): SynthesizedAlarm => {
    const alarm = JSON.parse(resolve(JSON.stringify(raw)));
    return {
      name: alarm.alarm_name,
      description: alarm.alarm_description ?? '',
      metrics: alarm.metric_query === undefined ? [plainMetric(alarm)] : summedMetrics(alarm),
      comparison: alarm.comparison_operator,
      threshold: alarm.threshold,
    };
  });
}

function plainMetric(alarm: any): AlarmMetric {
  return {
    namespace: alarm.namespace,
    metricName: alarm.metric_name,
    dimensions: alarm.dimensions ?? {},
    statistic: alarm.statistic,
  };
}

/** The metrics of a metric-math alarm, which the local run evaluates only when the expression is a sum of them. */
function summedMetrics(alarm: any): AlarmMetric[] {
  const queries: any[] = alarm.metric_query;
  const result = queries.find((q) => q.return_data === true);
  const ids = String(result?.expression ?? '')
    .split('+')
    .map((id) => id.trim());
  const metrics = ids.map((id) => queries.find((q) => q.id === id && q.metric !== undefined)?.metric);
  if (metrics.length === 0 || metrics.some((m) => m === undefined)) {
    throw new UnsupportedAslError(
      `Alarm ${alarm.alarm_name}: the local run evaluates only sums of metrics, not "${result?.expression}".`,
    );
  }
  return metrics.map((m) => ({
    namespace: m.namespace,
    metricName: m.metric_name,
    dimensions: m.dimensions ?? {},
    statistic: m.stat,
  }));
}

/** What the metrics read of an execution's report: how it ended. */
export type ExecutionOutcome = Pick<ExecutionReport, 'status' | 'error'>;

/** Samples of one metric: what CloudWatch would aggregate into Sum, Maximum, SampleCount. */
interface Samples {
  sum: number;
  maximum: number;
  sampleCount: number;
}

/** The metrics a local run produces, as CloudWatch would have recorded them over one period. */
export class LocalMetrics {
  private readonly samples = new Map<string, Samples>();

  /**
   * The metrics of executions and function calls: `AWS/States` executions started, succeeded,
   * failed and timed out for the state machine, and `AWS/Lambda` invocations, errors and durations
   * for each function. What the local run does not model (throttling, aborted executions, DynamoDB
   * system errors) has no data, which the alarms treat as not breaching.
   */
  public static of(
    stateMachineArn: string,
    reports: readonly ExecutionOutcome[],
    functions: ReadonlyMap<string, FunctionMetrics>,
  ): LocalMetrics {
    const metrics = new LocalMetrics();
    const machine = { StateMachineArn: stateMachineArn };
    for (const report of reports) {
      const timedOut = report.status === 'FAILED' && report.error === 'States.Timeout';
      metrics.record('AWS/States', 'ExecutionsStarted', machine, 1);
      metrics.record('AWS/States', 'ExecutionsSucceeded', machine, report.status === 'SUCCEEDED' ? 1 : 0);
      metrics.record('AWS/States', 'ExecutionsFailed', machine, report.status === 'FAILED' && !timedOut ? 1 : 0);
      metrics.record('AWS/States', 'ExecutionsTimedOut', machine, timedOut ? 1 : 0);
    }
    for (const [functionName, fn] of functions) {
      if (fn.invocations === 0) continue;
      const dimensions = { FunctionName: functionName };
      metrics.record('AWS/Lambda', 'Invocations', dimensions, fn.invocations);
      metrics.record('AWS/Lambda', 'Errors', dimensions, fn.errors);
      metrics.record('AWS/Lambda', 'Duration', dimensions, fn.maxDurationMs);
    }
    return metrics;
  }

  /** Adds a sample to a metric. */
  public record(
    namespace: string,
    metricName: string,
    dimensions: Readonly<Record<string, string>>,
    value: number,
  ): void {
    const key = metricKey({ namespace, metricName, dimensions });
    const samples = this.samples.get(key) ?? { sum: 0, maximum: Number.NEGATIVE_INFINITY, sampleCount: 0 };
    samples.sum += value;
    samples.maximum = Math.max(samples.maximum, value);
    samples.sampleCount += 1;
    this.samples.set(key, samples);
  }

  /** A metric's statistic over the run, or undefined when it has no data. */
  public statistic(metric: AlarmMetric): number | undefined {
    const samples = this.samples.get(metricKey(metric));
    if (samples === undefined) return undefined;
    switch (metric.statistic) {
      case 'Sum':
        return samples.sum;
      case 'Maximum':
        return samples.maximum;
      case 'SampleCount':
        return samples.sampleCount;
      default:
        throw new UnsupportedAslError(
          `The local run cannot compute the statistic ${metric.statistic} of ${metric.metricName}.`,
        );
    }
  }
}

function metricKey(metric: Pick<AlarmMetric, 'namespace' | 'metricName' | 'dimensions'>): string {
  const dimensions = Object.entries(metric.dimensions).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([metric.namespace, metric.metricName, dimensions]);
}

const COMPARISONS: Readonly<
  Record<string, { readonly symbol: string; readonly holds: (value: number, threshold: number) => boolean }>
> = {
  GreaterThanOrEqualToThreshold: { symbol: '>=', holds: (value, threshold) => value >= threshold },
  GreaterThanThreshold: { symbol: '>', holds: (value, threshold) => value > threshold },
  LessThanThreshold: { symbol: '<', holds: (value, threshold) => value < threshold },
  LessThanOrEqualToThreshold: { symbol: '<=', holds: (value, threshold) => value <= threshold },
};

/**
 * Each alarm's state had the run been one period: its metrics' statistics added up and compared with
 * its threshold; a metric without data does not breach (the alarms' `treat_missing_data`).
 */
export function evaluateAlarms(alarms: readonly SynthesizedAlarm[], metrics: LocalMetrics): AlarmVerdict[] {
  return alarms.map((alarm) => {
    const compare = COMPARISONS[alarm.comparison];
    if (compare === undefined)
      throw new UnsupportedAslError(`Alarm ${alarm.name}: the local run cannot compare with ${alarm.comparison}.`);
    const values = alarm.metrics.map((m) => metrics.statistic(m)).filter((v): v is number => v !== undefined);
    const value = values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
    const state = value !== undefined && compare.holds(value, alarm.threshold) ? 'ALARM' : 'OK';
    return {
      name: alarm.name,
      description: alarm.description,
      state,
      ...(value === undefined ? {} : { value: Math.round(value * 100) / 100 }),
      comparison: compare.symbol,
      threshold: alarm.threshold,
    };
  });
}

/** The verdicts as lines: the alarms that would have fired, or that none would. */
export function formatAlarmVerdicts(verdicts: readonly AlarmVerdict[]): string {
  const firing = verdicts.filter((v) => v.state === 'ALARM');
  if (firing.length === 0) return `Alarms: none of the ${verdicts.length} would have fired`;
  return [
    `Alarms that would have fired (${firing.length} of ${verdicts.length}, the run taken as one period):`,
    ...firing.map((v) => `  ${v.name}: ${v.value} ${v.comparison} ${v.threshold}. ${v.description}`),
  ].join('\n');
}
