import * as path from 'node:path';
import { type ExecutionReport, LocalWorkflowRuntime } from '../../local/runtime';
import { PROJECT_ROOT } from '../../local/synth';

const OUTDIR = path.join(PROJECT_ROOT, 'cdktf.out');

/** Chance of a fault before each call and again after it: enough for a few in one execution. */
const FAULT_RATE = 0.3;

/** Each injected fault of an execution, in order, as the state that failed and the error. */
const faultsOf = (report: ExecutionReport): string[] =>
  report.events.filter((event) => event.type === 'StateFailed').map((event) => `${event.state}: ${event.error}`);

/** What one execution went through: its injected faults, how it ended and its retries. */
const outcomeOf = (report: ExecutionReport) => ({
  faults: faultsOf(report),
  status: report.status,
  retries: report.retries,
});

describe('Local runtime: injected faults, seeded per execution', () => {
  const runtimes: LocalWorkflowRuntime[] = [];
  const startRuntime = async (seed: number): Promise<LocalWorkflowRuntime> => {
    const runtime = await LocalWorkflowRuntime.start({ outdir: OUTDIR, faultRate: FAULT_RATE, seed });
    runtimes.push(runtime);
    return runtime;
  };
  beforeAll(() => {
    // The handlers' log lines are checked in their own suites.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((runtime) => runtime.close()));
    jest.restoreAllMocks();
  });

  it('injects seed 6\'s faults into the execution "order-42" run alone', async () => {
    // Prepare
    const runtime = await startRuntime(6);
    // Act
    const report = await runtime.execute({ orderId: '42' }, { name: 'order-42' });
    // Assess
    expect(outcomeOf(report)).toEqual({
      faults: ['CreateOrder: Lambda.ServiceException', 'AcceptPayment: Lambda.SdkClientException'],
      status: 'SUCCEEDED',
      retries: 2,
    });
  });

  it('injects the same faults into "order-42" started among 20 concurrent executions', async () => {
    // Prepare
    const runtime = await startRuntime(6);
    const names = Array.from({ length: 21 }, (_, i) => (i === 10 ? 'order-42' : `order-${i + 1}`));
    // Act
    const reports = await Promise.all(
      names.map((name) => runtime.execute({ orderId: name.slice('order-'.length) }, { name })),
    );
    // Assess
    expect(reports[10].name).toBe('order-42');
    expect(outcomeOf(reports[10])).toEqual({
      faults: ['CreateOrder: Lambda.ServiceException', 'AcceptPayment: Lambda.SdkClientException'],
      status: 'SUCCEEDED',
      retries: 2,
    });
  });

  it('injects other faults into "order-42" with seed 5', async () => {
    // Prepare
    const runtime = await startRuntime(5);
    // Act
    const report = await runtime.execute({ orderId: '42' }, { name: 'order-42' });
    // Assess
    expect(outcomeOf(report)).toEqual({
      faults: ['CreateOrder: Lambda.SdkClientException'],
      status: 'SUCCEEDED',
      retries: 1,
    });
  });

  it('names unnamed executions local-1, local-2, ... in the order they start, so a batch repeats with its seed', async () => {
    // Prepare
    const runtime = await startRuntime(6);
    // Act
    const reports = await Promise.all(['a', 'b', 'c'].map((orderId) => runtime.execute({ orderId })));
    // Assess
    expect(reports.map((report) => report.name)).toEqual(['local-1', 'local-2', 'local-3']);
  });
});
