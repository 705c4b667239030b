import { Testing } from 'cdktf';
import { MODULE_STACK_NAME, PaymentWorkflowModuleStack } from '../../lib/payment-workflow-module';
import { TEST_OUTDIR } from '../support/synth';
import { describeWithTerraform, runTerraform, terraformRoot } from '../support/terraform';

/**
 * The module's input validation, evaluated by Terraform itself: the synthesized variable blocks alone
 * form a root that needs no provider, so `terraform plan -var ...` runs every validation condition
 * for real. Each case says, as a literal, whether Terraform accepts the value or which message it
 * refuses it with.
 */

describeWithTerraform("the module's input validation")('Module: input validation, evaluated by terraform plan', () => {
  const app = Testing.app({ outdir: TEST_OUTDIR });
  const module = JSON.parse(Testing.synth(new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME)));
  const dir = terraformRoot({ variable: module.variable });

  /** Plans with the given variables: `accepted`, or the validation messages Terraform refused them with. */
  const plan = (vars: Record<string, string>): string => {
    const result = runTerraform(dir, ['plan', '-input=false', '-no-color', '-lock=false'], vars);
    if (result.status === 0) return 'accepted';
    // Each refusal is the rule's message, wrapped over lines, in the paragraph before "This was checked ...".
    const paragraphs = result.stderr.split(/\n\s*\n/).map((p) =>
      p
        .replace(/^[\s│]+/gm, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    const messages = paragraphs.filter((_, i) =>
      paragraphs[i + 1]?.startsWith('This was checked by the validation rule'),
    );
    if (messages.length === 0) throw new Error(`terraform plan failed without a validation message: ${result.stderr}`);
    return messages.join(' ');
  };

  it('accepts the defaults', () => {
    expect(plan({})).toBe('accepted');
  });

  it.each([
    ['name_prefix', 'dev-', 'accepted'],
    ['name_prefix', 'bad_prefix!', 'The name_prefix must be empty or up to 20 of a-z A-Z 0-9 and -, such as "dev-".'],
    ['name_prefix', 'a'.repeat(21), 'The name_prefix must be empty or up to 20 of a-z A-Z 0-9 and -, such as "dev-".'],
    ['table_name', 'Orders.v2', 'accepted'],
    ['table_name', 'a b', 'The table_name must be 3 to 255 of a-z A-Z 0-9 _ . and -.'],
    ['table_name', 'ab', 'The table_name must be 3 to 255 of a-z A-Z 0-9 _ . and -.'],
    ['log_retention_days', '365', 'accepted'],
    [
      'log_retention_days',
      '10',
      'The log_retention_days must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.',
    ],
    ['lambda_memory_mb', '10240', 'accepted'],
    ['lambda_memory_mb', '64', 'The lambda_memory_mb must be a whole number from 128 to 10240.'],
    ['lambda_memory_mb', '128.5', 'The lambda_memory_mb must be a whole number from 128 to 10240.'],
    ['lambda_timeout_seconds', '900', 'accepted'],
    ['lambda_timeout_seconds', '901', 'The lambda_timeout_seconds must be null or a whole number from 1 to 900.'],
    ['lambda_timeout_seconds', '0', 'The lambda_timeout_seconds must be null or a whole number from 1 to 900.'],
    ['lambda_reserved_concurrency', '10000', 'accepted'],
    [
      'lambda_reserved_concurrency',
      '0',
      'The lambda_reserved_concurrency must be null or a whole number from 1 to 10000.',
    ],
    ['state_machine_log_level', 'FATAL', 'accepted'],
    ['state_machine_log_level', 'OFF', 'The state_machine_log_level must be null or one of ALL, ERROR, FATAL.'],
    ['workflow_type', 'EXPRESS', 'accepted'],
    ['workflow_type', 'BATCH', 'The workflow_type must be one of STANDARD, EXPRESS.'],
    ['kms_key_arn', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'accepted'],
    [
      'kms_key_arn',
      'arn:aws:kms:us-east-1:123456789012:alias/orders',
      'The kms_key_arn must be null or a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<id> (not an alias).',
    ],
    ['tags', '{"team"="payments"}', 'accepted'],
    [
      'tags',
      '{"aws:team"="payments"}',
      'Each tag key must be 1 to 128 characters and not start with "aws:", and each value at most 256 characters.',
    ],
    ['alarm_period_seconds', '60', 'accepted'],
    ['alarm_period_seconds', '90', 'The alarm_period_seconds must be a multiple of 60 from 60 to 86400.'],
    ['lambda_duration_alarm_percent', '101', 'The lambda_duration_alarm_percent must be a whole number from 1 to 100.'],
    ['alarm_topic_arn', 'arn:aws:sns:us-east-1:123456789012:ops', 'accepted'],
    [
      'alarm_topic_arn',
      'arn:aws:sns:us-east-1:123456789012:ops.fifo',
      'The alarm_topic_arn must be null or an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms.',
    ],
    ['alarm_email', 'ops@example.com', 'accepted'],
    ['alarm_email', 'ops at example.com', 'The alarm_email must be null or an e-mail address such as ops@example.com.'],
  ])('answers %s = %s with: %s', (name, value, verdict) => {
    expect(plan({ [name]: value })).toBe(verdict);
  });

  it('refuses a name prefix and table name that together pass the 255 characters of a table name', () => {
    expect(plan({ name_prefix: 'p'.repeat(20), table_name: 't'.repeat(236) })).toBe(
      'The name_prefix and table_name together name the table, which DynamoDB limits to 255 characters.',
    );
  });

  it('refuses a function timeout above 3 s with EXPRESS, whose executions end after 300 s and keep 12 invocations per Task', () => {
    expect(plan({ workflow_type: 'EXPRESS', lambda_timeout_seconds: '4' })).toBe(
      'With workflow_type EXPRESS, whose executions end after 300 s and whose Tasks keep 12 invocations each for transient errors, ' +
        'the lambda_timeout_seconds must be at most 3, the largest for which the slowest path fits: set it to 3 or less, or to null ' +
        '(3 s for EXPRESS); or set workflow_type to STANDARD.',
    );
    expect(plan({ workflow_type: 'EXPRESS', lambda_timeout_seconds: '3' })).toBe('accepted');
  });

  it('accepts EXPRESS with the function timeout left null, its default of 3 s', () => {
    expect(plan({ workflow_type: 'EXPRESS' })).toBe('accepted');
  });

  it('refuses an alarm e-mail while alarms are off, where it would do nothing', () => {
    expect(plan({ alarms_enabled: 'false', alarm_email: 'ops@example.com' })).toBe(
      'The alarm_email has no effect while alarms_enabled is false: set it to null, or alarms_enabled to true.',
    );
  });
});
