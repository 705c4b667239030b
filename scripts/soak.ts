import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { type AlarmVerdict, formatAlarmVerdicts } from '../local/alarms';
import { executionsPerSecond, forEachConcurrently } from '../local/batch';
import { routeConsole } from '../local/function-logs';
import { type ExecutionReport, LocalWorkflowRuntime } from '../local/runtime';
import { ensureSynthesized } from '../local/synth';
import {
  countOrders,
  groupWrites,
  type OrderBeforeRecovery,
  type OrderHistory,
  type Recovery,
  type StepLog,
  visiblyFailed,
} from './soak-accounting';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** Folder cdktf synthesized into. */
  readonly outdir: string;
  /** Distinct orders run once each. */
  readonly orders: number;
  /** Order ids each started many times at once. */
  readonly sharedOrders: number;
  /** Executions of each shared order id, all at once. */
  readonly runsPerSharedOrder: number;
  /** Chance of a transient fault before a call, and again after a write whose reply is lost. */
  readonly faultRate: number;
  /** Seed of the faults, so a run can be repeated. */
  readonly seed: number;
  /** Executions in flight at once for the distinct orders. */
  readonly concurrency: number;
  /**
   * At-least-once delivery, as EXPRESS may: the chance that an execution is delivered twice, and that a
   * step that succeeded runs again.
   * @default 0
   */
  readonly duplicateRate?: number;
  /**
   * What tells the recovery an order failed. `marked-orders`: the order is marked failed in the table
   * (or was never created), as a STANDARD workflow's retries make sure of. `failed-executions`: every
   * execution of the order failed, which the caller of an EXPRESS execution learns from its result:
   * under heavy faults the failure recorder itself may run out of retries, leaving the order in
   * created or hold with only the failed execution to show it (counted as `unrecorded`).
   * @default 'marked-orders'
   */
  readonly recovery?: Recovery;
}

/** What a soak found. `lost`, `doubled` and `regressed` must be 0. */
export interface SoakSummary {
  readonly orders: number;
  readonly executions: number;
  readonly paid: number;
  /**
   * Orders whose executions all failed after a step's retries ran out, visibly: marked failed in the
   * table, or never created. Not lost: a re-run resumes them.
   */
  readonly failed: number;
  /** Failed orders that a re-run without faults took to paid. */
  readonly recovered: number;
  /** Failed orders left in created or hold without a failure mark, because recording the failure failed too. */
  readonly unrecorded: number;
  /**
   * Orders not paid although an execution of theirs succeeded, left in created or hold without a
   * failure mark, or not paid after the re-run.
   */
  readonly lost: number;
  /** Orders created or paid by more than one write. */
  readonly doubled: number;
  /** Orders written after they were paid, or not paid at the end although an execution of theirs succeeded. */
  readonly regressed: number;
  readonly injectedFaults: number;
  /** Executions delivered twice. */
  readonly duplicateDeliveries: number;
  /** Steps run again after they succeeded. */
  readonly repeatedSteps: number;
  readonly retries: number;
  readonly seconds: number;
  readonly executionsPerSecond: number;
  /** The synthesized alarms' states over the faulty runs (before the recovery re-runs), taken as one period. */
  readonly alarms: readonly AlarmVerdict[];
}

/** Where `--workflow-type EXPRESS` synthesizes, beside the default cdktf.out (ignored by git, as it is). */
export const EXPRESS_OUTDIR = 'cdktf.out.express';

/** The duplicate rate of `--workflow-type EXPRESS` unless `--duplicate-rate` says otherwise. */
export const DEFAULT_EXPRESS_DUPLICATE_RATE = 0.2;

/** Synthesizes the EXPRESS workflow into {@link EXPRESS_OUTDIR}; returns the folder. */
export function synthesizeExpress(): string {
  return ensureSynthesized(undefined, undefined, { outdir: EXPRESS_OUTDIR, settings: { MPW_WORKFLOW_TYPE: 'EXPRESS' } })
    .outdir;
}

/**
 * Runs many orders through the synthesized workflow with transient faults injected, plus many
 * concurrent executions of the same order ids, then checks every order from the table and from the
 * handlers' own log lines (which say whether each step wrote).
 */
export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const logs: StepLog[] = [];
  // The handlers' log lines say whether each step wrote; any other line is printed as usual.
  const restore = routeConsole((line) => {
    const message: unknown = JSON.parse(line).message;
    if (typeof message !== 'object' || message === null || !('step' in message)) return false;
    logs.push(message as StepLog);
    return true;
  });
  const runtime = await LocalWorkflowRuntime.start({
    outdir: options.outdir,
    faultRate: options.faultRate,
    seed: options.seed,
    duplicateRate: options.duplicateRate ?? 0,
  });
  const started = Date.now();
  try {
    const distinct = Array.from({ length: options.orders }, (_, i) => `soak-${String(i + 1).padStart(6, '0')}`);
    const shared = Array.from(
      { length: options.sharedOrders },
      (_, i) => `soak-shared-${String(i + 1).padStart(3, '0')}`,
    );
    const succeeded = new Set<string>();
    const reports: ExecutionReport[] = [];
    const run = async (orderId: string): Promise<void> => {
      const report = await runtime.execute({ orderId });
      reports.push(report);
      if (report.status === 'SUCCEEDED') succeeded.add(orderId);
    };
    await forEachConcurrently(distinct, options.concurrency, run);
    await Promise.all(
      shared.flatMap((orderId) => Array.from({ length: options.runsPerSharedOrder }, () => run(orderId))),
    );
    const seconds = (Date.now() - started) / 1000;
    const injectedFaults = runtime.host.injectedFaults;
    const alarms = runtime.alarmVerdicts(reports);

    const all = [...distinct, ...shared];
    const beforeRecovery: (OrderBeforeRecovery & { readonly orderId: string })[] = [];
    for (const orderId of all) {
      beforeRecovery.push({
        orderId,
        status: (await runtime.getOrder(orderId))?.status,
        succeeded: succeeded.has(orderId),
      });
    }
    const recovery = options.recovery ?? 'marked-orders';
    // Recovery: a re-run without faults (duplicates still on) must resume every failed order to the final status.
    for (const order of beforeRecovery) {
      if (visiblyFailed(order, recovery)) await runtime.execute({ orderId: order.orderId }, { faultRate: 0 });
    }

    const writes = groupWrites(logs);
    const histories: OrderHistory[] = [];
    for (const order of beforeRecovery) {
      histories.push({
        ...order,
        finalStatus: (await runtime.getOrder(order.orderId))?.status,
        writes: writes.get(order.orderId) ?? [],
      });
    }
    return {
      orders: all.length,
      executions: reports.length,
      ...countOrders(histories, recovery),
      injectedFaults,
      duplicateDeliveries: runtime.duplicateDeliveries,
      repeatedSteps: runtime.repeatedSteps,
      retries: reports.reduce((sum, r) => sum + r.retries, 0),
      seconds,
      executionsPerSecond: executionsPerSecond(reports.length, seconds),
      alarms,
    };
  } finally {
    restore();
    await runtime.close();
  }
}

const USAGE = `Usage: npm run soak -- [--orders N] [--shared-orders N] [--runs-per-shared-order N] [--fault-rate R] [--seed N]
                     [--workflow-type STANDARD|EXPRESS] [--duplicate-rate R]

Runs orders through the synthesized workflow offline with transient Lambda faults injected before calls
and after writes whose reply is lost, plus concurrent runs of the same order ids. Exits 1 if any order
is lost, doubled or regressed. Defaults: 1000 orders, 20 shared orders x 15 runs, fault rate 0.2, seed 1.
--workflow-type EXPRESS synthesizes the EXPRESS workflow (into ${EXPRESS_OUTDIR}) and delivers at least
once, as Express may: each execution is delivered twice, and each step that succeeded runs again, at
--duplicate-rate (default 0.2 with EXPRESS, 0 with STANDARD).`;

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        orders: { type: 'string' },
        'shared-orders': { type: 'string' },
        'runs-per-shared-order': { type: 'string' },
        'fault-rate': { type: 'string' },
        seed: { type: 'string' },
        'workflow-type': { type: 'string' },
        'duplicate-rate': { type: 'string' },
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
  const number = (name: string, fallback: number, valid: (n: number) => boolean): number => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === '' || !valid(n)) throw new Error(`--${name}: invalid value "${raw}"`);
    return n;
  };
  let options: SoakOptions;
  try {
    const whole = (min: number) => (n: number) => Number.isInteger(n) && n >= min && n <= 1_000_000;
    const workflowType = (values['workflow-type'] as string | undefined) ?? 'STANDARD';
    if (workflowType !== 'STANDARD' && workflowType !== 'EXPRESS')
      throw new Error(`--workflow-type: invalid value "${workflowType}"`);
    const express = workflowType === 'EXPRESS';
    options = {
      outdir: path.resolve(express ? synthesizeExpress() : ensureSynthesized().outdir),
      duplicateRate: number('duplicate-rate', express ? DEFAULT_EXPRESS_DUPLICATE_RATE : 0, (n) => n >= 0 && n < 1),
      recovery: express ? 'failed-executions' : 'marked-orders',
      orders: number('orders', 1000, whole(1)),
      sharedOrders: number('shared-orders', 20, whole(0)),
      runsPerSharedOrder: number('runs-per-shared-order', 15, whole(1)),
      faultRate: number('fault-rate', 0.2, (n) => n >= 0 && n < 1),
      seed: number('seed', 1, whole(0)),
      concurrency: 50,
    };
  } catch (error) {
    process.stderr.write(`UsageError: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  process.stdout.write(
    `Soak: ${options.orders} orders + ${options.sharedOrders} order ids x ${options.runsPerSharedOrder} concurrent runs, ` +
      `fault rate ${options.faultRate}, duplicate rate ${options.duplicateRate}, seed ${options.seed}\n`,
  );
  const summary = await runSoak(options);
  process.stdout.write(
    `${[
      `orders ${summary.orders}, executions ${summary.executions}, paid ${summary.paid}, failed ${summary.failed} ` +
        `(recovered ${summary.recovered}; failure not recorded on the order ${summary.unrecorded})`,
      `lost ${summary.lost}, doubled ${summary.doubled}, regressed ${summary.regressed}`,
      `${summary.duplicateDeliveries} duplicate deliveries, ${summary.repeatedSteps} steps run again after success`,
      `${summary.injectedFaults} injected faults, ${summary.retries} retries, ${summary.executionsPerSecond} executions/s over ${summary.seconds.toFixed(1)} s`,
      formatAlarmVerdicts(summary.alarms),
    ].join('\n')}\n`,
  );
  return summary.lost + summary.doubled + summary.regressed === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
