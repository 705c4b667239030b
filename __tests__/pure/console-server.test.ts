import * as path from 'node:path';
import { DEFAULT_SCREENSHOT_DIR, parseConsoleOptions } from '../../local/console/cli';
import { checkHost } from '../../local/console/server';
import { END_NODE, mermaidText, START_NODE, workflowGraph } from '../../local/console/graph';
import { parseOrderInput } from '../../handlers/order-input';
import { parseStartRequest } from '../../local/console/requests';
import { ConsoleSession, type SessionMessage } from '../../local/console/session';
import type { ExecutionOutcome } from '../../local/alarms';
import type { LocalWorkflowRuntime } from '../../local/runtime';

describe('Local console: workflowGraph', () => {
  it('draws one node per state and an edge per Next, Catch and End', () => {
    // Prepare
    const definition = {
      StartAt: 'CreateOrder',
      States: {
        CreateOrder: {
          Type: 'Task',
          Next: 'Done',
          Catch: [
            { ErrorEquals: ['InvalidOrderInput'], Next: 'RejectInput' },
            { ErrorEquals: ['OrderNotFound', 'PaymentNotHeld', 'OrderNotHoldable'], Next: 'RecordFailure' },
            { ErrorEquals: ['States.ALL'], Next: 'RecordFailure' },
          ],
        },
        RecordFailure: { Type: 'Task', Next: 'OrderFailed' },
        Done: { Type: 'Succeed' },
        RejectInput: { Type: 'Fail' },
        OrderFailed: { Type: 'Fail' },
      },
    };
    // Act
    const graph = workflowGraph(definition);
    // Assess
    expect(graph.nodes.map((n) => `${n.id}:${n.state}:${n.type}`)).toEqual([
      's0:CreateOrder:Task',
      's1:RecordFailure:Task',
      's2:Done:Succeed',
      's3:RejectInput:Fail',
      's4:OrderFailed:Fail',
    ]);
    expect(graph.edges).toEqual([
      { from: START_NODE, to: 's0', kind: 'next' },
      { from: 's0', to: 's2', kind: 'next' },
      { from: 's0', to: 's3', kind: 'catch', label: 'InvalidOrderInput' },
      { from: 's0', to: 's1', kind: 'catch', label: 'OrderNotFound, PaymentNotHeld +2' },
      { from: 's1', to: 's4', kind: 'next' },
      { from: 's2', to: END_NODE, kind: 'end' },
    ]);
    expect(graph.mermaid).toContain('s0 -.->|"InvalidOrderInput"| s3');
    expect(graph.mermaid).toContain('s3(["RejectInput"])');
  });

  it('draws Choice rules and the Default', () => {
    const graph = workflowGraph({
      StartAt: 'Pick',
      States: {
        Pick: { Type: 'Choice', Choices: [{ Next: 'A' }], Default: 'B' },
        A: { Type: 'Pass', End: true },
        B: { Type: 'Pass', End: true },
      },
    });
    expect(graph.edges.filter((e) => e.from === 's0')).toEqual([
      { from: 's0', to: 's1', kind: 'choice', label: 'Rule 1' },
      { from: 's0', to: 's2', kind: 'default', label: 'Default' },
    ]);
    expect(graph.mermaid).toContain('s0{"Pick"}');
  });

  it('escapes state names so they can neither close a label nor carry markup', () => {
    // Prepare
    const name = 'Evil"] --> x(<img src=x onerror=alert(1)>) #amp; `md` |pipe|\nline';
    // Act
    const graph = workflowGraph({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });
    // Assess
    const label = mermaidText(name);
    expect(label).not.toMatch(/["<>`|\n]/);
    expect(graph.mermaid).toContain(`s0["${label}"]`);
    expect(graph.nodes[0].state).toBe(name);
  });
});

describe('Local console: parseStartRequest', () => {
  it.each(['a.b', 'a:b', 'a b', 'a/b', 'a+b'])(
    'refuses the order id %j, one character outside A-Z a-z 0-9 _ -, as the handlers do',
    (orderId) => {
      expect(outcome(() => parseStartRequest({ orderId }))).toMatch(/^InvalidOrderInput: /);
    },
  );

  it('accepts exactly the order ids the handlers accept, with their error name and message', () => {
    const ids: unknown[] = [
      '1234',
      'a',
      'A-z_9',
      'x'.repeat(64),
      'x'.repeat(65),
      '',
      'not valid!',
      'ü',
      '12\n34',
      1234,
      null,
      ['1'],
    ];
    for (const orderId of ids) {
      const handler = outcome(() => parseOrderInput({ orderId }));
      const fromConsole = outcome(() => parseStartRequest({ orderId }));
      expect({ orderId, verdict: fromConsole }).toEqual({ orderId, verdict: handler });
    }
  });

  it('accepts an order id alone with the defaults', () => {
    expect(parseStartRequest({ orderId: '1234' })).toEqual({ orderIds: ['1234'], faultRate: 0, stepDelayMs: 0 });
  });

  it('names a batch as npm start -- --count does', () => {
    const request = parseStartRequest({ orderId: 'batch', count: 3, faultRate: 0.2, stepDelayMs: 100 });
    expect(request).toEqual({ orderIds: ['batch-0001', 'batch-0002', 'batch-0003'], faultRate: 0.2, stepDelayMs: 100 });
  });

  it.each([
    [{ orderId: 'not valid!' }, 'InvalidOrderInput', /only A-Z a-z 0-9 _ -, received "not valid!"/],
    [{ orderId: '' }, 'InvalidOrderInput', /1 to 64 characters/],
    [{ orderId: 1234 }, 'InvalidOrderInput', /orderId to be a string/],
    [{}, 'InvalidOrderInput', /received no orderId/],
    [{ orderId: 'x'.repeat(60), count: 2 }, 'InvalidOrderInput', /1 to 59 characters with count 2/],
    [{ orderId: '1', count: 0 }, 'InvalidRequest', /count must be a whole number from 1 to 200, received 0/],
    [{ orderId: '1', count: 1.5 }, 'InvalidRequest', /count must be a whole number/],
    [{ orderId: '1', count: 201 }, 'InvalidRequest', /count must be a whole number from 1 to 200/],
    [{ orderId: '1', faultRate: 1 }, 'InvalidRequest', /0 <= faultRate < 1, received 1/],
    [{ orderId: '1', faultRate: '0.1' }, 'InvalidRequest', /faultRate must be a number/],
    [{ orderId: '1', stepDelayMs: -1 }, 'InvalidRequest', /stepDelayMs must be a whole number from 0 to 5000/],
    [{ orderId: '1', orderID: '2' }, 'InvalidRequest', /Unexpected field "orderID"/],
    [['1234'], 'InvalidRequest', /Expected a JSON object/],
  ])('rejects %j with %s', (body, name, message) => {
    expect(() => parseStartRequest(body)).toThrow(
      expect.objectContaining({ name, message: expect.stringMatching(message) }),
    );
  });

  it('names the first unexpected field and lists the fields it expects', () => {
    expect(() => parseStartRequest({ orderId: '1', orderID: '2', amount: 5 })).toThrow(
      expect.objectContaining({
        name: 'InvalidRequest',
        message: 'Unexpected field "orderID"; expected only orderId, count, faultRate, stepDelayMs.',
      }),
    );
  });

  it('refuses a body without orderId in the words of the handlers', () => {
    expect(() => parseStartRequest({ count: 2 })).toThrow(
      expect.objectContaining({
        name: 'InvalidOrderInput',
        message: 'Invalid order input: expected orderId to be a string, received no orderId.',
      }),
    );
  });

  it.each([
    ['NaN', Number.NaN, 'faultRate must be a number with 0 <= faultRate < 1, received NaN.'],
    ['Infinity', Number.POSITIVE_INFINITY, 'faultRate must be a number with 0 <= faultRate < 1, received Infinity.'],
    ['-0.1', -0.1, 'faultRate must be a number with 0 <= faultRate < 1, received -0.1.'],
    ['1', 1, 'faultRate must be a number with 0 <= faultRate < 1, received 1.'],
    ['a numeric string', '0.1', 'faultRate must be a number with 0 <= faultRate < 1, received "0.1".'],
    ['an array', [0.1], 'faultRate must be a number with 0 <= faultRate < 1, received an array.'],
    ['an object', { rate: 0.1 }, 'faultRate must be a number with 0 <= faultRate < 1, received an object.'],
    ['a function', () => 0.1, 'faultRate must be a number with 0 <= faultRate < 1, received a function.'],
    ['a symbol', Symbol('rate'), 'faultRate must be a number with 0 <= faultRate < 1, received a symbol.'],
  ])('refuses faultRate %s, naming the field and showing the value only safely', (_case, faultRate, message) => {
    expect(() => parseStartRequest({ orderId: '1', faultRate })).toThrow(
      expect.objectContaining({ name: 'InvalidRequest', field: 'faultRate', message }),
    );
  });

  it('quotes a received string of exactly 40 characters whole', () => {
    // 40 characters: the longest a message quotes without cutting.
    expect(() => parseStartRequest({ orderId: '1', faultRate: '0123456789012345678901234567890123456789' })).toThrow(
      expect.objectContaining({
        message:
          'faultRate must be a number with 0 <= faultRate < 1, received "0123456789012345678901234567890123456789".',
      }),
    );
  });

  it('cuts a received string of 41 characters after 40 and says it did', () => {
    expect(() => parseStartRequest({ orderId: '1', faultRate: '0123456789012345678901234567890123456789X' })).toThrow(
      expect.objectContaining({
        message:
          'faultRate must be a number with 0 <= faultRate < 1, received "0123456789012345678901234567890123456789" (truncated).',
      }),
    );
  });

  it('names the field count when it is out of range', () => {
    expect(() => parseStartRequest({ orderId: '1', count: 0 })).toThrow(
      expect.objectContaining({
        name: 'InvalidRequest',
        field: 'count',
        message: 'count must be a whole number from 1 to 200, received 0.',
      }),
    );
  });

  it('refuses a step delay of 5001 ms, naming the field stepDelayMs', () => {
    expect(() => parseStartRequest({ orderId: '1', stepDelayMs: 5001 })).toThrow(
      expect.objectContaining({
        name: 'InvalidRequest',
        field: 'stepDelayMs',
        message: 'stepDelayMs must be a whole number from 0 to 5000, received 5001.',
      }),
    );
  });

  it('accepts the largest count, 200, and the longest step delay, 5000 ms', () => {
    // Act
    const request = parseStartRequest({ orderId: 'max', count: 200, stepDelayMs: 5000 });

    // Assess
    expect(request.stepDelayMs).toBe(5000);
    expect(request.orderIds).toHaveLength(200);
    expect(request.orderIds[199]).toBe('max-0200');
  });

  it('accepts a batch whose order ids are exactly 64 characters long', () => {
    // 59 characters, "-" and 4 digits make 64.
    const orderId = `${'abcdefghij'.repeat(5)}abcdefghi`;

    // Act
    const request = parseStartRequest({ orderId, count: 2 });

    // Assess
    expect(request.orderIds).toEqual([
      'abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghi-0001',
      'abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghi-0002',
    ]);
  });

  it('refuses a batch whose order ids would pass 64 characters, saying how long the id may be', () => {
    expect(() => parseStartRequest({ orderId: 'abcdefghij'.repeat(6), count: 2 })).toThrow(
      expect.objectContaining({
        name: 'InvalidOrderInput',
        message:
          'Invalid order input: expected orderId of 1 to 59 characters with count 2 (the orders are <orderId>-0001 and on, ' +
          'at most 64 characters each), received 60 characters.',
      }),
    );
  });
});

describe('Local console: checkHost', () => {
  it('accepts the loopback address and localhost on the port served', () => {
    expect(() => checkHost('127.0.0.1:4000', 4000)).not.toThrow();
    expect(() => checkHost('LOCALHOST:4000', 4000)).not.toThrow();
  });

  it.each([['evil.example:4000'], ['127.0.0.1:4001'], ['127.0.0.1'], ['[::1]:4000'], [undefined]])(
    'refuses the Host %p',
    (host) => {
      expect(() => checkHost(host, 4000)).toThrow(expect.objectContaining({ name: 'ForbiddenHost', status: 403 }));
    },
  );
});

describe('Local console: parseConsoleOptions', () => {
  it('defaults to a free port, memory and no screenshots', () => {
    expect(parseConsoleOptions([])).toEqual({ port: 0, seed: 1, help: false });
  });

  it('takes --screenshot with or without a folder', () => {
    expect(parseConsoleOptions(['--screenshot']).screenshotDir).toBe(DEFAULT_SCREENSHOT_DIR);
    expect(parseConsoleOptions(['--screenshot', '--port', '5000'])).toMatchObject({
      screenshotDir: DEFAULT_SCREENSHOT_DIR,
      port: 5000,
    });
    expect(parseConsoleOptions(['--screenshot', 'shots']).screenshotDir).toBe(path.resolve('shots'));
  });

  it.each([
    [['--port', '65536'], /--port must be a whole number from 0 to 65535, received "65536"/],
    [['--port', 'http'], /--port must be a whole number/],
    [['--data', ''], /--data needs a folder/],
    [['--colour'], /Unknown option '--colour'/],
  ])('rejects %j with a UsageError', (args, message) => {
    expect(() => parseConsoleOptions(args)).toThrow(
      expect.objectContaining({ name: 'UsageError', message: expect.stringMatching(message) }),
    );
  });
});

describe('Local console: ConsoleSession alarms', () => {
  /** A runtime whose executions end at once, failing for order ids starting with "bad"; it records what the alarms were asked. */
  function stubRuntime(asked: ExecutionOutcome[][]): LocalWorkflowRuntime {
    const stub = {
      execute: async (input: { orderId: string }) =>
        input.orderId.startsWith('bad')
          ? { status: 'FAILED', error: 'OrderFailed', durationMs: 1, retries: 0 }
          : { status: 'SUCCEEDED', output: {}, durationMs: 1, retries: 0 },
      getOrder: async () => undefined,
      alarmVerdicts: (outcomes: readonly ExecutionOutcome[]) => {
        asked.push([...outcomes]);
        return [];
      },
    };
    return stub as unknown as LocalWorkflowRuntime;
  }

  it('judges the alarms on every execution that ended, also those the list no longer keeps', async () => {
    // Prepare
    const asked: ExecutionOutcome[][] = [];
    const session = new ConsoleSession(stubRuntime(asked), { maxExecutions: 1, flushMs: 1 });
    // Act: a second start makes the list forget the first two, which ended.
    session.start({ orderIds: ['good-1', 'bad-1'], faultRate: 0, stepDelayMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    session.start({ orderIds: ['good-2'], faultRate: 0, stepDelayMs: 0 });
    await session.close();
    const status = session.alarms();
    // Assess
    expect(session.list().map((e) => e.orderId)).toEqual(['good-2']);
    expect(status.executions).toBe(3);
    expect(asked[asked.length - 1]).toEqual([
      { status: 'SUCCEEDED' },
      { status: 'FAILED', error: 'OrderFailed' },
      { status: 'SUCCEEDED' },
    ]);
  });

  it('tells subscribers the alarms once the executions of a flush ended, not once per execution', async () => {
    // Prepare
    const session = new ConsoleSession(stubRuntime([]), { flushMs: 1 });
    const alarms: SessionMessage[] = [];
    session.subscribe((message) => {
      if (message.type === 'alarms') alarms.push(message);
    });
    // Act
    session.start({ orderIds: ['good-1', 'bad-1', 'good-2'], faultRate: 0, stepDelayMs: 0 });
    await session.close();
    // Assess
    expect(alarms).toEqual([{ type: 'alarms', alarms: { executions: 3, verdicts: [] } }]);
  });
});

/** What a parse did: accepted, or the name and message of the error it threw. */
function outcome(parse: () => unknown): string {
  try {
    parse();
    return 'accepted';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}
