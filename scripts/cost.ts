import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkflowType } from '../lib/config';
import {
  type CostInputs,
  type CostTable,
  costPerMillionOrders,
  type DefinitionShape,
  type FunctionCostInput,
  functionsInvoked,
  type PathSpec,
  PRICES,
  type Quota,
  quotasByRate,
  stateTransitions,
} from '../lib/cost';
import { routeConsole } from '../local/function-logs';
import { LocalWorkflowRuntime } from '../local/runtime';
import { ensureSynthesized } from '../local/synth';
import { readSynthesizedWorkflow } from '../local/synthesized-stack';
import { synthesizeExpress } from './soak';
import { WORKFLOW_STEPS, type WorkflowStepSpec } from '../workflow/steps';

const LAST_STEP: WorkflowStepSpec = WORKFLOW_STEPS[WORKFLOW_STEPS.length - 1];

/** The path with one caught failure the cost table also prices: the last step refuses the order for good. */
export const FAILURE_PATH: PathSpec = { failAt: LAST_STEP.stateName, error: LAST_STEP.refusalError };

/** What a local run measured of one workflow, per execution of the happy path. */
export interface LocalMeasurement {
  readonly executions: number;
  /** Mean duration of one call of each function, in ms, by function name. */
  readonly functionMs: Readonly<Record<string, number>>;
  /** Median duration of one execution, in ms. */
  readonly executionMs: number;
  readonly writesPerExecution: number;
  readonly readsPerExecution: number;
  /** Size of a paid order's item, as DynamoDB counts it: attribute names and values, in bytes. */
  readonly itemBytes: number;
}

/** Both types' cost tables and the figures they came from. */
export interface CostReport {
  readonly measurement: LocalMeasurement;
  readonly tables: Readonly<Record<WorkflowType, CostTable>>;
  /** Totals per million orders had each order failed once at {@link FAILURE_PATH}, caught and recorded. */
  readonly failurePathTotals: Readonly<Record<WorkflowType, number>>;
  readonly stateTransitions: { readonly happyPath: number; readonly failurePath: number };
  readonly inputs: Readonly<Record<WorkflowType, CostInputs>>;
}

/** Runs `executions` orders locally (after a warm-up) and measures what the cost model needs. */
export async function measureLocally(outdir: string, executions = 200): Promise<LocalMeasurement> {
  const restore = routeConsole(() => true);
  const runtime = await LocalWorkflowRuntime.start({ outdir });
  try {
    for (let i = 0; i < 20; i++) await runtime.execute({ orderId: `cost-warm-${i}` });
    const calls = new Map(
      [...runtime.host.metrics].map(([name, m]) => [name, { n: m.invocations, ms: m.totalDurationMs }]),
    );
    const requests = { ...runtime.engine.requests };
    const durations: number[] = [];
    for (let i = 0; i < executions; i++)
      durations.push((await runtime.execute({ orderId: `cost-${String(i).padStart(6, '0')}` })).durationMs);
    const functionMs: Record<string, number> = {};
    for (const [name, m] of runtime.host.metrics) {
      const before = calls.get(name) ?? { n: 0, ms: 0 };
      if (m.invocations > before.n) functionMs[name] = (m.totalDurationMs - before.ms) / (m.invocations - before.n);
    }
    const delta = (operation: string): number => (runtime.engine.requests[operation] ?? 0) - (requests[operation] ?? 0);
    // Counted before the item is read below, which is the measurement's read, not the workflow's.
    const writes = delta('PutItem') + delta('UpdateItem');
    const reads = delta('GetItem');
    const item = (await runtime.getOrder('cost-000000')) ?? {};
    durations.sort((a, b) => a - b);
    return {
      executions,
      functionMs,
      executionMs: durations[Math.floor(durations.length / 2)],
      writesPerExecution: writes / executions,
      readsPerExecution: reads / executions,
      itemBytes: Object.entries(item).reduce(
        (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
        0,
      ),
    };
  } finally {
    await runtime.close();
    restore();
  }
}

/** A synthesized stack's definition (references resolved as the local runtime resolves them) and functions. */
function readStack(outdir: string): {
  definition: DefinitionShape;
  functions: Map<string, Omit<FunctionCostInput, 'durationMs'>>;
  region: string;
  reserved?: number;
} {
  const workflow = readSynthesizedWorkflow(outdir, 'mock-payment-workflow');
  const stack = JSON.parse(fs.readFileSync(path.join(workflow.stackDir, 'cdk.tf.json'), 'utf8'));
  const functions = new Map<string, Omit<FunctionCostInput, 'durationMs'>>();
  let reserved: number | undefined;
  for (const fn of Object.values<any>(stack.resource.aws_lambda_function)) {
    const arn = workflow.functions.find((f) => f.functionName === fn.function_name)?.functionArn as string;
    functions.set(arn, { memoryMb: fn.memory_size, architecture: fn.architectures?.[0] ?? 'x86_64' });
    functions.set(fn.function_name, { memoryMb: fn.memory_size, architecture: fn.architectures?.[0] ?? 'x86_64' });
    reserved = fn.reserved_concurrent_executions ?? reserved;
  }
  return { definition: workflow.definition as DefinitionShape, functions, region: workflow.region, reserved };
}

function inputsFor(
  workflowType: WorkflowType,
  stack: ReturnType<typeof readStack>,
  measured: LocalMeasurement,
  pathSpec: PathSpec,
  nameOf: (arn: string) => string,
): CostInputs {
  const invoked = functionsInvoked(stack.definition, pathSpec);
  return {
    workflowType,
    stateTransitions: stateTransitions(stack.definition, pathSpec),
    invocations: invoked.map((arn) => ({
      ...(stack.functions.get(arn) as Omit<FunctionCostInput, 'durationMs'>),
      durationMs: measured.functionMs[nameOf(arn)] ?? 0,
    })),
    executionMs: measured.executionMs,
    // Up to 64 MB: a definition of a few KB and payloads of a few hundred bytes (see the pricing page's examples).
    expressMemoryMb: 64,
    // The happy path's requests per Task, for every Task the path runs: each step and the recorder write once.
    writes: (measured.writesPerExecution / functionsInvoked(stack.definition).length) * invoked.length,
    strongReads: measured.readsPerExecution,
    itemBytes: measured.itemBytes,
  };
}

/** Measures locally and computes both types' cost per million orders. */
export async function costReport(executions = 200): Promise<CostReport> {
  const standardOut = ensureSynthesized().outdir;
  const expressOut = synthesizeExpress();
  const measurement = await measureLocally(standardOut, executions);
  const stacks = { STANDARD: readStack(standardOut), EXPRESS: readStack(expressOut) };
  const names = new Map(
    readSynthesizedWorkflow(standardOut, 'mock-payment-workflow').functions.map((f) => [f.functionArn, f.functionName]),
  );
  const nameOf = (arn: string) => names.get(arn) ?? arn;
  const inputs = {
    STANDARD: inputsFor('STANDARD', stacks.STANDARD, measurement, {}, nameOf),
    EXPRESS: inputsFor('EXPRESS', stacks.EXPRESS, measurement, {}, nameOf),
  };
  return {
    measurement,
    inputs,
    tables: { STANDARD: costPerMillionOrders(inputs.STANDARD), EXPRESS: costPerMillionOrders(inputs.EXPRESS) },
    failurePathTotals: {
      STANDARD: costPerMillionOrders(inputsFor('STANDARD', stacks.STANDARD, measurement, FAILURE_PATH, nameOf))
        .totalUsdPerMillion,
      EXPRESS: costPerMillionOrders(inputsFor('EXPRESS', stacks.EXPRESS, measurement, FAILURE_PATH, nameOf))
        .totalUsdPerMillion,
    },
    stateTransitions: {
      happyPath: stateTransitions(stacks.STANDARD.definition),
      failurePath: stateTransitions(stacks.STANDARD.definition, FAILURE_PATH),
    },
  };
}

/** The quotas of each type at `rate` orders per second, tightest first. */
export function capacityAt(report: CostReport): Record<WorkflowType, Quota[]> {
  const stack = readStack(ensureSynthesized().outdir);
  const of = (type: WorkflowType): Quota[] =>
    quotasByRate({
      workflowType: type,
      region: stack.region,
      stateTransitions: report.inputs[type].stateTransitions,
      callDurationsMs: report.inputs[type].invocations.map((call) => call.durationMs),
      reservedConcurrency: stack.reserved,
      writeUnits: report.tables[type].lines.find((l) => l.item === 'write request units')?.perOrder ?? 0,
      readUnits: report.tables[type].lines.find((l) => l.item === 'read request units')?.perOrder ?? 0,
    });
  return { STANDARD: of('STANDARD'), EXPRESS: of('EXPRESS') };
}

const money = (usd: number): string => `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;

/** The cost table of both types side by side, in Markdown. */
export function formatCost(report: CostReport): string {
  const { STANDARD: s, EXPRESS: e } = report.tables;
  const rows = new Map<string, [string, string]>();
  for (const [index, table] of [s, e].entries()) {
    for (const line of table.lines) {
      const key = `${line.service}: ${line.item}`;
      const cell = `${money(line.usdPerMillion)} (${Number(line.perOrder.toPrecision(3))} per order)`;
      const row = rows.get(key) ?? ['-', '-'];
      row[index] = cell;
      rows.set(key, row);
    }
  }
  const m = report.measurement;
  const services = ['Step Functions', 'Lambda', 'DynamoDB'];
  const ordered = [...rows].sort(([a], [b]) => services.indexOf(a.split(':')[0]) - services.indexOf(b.split(':')[0]));
  return [
    '| per million orders | STANDARD | EXPRESS |',
    '| --- | --- | --- |',
    ...ordered.map(([key, [a, b]]) => `| ${key} | ${a} | ${b} |`),
    `| **total** | **${money(s.totalUsdPerMillion)}** | **${money(e.totalUsdPerMillion)}** |`,
    `| dominant line | ${s.dominant.service}: ${s.dominant.item} | ${e.dominant.service}: ${e.dominant.item} |`,
    `| every order failing once at ${FAILURE_PATH.failAt} (caught, recorded) | ${money(report.failurePathTotals.STANDARD)} | ${money(report.failurePathTotals.EXPRESS)} |`,
    '',
    `State transitions per execution, counted on the synthesized definition: ${report.stateTransitions.happyPath} on the happy path, ` +
      `${report.stateTransitions.failurePath} with one caught failure at ${FAILURE_PATH.failAt}; retries add one each.`,
    `Measured locally over ${m.executions} executions (lower bounds of AWS's durations, which add network round trips and cold starts): ` +
      `${Object.entries(m.functionMs)
        .map(([n, ms]) => `${n} ${ms.toFixed(2)} ms`)
        .join(', ')}; execution median ${m.executionMs} ms; ` +
      `${m.writesPerExecution} writes and ${m.readsPerExecution} reads per execution; item ${m.itemBytes} bytes.`,
    `Prices: ${PRICES.standardStateTransition.region}, read ${PRICES.standardStateTransition.checked}, pricing/cost-model.ts (each with its source page); ` +
      'no free tier, no savings plan.',
  ].join('\n');
}

/** Which quota binds at `rate` orders per second, for each type. */
export function formatCapacity(quotas: Record<WorkflowType, Quota[]>, rate: number): string {
  return (Object.entries(quotas) as [WorkflowType, Quota[]][])
    .map(([type, list]) => {
      const binding = list.filter((q) => q.ordersPerSecond < rate);
      const first = list[0];
      const verdict =
        binding.length === 0
          ? `fits: the first quota to bind is ${first.name}, at ${Math.floor(first.ordersPerSecond)} orders/s`
          : `BINDS: ${binding.map((q) => `${q.name} (${Math.floor(q.ordersPerSecond)} orders/s; raise: ${q.raise})`).join('; ')}`;
      return `${type} at ${rate} orders/s: ${verdict}`;
    })
    .join('\n');
}

const USAGE = `Usage: npm run cost -- [--rate N] [--executions N] [--json]

Prints what a million orders cost with a STANDARD and an EXPRESS state machine, side by side, computed
from the synthesized stacks and from durations and DynamoDB requests measured in a local run, and names
the line that dominates. --rate N also says which quota binds first at N orders per second (docs/capacity.md).`;

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        rate: { type: 'string' },
        executions: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`UsageError: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  const executions = values.executions === undefined ? 200 : Number(values.executions);
  if ((rate !== undefined && !(rate > 0)) || !(Number.isInteger(executions) && executions > 0)) {
    process.stderr.write(
      `UsageError: --rate must be a positive number and --executions a positive whole number\n${USAGE}\n`,
    );
    return 2;
  }
  const report = await costReport(executions);
  const quotas = rate === undefined ? undefined : capacityAt(report);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...report, ...(quotas ? { rate, quotas } : {}) }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${formatCost(report)}\n`);
  if (quotas !== undefined && rate !== undefined) process.stdout.write(`\n${formatCapacity(quotas, rate)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: Error) => {
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
