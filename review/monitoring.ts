/**
 * Monitoring removed: an alarm, the topic it notifies or the topic's subscription destroyed, or an
 * alarm that no longer notifies anyone. A payment system that fails without telling anyone is a risk.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
import type { Finding, ResourceChange } from './model';
import { marked } from './values';

/** What is lost when a monitoring resource is destroyed, by type. */
export const MONITORING_TYPES: Readonly<Record<string, string>> = {
  aws_cloudwatch_metric_alarm: 'nobody is told when what it watches fails',
  aws_cloudwatch_composite_alarm: 'nobody is told when what it watches fails',
  aws_sns_topic: 'the alarms that notify it reach nobody',
  aws_sns_topic_subscription: 'its endpoint is no longer told of the alarms',
};

/** The monitoring findings of one change. */
export function monitoringFindings(change: ResourceChange): Finding[] {
  const lost = MONITORING_TYPES[change.type];
  if (lost === undefined) return [];
  const risk = (message: string): Finding => ({
    kind: 'monitoring',
    severity: 'risk',
    address: change.address,
    message,
  });
  if (change.action === 'delete') return [risk(`is destroyed: ${lost}`)];
  if (change.type !== 'aws_cloudwatch_metric_alarm' && change.type !== 'aws_cloudwatch_composite_alarm') return [];
  if (change.action !== 'update' && change.action !== 'replace') return [];
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  const findings: Finding[] = [];
  // The provider's default is true: an absent actions_enabled is enabled.
  if (before.actions_enabled !== false && after.actions_enabled === false)
    findings.push(risk('turns its actions off (actions_enabled false): it changes state but notifies nobody'));
  const notifies = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
  if (
    notifies(before.alarm_actions) &&
    !notifies(after.alarm_actions) &&
    !marked(change.afterUnknown, ['alarm_actions'])
  )
    findings.push(risk('empties alarm_actions: when it fires, nobody is told'));
  return findings;
}
