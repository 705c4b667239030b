/**
 * CloudWatch dashboard bodies as typed objects, rendered to the JSON the API takes.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */

/** Where a widget sits on the 24-column grid. */
interface WidgetPlacement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A metric: namespace, metric name, then dimension name and value pairs. */
export type DashboardMetric = readonly string[];

/** A graph of metrics. */
export interface MetricWidget extends WidgetPlacement {
  readonly type: 'metric';
  readonly properties: {
    readonly title: string;
    readonly region: string;
    readonly period: number;
    readonly stat: 'Sum' | 'Maximum' | 'Average';
    readonly view: 'timeSeries' | 'singleValue';
    readonly metrics: readonly DashboardMetric[];
  };
}

/** The state of some alarms. */
export interface AlarmWidget extends WidgetPlacement {
  readonly type: 'alarm';
  readonly properties: { readonly title: string; readonly alarms: readonly string[] };
}

/** Any widget of these dashboards. */
export type DashboardWidget = MetricWidget | AlarmWidget;

/** A whole dashboard. */
export interface DashboardBody {
  readonly widgets: readonly DashboardWidget[];
}

/** The JSON of a dashboard body; token strings (ARNs, names) become Terraform references. */
export function dashboardBody(body: DashboardBody): string {
  return JSON.stringify(body);
}
