/**
 * Routes what the hosted handlers print (`console.log`, `info`, `warn`, `error`), which Lambda would
 * send to CloudWatch Logs, to `take` instead of this process's output. A line `take` declines
 * (returns false) is written as usual.
 *
 * @returns a function that restores the console
 */
export function routeConsole(take: (line: string) => boolean): () => void {
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const wrap =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      const line = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      if (!take(line)) write(...args);
    };
  Object.assign(console, { log: wrap(original.log), info: wrap(original.info), warn: wrap(original.warn), error: wrap(original.error) });
  return () => Object.assign(console, original);
}
