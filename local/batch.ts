/** Running many executions: how their orders are named, and how many run at once. */

/** Digits of a batch's order number: at least 4, so `1234-0001` sorts with `1234-0999`. */
export function batchIdWidth(count: number): number {
  return Math.max(4, String(count).length);
}

/** The order ids of a batch of `count`: `<orderId>-0001` and on, as `npm start -- --count` names them. */
export function batchOrderIds(orderId: string, count: number): string[] {
  const width = batchIdWidth(count);
  return Array.from({ length: count }, (_, i) => `${orderId}-${String(i + 1).padStart(width, '0')}`);
}

/** Runs `work` on every item, at most `concurrency` at a time, in order of start. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * The `p` percentile (0 < p ≤ 1) of `values` by nearest rank: the smallest value that at least a
 * share `p` of them do not exceed (p50 of 10, 20, 30, 40 is 20). 0 when there are none.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Executions completed per second of a batch that took `seconds`, to one decimal, as the summaries print it. */
export function executionsPerSecond(executions: number, seconds: number): number {
  return Math.round((executions / seconds) * 10) / 10;
}
