import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decide, rolesOf } from '../support/iam';
import { decideAs, decideUnderKeyPolicy, fillPolicy, identityWith } from '../support/policy-files';
import { resolveReferences } from '../support/references';
import type { TerraformJson } from '../support/synth';

/**
 * The step table is the one place a step is declared: a copy of the project whose only edits are a
 * fifth row in workflow/steps.ts (with its refusal's name) and the step's own handler gets the whole
 * step, on AWS as in the offline run, and in the policies of iam/ once `npm run policies` has run.
 */
const PROJECT_ROOT = path.join(__dirname, '..', '..');

const SHIP_ORDER_ROW = `
  {
    stateName: 'ShipOrder',
    functionName: 'mock-ship-order',
    handlerEntry: 'ship-order.ts',
    status: 'shipped',
    movesFrom: ['paid'],
    refusalError: 'OrderNotShippable',
    tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  },
] as const satisfies readonly WorkflowStepSpec[];`;

const SHIP_ORDER_HANDLER = `import { stepNamed } from '../workflow/steps';
import { OrderWorkflowError } from './errors';
import { runStep } from './log';
import { advanceStatus, runtimeDeps } from './orders-repo';

class OrderNotShippable extends OrderWorkflowError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrderNotShippable';
  }
}

const step = stepNamed('ShipOrder');

// AcceptPayment's result carries the status and a message beside the order id.
export const handler = (input: { orderId?: unknown }) =>
  runStep(step.stateName, { orderId: input?.orderId }, async (orderId) => ({
    result: { orderId, status: step.status },
    outcome: await advanceStatus(runtimeDeps(), orderId, step.status, OrderNotShippable),
  }));
`;

/** Copies the project's files (as git lists them) to a new folder, node_modules linked, and adds ShipOrder there. */
function copyWithShipOrder(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-ship-order-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && fs.lstatSync(path.join(PROJECT_ROOT, file), { throwIfNoEntry: false })?.isFile());
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(root, file));
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  const tableFile = path.join(root, 'workflow', 'steps.ts');
  const table = fs.readFileSync(tableFile, 'utf8');
  const edited = table
    .replace(/\n\] as const satisfies readonly WorkflowStepSpec\[\];/, SHIP_ORDER_ROW)
    .replace(
      "'OrderNotHoldable', 'ConfigurationError']",
      "'OrderNotHoldable', 'OrderNotShippable', 'ConfigurationError']",
    );
  fs.writeFileSync(tableFile, edited);
  fs.writeFileSync(path.join(root, 'handlers', 'ship-order.ts'), SHIP_ORDER_HANDLER);
  return root;
}

describe('Adding a step: a row in workflow/steps.ts and a handler are the whole change', () => {
  let root: string;
  let run: any;
  let stack: TerraformJson;

  beforeAll(() => {
    root = copyWithShipOrder();
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MPW_')));
    // npm start -- --order-id ship-1 --json in the copy: it synthesizes the copy, then runs it offline.
    const [command, ...args] = require('../../package.json').scripts.start.split(' ');
    run = JSON.parse(
      execFileSync(command, [...args, '--order-id', 'ship-1', '--json'], { cwd: root, env, encoding: 'utf8' }),
    );
    stack = JSON.parse(
      fs.readFileSync(path.join(root, 'cdktf.out', 'stacks', 'mock-payment-workflow', 'cdk.tf.json'), 'utf8'),
    );
    // npm run policies in the copy: it rewrites the copy's iam/*.json.
    const [policies, ...policyArgs] = require('../../package.json').scripts.policies.split(' ');
    execFileSync(policies, policyArgs, { cwd: root, env, encoding: 'utf8' });
  }, 120_000);

  afterAll(() => {
    if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
  });

  it('runs an order offline through every status to the new one', () => {
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.execution.states.map((s: { name: string }) => s.name)).toEqual([
      'CreateOrder',
      'HoldPayment',
      'AcceptPayment',
      'ShipOrder',
    ]);
    expect(run.execution.states.map((s: { orderStatus: string }) => s.orderStatus)).toEqual([
      'created',
      'hold',
      'paid',
      'shipped',
    ]);
    expect(run.item).toMatchObject({ orderId: 'ship-1', status: 'shipped' });
  });

  it('gives the step a function of its own, named from the table, with its own role and log group', () => {
    expect(stack.resource.aws_lambda_function.ship_order).toMatchObject({
      function_name: 'mock-ship-order',
      role: '${aws_iam_role.ship_order.arn}',
      logging_config: expect.objectContaining({ log_group: '${aws_cloudwatch_log_group.ship_order.name}' }),
    });
    expect(stack.resource.aws_iam_role.ship_order.name).toBe('mock-ship-order-role');
  });

  it('puts the step after AcceptPayment in the definition, with its retries and its failure recorded', () => {
    const definition = JSON.parse(
      resolveReferences(stack.resource.aws_sfn_state_machine.payment_workflow.definition, stack),
    );
    expect(definition.States.AcceptPayment.Next).toBe('ShipOrder');
    expect(definition.States.ShipOrder).toMatchObject({
      Type: 'Task',
      End: true,
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:mock-ship-order', 'Payload.$': '$' },
      Catch: [
        { ErrorEquals: ['InvalidOrderInput'], Next: 'ReadRejection' },
        {
          ErrorEquals: [
            'OrderNotFound',
            'PaymentNotHeld',
            'OrderNotHoldable',
            'OrderNotShippable',
            'ConfigurationError',
          ],
          Next: 'RecordShipOrderFailure',
        },
        { ErrorEquals: ['States.ALL'], Next: 'RecordShipOrderFailure' },
      ],
    });
    expect(definition.States.RecordShipOrderFailure.Parameters.Payload.step).toBe('ShipOrder');
    // Four steps and the recorder, each attempt at most 25 s: the budget grows by one Task's worst case.
    expect(definition.TimeoutSeconds).toBe(1600);
  });

  it("lets the step's role do what the table says and nothing else to the orders table (IAM simulation)", async () => {
    const role = rolesOf(stack).find((candidate) => candidate.address === 'aws_iam_role.ship_order');
    const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/MockOrders';
    const decisions: Record<string, string> = {};
    for (const action of [
      'dynamodb:UpdateItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:Scan',
    ]) {
      decisions[action] = await decide(role!, { action, resource: table });
    }
    expect(decisions).toEqual({
      'dynamodb:UpdateItem': 'Allowed',
      'dynamodb:GetItem': 'Allowed',
      'dynamodb:PutItem': 'ImplicitlyDenied',
      'dynamodb:DeleteItem': 'ImplicitlyDenied',
      'dynamodb:Scan': 'ImplicitlyDenied',
    });
  });

  it("lets the state machine's role invoke the new function", async () => {
    const role = rolesOf(stack).find((candidate) => candidate.address === 'aws_iam_role.payment_workflow');
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:mock-ship-order';
    expect(await decide(role!, { action: 'lambda:InvokeFunction', resource: fn })).toBe('Allowed');
  });

  it('watches the new function with the same alarms as the others, and names it in the outputs', () => {
    const alarms = Object.keys(stack.resource.aws_cloudwatch_metric_alarm).filter((id) => id.startsWith('ship_order_'));
    expect(alarms.sort()).toEqual(['ship_order_duration', 'ship_order_errors', 'ship_order_throttles']);
    expect(
      Object.keys(stack.output)
        .filter((name) => name.startsWith('ship_order_'))
        .sort(),
    ).toEqual(['ship_order_function_arn', 'ship_order_function_name']);
  });

  it('derives the transitions from the table: failure is recorded over paid once paid is no longer final, never over shipped', () => {
    // The copy's own handlers/status.ts, as its bundles hold it.
    const { ALLOWED_FROM } = require(path.join(root, 'handlers', 'status.ts'));
    expect(ALLOWED_FROM).toEqual({
      hold: ['created', 'failed'],
      paid: ['hold'],
      shipped: ['paid'],
      failed: ['created', 'hold', 'paid', 'failed'],
    });
  });

  describe("the copy's iam/*.json, rewritten by npm run policies (IAM simulation)", () => {
    const values = { AccountId: '123456789012', Region: 'us-east-1', NamePrefix: '', TableName: 'MockOrders' };
    const at = 'us-east-1:123456789012';
    const fill = (file: string) => fillPolicy(file, values, path.join(root, 'iam'));

    it('lets the deployer create the new function, its role and its log group, and pass the role to Lambda', async () => {
      const deployer = identityWith('ship-order-deployer', fill('deployer.json'));
      const requests = [
        { action: 'lambda:CreateFunction', resource: `arn:aws:lambda:${at}:function:mock-ship-order` },
        { action: 'iam:CreateRole', resource: 'arn:aws:iam::123456789012:role/mock-ship-order-role' },
        {
          action: 'iam:PassRole',
          resource: 'arn:aws:iam::123456789012:role/mock-ship-order-role',
          context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        },
        { action: 'logs:CreateLogGroup', resource: `arn:aws:logs:${at}:log-group:/aws/lambda/mock-ship-order` },
      ];
      const decisions = await Promise.all(
        requests.map(async (request) => [request.action, await decideAs(deployer, request)]),
      );
      expect(Object.fromEntries(decisions)).toEqual({
        'lambda:CreateFunction': 'Allowed',
        'iam:CreateRole': 'Allowed',
        'iam:PassRole': 'Allowed',
        'logs:CreateLogGroup': 'Allowed',
      });
    });

    it('lets the plan role read the new function', async () => {
      const plan = identityWith('ship-order-plan', fill('plan.json'));
      expect(
        await decideAs(plan, {
          action: 'lambda:GetFunction',
          resource: `arn:aws:lambda:${at}:function:mock-ship-order`,
        }),
      ).toBe('Allowed');
    });

    it("lets the operator read the new function's logs", async () => {
      const operator = identityWith('ship-order-operator', fill('operator.json'));
      const resource = `arn:aws:logs:${at}:log-group:/aws/lambda/mock-ship-order`;
      expect(await decideAs(operator, { action: 'logs:FilterLogEvents', resource })).toBe('Allowed');
    });

    it("lets CloudWatch Logs use the key for the new function's log group, in the example key policy", async () => {
      const context = {
        'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${at}:log-group:/aws/lambda/mock-ship-order`,
      };
      const request = {
        action: 'kms:GenerateDataKey',
        resource: `arn:aws:kms:${at}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        context,
      };
      expect(await decideUnderKeyPolicy(fill('key-policy.json'), 'logs.us-east-1.amazonaws.com', request)).toBe(
        'Allowed',
      );
    });
  });
});
