import { ConfigurationError } from '../../lib/config';
import { CONFIG_ENV_VARS, loadConfig } from '../../lib/load-config';

/** A context reader over a plain object, as cdktf.json's `context` would give. */
const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

/** Loads the configuration and returns the error it throws. */
function errorOf(context: Record<string, unknown>, env: Record<string, string> = {}): ConfigurationError {
  try {
    loadConfig(contextOf(context), env);
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('Configuration: loadConfig', () => {
  it('returns the defaults when nothing is set', () => {
    expect(loadConfig(contextOf({}), {})).toEqual({
      region: 'us-east-1',
      namePrefix: '',
      tableName: 'MockOrders',
      logRetentionDays: 365,
      lambdaMemoryMb: 128,
      lambdaTimeoutSeconds: 10,
      tags: {},
      backend: { type: 'local', path: 'terraform.mock-payment-workflow.tfstate' },
      deletionProtection: true,
      stateMachineLogLevel: 'ERROR',
      stateMachineLogExecutionData: false,
      workflowType: 'STANDARD',
      alarms: true,
      alarmPeriodSeconds: 300,
      lambdaDurationAlarmPercent: 80,
      synthesizeModule: false,
    });
  });

  it('reads every setting from the cdktf.json context', () => {
    // Prepare
    const context = {
      region: 'eu-west-1',
      namePrefix: 'dev-',
      tableName: 'Orders',
      logRetentionDays: 30,
      lambdaMemoryMb: 256,
      lambdaTimeoutSeconds: 2,
      tags: { owner: 'payments' },
      backend: { type: 'local', path: 'state/dev.tfstate' },
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      deletionProtection: false,
      lambdaReservedConcurrency: 5,
      stateMachineLogLevel: 'ALL',
      stateMachineLogExecutionData: true,
      workflowType: 'EXPRESS',
      alarms: true,
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alarms',
      alarmEmail: 'ops@example.com',
      alarmPeriodSeconds: 60,
      lambdaDurationAlarmPercent: 90,
      synthesizeModule: true,
    };
    // Act
    const config = loadConfig(contextOf(context), {});
    // Assess
    expect(config).toEqual({ ...context, backend: { type: 'local', path: 'state/dev.tfstate' } });
  });

  it('lets an MPW_* environment variable override the context', () => {
    const config = loadConfig(contextOf({ tableName: 'FromContext', logRetentionDays: 30 }), {
      MPW_TABLE_NAME: 'FromEnv',
      MPW_LOG_RETENTION_DAYS: '90',
      MPW_TAGS: '{"team":"a"}',
    });
    expect([config.tableName, config.logRetentionDays, config.tags]).toEqual(['FromEnv', 90, { team: 'a' }]);
  });

  it('reads the security settings from MPW_* environment variables', () => {
    const config = loadConfig(contextOf({}), {
      MPW_KMS_KEY_ARN: 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      MPW_DELETION_PROTECTION: 'false',
      MPW_LAMBDA_RESERVED_CONCURRENCY: '10',
      MPW_STATE_MACHINE_LOG_LEVEL: 'FATAL',
      MPW_STATE_MACHINE_LOG_EXECUTION_DATA: 'true',
    });
    expect(config).toMatchObject({
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      deletionProtection: false,
      lambdaReservedConcurrency: 10,
      stateMachineLogLevel: 'FATAL',
      stateMachineLogExecutionData: true,
    });
  });

  it('leaves the KMS key and the reserved concurrency unset by default, also when cdktf.json gives null', () => {
    const config = loadConfig(contextOf({ kmsKeyArn: null, lambdaReservedConcurrency: null }), {});
    expect(['kmsKeyArn' in config, 'lambdaReservedConcurrency' in config]).toEqual([false, false]);
  });

  it('protects the table against deletion and logs errors without execution data by default', () => {
    const config = loadConfig(contextOf({}), {});
    expect([config.deletionProtection, config.stateMachineLogLevel, config.stateMachineLogExecutionData]).toEqual([
      true,
      'ERROR',
      false,
    ]);
  });

  it('rejects a KMS key of another region than the deployment', () => {
    expect(
      errorOf({
        region: 'us-east-1',
        kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      }).message,
    ).toBe(
      'Invalid settings "kmsKeyArn" and "region": the key must be in the region the resources are deployed to, received a key ' +
        'in eu-west-1 for region us-east-1. Fix: set MPW_KMS_KEY_ARN to a key in us-east-1, or MPW_REGION to eu-west-1.',
    );
  });

  it('reads an s3 backend with encryption settings', () => {
    const config = loadConfig(
      contextOf({ backend: { type: 's3', bucket: 'my-state', key: 'mpw/state', region: 'eu-west-1' } }),
      {},
    );
    expect(config.backend).toEqual({ type: 's3', bucket: 'my-state', key: 'mpw/state', region: 'eu-west-1' });
  });

  it('defaults the s3 backend key and region', () => {
    const config = loadConfig(contextOf({ region: 'eu-central-1' }), { MPW_BACKEND: 's3', MPW_S3_BUCKET: 'my-state' });
    expect(config.backend).toEqual({
      type: 's3',
      bucket: 'my-state',
      key: 'mock-payment-workflow/terraform.tfstate',
      region: 'eu-central-1',
    });
  });

  it('refuses an alarm topic in another region, which CloudWatch could not notify', () => {
    expect(errorOf({ region: 'us-east-1', alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' }).message).toBe(
      'Invalid settings "alarmTopicArn" and "region": CloudWatch alarms notify a topic in their own region only, received a topic ' +
        'in eu-west-1 for region us-east-1. Fix: set MPW_ALARM_TOPIC_ARN to a topic in us-east-1.',
    );
  });

  it.each([
    ['alarmEmail', { alarms: false, alarmEmail: 'ops@example.com' }, 'MPW_ALARM_EMAIL'],
    [
      'alarmTopicArn',
      { alarms: false, alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' },
      'MPW_ALARM_TOPIC_ARN',
    ],
  ])('refuses %s while alarms is false, where it would silently do nothing', (name, context, env) => {
    expect(errorOf(context).message).toBe(
      `Invalid settings "alarms" and "${name}": ${name} has no effect while alarms is false. Fix: unset ${env}, or set MPW_ALARMS to true.`,
    );
  });

  it('reads an HCP Terraform backend', () => {
    const config = loadConfig(contextOf({}), {
      MPW_BACKEND: 'cloud',
      MPW_CLOUD_ORGANIZATION: 'acme',
      MPW_CLOUD_WORKSPACE: 'payments',
    });
    expect(config.backend).toEqual({ type: 'cloud', organization: 'acme', workspace: 'payments' });
  });

  it.each([
    [
      'tableName',
      { tableName: 'a b' },
      {},
      /"tableName" from cdktf\.json context "tableName".*received "a b".*MPW_TABLE_NAME/,
    ],
    ['tableName', {}, { MPW_TABLE_NAME: 'x' }, /"tableName" from environment variable MPW_TABLE_NAME.*received "x"/],
    ['namePrefix', { namePrefix: 'bad_prefix!' }, {}, /"namePrefix".*MPW_NAME_PREFIX/],
    ['region', { region: 'mars' }, {}, /"region".*received "mars".*us-east-1/],
    ['logRetentionDays', { logRetentionDays: 10 }, {}, /"logRetentionDays".*received 10.*one of 1, 3, 5/],
    ['logRetentionDays', {}, { MPW_LOG_RETENTION_DAYS: 'forever' }, /"logRetentionDays".*received "forever"/],
    ['lambdaMemoryMb', { lambdaMemoryMb: 64 }, {}, /"lambdaMemoryMb".*received 64.*128 to 10240/],
    ['lambdaTimeoutSeconds', { lambdaTimeoutSeconds: 1.5 }, {}, /"lambdaTimeoutSeconds".*received 1\.5/],
    ['tags', { tags: ['a'] }, {}, /"tags".*JSON object of string values/],
    ['tags', {}, { MPW_TAGS: '{not json' }, /"tags" from environment variable MPW_TAGS/],
    [
      'backend',
      { backend: { type: 'gcs' } },
      {},
      /"backend\.type" from cdktf\.json context "backend\.type".*received "gcs".*local, s3 or cloud/,
    ],
    ['backend', { backend: 'local' }, {}, /"backend".*an object such as/],
    ['backend.path', { backend: { type: 'local', path: 'state.json' } }, {}, /"backend\.path".*MPW_STATE_PATH/],
    [
      'kmsKeyArn',
      {},
      { MPW_KMS_KEY_ARN: 'arn:aws:kms:us-east-1:123456789012:alias/orders' },
      /"kmsKeyArn".*received "arn:aws:kms:us-east-1:123456789012:alias\/orders".*not an alias/,
    ],
    [
      'kmsKeyArn',
      { kmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      {},
      /"kmsKeyArn" from cdktf\.json context "kmsKeyArn".*MPW_KMS_KEY_ARN/,
    ],
    [
      'deletionProtection',
      {},
      { MPW_DELETION_PROTECTION: 'yes' },
      /"deletionProtection".*received "yes".*true or false/,
    ],
    [
      'lambdaReservedConcurrency',
      { lambdaReservedConcurrency: 0 },
      {},
      /"lambdaReservedConcurrency".*received 0.*from 1 to 10000/,
    ],
    [
      'stateMachineLogLevel',
      { stateMachineLogLevel: 'OFF' },
      {},
      /"stateMachineLogLevel".*received "OFF".*ALL, ERROR or FATAL/,
    ],
    [
      'stateMachineLogExecutionData',
      { stateMachineLogExecutionData: 'on' },
      {},
      /"stateMachineLogExecutionData".*received "on"/,
    ],
    [
      'alarms',
      {},
      { MPW_ALARMS: 'off' },
      /"alarms" from environment variable MPW_ALARMS.*received "off".*true or false/,
    ],
    [
      'alarmTopicArn',
      { alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops.fifo' },
      {},
      /"alarmTopicArn".*received "arn:aws:sns:us-east-1:123456789012:ops\.fifo".*MPW_ALARM_TOPIC_ARN/,
    ],
    [
      'alarmEmail',
      {},
      { MPW_ALARM_EMAIL: 'ops at example.com' },
      /"alarmEmail".*received "ops at example\.com".*an e-mail address/,
    ],
    [
      'alarmPeriodSeconds',
      { alarmPeriodSeconds: 90 },
      {},
      /"alarmPeriodSeconds".*received 90.*a multiple of 60 from 60 to 86400/,
    ],
    ['alarmPeriodSeconds', { alarmPeriodSeconds: 30 }, {}, /"alarmPeriodSeconds".*received 30.*a multiple of 60/],
    [
      'lambdaDurationAlarmPercent',
      { lambdaDurationAlarmPercent: 101 },
      {},
      /"lambdaDurationAlarmPercent".*received 101.*from 1 to 100/,
    ],
  ])('names the setting %s when its value is invalid', (_setting, context, env, message) => {
    // Act
    const error = errorOf(context, env);
    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Fix: ');
  });

  it.each([
    ['region', 'MPW_REGION', 'mars', 'an AWS region such as us-east-1', {}],
    ['namePrefix', 'MPW_NAME_PREFIX', 'dev_', 'empty, or up to 20 of a-z A-Z 0-9 and -, e.g. "dev-"', {}],
    ['tableName', 'MPW_TABLE_NAME', 'x', '3-255 of a-z A-Z 0-9 _ . -', {}],
    [
      'logRetentionDays',
      'MPW_LOG_RETENTION_DAYS',
      '10',
      'one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      {},
    ],
    ['lambdaMemoryMb', 'MPW_LAMBDA_MEMORY_MB', '64', 'a whole number from 128 to 10240', {}],
    ['lambdaTimeoutSeconds', 'MPW_LAMBDA_TIMEOUT_SECONDS', '0', 'a whole number from 1 to 900', {}],
    ['tags', 'MPW_TAGS', '[1]', 'a JSON object of string values, e.g. {"owner":"payments"}', {}],
    ['backend.type', 'MPW_BACKEND', 'gcs', 'local, s3 or cloud', {}],
    ['backend.path', 'MPW_STATE_PATH', 'state.json', 'a path to a .tfstate file, relative to the project root', {}],
    ['backend.bucket', 'MPW_S3_BUCKET', 'B B', 'the name of an existing S3 bucket', { MPW_BACKEND: 's3' }],
    [
      'backend.region',
      'MPW_S3_REGION',
      'mars',
      "the bucket's region",
      { MPW_BACKEND: 's3', MPW_S3_BUCKET: 'orders-state' },
    ],
    [
      'backend.kmsKeyId',
      'MPW_S3_KMS_KEY_ID',
      'alias/x',
      'a KMS key ARN',
      { MPW_BACKEND: 's3', MPW_S3_BUCKET: 'orders-state' },
    ],
    [
      'backend.organization',
      'MPW_CLOUD_ORGANIZATION',
      'a b',
      'your HCP Terraform organization name',
      { MPW_BACKEND: 'cloud', MPW_CLOUD_WORKSPACE: 'w' },
    ],
    [
      'backend.workspace',
      'MPW_CLOUD_WORKSPACE',
      'a b',
      'an HCP Terraform workspace name',
      { MPW_BACKEND: 'cloud', MPW_CLOUD_ORGANIZATION: 'o' },
    ],
    [
      'backend.hostname',
      'MPW_CLOUD_HOSTNAME',
      'https://x',
      'e.g. app.terraform.io',
      { MPW_BACKEND: 'cloud', MPW_CLOUD_ORGANIZATION: 'o', MPW_CLOUD_WORKSPACE: 'w' },
    ],
    [
      'kmsKeyArn',
      'MPW_KMS_KEY_ARN',
      'alias/x',
      'the ARN of a KMS key in the deployment region, arn:aws:kms:<region>:<account>:key/<key id> (not an alias)',
      {},
    ],
    ['deletionProtection', 'MPW_DELETION_PROTECTION', 'yes', 'true or false', {}],
    [
      'lambdaReservedConcurrency',
      'MPW_LAMBDA_RESERVED_CONCURRENCY',
      '0',
      "a whole number from 1 to 10000, within your account's Lambda concurrency quota",
      {},
    ],
    ['stateMachineLogLevel', 'MPW_STATE_MACHINE_LOG_LEVEL', 'OFF', 'ALL, ERROR or FATAL', {}],
    ['stateMachineLogExecutionData', 'MPW_STATE_MACHINE_LOG_EXECUTION_DATA', 'on', 'true or false', {}],
    ['workflowType', 'MPW_WORKFLOW_TYPE', 'SYNC', 'STANDARD or EXPRESS', {}],
    ['alarms', 'MPW_ALARMS', 'off', 'true or false', {}],
    [
      'alarmTopicArn',
      'MPW_ALARM_TOPIC_ARN',
      'x',
      'the ARN of an SNS topic in the deployment region, arn:aws:sns:<region>:<account>:<topic name>',
      {},
    ],
    ['alarmEmail', 'MPW_ALARM_EMAIL', 'x', 'an e-mail address such as ops@example.com', {}],
    ['alarmPeriodSeconds', 'MPW_ALARM_PERIOD_SECONDS', '90', 'a multiple of 60 from 60 to 86400', {}],
    ['lambdaDurationAlarmPercent', 'MPW_LAMBDA_DURATION_ALARM_PERCENT', '0', 'a whole number from 1 to 100', {}],
    ['synthesizeModule', 'MPW_SYNTHESIZE_MODULE', 'maybe', 'true or false', {}],
  ])(
    'refuses a bad %s from %s with what it expects, what it received and how to fix it',
    (key, variable, value, expected, others) => {
      expect(errorOf({}, { ...others, [variable]: value }).message).toBe(
        `Invalid setting "${key}" from environment variable ${variable}: expected ${expected}, received "${value}". ` +
          `Fix: set ${variable} or "${key}" in cdktf.json's context to ${expected}.`,
      );
    },
  );

  it('refuses an s3 state key longer than S3 allows, naming backend.key and MPW_S3_KEY', () => {
    expect(
      errorOf({}, { MPW_BACKEND: 's3', MPW_S3_BUCKET: 'orders-state', MPW_S3_KEY: 'k'.repeat(1025) }).message,
    ).toBe(
      `Invalid setting "backend.key" from environment variable MPW_S3_KEY: expected an object key such as mock-payment-workflow/terraform.tfstate, ` +
        `received "${'k'.repeat(56)}.... Fix: set MPW_S3_KEY or "backend.key" in cdktf.json's context to an object key such as mock-payment-workflow/terraform.tfstate.`,
    );
  });

  it('names the missing bucket of an s3 backend and how to set it', () => {
    expect(errorOf({ backend: { type: 's3' } }).message).toBe(
      'Missing setting "backend.bucket": the s3 backend needs it. ' +
        `Fix: set MPW_S3_BUCKET or "backend.bucket" in cdktf.json's context to the name of an existing S3 bucket.`,
    );
  });

  it('names the missing organization of an HCP Terraform backend', () => {
    expect(errorOf({ backend: { type: 'cloud', workspace: 'w' } }).message).toMatch(
      /^Missing setting "backend\.organization".*MPW_CLOUD_ORGANIZATION/,
    );
  });

  it('rejects a prefix and a table name longer than DynamoDB allows together', () => {
    expect(errorOf({ namePrefix: 'staging-', tableName: 'T'.repeat(250) }).message).toMatch(
      /^Invalid settings "namePrefix" and "tableName": .* 255 characters, received 258\. Fix: shorten MPW_TABLE_NAME or MPW_NAME_PREFIX\.$/,
    );
  });

  it('rejects unknown MPW_* variables, which are most likely typos, and lists the known ones', () => {
    expect(errorOf({}, { MPW_TABEL_NAME: 'Orders', MPW_REGON: 'eu-west-1' }).message).toBe(
      'Unknown setting MPW_TABEL_NAME, MPW_REGON in the environment. Known MPW_* variables: MPW_REGION, MPW_NAME_PREFIX, ' +
        'MPW_TABLE_NAME, MPW_LOG_RETENTION_DAYS, MPW_LAMBDA_MEMORY_MB, MPW_LAMBDA_TIMEOUT_SECONDS, MPW_TAGS, MPW_BACKEND, ' +
        'MPW_STATE_PATH, MPW_S3_BUCKET, MPW_S3_KEY, MPW_S3_REGION, MPW_S3_KMS_KEY_ID, MPW_CLOUD_ORGANIZATION, ' +
        'MPW_CLOUD_WORKSPACE, MPW_CLOUD_HOSTNAME, MPW_KMS_KEY_ARN, MPW_DELETION_PROTECTION, MPW_LAMBDA_RESERVED_CONCURRENCY, ' +
        'MPW_STATE_MACHINE_LOG_LEVEL, MPW_STATE_MACHINE_LOG_EXECUTION_DATA, MPW_WORKFLOW_TYPE, MPW_ALARMS, MPW_ALARM_TOPIC_ARN, ' +
        'MPW_ALARM_EMAIL, MPW_ALARM_PERIOD_SECONDS, MPW_LAMBDA_DURATION_ALARM_PERCENT, MPW_SYNTHESIZE_MODULE. ' +
        'Fix: correct the name or unset it.',
    );
  });

  it('ignores environment variables that are not MPW_*', () => {
    expect(loadConfig(contextOf({}), { PATH: '/usr/bin', AWS_REGION: 'eu-west-1' }).region).toBe('us-east-1');
  });

  it('reads workflowType from MPW_WORKFLOW_TYPE and rejects a type Step Functions does not have', () => {
    expect(loadConfig(contextOf({}), { MPW_WORKFLOW_TYPE: 'EXPRESS' }).workflowType).toBe('EXPRESS');
    expect(errorOf({}, { MPW_WORKFLOW_TYPE: 'express' }).message).toBe(
      'Invalid setting "workflowType" from environment variable MPW_WORKFLOW_TYPE: expected STANDARD or EXPRESS, received "express". ' +
        'Fix: set MPW_WORKFLOW_TYPE or "workflowType" in cdktf.json\'s context to STANDARD or EXPRESS.',
    );
  });

  it('logs ALL events of an EXPRESS workflow by default, whose log is its only history, and still no execution data', () => {
    const config = loadConfig(contextOf({}), { MPW_WORKFLOW_TYPE: 'EXPRESS' });
    expect([config.stateMachineLogLevel, config.stateMachineLogExecutionData]).toEqual(['ALL', false]);
  });

  it('keeps a log level set explicitly with EXPRESS', () => {
    expect(
      loadConfig(contextOf({ stateMachineLogLevel: 'ERROR' }), { MPW_WORKFLOW_TYPE: 'EXPRESS' }).stateMachineLogLevel,
    ).toBe('ERROR');
  });

  it("gives an EXPRESS workflow's functions a 3 s timeout by default, so its 5 minutes hold every Task's retries", () => {
    expect(loadConfig(contextOf({}), { MPW_WORKFLOW_TYPE: 'EXPRESS' }).lambdaTimeoutSeconds).toBe(3);
  });

  it('keeps a function timeout set explicitly with EXPRESS', () => {
    expect(
      loadConfig(contextOf({ lambdaTimeoutSeconds: 1 }), { MPW_WORKFLOW_TYPE: 'EXPRESS' }).lambdaTimeoutSeconds,
    ).toBe(1);
  });

  it('ignores an empty environment variable', () => {
    expect(loadConfig(contextOf({ tableName: 'Kept' }), { MPW_TABLE_NAME: '' }).tableName).toBe('Kept');
  });

  it('documents every environment variable in docs/configuration.md', () => {
    const page = require('node:fs').readFileSync(
      require('node:path').join(__dirname, '..', '..', 'docs', 'configuration.md'),
      'utf8',
    );
    expect(CONFIG_ENV_VARS.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('Configuration: each pattern at its edges', () => {
  const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const S3 = { MPW_BACKEND: 's3', MPW_S3_BUCKET: 'orders-state' };
  const CLOUD = { MPW_BACKEND: 'cloud', MPW_CLOUD_ORGANIZATION: 'acme', MPW_CLOUD_WORKSPACE: 'payments' };

  it.each([
    ['region', { MPW_REGION: '1us-east-1' }],
    ['region', { MPW_REGION: 'us-east-1x' }],
    ['tableName', { MPW_TABLE_NAME: '!Orders' }],
    ['tableName', { MPW_TABLE_NAME: 'Orders!' }],
    ['backend.path', { MPW_STATE_PATH: 'state.tfstate.bak' }],
    ['backend.path', { MPW_STATE_PATH: 'a\0b.tfstate' }],
    ['backend.bucket', { ...S3, MPW_S3_BUCKET: '-orders-state' }],
    ['backend.bucket', { ...S3, MPW_S3_BUCKET: 'orders-state-' }],
    ['backend.key', { ...S3, MPW_S3_KEY: 'k'.repeat(1025) }],
    ['backend.key', { ...S3, MPW_S3_KEY: '\0state' }],
    ['backend.key', { ...S3, MPW_S3_KEY: 'state\0' }],
    ['backend.region', { ...S3, MPW_S3_REGION: '1us-east-1' }],
    ['backend.region', { ...S3, MPW_S3_REGION: 'us-east-1x' }],
    ['backend.kmsKeyId', { ...S3, MPW_S3_KMS_KEY_ID: `xarn:aws:kms:us-east-1:123456789012:key/${KEY_ID}` }],
    ['backend.kmsKeyId', { ...S3, MPW_S3_KMS_KEY_ID: `arn:aws:kms:us-east-1:123456789012:key/${KEY_ID} x` }],
    ['backend.hostname', { ...CLOUD, MPW_CLOUD_HOSTNAME: 'tfe.example.com:' }],
    ['kmsKeyArn', { MPW_KMS_KEY_ARN: `xarn:aws:kms:us-east-1:123456789012:key/${KEY_ID}` }],
    ['kmsKeyArn', { MPW_KMS_KEY_ARN: `arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}x` }],
    ['alarmTopicArn', { MPW_ALARM_TOPIC_ARN: 'xarn:aws:sns:us-east-1:123456789012:ops' }],
    ['alarmTopicArn', { MPW_ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ops.fifo' }],
    ['alarmEmail', { MPW_ALARM_EMAIL: ' ops@example.com' }],
    ['alarmEmail', { MPW_ALARM_EMAIL: 'ops@example.com x' }],
  ])('refuses a %s that is valid only in part: %j', (key, env) => {
    expect(errorOf({}, env).message).toMatch(
      new RegExp(`^Invalid setting "${key.replace('.', '\\.')}" from environment variable `),
    );
  });

  it.each(['1e3', '0x100', ' 256', '256 '])(
    'refuses %j as a whole number, though JavaScript reads a number in it',
    (memory) => {
      expect(errorOf({}, { MPW_LAMBDA_MEMORY_MB: memory }).message).toMatch(
        /^Invalid setting "lambdaMemoryMb" from environment variable MPW_LAMBDA_MEMORY_MB: /,
      );
    },
  );

  it.each(['{"owner":"payments","cost":5}', 'null'])(
    'refuses the tags %s: a JSON object of string values only',
    (tags) => {
      expect(errorOf({}, { MPW_TAGS: tags }).message).toBe(
        `Invalid setting "tags" from environment variable MPW_TAGS: expected a JSON object of string values, e.g. {"owner":"payments"}, ` +
          `received ${JSON.stringify(tags)}. Fix: set MPW_TAGS or "tags" in cdktf.json's context to a JSON object of string values, e.g. {"owner":"payments"}.`,
      );
    },
  );

  it('refuses a tag key that AWS reserves (aws:), as the module does, with the rule it broke', () => {
    expect(errorOf({}, { MPW_TAGS: '{"aws:team":"payments"}' }).message).toBe(
      'Invalid setting "tags" from environment variable MPW_TAGS: expected tag keys of 1 to 128 characters not starting with "aws:" ' +
        'and values of at most 256, received "{\\"aws:team\\":\\"payments\\"}". Fix: set MPW_TAGS or "tags" in cdktf.json\'s context ' +
        'to tag keys of 1 to 128 characters not starting with "aws:" and values of at most 256.',
    );
  });

  it('shows a received value of 60 characters whole', () => {
    expect(errorOf({}, { MPW_TABLE_NAME: `${'y'.repeat(57)} ` }).message).toContain(
      `received "${'y'.repeat(57)} ". Fix:`,
    );
  });

  it('accepts a region with two words, such as us-gov-west-1', () => {
    expect(loadConfig(contextOf({}), { MPW_REGION: 'us-gov-west-1' }).region).toBe('us-gov-west-1');
  });

  it('accepts an s3 backend in another partition, its region and key included', () => {
    const kmsKeyId = `arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/${KEY_ID}`;
    expect(
      loadConfig(contextOf({}), { ...S3, MPW_S3_REGION: 'us-gov-west-1', MPW_S3_KMS_KEY_ID: kmsKeyId }).backend,
    ).toEqual({
      type: 's3',
      bucket: 'orders-state',
      key: 'mock-payment-workflow/terraform.tfstate',
      region: 'us-gov-west-1',
      kmsKeyId,
    });
  });

  it.each(['app.terraform.io', 'tfe.example.com:8443'])('accepts the HCP Terraform hostname %s', (hostname) => {
    expect(loadConfig(contextOf({}), { ...CLOUD, MPW_CLOUD_HOSTNAME: hostname }).backend).toEqual({
      type: 'cloud',
      organization: 'acme',
      workspace: 'payments',
      hostname,
    });
  });

  it('accepts a multi-Region key and a topic in a region with two words of another partition', () => {
    const config = loadConfig(contextOf({}), {
      MPW_REGION: 'us-gov-west-1',
      MPW_KMS_KEY_ARN: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef',
      MPW_ALARM_TOPIC_ARN: 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:ops-alarms',
    });
    expect([config.kmsKeyArn, config.alarmTopicArn]).toEqual([
      'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef',
      'arn:aws-us-gov:sns:us-gov-west-1:123456789012:ops-alarms',
    ]);
  });

  it('accepts a prefix and a table name of exactly 255 characters together', () => {
    const config = loadConfig(contextOf({ namePrefix: 'dev-', tableName: 'T'.repeat(251) }), {});
    expect(config.namePrefix.length + config.tableName.length).toBe(255);
  });

  it('accepts alarms turned off when no topic or e-mail is set', () => {
    expect(loadConfig(contextOf({}), { MPW_ALARMS: 'false' }).alarms).toBe(false);
  });

  it('shortens a long received value to 57 characters and an ellipsis in the message', () => {
    expect(errorOf({}, { MPW_TABLE_NAME: `${'x'.repeat(80)} ` }).message).toContain(
      'received "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.... Fix:',
    );
  });

  it('names the backend that needs a missing HCP Terraform organization and workspace', () => {
    expect([
      errorOf({}, { MPW_BACKEND: 'cloud', MPW_CLOUD_WORKSPACE: 'payments' }).message,
      errorOf({}, { MPW_BACKEND: 'cloud', MPW_CLOUD_ORGANIZATION: 'acme' }).message,
    ]).toEqual([
      'Missing setting "backend.organization": the cloud backend needs it. ' +
        `Fix: set MPW_CLOUD_ORGANIZATION or "backend.organization" in cdktf.json's context to your HCP Terraform organization name.`,
      'Missing setting "backend.workspace": the cloud backend needs it. ' +
        `Fix: set MPW_CLOUD_WORKSPACE or "backend.workspace" in cdktf.json's context to an HCP Terraform workspace name.`,
    ]);
  });
});

describe('Configuration: what an EXPRESS workflow refuses', () => {
  it('refuses lambdaTimeoutSeconds above 3 with EXPRESS, naming both settings, the retries it keeps and the largest value that fits', () => {
    // Act
    const act = () => loadConfig(() => undefined, { MPW_WORKFLOW_TYPE: 'EXPRESS', MPW_LAMBDA_TIMEOUT_SECONDS: '4' });
    // Assess
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow(
      'Invalid settings "lambdaTimeoutSeconds" and "workflowType": an EXPRESS execution ends after 300 s and each of its Tasks ' +
        "keeps 12 invocations for transient errors; with lambdaTimeoutSeconds 4 the workflow's slowest path needs 344 s; " +
        'the largest lambdaTimeoutSeconds that fits is 3. Fix: set MPW_LAMBDA_TIMEOUT_SECONDS to 3 or less (unset, EXPRESS uses 3), ' +
        'or MPW_WORKFLOW_TYPE to STANDARD.',
    );
  });

  it('refuses the 10 s function timeout a cdktf.json of an earlier version pins, once EXPRESS is chosen', () => {
    expect(() => loadConfig(contextOf({ lambdaTimeoutSeconds: 10 }), { MPW_WORKFLOW_TYPE: 'EXPRESS' })).toThrow(
      "with lambdaTimeoutSeconds 10 the workflow's slowest path needs 632 s; the largest lambdaTimeoutSeconds that fits is 3.",
    );
  });

  it('accepts any lambdaTimeoutSeconds with STANDARD', () => {
    expect(loadConfig(() => undefined, { MPW_LAMBDA_TIMEOUT_SECONDS: '900' }).lambdaTimeoutSeconds).toBe(900);
  });
});
