/**
 * Every fakeable timer API but `Date`: the AWS SDK and dynalite wait on real timers, so only the
 * clock the handlers read (`new Date()` for `createdAt` and `updatedAt`) is fixed.
 */
const REAL_TIMER_APIS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/**
 * Stops the test's clock at `instant` (an ISO 8601 time): `Date` reads it until it is set again or
 * `jest.useRealTimers()` restores the real one. Timers keep running in real time.
 */
export function setClock(instant: string): void {
  jest.useFakeTimers({ now: new Date(instant), doNotFake: [...REAL_TIMER_APIS] });
}
