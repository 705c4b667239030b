import { reviewEdit, reviewPlanOf } from '../../support/plan-review-rules';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:mock-payment-workflow-alarms';

describe('Rule: monitoring removed, from two syntheses', () => {
  it('flags the state machine alarms destroyed, in one line naming them all', () => {
    // Act
    const run = reviewEdit((stack) => {
      for (const name of ['executions_aborted', 'executions_failed', 'executions_throttled', 'executions_timed_out'])
        delete stack.resource.aws_cloudwatch_metric_alarm[name];
    });
    // Assess
    expect(run.risks).toEqual([
      'monitoring aws_cloudwatch_metric_alarm.executions_aborted, aws_cloudwatch_metric_alarm.executions_failed, aws_cloudwatch_metric_alarm.executions_throttled, aws_cloudwatch_metric_alarm.executions_timed_out: is destroyed: nobody is told when what it watches fails',
    ]);
    expect(run.status).toBe(3);
  });

  it('flags the alarm topic destroyed: the alarms reach nobody', () => {
    const run = reviewEdit((stack) => {
      delete stack.resource.aws_sns_topic;
      delete stack.resource.aws_sns_topic_policy;
    });
    expect(run.risks).toEqual([
      'monitoring aws_sns_topic.alarms: is destroyed: the alarms that notify it reach nobody',
    ]);
  });

  it('flags an alarm whose actions are turned off', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_cloudwatch_metric_alarm.executions_failed.actions_enabled = false;
    });
    expect(run.risks).toEqual([
      'monitoring aws_cloudwatch_metric_alarm.executions_failed: turns its actions off (actions_enabled false): it changes state but notifies nobody',
    ]);
    expect(run.status).toBe(3);
  });

  it('flags an alarm whose alarm_actions are emptied', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_cloudwatch_metric_alarm.table_system_errors.alarm_actions = [];
    });
    expect(run.risks).toEqual([
      'monitoring aws_cloudwatch_metric_alarm.table_system_errors: empties alarm_actions: when it fires, nobody is told',
    ]);
  });

  it('does not flag an alarm whose threshold changes', () => {
    const run = reviewEdit((stack) => {
      stack.resource.aws_cloudwatch_metric_alarm.executions_failed.threshold = 2;
    });
    expect({ risks: run.risks, status: run.status }).toEqual({ risks: [], status: 0 });
  });
});

describe('Rule: monitoring removed, from a plan', () => {
  it('flags the email subscription of the alarm topic destroyed', () => {
    const run = reviewPlanOf([
      {
        address: 'aws_sns_topic_subscription.alarm_email',
        type: 'aws_sns_topic_subscription',
        actions: ['delete'],
        before: { topic_arn: TOPIC_ARN, protocol: 'email', endpoint: 'oncall@example.com' },
      },
    ]);
    expect(run.risks).toEqual([
      'monitoring aws_sns_topic_subscription.alarm_email: is destroyed: its endpoint is no longer told of the alarms',
    ]);
    expect(run.status).toBe(3);
  });

  it('does not flag alarm_actions that are only unknown until apply', () => {
    const run = reviewPlanOf([
      {
        address: 'aws_cloudwatch_metric_alarm.executions_failed',
        type: 'aws_cloudwatch_metric_alarm',
        actions: ['update'],
        before: { alarm_actions: [TOPIC_ARN], threshold: 1 },
        after: { threshold: 1 },
        after_unknown: { alarm_actions: true },
      },
    ]);
    expect(run.risks).toEqual([]);
  });
});
