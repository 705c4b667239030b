import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { type AlarmVerdict, formatAlarmVerdicts } from './alarms';
import { batchOrderIds, executionsPerSecond, forEachConcurrently, percentile } from './batch';
import { UsageError } from './errors';
import { routeConsole } from './function-logs';
import {
  type ExecutionEvent,
  type ExecutionReport,
  LOCAL_RETRY_INTERVAL_MS,
  LocalWorkflowRuntime,
  type StateReport,
  stateReports,
} from './runtime';
import { ensureSynthesized } from './synth';
import { WORKFLOW_STEPS } from '../workflow/steps';

const USAGE = `Usage: npm start -- [options]

Runs the synthesized workflow offline: the state machine from cdktf.out, the bundled handlers,
and a real DynamoDB engine (dynalite) in this process on 127.0.0.1. No AWS account needed.

Options:
  --order-id ID          order to run (default 1234)
  --count N              run N orders at once (ids ID-0001 ... ID-N), with a progress bar, a summary and
                         the synthesized alarms that would have fired (the run taken as one period)
  --concurrency N        executions in flight at once with --count (default 10)
  --json                 print one machine-readable JSON result instead of text
  --inject-faults RATE   chance 0 <= RATE < 1 of a transient Lambda error before a call, and again
                         after a call whose reply is lost, to watch the retries work (default 0)
  --seed N               seed of the injected faults, to repeat a run (default 1)
  --data DIR             keep the table in DIR instead of in memory (orders survive between runs)
  --help                 show this help

Exit status: 0 when every execution succeeded, 1 when one failed, 2 for a bad option.`;

/** The parsed command line. */
export interface CliOptions {
  readonly orderId: string;
  readonly count?: number;
  readonly concurrency: number;
  readonly json: boolean;
  readonly faultRate: number;
  readonly seed: number;
  readonly dataDir?: string;
  readonly help: boolean;
}

/** Parses and validates the command line; a bad option throws {@link UsageError}. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'order-id': { type: 'string' },
        count: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean' },
        'inject-faults': { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const integer = (name: string, min: number, max: number): number | undefined => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, received "${raw}"`);
    }
    return Number(raw);
  };
  const rawRate = values['inject-faults'] as string | undefined;
  const faultRate = rawRate === undefined ? 0 : Number(rawRate);
  if (
    rawRate !== undefined &&
    (rawRate.trim() === '' || !Number.isFinite(faultRate) || faultRate < 0 || faultRate >= 1)
  ) {
    throw new UsageError(`--inject-faults must be a number with 0 <= RATE < 1, received "${rawRate}"`);
  }
  const dataDir = values.data as string | undefined;
  if (dataDir === '') throw new UsageError('--data needs a folder');
  return {
    orderId: (values['order-id'] as string | undefined) ?? '1234',
    count: integer('count', 1, 100_000),
    concurrency: integer('concurrency', 1, 1000) ?? 10,
    json: values.json === true,
    faultRate,
    seed: integer('seed', 0, 2 ** 32 - 1) ?? 1,
    ...(dataDir === undefined ? {} : { dataDir: path.resolve(dataDir) }),
    help: values.help === true,
  };
}

/** Where the CLI writes: stdout for results, stderr for progress. */
interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly interactive: boolean;
}

/** Runs `npm start` and returns its exit status. */
export async function main(argv: readonly string[], io: Output = processOutput()): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    io.err(`${(error as Error).name}: ${(error as Error).message}\nRun \`npm start -- --help\` for the options.\n`);
    return 2;
  }
  if (options.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  // Handlers log one JSON line per step with console.log (CloudWatch on AWS); keep them apart from results.
  const functionLogs: string[] = [];
  const restoreConsole = routeConsole((line) => functionLogs.push(line) > 0);
  let runtime: LocalWorkflowRuntime | undefined;
  try {
    const synthesis = ensureSynthesized();
    runtime = await LocalWorkflowRuntime.start({
      outdir: synthesis.outdir,
      dataDir: options.dataDir,
      faultRate: options.faultRate,
      seed: options.seed,
    });
    const header = describeSetup(runtime, synthesis, options);
    if (options.count === undefined) {
      const input = { orderId: options.orderId };
      if (!options.json) io.out(`${header}\n\nExecution of input ${JSON.stringify(input)}\n`);
      // Each state is printed as it completes, with the order's status right after it.
      const seen: ExecutionEvent[] = [];
      let printed = 0;
      const onEvent = (event: ExecutionEvent): void => {
        seen.push(event);
        const states = stateReports(seen);
        for (; printed < states.length; printed++) io.out(`${formatState(states[printed])}\n`);
      };
      const report = await runtime.execute(input, { observeOrder: true, ...(options.json ? {} : { onEvent }) });
      const item = await runtime.getOrder(options.orderId);
      if (options.json)
        io.out(
          `${JSON.stringify({ ...setupJson(runtime, options), execution: withoutEvents(report), item: item ?? null }, null, 2)}\n`,
        );
      else io.out(`${formatOutcome(report, item, functionLogs)}\n`);
      return report.status === 'SUCCEEDED' ? 0 : 1;
    }
    if (!options.json) io.out(`${header}\n`);
    const batch = await runBatch(runtime, options, io);
    if (options.json) {
      io.out(
        `${JSON.stringify({ ...setupJson(runtime, options), summary: batch.summary, failures: batch.failures, alarms: batch.alarms }, null, 2)}\n`,
      );
    } else {
      io.out(`${formatSummary(batch.summary, batch.failures)}${formatAlarmVerdicts(batch.alarms)}\n`);
    }
    return batch.summary.failed === 0 ? 0 : 1;
  } catch (error) {
    const err = error as Error;
    if (options.json) io.out(`${JSON.stringify({ error: err.name, message: err.message })}\n`);
    else io.err(`${err.name}: ${err.message}\n`);
    return 1;
  } finally {
    restoreConsole();
    await runtime?.close();
  }
}

/** A summary of many executions. */
export interface BatchSummary {
  readonly orders: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly seconds: number;
  readonly executionsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly retries: number;
  readonly injectedFaults: number;
  /** Final status of each order in the table, counted. */
  readonly statuses: Readonly<Record<string, number>>;
}

async function runBatch(
  runtime: LocalWorkflowRuntime,
  options: CliOptions,
  io: Output,
): Promise<{ summary: BatchSummary; failures: { orderId: string; error?: string }[]; alarms: AlarmVerdict[] }> {
  const count = options.count as number;
  const ids = batchOrderIds(options.orderId, count);
  const reports: ExecutionReport[] = [];
  const progress = options.json || !io.interactive ? undefined : progressBar(io, count);
  const started = Date.now();
  await forEachConcurrently(ids, options.concurrency, async (orderId) => {
    reports.push(await runtime.execute({ orderId }));
    progress?.(reports.length);
  });
  const seconds = (Date.now() - started) / 1000;
  if (progress) io.err('\n');
  const statuses: Record<string, number> = {};
  for (const id of ids) {
    const status = (await runtime.getOrder(id))?.status ?? 'missing';
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const latencies = reports.map((r) => r.durationMs);
  const failedReports = reports.filter((r) => r.status === 'FAILED');
  return {
    summary: {
      orders: count,
      succeeded: count - failedReports.length,
      failed: failedReports.length,
      seconds,
      executionsPerSecond: executionsPerSecond(count, seconds),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      retries: reports.reduce((sum, r) => sum + r.retries, 0),
      injectedFaults: runtime.host.injectedFaults,
      statuses,
    },
    failures: failedReports.map((r) => ({ orderId: (r.input as { orderId: string }).orderId, error: r.error })),
    alarms: runtime.alarmVerdicts(reports),
  };
}

function progressBar(io: Output, total: number): (done: number) => void {
  let last = -1;
  return (done) => {
    const filled = Math.floor((done / total) * 30);
    if (filled === last && done !== total) return;
    last = filled;
    io.err(`\r[${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${done}/${total}`);
  };
}

function describeSetup(
  runtime: LocalWorkflowRuntime,
  synthesis: ReturnType<typeof ensureSynthesized>,
  options: CliOptions,
): string {
  const { workflow, engine } = runtime;
  const lines = [
    `${synthesis.synthesized ? 'Synthesized' : 'Reused up-to-date'} ${path.relative(process.cwd(), synthesis.outdir) || '.'} ` +
      `(${synthesis.durationMs} ms); running stack ${path.basename(workflow.stackDir)} offline`,
    `  state machine ${workflow.stateMachineName}: ${runtime.happyPath.join(' → ')}` +
      ` (${Object.keys(workflow.definition.States).length - runtime.happyPath.length} more states for failures)`,
    `  table ${workflow.table.tableName} on dynalite ${engine.endpoint} (${engine.storage === 'memory' ? 'in memory' : engine.storage})`,
    `  functions ${workflow.functions.map((f) => f.functionName).join(', ')} (bundles from cdktf.out)`,
    `  retry intervals shortened to ${LOCAL_RETRY_INTERVAL_MS} ms locally (AWS waits as the definition says: seconds, backoff, jitter)`,
  ];
  if (options.faultRate > 0) {
    lines.push(
      `  injecting transient Lambda faults at rate ${options.faultRate} before calls and after writes (seed ${options.seed})`,
    );
  }
  return lines.join('\n');
}

function setupJson(runtime: LocalWorkflowRuntime, options: CliOptions): Record<string, unknown> {
  return {
    stateMachine: runtime.workflow.stateMachineName,
    table: runtime.workflow.table.tableName,
    storage: runtime.engine.storage,
    retryIntervalMs: LOCAL_RETRY_INTERVAL_MS,
    faultRate: options.faultRate,
    seed: options.seed,
  };
}

function withoutEvents(report: ExecutionReport): Omit<ExecutionReport, 'events'> {
  const { events: _events, ...rest } = report;
  return rest;
}

/** One state visit as a line: mark, name, duration, retries, the order's status after it, the error. */
function formatState(state: StateReport): string {
  const mark = state.status === 'succeeded' ? '✓' : '✗';
  const retries = state.retries > 0 ? `, ${state.retries} ${state.retries === 1 ? 'retry' : 'retries'}` : '';
  const orderStatus = 'orderStatus' in state ? `  order status: ${state.orderStatus ?? '(no item)'}` : '';
  return `  ${mark} ${state.name.padEnd(14)} ${String(state.durationMs).padStart(5)} ms${retries}${orderStatus}${state.error ? `  ${state.error}` : ''}`;
}

/** What a single run ends with: the outcome, the item, the validation of the seed's statuses, the logs. */
function formatOutcome(
  report: ExecutionReport,
  item: Record<string, string> | undefined,
  logs: readonly string[],
): string {
  const lines =
    report.status === 'SUCCEEDED'
      ? [`SUCCEEDED in ${report.durationMs} ms, output ${JSON.stringify(report.output)}`]
      : [`FAILED in ${report.durationMs} ms with ${report.error}: ${report.cause ?? ''}`];
  lines.push(
    `Order ${JSON.stringify(report.input && (report.input as { orderId?: unknown }).orderId)} in the table: ${item ? JSON.stringify(item) : '(no item)'}`,
  );
  const seen = report.states.map((s) => s.orderStatus).filter((s) => s !== undefined);
  const expected = WORKFLOW_STEPS.map((step) => step.status);
  if (report.status === 'SUCCEEDED')
    lines.push(`Validation: ${seen.join(' → ')}${seen.join() === expected.join() ? ' ✓' : ''}`);
  if (logs.length > 0) lines.push('Function logs (CloudWatch Logs on AWS):', ...logs.map((line) => `  ${line}`));
  return lines.join('\n');
}

function formatSummary(summary: BatchSummary, failures: readonly { orderId: string; error?: string }[]): string {
  const statuses = Object.entries(summary.statuses)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const lines = [
    `Summary: ${summary.orders} orders, ${summary.succeeded} succeeded, ${summary.failed} failed in ${summary.seconds.toFixed(2)} s`,
    `  ${summary.executionsPerSecond} executions/s, latency p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms`,
    `  ${summary.retries} retries after ${summary.injectedFaults} injected faults`,
    `  final statuses in the table: ${statuses}`,
  ];
  const byError = new Map<string, number>();
  failures.forEach((f) => byError.set(f.error ?? 'unknown', (byError.get(f.error ?? 'unknown') ?? 0) + 1));
  for (const [error, n] of byError) lines.push(`  failed with ${error}: ${n}`);
  return `${lines.join('\n')}\n`;
}

function processOutput(): Output {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
