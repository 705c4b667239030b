import { asInvocation, jsonLogLine, routeConsole } from '../../local/function-logs';

/** How the local runtime hands the hosted handlers' console to the soak and the runtime: routeConsole, in process. */

describe('Local logs: routeConsole', () => {
  const CONTEXT = { timestamp: '2026-12-02T12:00:00.000Z', requestId: 'r-1', applicationLogLevel: 'INFO' } as const;

  it("routes each console method's call as the JSON line Lambda writes, with the invocation's request id", () => {
    // Prepare
    const taken: string[] = [];
    const restore = routeConsole((line) => taken.push(line) > 0);

    // Act
    try {
      asInvocation('req-7', () => {
        console.log({ step: 'HoldPayment' });
        console.info('i');
        console.warn('w');
        console.error('e');
      });
    } finally {
      restore();
    }

    // Assess
    expect(
      taken.map((line) => JSON.parse(line)).map(({ level, requestId, message }) => ({ level, requestId, message })),
    ).toEqual([
      { level: 'INFO', requestId: 'req-7', message: { step: 'HoldPayment' } },
      { level: 'INFO', requestId: 'req-7', message: 'i' },
      { level: 'WARN', requestId: 'req-7', message: 'w' },
      { level: 'ERROR', requestId: 'req-7', message: 'e' },
    ]);
  });

  it('writes a line the taker declines to the console it replaced, and restores that console', () => {
    // Prepare
    const written: unknown[][] = [];
    const log = console.log;
    const replaced = (...args: unknown[]) => void written.push(args);
    console.log = replaced;
    const restore = routeConsole(() => false);

    // Act
    console.log('kept', 1);
    restore();
    const restored = console.log;
    console.log = log;

    // Assess
    expect(written).toEqual([['kept', 1]]);
    expect(restored).toBe(replaced);
  });

  it('writes a value JSON cannot hold as util.format text', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(JSON.parse(jsonLogLine('info', [circular], CONTEXT) as string).message).toBe(
      '<ref *1> { a: 1, self: [Circular *1] }',
    );
  });

  it('names the error of a line with several arguments', () => {
    const line = JSON.parse(jsonLogLine('error', ['failed:', new RangeError('r')], CONTEXT) as string);
    expect([line.errorType, line.errorMessage]).toEqual(['RangeError', 'r']);
  });
});
