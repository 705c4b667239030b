import * as path from 'node:path';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type ExecutionReport, LocalWorkflowRuntime } from '../../local/runtime';
import { PROJECT_ROOT } from '../../local/synth';

/** The objects the handlers logged in the executions run in this file. */
interface StepLog {
  readonly step: string;
  readonly orderId?: string;
  readonly outcome: string;
  readonly durationMs: number;
  readonly error?: string;
}

const OUTDIR = path.join(PROJECT_ROOT, 'cdktf.out');

describe('Failure semantics: the synthesized workflow with the bundled handlers', () => {
  let runtime: LocalWorkflowRuntime;
  let logs: StepLog[];

  const scanTable = async () =>
    (
      await runtime.engine.client.send(
        new ScanCommand({ TableName: runtime.workflow.table.tableName, ConsistentRead: true }),
      )
    ).Items ?? [];
  const writesOf = (orderId: string, step: string) =>
    logs.filter((l) => l.orderId === orderId && l.step === step && l.outcome === 'written').length;
  const statesOf = (report: ExecutionReport) => report.states.map((s) => s.name);

  beforeAll(async () => {
    logs = [];
    const record = (line: unknown) => void logs.push(line as StepLog);
    jest.spyOn(console, 'log').mockImplementation(record);
    jest.spyOn(console, 'error').mockImplementation(record);
    runtime = await LocalWorkflowRuntime.start({ outdir: OUTDIR });
  });
  afterAll(async () => {
    await runtime.close();
    jest.restoreAllMocks();
  });

  describe('invalid input', () => {
    it.each([
      ['a missing orderId', {}],
      ['an empty orderId', { orderId: '' }],
      ['a null input', null],
      ['a number orderId', { orderId: 1234 }],
      ['a number input', 1234],
      ['a string input', '1234'],
      ['an array input', [{ orderId: '1234' }]],
      ['an object orderId', { orderId: { id: '1234' } }],
      ['a null orderId', { orderId: null }],
      ['a huge orderId (8 KiB)', { orderId: 'x'.repeat(8192) }],
      ['control characters', { orderId: '12\u000034\n' }],
      ['an extra field', { orderId: '1234', amount: 100 }],
      ['a wrong key name', { orderID: '1234' }],
      ['a 65-character orderId', { orderId: 'a'.repeat(65) }],
    ])('rejects %s with InvalidOrderInput and leaves the table unchanged', async (_case, input) => {
      // Prepare
      const before = await scanTable();
      // Act
      const report = await runtime.execute(input);
      // Assess
      expect({ status: report.status, error: report.error }).toEqual({ status: 'FAILED', error: 'InvalidOrderInput' });
      expect(statesOf(report)).toEqual(['CreateOrder', 'ReadRejection', 'RejectInput']);
      expect(report.cause).toMatch(/^Invalid order input: expected .+, received .+\.$/);
      expect(await scanTable()).toEqual(before);
    });
  });

  describe('a step that fails after its retries', () => {
    it('marks the order failed with the step and the error, then ends in OrderFailed', async () => {
      // Act
      const report = await runtime.execute(
        { orderId: 'fail-hold-1' },
        { faultRate: 1, faultFunctions: ['mock-hold-payment'] },
      );
      // Assess
      expect({ status: report.status, error: report.error }).toEqual({ status: 'FAILED', error: 'OrderFailed' });
      expect(statesOf(report)).toEqual(['CreateOrder', 'HoldPayment', 'RecordHoldPaymentFailure', 'OrderFailed']);
      expect(report.states[1].retries).toBe(6);
      expect(await runtime.getOrder('fail-hold-1')).toMatchObject({
        status: 'failed',
        failedStep: 'HoldPayment',
        failedError: 'Lambda.ServiceException',
      });
    });

    it('leaves an order in a status no step writes unchanged, fails with named errors, and never pays it on a re-run', async () => {
      // Prepare: an operator moved the order out of the workflow
      await runtime.engine.client.send(
        new PutItemCommand({
          TableName: runtime.workflow.table.tableName,
          Item: {
            orderId: { S: 'cancelled-1' },
            status: { S: 'cancelled' },
            createdAt: { S: 'x' },
            updatedAt: { S: 'x' },
          },
        }),
      );
      const before = await runtime.getOrder('cancelled-1');
      // Act
      const first = await runtime.execute({ orderId: 'cancelled-1' });
      const second = await runtime.execute({ orderId: 'cancelled-1' });
      // Assess
      for (const report of [first, second]) {
        expect(report.error).toBe('OrderFailed');
        expect(report.states[1]).toMatchObject({ name: 'HoldPayment', retries: 0, error: 'OrderNotHoldable' });
      }
      expect(await runtime.getOrder('cancelled-1')).toEqual(before);
    });

    it('never overwrites a paid order', async () => {
      // Prepare
      await runtime.execute({ orderId: 'paid-then-fault' });
      const paid = await runtime.getOrder('paid-then-fault');
      // Act
      const report = await runtime.execute(
        { orderId: 'paid-then-fault' },
        { faultRate: 1, faultFunctions: ['mock-accept-payment'] },
      );
      // Assess
      expect(report.error).toBe('OrderFailed');
      expect(statesOf(report)).toContain('RecordAcceptPaymentFailure');
      expect(await runtime.getOrder('paid-then-fault')).toEqual(paid);
    });

    it('writes nothing for an order whose creation never got through', async () => {
      const report = await runtime.execute(
        { orderId: 'never-created-1' },
        { faultRate: 1, faultFunctions: ['mock-create-order'] },
      );
      expect(report.error).toBe('OrderFailed');
      expect(await runtime.getOrder('never-created-1')).toBeUndefined();
    });
  });

  describe('re-running an order', () => {
    it('resumes a failed order to paid and clears its failure', async () => {
      // Prepare
      await runtime.execute({ orderId: 'resume-1' }, { faultRate: 1, faultFunctions: ['mock-accept-payment'] });
      expect((await runtime.getOrder('resume-1'))?.status).toBe('failed');
      // Act
      const report = await runtime.execute({ orderId: 'resume-1' });
      // Assess
      expect(report.status).toBe('SUCCEEDED');
      const item = await runtime.getOrder('resume-1');
      expect(item).toMatchObject({ status: 'paid' });
      expect(item).not.toHaveProperty('failedStep');
      expect(item).not.toHaveProperty('failedError');
    });

    it('leaves a paid order exactly as it was', async () => {
      // Prepare
      await runtime.execute({ orderId: 'rerun-paid' });
      const before = await runtime.getOrder('rerun-paid');
      // Act
      const report = await runtime.execute({ orderId: 'rerun-paid' });
      // Assess
      expect(report.status).toBe('SUCCEEDED');
      expect(await runtime.getOrder('rerun-paid')).toEqual(before);
      expect(writesOf('rerun-paid', 'AcceptPayment')).toBe(1);
    });

    it('finishes an order that stopped halfway without a failure mark', async () => {
      // Prepare: created, then the execution stopped (e.g. timed out) before HoldPayment wrote
      await runtime.host.invoke('mock-create-order', { orderId: 'halfway-1' });
      // Act
      const report = await runtime.execute({ orderId: 'halfway-1' });
      // Assess
      expect(report.status).toBe('SUCCEEDED');
      expect((await runtime.getOrder('halfway-1'))?.status).toBe('paid');
    });
  });

  describe('concurrency', () => {
    it('ends one order started 40 times at once paid exactly once, created exactly once, every execution succeeding', async () => {
      // Act: named runs, so each draws the same faults (seed 1's for its name) whatever the others do
      const names = Array.from({ length: 40 }, (_, i) => `same-order-1-run-${i + 1}`);
      const reports = await Promise.all(
        names.map((name) => runtime.execute({ orderId: 'same-order-1' }, { name, faultRate: 0.2 })),
      );
      // Assess
      expect((await runtime.getOrder('same-order-1'))?.status).toBe('paid');
      expect(writesOf('same-order-1', 'CreateOrder')).toBe(1);
      expect(writesOf('same-order-1', 'AcceptPayment')).toBe(1);
      expect(reports.filter((r) => r.status !== 'SUCCEEDED').map((r) => `${r.name}: ${r.error}`)).toEqual([]);
      // Through the faults it injected: the retries of seed 1's draws for those 40 names.
      expect(reports.reduce((sum, r) => sum + r.retries, 0)).toBe(58);
    });

    it('ends 100 different orders started at once all paid', async () => {
      const ids = Array.from({ length: 100 }, (_, i) => `many-${i}`);
      const reports = await Promise.all(ids.map((orderId) => runtime.execute({ orderId })));
      expect(reports.every((r) => r.status === 'SUCCEEDED')).toBe(true);
      const statuses = await Promise.all(ids.map(async (id) => (await runtime.getOrder(id))?.status));
      expect(new Set(statuses)).toEqual(new Set(['paid']));
    });
  });

  describe('logs', () => {
    it('writes one structured line per step with the order id, step, outcome and duration, and nothing else', async () => {
      // Act
      await runtime.execute({ orderId: 'logged-1' });
      // Assess
      const lines = logs.filter((l) => l.orderId === 'logged-1');
      expect(lines.map((l) => [l.step, l.outcome])).toEqual([
        ['CreateOrder', 'written'],
        ['HoldPayment', 'written'],
        ['AcceptPayment', 'written'],
      ]);
      for (const line of lines) expect(Object.keys(line).sort()).toEqual(['durationMs', 'orderId', 'outcome', 'step']);
    });

    it('names the error and leaves out an invalid order id', async () => {
      const count = logs.length;
      await runtime.execute({ orderId: 'card 4111 1111 1111 1111' });
      expect(logs.slice(count)).toEqual([
        { step: 'CreateOrder', outcome: 'error', durationMs: expect.any(Number), error: 'InvalidOrderInput' },
      ]);
    });
  });
});
