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
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
