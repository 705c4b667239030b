import type { ChangeAction, ResourceChange } from '../../../review/model';
import { monitoringFindings } from '../../../review/monitoring';
import { secretFindings } from '../../../review/secrets';

/** The secrets and monitoring rules on one change each, in process, with literal findings. */

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const KEY_MARK = '(credential: an AWS access key id)';
const SLACK_MARK = '(credential: a Slack token)';

/** A change of `type` with the values the rules read; the rest as a plan of it would have it. */
function change(type: string, action: ChangeAction, before: unknown, after: unknown): ResourceChange {
  return {
    address: `${type}.x`,
    type,
    action,
    actions: [],
    destroys: action === 'delete' || action === 'replace',
    before,
    after,
    afterUnknown: {},
    replacePaths: [],
    predicted: false,
    references: {},
  };
}

describe('Rule: credentials in plain text', () => {
  it('names the Lambda environment variable that holds a credential, and who can read it', () => {
    const findings = secretFindings(
      change('aws_lambda_function', 'update', {}, { environment: [{ variables: { DB_KEY: `key ${KEY_MARK}` } }] }),
    );
    expect(findings).toEqual([
      {
        kind: 'exposure',
        severity: 'risk',
        address: 'aws_lambda_function.x',
        message:
          "environment variable DB_KEY holds what looks like an AWS access key id, in plain text: anyone who may read the function's configuration (lambda:GetFunctionConfiguration) or the Terraform state can read it",
      },
    ]);
  });

  it('names the attribute, and every kind once, for a credential elsewhere', () => {
    const findings = secretFindings(
      change('aws_ssm_parameter', 'create', null, { description: `${KEY_MARK} ${SLACK_MARK} ${KEY_MARK}` }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      "description holds what looks like an AWS access key id and a Slack token, in plain text: anyone who may read this resource's configuration or the Terraform state can read it",
    ]);
  });

  it('names the attribute path, not a variable, for another resource with an environment block', () => {
    const findings = secretFindings(
      change('aws_codebuild_project', 'create', null, { environment: [{ variables: { K: KEY_MARK } }] }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      "environment[0].variables.K holds what looks like an AWS access key id, in plain text: anyone who may read this resource's configuration or the Terraform state can read it",
    ]);
  });

  it('names the attribute path of a Lambda attribute outside its environment variables', () => {
    const findings = secretFindings(change('aws_lambda_function', 'create', null, { description: KEY_MARK }));
    expect(findings.map((f) => f.message)).toEqual([
      "description holds what looks like an AWS access key id, in plain text: anyone who may read this resource's configuration or the Terraform state can read it",
    ]);
  });

  it('reports only the kinds a value did not hold before', () => {
    const findings = secretFindings(
      change('aws_ssm_parameter', 'update', { description: KEY_MARK }, { description: `${KEY_MARK} ${SLACK_MARK}` }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      "description holds what looks like a Slack token, in plain text: anyone who may read this resource's configuration or the Terraform state can read it",
    ]);
  });

  it.each(['create', 'update', 'replace'] as const)('checks a change that writes (%s)', (action) => {
    expect(secretFindings(change('aws_ssm_parameter', action, null, { description: KEY_MARK }))).toHaveLength(1);
  });

  it.each(['delete', 'no-op', 'read'] as const)('leaves alone a change that writes nothing (%s)', (action) => {
    expect(secretFindings(change('aws_ssm_parameter', action, null, { description: KEY_MARK }))).toEqual([]);
  });

  it('leaves alone a value without a credential', () => {
    expect(secretFindings(change('aws_ssm_parameter', 'create', null, { description: KEY }))).toEqual([]);
  });
});

describe('Rule: monitoring removed', () => {
  it.each([
    ['aws_cloudwatch_metric_alarm', 'is destroyed: nobody is told when what it watches fails'],
    ['aws_cloudwatch_composite_alarm', 'is destroyed: nobody is told when what it watches fails'],
    ['aws_sns_topic', 'is destroyed: the alarms that notify it reach nobody'],
    ['aws_sns_topic_subscription', 'is destroyed: its endpoint is no longer told of the alarms'],
  ])('flags a destroyed %s', (type, message) => {
    expect(monitoringFindings(change(type, 'delete', {}, null))).toEqual([
      { kind: 'monitoring', severity: 'risk', address: `${type}.x`, message },
    ]);
  });

  it.each(['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'])(
    'flags a %s whose actions are turned off',
    (type) => {
      expect(
        monitoringFindings(change(type, 'update', { actions_enabled: true }, { actions_enabled: false })).map(
          (f) => f.message,
        ),
      ).toEqual(['turns its actions off (actions_enabled false): it changes state but notifies nobody']);
    },
  );

  it('flags an alarm replaced with its actions off', () => {
    expect(
      monitoringFindings(change('aws_cloudwatch_metric_alarm', 'replace', {}, { actions_enabled: false })),
    ).toHaveLength(1);
  });

  it('does not flag an alarm created with its actions off', () => {
    expect(
      monitoringFindings(change('aws_cloudwatch_metric_alarm', 'create', null, { actions_enabled: false })),
    ).toEqual([]);
  });

  it('does not flag an alarm whose actions were already off', () => {
    expect(
      monitoringFindings(
        change('aws_cloudwatch_metric_alarm', 'update', { actions_enabled: false }, { actions_enabled: false }),
      ),
    ).toEqual([]);
  });

  it('does not read actions_enabled of a topic, which has none', () => {
    expect(
      monitoringFindings(
        change('aws_sns_topic', 'update', { actions_enabled: true }, { actions_enabled: false, alarm_actions: [] }),
      ),
    ).toEqual([]);
  });

  it('flags an alarm whose alarm_actions are emptied', () => {
    expect(
      monitoringFindings(
        change(
          'aws_cloudwatch_metric_alarm',
          'update',
          { alarm_actions: ['arn:aws:sns:us-east-1:1:t'] },
          { alarm_actions: [] },
        ),
      ).map((f) => f.message),
    ).toEqual(['empties alarm_actions: when it fires, nobody is told']);
  });

  it('does not flag a resource type it does not watch', () => {
    expect(monitoringFindings(change('aws_sqs_queue', 'delete', {}, null))).toEqual([]);
  });
});
