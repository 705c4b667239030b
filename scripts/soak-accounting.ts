/**
 * The soak's accounting: from what each order went through, how many were paid, failed, recovered,
 * lost, doubled or regressed. Apart from the runs (scripts/soak.ts) so that it is tested, and
 * mutated, on literal histories in milliseconds.
 */
import { FAILURE_RECORDER, WORKFLOW_STEPS } from '../workflow/steps';

/** What tells the recovery an order failed (see `SoakOptions.recovery` in scripts/soak.ts). */
export type Recovery = 'marked-orders' | 'failed-executions';

/** What a handler logs per invocation: the `message` of its JSON log line. */
export interface StepLog {
  readonly step: string;
  readonly orderId?: string;
  readonly outcome: string;
}

/** One order after the faulty runs, before the recovery re-runs. */
export interface OrderBeforeRecovery {
  /** Its status in the table; undefined when it was never created. */
  readonly status: string | undefined;
  /** Whether an execution of it succeeded. */
  readonly succeeded: boolean;
}

/** One order at the end of the soak. */
export interface OrderHistory extends OrderBeforeRecovery {
  /** Its status in the table after the recovery re-runs. */
  readonly finalStatus: string | undefined;
  /** The steps that wrote to it, in the order their log lines arrived. */
  readonly writes: readonly string[];
}

/** The soak's verdict on its orders. `lost`, `doubled` and `regressed` must be 0. */
export interface OrderCounts {
  readonly paid: number;
  readonly failed: number;
  readonly recovered: number;
  readonly unrecorded: number;
  readonly lost: number;
  readonly doubled: number;
  readonly regressed: number;
}

const FIRST = WORKFLOW_STEPS[0];
const LAST = WORKFLOW_STEPS[WORKFLOW_STEPS.length - 1];

/** Whether the table shows the order failed: marked by the failure recorder, or never created. */
export function markedFailed(order: OrderBeforeRecovery): boolean {
  return order.status === FAILURE_RECORDER.status || order.status === undefined;
}

/** Whether the order failed in a way its caller can see, so that the recovery re-runs it. */
export function visiblyFailed(order: OrderBeforeRecovery, recovery: Recovery): boolean {
  return !order.succeeded && (recovery === 'failed-executions' || markedFailed(order));
}

/** For each order, the steps that wrote to it, in the order they wrote. */
export function groupWrites(logs: readonly StepLog[]): Map<string, string[]> {
  const writes = new Map<string, string[]>();
  for (const line of logs) {
    if (line.outcome !== 'written' || line.orderId === undefined) continue;
    writes.set(line.orderId, [...(writes.get(line.orderId) ?? []), line.step]);
  }
  return writes;
}

/** Counts the orders of a soak by what happened to them. */
export function countOrders(orders: readonly OrderHistory[], recovery: Recovery): OrderCounts {
  let failed = 0;
  let unrecorded = 0;
  let lost = 0;
  let doubled = 0;
  let regressed = 0;
  let recovered = 0;
  for (const order of orders) {
    const failedVisibly = visiblyFailed(order, recovery);
    const finishedBefore = order.status === LAST.status;
    if (failedVisibly) failed += 1;
    if (failedVisibly && !markedFailed(order) && !finishedBefore) unrecorded += 1;
    if ((!finishedBefore && !failedVisibly) || order.finalStatus !== LAST.status) lost += 1;
    if (failedVisibly && order.finalStatus === LAST.status) recovered += 1;
    const writesOf = (stateName: string) => order.writes.filter((step) => step === stateName).length;
    if (writesOf(FIRST.stateName) > 1 || writesOf(LAST.stateName) > 1) doubled += 1;
    const finishedAt = order.writes.indexOf(LAST.stateName);
    // The log lines come in the order the replies arrive, not the order the table applied the writes:
    // under many concurrent runs of one order a write applied before the last step's can be logged
    // after it. Every other write leaves the order unfinished or failed, so one applied after the last
    // step's shows in the table as an order no longer finished (before the recovery re-runs).
    const writtenAfterFinish = finishedAt >= 0 && finishedAt < order.writes.length - 1 && !finishedBefore;
    if (writtenAfterFinish || (order.succeeded && !finishedBefore)) regressed += 1;
  }
  return { paid: orders.length - failed, failed, recovered, unrecorded, lost, doubled, regressed };
}
