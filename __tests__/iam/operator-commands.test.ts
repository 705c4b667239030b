import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  cliCommandsOfMarkdown,
  cliCommandsOfOutputs,
  requestOfText,
  type CommandContext,
  type CommandRequest,
  UnmappedCliCommand,
} from '../support/cli-commands';
import {
  OPERATOR_ALARM_ACTIONS,
  OPERATOR_EXECUTION_ACTIONS,
  OPERATOR_LOG_GROUP_ACTIONS,
  OPERATOR_STAR_ONLY_ACTIONS,
  OPERATOR_STATE_MACHINE_ACTIONS,
  OPERATOR_TABLE_ACTIONS,
} from '../../lib/external-roles';
import { decideAs, fillPolicy, identityWith } from '../support/policy-files';
import { TEST_ACCOUNT, TEST_REGION } from '../support/references';
import { synthWorkflowStack } from '../support/synth';

/**
 * Every AWS CLI command the project hands its operator, read from where it is written (the runbook,
 * the synthesized stack's `*_command` outputs), mapped to the IAM requests it makes with IAM's own
 * catalogue (support/cli-commands.ts), and evaluated against iam/operator.json, and with a customer
 * managed key against iam/operator.json with iam/operator-kms.json. A command added to the runbook
 * or to the outputs is checked without anyone listing it here; one that cannot be mapped fails with
 * `UnmappedCliCommand`.
 */

const KMS_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const at = `${TEST_REGION}:${TEST_ACCOUNT}`;
const STATE_MACHINE = `arn:aws:states:${at}:stateMachine:mock-payment-workflow`;
const EXECUTION = `arn:aws:states:${at}:execution:mock-payment-workflow:0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const TABLE = `arn:aws:dynamodb:${at}:table/MockOrders`;
const log = (group: string) => `arn:aws:logs:${at}:log-group:${group}`;

/** The runbook's placeholders, and what its prose mentions of a command without naming a resource. */
const CONTEXT: CommandContext = {
  placeholders: { '<state machine ARN>': STATE_MACHINE, '<execution ARN>': EXECUTION, '<execution-arn>': EXECUTION },
  defaultResources: { 'states:execution': EXECUTION, 'states:statemachine': STATE_MACHINE },
};

const values = {
  AccountId: TEST_ACCOUNT,
  Region: TEST_REGION,
  NamePrefix: '',
  TableName: 'MockOrders',
  KmsKeyArn: KMS_KEY_ARN,
};
const operator = identityWith('operator-commands', fillPolicy('operator.json', values));
const operatorWithKey = identityWith(
  'operator-commands-kms',
  fillPolicy('operator.json', values),
  fillPolicy('operator-kms.json', values),
);

/** A request as the literal lists below write it: action, resource, and the KMS actions with a key. */
const summary = (command: string, request: CommandRequest) => ({
  command,
  action: request.action,
  resource: request.resource,
  keyUses: request.keyUses.map((use) => `${use.action} via ${use.context['kms:ViaService']}`),
});

/** `aws <service> <operation>` of a command line. */
const operationOf = (text: string) => text.split(/\s+/).slice(0, 3).join(' ');

const runbook = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
const runbookCommands = cliCommandsOfMarkdown(runbook);
const { stack } = synthWorkflowStack();
const outputCommands = cliCommandsOfOutputs(stack);

describe('Commands: reading them where they are written', () => {
  it('reads commands from fenced blocks, joining continuation lines, and from inline code in prose', () => {
    // Prepare
    const markdown = [
      'Run `aws lambda get-account-settings` first, not `npx cdktf deploy`.',
      '',
      '```bash',
      'aws dynamodb scan --table-name MockOrders \\',
      "  --filter-expression '#s = :failed'",
      'echo done',
      '```',
    ].join('\n');

    // Act
    const commands = cliCommandsOfMarkdown(markdown);

    // Assess
    expect(commands).toEqual([
      "aws dynamodb scan --table-name MockOrders --filter-expression '#s = :failed'",
      'aws lambda get-account-settings',
    ]);
  });

  it('maps the commands of docs/runbook.md to these IAM requests', async () => {
    const requests = await Promise.all(
      runbookCommands.map(async (text) => summary(operationOf(text), await requestOfText(text, CONTEXT))),
    );
    const distinct = [...new Map(requests.map((r) => [JSON.stringify(r), r])).values()];
    expect(distinct.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      {
        command: 'aws dynamodb scan',
        action: 'dynamodb:Scan',
        resource: TABLE,
        keyUses: ['kms:Decrypt via dynamodb.us-east-1.amazonaws.com'],
      },
      { command: 'aws lambda get-account-settings', action: 'lambda:GetAccountSettings', resource: '*', keyUses: [] },
      {
        command: 'aws logs tail',
        action: 'logs:FilterLogEvents',
        resource: log('/aws/lambda/mock-hold-payment'),
        keyUses: [],
      },
      {
        command: 'aws logs tail',
        action: 'logs:FilterLogEvents',
        resource: log('/aws/vendedlogs/states/mock-payment-workflow'),
        keyUses: [],
      },
      {
        command: 'aws stepfunctions describe-execution',
        action: 'states:DescribeExecution',
        resource: EXECUTION,
        keyUses: ['kms:Decrypt via states.us-east-1.amazonaws.com'],
      },
      {
        command: 'aws stepfunctions get-execution-history',
        action: 'states:GetExecutionHistory',
        resource: EXECUTION,
        keyUses: ['kms:Decrypt via states.us-east-1.amazonaws.com'],
      },
      {
        command: 'aws stepfunctions list-executions',
        action: 'states:ListExecutions',
        resource: STATE_MACHINE,
        keyUses: [],
      },
      {
        command: 'aws stepfunctions redrive-execution',
        action: 'states:RedriveExecution',
        resource: EXECUTION,
        keyUses: [],
      },
      {
        command: 'aws stepfunctions start-execution',
        action: 'states:StartExecution',
        resource: STATE_MACHINE,
        keyUses: [],
      },
    ]);
  });

  it("maps the synthesized stack's *_command outputs to these IAM requests", async () => {
    const requests = await Promise.all(
      outputCommands.map(async ([name, text]) => summary(name, await requestOfText(text, CONTEXT))),
    );
    expect(requests.sort((a, b) => a.command.localeCompare(b.command))).toEqual([
      {
        command: 'get_order_status_command',
        action: 'dynamodb:GetItem',
        resource: TABLE,
        keyUses: ['kms:Decrypt via dynamodb.us-east-1.amazonaws.com'],
      },
      {
        command: 'list_failed_executions_command',
        action: 'states:ListExecutions',
        resource: STATE_MACHINE,
        keyUses: [],
      },
      {
        command: 'list_failed_orders_command',
        action: 'dynamodb:Scan',
        resource: TABLE,
        keyUses: ['kms:Decrypt via dynamodb.us-east-1.amazonaws.com'],
      },
      { command: 'redrive_execution_command', action: 'states:RedriveExecution', resource: EXECUTION, keyUses: [] },
      { command: 'start_execution_command', action: 'states:StartExecution', resource: STATE_MACHINE, keyUses: [] },
    ]);
  });

  it.each([
    ['an operation IAM does not know (a CLI customization nobody mapped)', 'aws s3 ls s3://my-bucket'],
    ['a service IAM does not know', 'aws frobnicate list-things'],
    [
      'an operation whose KMS needs nobody looked up',
      `aws stepfunctions describe-state-machine --state-machine-arn ${STATE_MACHINE}`,
    ],
    ['a placeholder nobody filled in', 'aws stepfunctions describe-execution --execution-arn <the failed one>'],
    ['a command without an operation', 'aws --version'],
  ])('refuses to map %s, with UnmappedCliCommand', async (_what, text) => {
    const error = await requestOfText(text, CONTEXT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnmappedCliCommand);
    expect(error).toMatchObject({ name: 'UnmappedCliCommand', message: expect.stringContaining('Fix: ') });
  });
});

describe('Commands: the operator policy lib/external-roles.ts declares', () => {
  // The policy is a declared list, not derived from the docs, so that a command added to the runbook
  // cannot widen it unseen; this holds the list and the commands to each other, both ways.
  it('grants no action that no command of docs/runbook.md or the outputs makes, but reading the alarms', async () => {
    const made = new Set<string>();
    for (const text of [...runbookCommands, ...outputCommands.map(([, command]) => command)])
      made.add((await requestOfText(text, CONTEXT)).action);
    const declared = [
      ...OPERATOR_STATE_MACHINE_ACTIONS,
      ...OPERATOR_EXECUTION_ACTIONS,
      ...OPERATOR_TABLE_ACTIONS,
      ...OPERATOR_ALARM_ACTIONS,
      ...OPERATOR_LOG_GROUP_ACTIONS,
      ...OPERATOR_STAR_ONLY_ACTIONS,
    ];
    expect({
      grantedWithoutCommand: declared.filter((action) => !made.has(action)),
      madeWithoutGrant: [...made].filter((action) => !(declared as readonly string[]).includes(action)),
    }).toEqual({ grantedWithoutCommand: ['cloudwatch:DescribeAlarms'], madeWithoutGrant: [] });
  });
});

describe.each([
  ['docs/runbook.md', runbookCommands.map((text) => [text, text] as const)],
  ['the outputs', outputCommands],
] as const)('Commands of %s: each is authorized for the operator', (_where, commands) => {
  it.each(commands.map(([name, text]) => [name, text]))('lets iam/operator.json run %s', async (_name, text) => {
    const { action, resource } = await requestOfText(text, CONTEXT);
    expect({ action, resource, decision: await decideAs(operator, { action, resource }) }).toEqual({
      action,
      resource,
      decision: 'Allowed',
    });
  });

  it.each(commands.map(([name, text]) => [name, text]))(
    'lets iam/operator.json with iam/operator-kms.json run %s on data encrypted with a customer managed key',
    async (_name, text) => {
      const { action, resource, keyUses } = await requestOfText(text, CONTEXT);
      const decisions = [
        { action, decision: await decideAs(operatorWithKey, { action, resource }) },
        ...(await Promise.all(
          keyUses.map(async (use) => ({
            action: use.action,
            decision: await decideAs(operatorWithKey, { ...use, resource: KMS_KEY_ARN }),
          })),
        )),
      ];
      expect(decisions).toEqual(decisions.map(({ action: a }) => ({ action: a, decision: 'Allowed' })));
    },
  );
});
