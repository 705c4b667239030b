/** Spies that silence `console.log` and `console.error` while recording them. */
export interface CapturedConsole {
  readonly log: jest.SpiedFunction<typeof console.log>;
  readonly error: jest.SpiedFunction<typeof console.error>;
}

/** Silences and records the console; undo with `jest.restoreAllMocks()` in `afterEach`. */
export function captureConsole(): CapturedConsole {
  return {
    log: jest.spyOn(console, 'log').mockImplementation(() => undefined),
    error: jest.spyOn(console, 'error').mockImplementation(() => undefined),
  };
}

/** The one value a spy recorded (a handler logs one object per call); fails unless exactly one call, of one argument, was made. */
export function onlyLogLine(spy: jest.SpiedFunction<typeof console.log>): unknown {
  expect(spy).toHaveBeenCalledTimes(1);
  expect(spy.mock.calls[0]).toHaveLength(1);
  return spy.mock.calls[0]?.[0];
}

/** An error as thrown by a bundled handler: its own class, so assert on `name`, never `instanceof`. */
export interface ThrownError {
  readonly name: string;
  readonly message: string;
  readonly cause?: { readonly name?: string };
}

/** Awaits a promise that must reject and returns the reason; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ThrownError> {
  const settled = await promise.then(
    (value: unknown) => ({ rejected: false as const, value }),
    (reason: unknown) => ({ rejected: true as const, reason }),
  );
  if (!settled.rejected) throw new Error(`Expected a rejection, received ${JSON.stringify(settled.value)}`);
  return settled.reason as ThrownError;
}
