import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { parseCliOptions } from '../../local/cli';
import { LambdaHost } from '../../local/lambda-host';
import { LocalWorkflowRuntime } from '../../local/runtime';
import { ensureSynthesized, PROJECT_ROOT } from '../../local/synth';

const OUTDIR = path.join(PROJECT_ROOT, 'cdktf.out');

/** Runs `npm start -- <args>` (the package.json start script, without npm) and returns what it did. */
function start(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const [command, ...scriptArgs] = require('../../package.json').scripts.start.split(' ');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MPW_')));
  return new Promise((resolve) => {
    execFile(command, [...scriptArgs, ...args], { cwd: PROJECT_ROOT, env }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('Local runtime: the synthesis npm start runs', () => {
  it("synthesizes with the settings of cdktf.json's context, as cdktf synth does", () => {
    // Prepare: a project whose cdktf.json names a prefix, its code linked from this one.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-context-'));
    for (const entry of [
      'main.ts',
      'lib',
      'handlers',
      'workflow',
      'node_modules',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
    ]) {
      fs.symlinkSync(path.join(PROJECT_ROOT, entry), path.join(root, entry));
    }
    const cdktfJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8'));
    fs.writeFileSync(
      path.join(root, 'cdktf.json'),
      JSON.stringify({ ...cdktfJson, context: { ...cdktfJson.context, namePrefix: 'ctx-' } }),
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('MPW_')));
    for (const name of Object.keys(env)) delete process.env[name];
    try {
      // Act
      const { outdir } = ensureSynthesized(root);
      // Assess
      const stack = JSON.parse(
        fs.readFileSync(path.join(outdir, 'stacks', 'mock-payment-workflow', 'cdk.tf.json'), 'utf8'),
      );
      expect(Object.values(stack.resource.aws_sfn_state_machine).map((m: any) => m.name)).toEqual([
        'ctx-mock-payment-workflow',
      ]);
    } finally {
      Object.assign(process.env, env);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('Local runtime: npm start', () => {
  it('runs order 1234 through created, hold and paid by default', async () => {
    // Act
    const { status, stdout } = await start();
    // Assess
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /✓ CreateOrder .* order status: created\n.*✓ HoldPayment .* order status: hold\n.*✓ AcceptPayment .* order status: paid/,
    );
    expect(stdout).toContain('SUCCEEDED');
    expect(stdout).toContain('Validation: created → hold → paid ✓');
  });

  it('runs the order given by --order-id', async () => {
    const { status, stdout } = await start('--order-id', 'A-42', '--json');
    const result = JSON.parse(stdout);
    expect(status).toBe(0);
    expect(result.execution.output).toEqual({
      orderId: 'A-42',
      status: 'paid',
      message: 'Payment accepted for order A-42',
    });
    expect(result.item).toMatchObject({ orderId: 'A-42', status: 'paid' });
    expect(result.execution.states.map((s: { orderStatus: string }) => s.orderStatus)).toEqual([
      'created',
      'hold',
      'paid',
    ]);
  });

  it('surfaces a failing handler by its error name, exits 1 and writes nothing', async () => {
    // Act
    const { status, stdout } = await start('--order-id', 'not valid!', '--json');
    // Assess
    const result = JSON.parse(stdout);
    expect(status).toBe(1);
    expect(result.execution.status).toBe('FAILED');
    expect(result.execution.error).toBe('InvalidOrderInput');
    expect(result.execution.cause).toBe(
      'Invalid order input: expected orderId of only A-Z a-z 0-9 _ -, received "not valid!".',
    );
    expect(result.execution.states.map((s: { name: string }) => s.name)).toEqual([
      'CreateOrder',
      'ReadRejection',
      'RejectInput',
    ]);
    expect(result.item).toBeNull();
  });

  describe('with --count 40', () => {
    let run: { status: number; summary: Record<string, any> };
    beforeAll(async () => {
      const { status, stdout } = await start('--count', '40', '--json');
      run = { status, summary: JSON.parse(stdout).summary };
    });

    it('runs the 40 orders to paid and counts them in the summary', () => {
      expect(run.status).toBe(0);
      expect(run.summary).toMatchObject({
        orders: 40,
        succeeded: 40,
        failed: 0,
        retries: 0,
        injectedFaults: 0,
        statuses: { paid: 40 },
      });
    });

    it('reports the throughput as the 40 executions over the seconds it reports, and a p99 latency within them', () => {
      // The figures are timings; batch-summary.test.ts computes them on known durations.
      expect(run.summary.executionsPerSecond).toBe(Math.round((40 / run.summary.seconds) * 10) / 10);
      expect(run.summary.p99Ms).toBeLessThanOrEqual(run.summary.seconds * 1000);
    });
  });

  it('reports that none of the 20 synthesized alarms would have fired after a clean run', async () => {
    const { status, stdout } = await start('--count', '20');
    expect(status).toBe(0);
    expect(stdout).toContain('Alarms: none of the 20 would have fired');
  });

  it('reports the failed-executions alarm when faults exhaust the retries', async () => {
    const { status, stdout } = await start('--count', '10', '--inject-faults', '0.9', '--seed', '3', '--json');
    const { summary, alarms } = JSON.parse(stdout);
    expect(status).toBe(1);
    const firing = alarms.filter((a: { state: string }) => a.state === 'ALARM');
    expect(firing).toEqual([
      expect.objectContaining({
        name: 'mock-payment-workflow-executions-failed',
        value: 10,
        comparison: '>=',
        threshold: 1,
      }),
    ]);
    // Seed 3's faults, execution by execution: every one of the 10 runs out of retries.
    expect(summary).toMatchObject({ succeeded: 0, failed: 10, injectedFaults: 134, retries: 116 });
  });

  it('still ends every order paid with --inject-faults, through the retries', async () => {
    const { status, stdout } = await start('--count', '30', '--inject-faults', '0.2', '--seed', '7', '--json');
    const { summary } = JSON.parse(stdout);
    expect(status).toBe(0);
    // Seed 7's faults; each is retried, and none runs a step out of retries.
    expect(summary).toMatchObject({ injectedFaults: 48, retries: 48 });
    expect(summary.statuses).toEqual({ paid: 30 });
  });

  it('keeps orders between runs with --data', async () => {
    // Prepare
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-data-'));
    const first = JSON.parse((await start('--order-id', 'kept-1', '--data', dataDir, '--json')).stdout);
    // Act
    const second = JSON.parse((await start('--order-id', 'kept-1', '--data', dataDir, '--json')).stdout);
    // Assess
    expect(second.storage).toBe(dataDir);
    expect(second.item).toEqual(first.item);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists its options with --help', async () => {
    const { status, stdout } = await start('--help');
    expect(status).toBe(0);
    for (const option of ['--order-id', '--count', '--json', '--inject-faults', '--data', '--help'])
      expect(stdout).toContain(option);
  });

  it('exits 2 with the usage error on stderr for a bad option', async () => {
    const { status, stderr, stdout } = await start('--count', '0');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^UsageError: --count must be a whole number from 1 to 100000, received "0"/);
    expect(stdout).toBe('');
  });

  it.each([
    [['--count', '0'], /--count must be a whole number from 1 to 100000, received "0"/],
    [['--count', 'many'], /--count must be a whole number/],
    [['--inject-faults', '1'], /--inject-faults must be a number with 0 <= RATE < 1, received "1"/],
    [['--inject-faults', 'often'], /--inject-faults must be a number/],
    [['--colour'], /Unknown option '--colour'/],
    [['--order-id'], /--order-id/],
  ])('rejects %j with a clear UsageError', (args, message) => {
    expect(() => parseCliOptions(args)).toThrow(message);
    expect(() => parseCliOptions(args)).toThrow(expect.objectContaining({ name: 'UsageError' }));
  });
});

describe('Local runtime: LocalWorkflowRuntime', () => {
  let runtime: LocalWorkflowRuntime;
  beforeAll(async () => {
    // The handlers' log lines are checked in their own suites; keep this one's output readable.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    runtime = await LocalWorkflowRuntime.start({ outdir: OUTDIR });
  });
  afterAll(async () => {
    await runtime.close();
    jest.restoreAllMocks();
  });

  it('runs the synthesized definition, not a copy of its own', () => {
    const stack = JSON.parse(
      fs.readFileSync(path.join(OUTDIR, 'stacks', 'mock-payment-workflow', 'cdk.tf.json'), 'utf8'),
    );
    const synthesized = JSON.parse(stack.resource.aws_sfn_state_machine.payment_workflow.definition);
    expect(Object.keys(runtime.workflow.definition.States)).toEqual(Object.keys(synthesized.States));
    expect(runtime.workflow.definition.States.CreateOrder.Parameters.FunctionName).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:mock-create-order',
    );
  });

  it('runs the bundles archive_file zips, from the stack output', () => {
    expect(runtime.workflow.functions.map((fn) => fn.functionName).sort()).toEqual([
      'mock-accept-payment',
      'mock-create-order',
      'mock-hold-payment',
      'mock-record-failure',
    ]);
    for (const fn of runtime.workflow.functions) {
      expect(fn.bundleDir.startsWith(path.join(OUTDIR, 'stacks', 'mock-payment-workflow', 'assets'))).toBe(true);
    }
  });

  it('returns what lambda:invoke returns, so OutputPath $.Payload finds the result', async () => {
    await runtime.execute({ orderId: 'invoke-shape' });
    const result = await runtime.host.invoke('mock-hold-payment', { orderId: 'invoke-shape' });
    expect(result).toEqual({ ExecutedVersion: '$LATEST', Payload: { orderId: 'invoke-shape' }, StatusCode: 200 });
  });

  it('fails HoldPayment with OrderNotFound for an order that was never created', async () => {
    const error = await runtime.host.invoke('mock-hold-payment', { orderId: 'never-created' }).catch((e: Error) => e);
    expect((error as Error).name).toBe('OrderNotFound');
    expect(JSON.parse((error as Error).message)).toMatchObject({ errorType: 'OrderNotFound' });
  });

  it('records each state entered and exited in the execution history', async () => {
    const report = await runtime.execute({ orderId: 'history-1' });
    expect(report.events.map((e) => `${e.type}${e.state ? `:${e.state}` : ''}`)).toEqual([
      'ExecutionStarted',
      'StateEntered:CreateOrder',
      'StateExited:CreateOrder',
      'StateEntered:HoldPayment',
      'StateExited:HoldPayment',
      'StateEntered:AcceptPayment',
      'StateExited:AcceptPayment',
      'ExecutionSucceeded',
    ]);
  });
});

describe('Local runtime: LambdaHost', () => {
  it('fails a call that runs past the function timeout with Sandbox.Timedout, as Lambda does', async () => {
    // Prepare: a bundle whose handler answers after 500 ms, in a function with a 50 ms timeout
    const bundleDir = fs.mkdtempSync(path.join(PROJECT_ROOT, '.bundles', 'jest-slow-'));
    fs.writeFileSync(
      path.join(bundleDir, 'index.js'),
      'exports.handler = () => new Promise((r) => setTimeout(() => r("late"), 500));',
    );
    const host = new LambdaHost([
      {
        functionName: 'slow',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:slow',
        bundleDir,
        handlerFile: 'index.js',
        handlerExport: 'handler',
        environment: {},
        timeoutSeconds: 0.05,
      },
    ]);
    // Act
    const error = (await host.invoke('slow', {}).catch((e: Error) => e)) as Error;
    // Assess
    expect(error.name).toBe('Sandbox.Timedout');
    expect(JSON.parse(error.message)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 0.05 seconds',
    });
    fs.rmSync(bundleDir, { recursive: true, force: true });
  });
});
