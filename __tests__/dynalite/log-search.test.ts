import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type ConsoleMethod,
  invokeErrorLine,
  jsonLogLine,
  type LambdaLogLevel,
  type LogContext,
} from '../../local/function-logs';
import { seeded, useBundledHandler } from '../support/bundled-handlers';
import { rejectionOf } from '../support/capture';
import {
  matchesJsonFilterPattern,
  parseJsonFilterPattern,
  UnsupportedFilterPattern,
} from '../support/json-filter-pattern';
import { synthWorkflowStack } from '../support/synth';

/**
 * The runbook's log searches find what they say, on AWS: the functions log in Lambda's JSON format,
 * the real bundled handlers' console calls are turned into the lines that format writes (the model in
 * local/function-logs.ts, after the Node.js runtime's own code), and each JSON filter pattern of
 * docs/runbook.md is evaluated on those lines.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */

const CONTEXT: LogContext = { timestamp: '2026-12-02T10:00:00.000Z', requestId: 'req-1', applicationLogLevel: 'INFO' };

describe('Log format: what Lambda writes for a console call under the JSON format (literal cases of the model)', () => {
  it('keeps an object logged alone as the message, so its fields are $.message.<field>', () => {
    expect(jsonLogLine('log', [{ step: 'HoldPayment' }], CONTEXT)).toBe(
      '{"timestamp":"2026-12-02T10:00:00.000Z","level":"INFO","requestId":"req-1","message":{"step":"HoldPayment"}}',
    );
  });

  it('keeps a string logged alone as a string message, even one holding JSON', () => {
    expect(jsonLogLine('log', ['{"step":"HoldPayment"}'], CONTEXT)).toBe(
      '{"timestamp":"2026-12-02T10:00:00.000Z","level":"INFO","requestId":"req-1","message":"{\\"step\\":\\"HoldPayment\\"}"}',
    );
  });

  it.each([
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
  ] as const)('logs console.%s at level %s', (method, level) => {
    expect(JSON.parse(jsonLogLine(method, ['x'], CONTEXT) as string).level).toBe(level);
  });

  it.each([
    ['debug', 'INFO', false],
    ['log', 'INFO', true],
    ['log', 'WARN', false],
    ['error', 'WARN', true],
    ['error', 'FATAL', false],
  ] as const)('writes console.%s at application log level %s: %s', (method, applicationLogLevel, written) => {
    expect(jsonLogLine(method, ['x'], { ...CONTEXT, applicationLogLevel }) !== undefined).toBe(written);
  });

  it('formats several arguments into one string message, with the error fields of an Error among them', () => {
    const error = new RangeError('too big');
    error.stack = 'RangeError: too big\n    at f';
    expect(JSON.parse(jsonLogLine('error', ['failed %s', 'twice', error], CONTEXT) as string)).toEqual({
      timestamp: '2026-12-02T10:00:00.000Z',
      level: 'ERROR',
      requestId: 'req-1',
      message: 'failed twice RangeError: too big\n    at f',
      errorType: 'RangeError',
      errorMessage: 'too big',
      stackTrace: ['RangeError: too big', '    at f'],
    });
  });

  it('writes a thrown error as the runtime does: an ERROR line whose message is the error with its own fields', () => {
    const error = new Error('Order o-1 not found');
    error.name = 'OrderNotFound';
    error.stack = 'OrderNotFound: Order o-1 not found';
    expect(JSON.parse(invokeErrorLine(error, CONTEXT) as string).message).toEqual({
      errorType: 'Error',
      errorMessage: 'Order o-1 not found',
      stackTrace: ['OrderNotFound: Order o-1 not found'],
      name: 'OrderNotFound',
    });
  });
});

describe('JSON filter patterns: the evaluator on literal cases', () => {
  const line = '{"level":"ERROR","message":{"step":"HoldPayment","orderId":"o-1","durationMs":8500}}';

  it.each([
    ['{ $.level = "ERROR" }', true],
    ['{ $.level = "INFO" }', false],
    ['{ $.level != "INFO" }', true],
    ['{ $.message.step = "Hold*" }', true],
    ['{ $.message.step = "Hold" }', false],
    ['{ $.level = "ERROR" && $.message.orderId = "o-1" }', true],
    ['{ $.level = "ERROR" && $.message.orderId = "o-2" }', false],
    ['{ $.message.durationMs >= 8000 }', true],
    ['{ $.message.durationMs < 8000 }', false],
    ['{ $.message.durationMs = "8500" }', false],
    ['{ $.message.missing = "x" }', false],
  ])('%s: %s', (pattern, matches) => {
    expect(matchesJsonFilterPattern(pattern, line)).toBe(matches);
  });

  it('matches nothing in a line that is not JSON, as a Text-format line', () => {
    expect(
      matchesJsonFilterPattern('{ $.level = "ERROR" }', '2026-12-02T10:00:00.000Z\treq-1\tERROR\t{"level":"ERROR"}'),
    ).toBe(false);
  });

  it('refuses syntax outside its subset, by name', () => {
    expect(() => parseJsonFilterPattern('{ ($.level = "ERROR") || $.x = 1 }')).toThrow(UnsupportedFilterPattern);
  });
});

describe('Log search: the runbook finds the lines the real handlers write', () => {
  const fixture = useBundledHandler('hold-payment');
  const logging = Object.values(synthWorkflowStack().stack.resource.aws_lambda_function).map(
    (fn: any) => fn.logging_config,
  );

  /** The lines Lambda would write for what the handler logged, in call order, and for what it threw. */
  const linesOf = (thrown?: Error): string[] => {
    const calls: Array<[ConsoleMethod, unknown[], number]> = [
      ...fixture.logs.log.mock.calls.map((args, i): [ConsoleMethod, unknown[], number] => [
        'log',
        args,
        fixture.logs.log.mock.invocationCallOrder[i] as number,
      ]),
      ...fixture.logs.error.mock.calls.map((args, i): [ConsoleMethod, unknown[], number] => [
        'error',
        args,
        fixture.logs.error.mock.invocationCallOrder[i] as number,
      ]),
    ].sort((a, b) => a[2] - b[2]);
    const context = { ...CONTEXT, applicationLogLevel: logging[0].application_log_level as LambdaLogLevel };
    const lines = calls.map(([method, args]) => jsonLogLine(method, args, context));
    if (thrown !== undefined) lines.push(invokeErrorLine(thrown, context));
    return lines.filter((l): l is string => l !== undefined);
  };

  /** Every JSON filter pattern of the runbook's commands on function log groups. */
  const runbook = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
  const runbookPatterns = [
    ...runbook.matchAll(/aws logs tail \/aws\/lambda\/\S+ .*--filter-pattern '(\{[^']*\})'/g),
  ].map((m) => m[1] as string);

  it('synthesizes every function with the JSON log format, application and system level INFO', () => {
    expect(
      logging.map(({ log_format, application_log_level, system_log_level }) => [
        log_format,
        application_log_level,
        system_log_level,
      ]),
    ).toEqual([
      ['JSON', 'INFO', 'INFO'],
      ['JSON', 'INFO', 'INFO'],
      ['JSON', 'INFO', 'INFO'],
      ['JSON', 'INFO', 'INFO'],
    ]);
  });

  it("writes a success as one INFO line whose message holds the handler's fields", async () => {
    // Prepare
    await fixture.dynamo.putOrder(seeded('search-paid', 'created'));
    // Act
    await fixture.handler({ orderId: 'search-paid' });
    // Assess
    expect(linesOf().map((l) => JSON.parse(l))).toEqual([
      {
        timestamp: '2026-12-02T10:00:00.000Z',
        level: 'INFO',
        requestId: 'req-1',
        message: { step: 'HoldPayment', orderId: 'search-paid', outcome: 'written', durationMs: expect.any(Number) },
      },
    ]);
  });

  it("writes a failure as the handler's ERROR line, then the runtime's ERROR line with the thrown error", async () => {
    // Act
    const thrown = await rejectionOf(fixture.handler({ orderId: 'search-missing' }));
    // Assess
    expect(linesOf(thrown as Error).map((l) => JSON.parse(l))).toEqual([
      {
        timestamp: '2026-12-02T10:00:00.000Z',
        level: 'ERROR',
        requestId: 'req-1',
        message: {
          step: 'HoldPayment',
          orderId: 'search-missing',
          outcome: 'error',
          durationMs: expect.any(Number),
          error: 'OrderNotFound',
        },
      },
      {
        timestamp: '2026-12-02T10:00:00.000Z',
        level: 'ERROR',
        requestId: 'req-1',
        message: expect.objectContaining({ errorType: 'OrderNotFound', name: 'OrderNotFound' }),
      },
    ]);
  });

  /** Which of [success, handler error, runtime error] each runbook pattern finds, placeholders filled. */
  const EXPECTED_MATCHES: Record<string, readonly [boolean, boolean, boolean]> = {
    '{ $.level = "ERROR" }': [false, true, true],
    '{ $.level = "ERROR" && $.message.error = "<error name>" }': [false, true, false],
    '{ $.message.orderId = "<order id>" }': [false, true, false],
  };

  it('has exactly the runbook patterns this suite checks', () => {
    expect(runbookPatterns).toEqual(Object.keys(EXPECTED_MATCHES));
  });

  it.each(Object.entries(EXPECTED_MATCHES))(
    'finds with %s exactly the intended lines %j',
    async (pattern, expected) => {
      // Prepare
      await fixture.dynamo.putOrder(seeded('search-ok', 'created'));
      await fixture.handler({ orderId: 'search-ok' });
      const success = linesOf();
      fixture.logs.log.mockClear();
      const thrown = await rejectionOf(fixture.handler({ orderId: 'search-missing' }));
      const [handlerError, runtimeError] = linesOf(thrown as Error);
      const filled = pattern.replace('<error name>', 'OrderNotFound').replace('<order id>', 'search-missing');
      // Act
      const matches = [success[0], handlerError, runtimeError].map((line) =>
        matchesJsonFilterPattern(filled, line as string),
      );
      // Assess
      expect(matches).toEqual(expected);
    },
  );
});
