import * as path from 'node:path';
import { CREDENTIAL_ENTROPY_BITS, entropyBits, maskCredentials } from '../../../review/values';
import { FIXTURES_DIR } from '../../support/plan-review';
import { reviewEdit, reviewPlanFile, reviewPlanOf, type RuleRun } from '../../support/plan-review-rules';

// Made-up credentials, assembled so that no scanner mistakes this file for a leak.
const STRIPE_KEY = ['sk', 'live', '51HxQzT8bLw2Vn6RcY4pKd9M'].join('_');
const ACCESS_KEY_ID = ['AKIA', 'Z7Q2W3E4R5T6Y7U8'].join('');
const PRIVATE_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAx7Qz9vN2xK7pLm4RtY9wBc3HdJ6fGs1AeUoQiTkVnM',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const GITHUB_TOKEN = ['ghp', 'Zq8vN2xK7pLm4RtY9wBc3HdJ6fGs1AeUoQiT'].join('_');
const SLACK_TOKEN = ['xoxb', '123456789012', 'Zq8vN2xK7pLm4RtY'].join('-');
const RANDOM_SECRET = 'Zq8vN2xK7pLm4RtY9wBc3HdJ6fGs1AeUoQiTkVnM';

/** Whether a value appears in any of the three formats. */
function printed(run: RuleRun, value: string): boolean {
  const escaped = JSON.stringify(value).slice(1, -1);
  return [run.text, run.markdown, run.json].some((output) => output.includes(value) || output.includes(escaped));
}

/** A plan in which the create order function gains one environment variable. */
function functionGaining(name: string, value: string): RuleRun {
  const before = {
    function_name: 'mock-create-order',
    environment: [{ variables: { ORDERS_TABLE_NAME: 'MockOrders' } }],
  };
  const after = {
    function_name: 'mock-create-order',
    environment: [{ variables: { ORDERS_TABLE_NAME: 'MockOrders', [name]: value } }],
  };
  return reviewPlanOf([
    { address: 'aws_lambda_function.create_order', type: 'aws_lambda_function', actions: ['update'], before, after },
  ]);
}

describe('Rule: credentials by value, from two syntheses', () => {
  it('flags a Stripe live key in an environment variable whose name says nothing of secrets, and never prints it', () => {
    // Act
    const run = reviewEdit((stack) => {
      stack.resource.aws_lambda_function.create_order.environment.variables.CHECKOUT_SETTING = STRIPE_KEY;
    });
    // Assess
    expect(run.risks).toEqual([
      "exposure aws_lambda_function.create_order: environment variable CHECKOUT_SETTING holds what looks like a Stripe secret key, in plain text: anyone who may read the function's configuration (lambda:GetFunctionConfiguration) or the Terraform state can read it",
    ]);
    expect(run.status).toBe(3);
    expect(printed(run, STRIPE_KEY)).toBe(false);
  });
});

describe('Rule: credentials by value, from a plan', () => {
  it.each([
    ['an AWS access key id', ACCESS_KEY_ID],
    ['a private key', PRIVATE_KEY],
    ['a GitHub token', GITHUB_TOKEN],
    ['a Slack token', SLACK_TOKEN],
    ['a random string of credential length', RANDOM_SECRET],
  ])('flags %s in an environment variable, in no format printed', (kind, value) => {
    const run = functionGaining('SETTING', value);
    expect(run.risks).toEqual([
      `exposure aws_lambda_function.create_order: environment variable SETTING holds what looks like ${kind}, in plain text: anyone who may read the function's configuration (lambda:GetFunctionConfiguration) or the Terraform state can read it`,
    ]);
    expect(run.status).toBe(3);
    expect(printed(run, value)).toBe(false);
  });

  it('flags a credential outside a function, naming the attribute that holds it', () => {
    const run = reviewPlanOf([
      {
        address: 'aws_dynamodb_table.orders',
        type: 'aws_dynamodb_table',
        actions: ['update'],
        before: { name: 'MockOrders', tags: {} },
        after: { name: 'MockOrders', tags: { note: ACCESS_KEY_ID } },
      },
    ]);
    expect(run.risks).toEqual([
      "exposure aws_dynamodb_table.orders: tags.note holds what looks like an AWS access key id, in plain text: anyone who may read this resource's configuration or the Terraform state can read it",
    ]);
    expect(printed(run, ACCESS_KEY_ID)).toBe(false);
  });

  it('keeps masking by name a value that looks like no credential', () => {
    const run = functionGaining('DB_PASSWORD', 'hunter2');
    expect({ risks: run.risks, printed: printed(run, 'hunter2') }).toEqual({ risks: [], printed: false });
  });

  it('flags nothing and masks nothing in the whole stack deployed for the first time', () => {
    const run = reviewEdit(
      () => undefined,
      (base) => {
        base.resource = {};
      },
    );
    expect({ risks: run.risks, masked: run.json.includes('(credential:'), status: run.status }).toEqual({
      risks: [],
      masked: false,
      status: 0,
    });
  });

  it('flags nothing and masks nothing in the real plan of the whole stack', () => {
    const run = reviewPlanFile(path.join(FIXTURES_DIR, 'everything-new', 'plan.json'));
    expect({ risks: run.risks, masked: run.json.includes('(credential:'), status: run.status }).toEqual({
      risks: [],
      masked: false,
      status: 0,
    });
  });
});

describe('Function: maskCredentials', () => {
  it.each([
    ['an ARN', 'arn:aws:lambda:us-east-1:123456789012:function:mock-create-order', 'function_name'],
    ['a UUID', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'id'],
    ['a hex digest', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'etag'],
    [
      'the base64 SHA-256 of a zip under source_code_hash',
      '4vev5yGUiagcWCBB+O2NKP54158X4FBbyxtvGDC6db4=',
      'source_code_hash',
    ],
    [
      'an asset folder',
      '${path.module}/assets/payment-workflow_accept-payment_bundle_36726D29/6DF150942D4409F4FB459C87A389121D',
      'source_dir',
    ],
    [
      'a bundled zip in base64, far longer than a credential',
      `UEsDBBQAAAAIAA${'Zq8vN2xK7pLm4RtY9wBc3HdJ6fGs1AeUoQiTkVnM'.repeat(5)}`,
      'content_base64',
    ],
    [
      'a state machine definition',
      '{"StartAt":"CreateOrder","States":{"CreateOrder":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"${aws_lambda_function.create_order.arn}","Payload.$":"$$.Execution.Input"},"Next":"HoldPayment"}}}',
      'definition',
    ],
  ])('leaves %s as it is', (_label, value, key) => {
    expect(maskCredentials(value, key)).toBe(value);
  });

  it('masks only the credential inside a longer string, so a definition still decodes', () => {
    expect(maskCredentials(`{"ApiKey":"${STRIPE_KEY}"}`, 'definition')).toBe(
      '{"ApiKey":"(credential: a Stripe secret key)"}',
    );
  });

  it('masks a private key without its END line up to the end of its JSON string, so the document still parses', () => {
    expect(
      maskCredentials(
        '{"Key":"-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC","Next":"Done"}',
        'definition',
      ),
    ).toBe('{"Key":"(credential: a private key)","Next":"Done"}');
  });

  it('measures a random string of credential length above the threshold and a word-like one below it', () => {
    expect({
      random: entropyBits(RANDOM_SECRET) >= CREDENTIAL_ENTROPY_BITS,
      named: entropyBits('PaymentWorkflowOrdersTable2026Version') >= CREDENTIAL_ENTROPY_BITS,
    }).toEqual({
      random: true,
      named: false,
    });
  });
});
