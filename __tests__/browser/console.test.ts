import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from '../../local/console/browser';
import { SCREENSHOTS, takeScreenshots, waitForConsole } from '../../local/console/screenshot';
import type { ExecutionSummary } from '../../local/console/session';
import { PROJECT_ROOT } from '../../local/synth';

// The callbacks given to page.evaluate run in the page. The project compiles without the DOM
// library (its code runs on Node), so the page's globals are declared for this file only.
declare const window: { seenStatuses: string[] };
declare const document: any;
declare const MutationObserver: any;
declare const getComputedStyle: (element: unknown) => { outlineStyle: string };

/** Long enough for a busy 2-core CI machine; every wait ends as soon as its condition holds. */
const WAIT = { timeout: 20_000 };

/** For a test that starts a console of its own (about a second, more on a busy machine) besides its work. */
const OWN_CONSOLE_TIMEOUT_MS = 60_000;

/** A running `npm run console -- <args>` (the package.json script, without npm). */
interface ConsoleProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Every console this file started that has not exited, so none outlives the file (a test that timed out while one started). */
const runningConsoles = new Set<ChildProcess>();

function startConsole(...args: string[]): Promise<ConsoleProcess> {
  const [command, ...scriptArgs] = require('../../package.json').scripts.console.split(' ');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MPW_')));
  const child = spawn(command, [...scriptArgs, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  runningConsoles.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      runningConsoles.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Local console: (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(output);
      if (match) resolve({ child, url: match[1], port: Number(match[2]), output: () => output, exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`npm run console exited with ${code} before serving:\n${output}`)));
  });
}

/** Stops a console at once (its table is in memory: nothing to keep) unless it already exited. */
async function stopConsole(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await exited;
}

/** A raw HTTP request to the console, with any Host header (fetch would not send a foreign one). */
function request(
  port: number,
  options: { method?: string; path?: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { Host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode as number, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function postJson(port: number, body: unknown, headers: Record<string, string> = {}): ReturnType<typeof request> {
  return request(port, {
    method: 'POST',
    path: '/api/executions',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Starts executions over HTTP, as a test's preparation, and returns the ones started. */
async function startOverHttp(
  port: number,
  body: { orderId: string; count?: number; faultRate?: number },
): Promise<ExecutionSummary[]> {
  const response = await postJson(port, body);
  if (response.status !== 202) throw new Error(`POST /api/executions answered ${response.status}: ${response.body}`);
  return (JSON.parse(response.body) as { executions: ExecutionSummary[] }).executions;
}

/** Waits until the console holds `count` executions and none is running, and returns them. */
async function executionsWhenEnded(port: number, count: number): Promise<ExecutionSummary[]> {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const { executions } = JSON.parse((await request(port, { path: '/api/executions' })).body) as {
      executions: ExecutionSummary[];
    };
    if (executions.length === count && executions.every((execution) => execution.status !== 'RUNNING'))
      return executions;
    if (Date.now() > deadline)
      throw new Error(
        `Expected ${count} ended executions within ${WAIT.timeout} ms, received ${JSON.stringify(executions.map((e) => e.status))}.`,
      );
    await sleep(50);
  }
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function startOrder(
  page: Page,
  fields: { orderId: string; count?: number; faultRate?: number; stepDelayMs?: number },
): Promise<void> {
  await page.fill('#order-id', fields.orderId);
  await page.fill('#count', String(fields.count ?? 1));
  await page.fill('#fault-rate', String(fields.faultRate ?? 0));
  await page.fill('#step-delay', String(fields.stepDelayMs ?? 0));
  await page.click('#start-button');
}

const graphStates = (page: Page, status: string): Promise<string[]> =>
  page
    .locator(`#graph g.node[data-state][data-status="${status}"]`)
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state') as string));

const readStack = (): any =>
  JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.out', 'stacks', 'mock-payment-workflow', 'cdk.tf.json'), 'utf8'),
  );

/**
 * Each test stands alone: it opens its own pages, each in a fresh browser context, and a test that
 * needs executions, table items or alarms starts a console of its own and creates them itself. Only
 * checks that start no execution and write nothing share one console. Chromium is started once, as
 * it holds no page state; after each test, its pages must have logged no script error and no
 * Content-Security-Policy violation.
 */
describe('Local console: npm run console in a real browser', () => {
  let browser: Browser;
  /**
   * The browser contexts the running test opened, with what their pages logged as errors and the
   * messages the test expects (see {@link expectFailedLoads}).
   */
  const contexts: { context: BrowserContext; page: Page; problems: string[]; expected: Set<string> }[] = [];
  /** The consoles the running test started for itself. */
  const ownConsoles: ConsoleProcess[] = [];

  beforeAll(async () => {
    // The browser first, so a missing Chromium fails the suite with its own message.
    browser = await launchChromium();
  }, 60_000);

  afterEach(async () => {
    const problems = contexts.flatMap((opened) => opened.problems);
    await Promise.all(contexts.splice(0).map((opened) => opened.context.close()));
    await Promise.all(ownConsoles.splice(0).map((server) => stopConsole(server.child)));
    // Assess: every page of the test loaded and ran with no script error and no CSP violation.
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...runningConsoles].map(stopConsole));
  });

  /**
   * A console that no test has used, started while the previous test ran, so that the next test
   * needing one of its own does not wait the second or more a start takes. It goes to one test only.
   */
  let spare: Promise<ConsoleProcess> | undefined;

  /** A fresh console for the running test only, stopped after the test. */
  async function ownConsole(): Promise<ConsoleProcess> {
    const taken = spare ?? startConsole('--port', '0');
    spare = startConsole('--port', '0');
    // A spare that fails to start fails the test that takes it, not the run.
    spare.catch(() => undefined);
    const server = await taken;
    ownConsoles.push(server);
    return server;
  }

  /**
   * Opens the console at `url` in a fresh browser context (no cookies, storage or page of another
   * test) and waits until it drew the graph, its event stream is live and the stream's first
   * snapshot (executions, items, alarms) arrived: the alarm chips are drawn only from it.
   */
  async function openConsole(
    url: string,
    options: BrowserContextOptions = { viewport: SCREENSHOTS.desktop.viewport },
  ): Promise<Page> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const problems: string[] = [];
    const expected = new Set<string>();
    contexts.push({ context, page, problems, expected });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    // A Content-Security-Policy violation or a failed load is reported as a console error.
    page.on('console', (message) => {
      if (message.type() === 'error' && !expected.has(message.text())) problems.push(`console: ${message.text()}`);
    });
    await page.goto(url);
    await waitForConsole(page);
    await page.locator('#alarm-strip li').first().waitFor(WAIT);
    return page;
  }

  /**
   * From now on, `page` may log that a load was refused: its event stream retries a console the test
   * stopped, and the browser logs each refused retry as an error. Any other error still fails the test.
   */
  function expectFailedLoads(page: Page): void {
    const opened = contexts.find((candidate) => candidate.page === page);
    if (opened === undefined)
      throw new Error('expectFailedLoads: the page was not opened by openConsole in this test.');
    opened.expected.add('Failed to load resource: net::ERR_CONNECTION_REFUSED');
  }

  /**
   * Checks that start no execution and write no item: they share one console, which therefore
   * never has an execution. A test that starts one, or writes the table, starts its own console.
   */
  describe('on a console where nothing was started', () => {
    let server: ConsoleProcess;

    beforeAll(async () => {
      server = await startConsole('--port', '0');
    }, 60_000);

    afterAll(async () => {
      if (server) await stopConsole(server.child);
    });

    it('draws every state of the synthesized definition, pending before any execution', async () => {
      // Prepare
      const synthesized = Object.keys(
        JSON.parse(readStack().resource.aws_sfn_state_machine.payment_workflow.definition).States,
      );
      // Act
      const page = await openConsole(server.url);
      // Assess
      expect(await graphStates(page, 'pending')).toEqual(synthesized);
      expect(
        await page.locator('#state-list li').evaluateAll((items) => items.map((i) => i.getAttribute('data-state'))),
      ).toEqual(synthesized);
    });

    it('shows the named error for a bad order id and starts nothing', async () => {
      // Prepare
      const page = await openConsole(server.url);
      const before = await page.locator('#executions tbody tr').count();
      // Act
      await startOrder(page, { orderId: 'not valid!' });
      // Assess
      await expect(page.locator('#form-error strong').textContent()).resolves.toBe('InvalidOrderInput');
      await expect(page.locator('#order-id-error').textContent()).resolves.toMatch(
        /^InvalidOrderInput: .*received "not valid!"/,
      );
      expect(await page.getAttribute('#order-id', 'aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('order-id');
      expect(await page.locator('#executions tbody tr').count()).toBe(before);
    });

    it('validates again on the server: a bad order id is a 400 InvalidOrderInput', async () => {
      const response = await postJson(server.port, { orderId: '<script>' });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({
        error: 'InvalidOrderInput',
        message: expect.stringContaining('received "<script>"'),
      });
    });

    it.each([
      [
        'a body that is not JSON',
        400,
        'InvalidJson',
        { headers: { 'Content-Type': 'application/json' }, body: '{"orderId":' },
      ],
      [
        'a body that is not application/json',
        415,
        'UnsupportedMediaType',
        { headers: { 'Content-Type': 'text/plain' }, body: '{"orderId":"1"}' },
      ],
      [
        'a body over 4 KiB',
        413,
        'PayloadTooLarge',
        { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orderId: 'x'.repeat(5000) }) },
      ],
      [
        'a count out of range',
        400,
        'InvalidRequest',
        { headers: { 'Content-Type': 'application/json' }, body: '{"orderId":"1","count":500}' },
      ],
      [
        'a POST from another origin',
        403,
        'ForbiddenOrigin',
        { headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: '{"orderId":"1"}' },
      ],
    ])('refuses %s with a clear %i %s', async (_what, status, error, options) => {
      const response = await request(server.port, { method: 'POST', path: '/api/executions', ...options });
      expect(response.status).toBe(status);
      expect(JSON.parse(response.body)).toMatchObject({ error, message: expect.any(String) });
    });

    it('refuses a request whose Host is not the loopback address it serves (DNS rebinding)', async () => {
      // Act
      const foreign = await request(server.port, { path: '/api/orders', host: `rebind.example:${server.port}` });
      const loopback = await request(server.port, { path: '/api/orders', host: `localhost:${server.port}` });
      // Assess
      expect(foreign.status).toBe(403);
      expect(JSON.parse(foreign.body)).toMatchObject({
        error: 'ForbiddenHost',
        message: expect.stringContaining('"rebind.example:'),
      });
      expect(foreign.body).not.toContain('1234');
      expect(loopback.status).toBe(200);
    });

    it('sends a strict Content-Security-Policy and no-sniff on every response', async () => {
      const response = await request(server.port, { path: '/' });
      expect(response.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self';/);
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect((await request(server.port, { path: '/vendor/mermaid.min.js', method: 'HEAD' })).status).toBe(200);
    });
  });

  describe('on a console of its own', () => {
    it(
      'runs order 1234 from the form: the graph shows three succeeded states and the table paid',
      async () => {
        // Prepare: record what the selected order's status line shows as it changes.
        const server = await ownConsole();
        const page = await openConsole(server.url);
        await page.evaluate(() => {
          const seen: string[] = [];
          window.seenStatuses = seen;
          const line = document.getElementById('selected-order');
          new MutationObserver(() => {
            const status = line.querySelector('strong')?.textContent;
            if (status && seen[seen.length - 1] !== status) seen.push(status);
          }).observe(line, { childList: true, subtree: true, characterData: true });
        });
        // Act: slow motion, as a user watching it would.
        await startOrder(page, { orderId: '1234', stepDelayMs: 300 });
        // Assess
        await page
          .locator('#orders tr[data-order-id="1234"] .status-cell')
          .filter({ hasText: /^paid$/ })
          .waitFor(WAIT);
        await page.locator('#executions tr[aria-current="true"] .status-cell[data-status="SUCCEEDED"]').waitFor(WAIT);
        expect(await graphStates(page, 'succeeded')).toEqual(['CreateOrder', 'HoldPayment', 'AcceptPayment']);
        expect(await page.evaluate(() => window.seenStatuses)).toEqual(['created', 'hold', 'paid']);
        await page.locator('#history li[data-type="ExecutionSucceeded"]').waitFor(WAIT);
        const history = await page
          .locator('#history li')
          .evaluateAll((items) =>
            items.map(
              (i) =>
                `${i.getAttribute('data-type')}${i.querySelector('.event-state') ? `:${i.querySelector('.event-state')?.textContent}` : ''}`,
            ),
          );
        expect(history).toEqual([
          'ExecutionStarted',
          'StateEntered:CreateOrder',
          'StateExited:CreateOrder',
          'StateEntered:HoldPayment',
          'StateExited:HoldPayment',
          'StateEntered:AcceptPayment',
          'StateExited:AcceptPayment',
          'ExecutionSucceeded',
        ]);
        await expect(page.locator('#history li[data-type="ExecutionSucceeded"] pre').textContent()).resolves.toContain(
          'Payment accepted for order 1234',
        );
        await expect(page.locator('#logs').textContent()).resolves.toContain('"step":"AcceptPayment"');
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'shows every synthesized alarm as an OK chip after the clean run of order 1234, and says none would have fired',
      async () => {
        // Prepare
        const synthesized = Object.values<{ alarm_name: string }>(readStack().resource.aws_cloudwatch_metric_alarm).map(
          (alarm) => alarm.alarm_name,
        );
        const server = await ownConsole();
        await startOverHttp(server.port, { orderId: '1234' });
        // Act
        const page = await openConsole(server.url);
        // Assess: once the alarms count the execution of order 1234.
        await page
          .locator('#alarm-scope')
          .filter({ hasText: "on this console's 1 execution taken as one period" })
          .waitFor(WAIT);
        const chips = await page
          .locator('#alarm-strip li')
          .evaluateAll((items) => items.map((i) => `${i.getAttribute('data-alarm')} ${i.getAttribute('data-state')}`));
        expect(chips).toEqual(synthesized.map((name) => `${name} OK`));
        expect(chips).toHaveLength(20);
        await expect(page.locator('#alarm-summary').textContent()).resolves.toBe('None of the 20 would have fired.');
        expect(await page.getAttribute('#alarm-summary', 'role')).toBe('status');
        const chip = page.locator('#alarm-strip li[data-alarm="mock-payment-workflow-executions-failed"]');
        await expect(chip.textContent()).resolves.toBe('executions-failedOK');
        expect(await chip.getAttribute('aria-label')).toBe('mock-payment-workflow-executions-failed: OK');
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'starts 20 orders at once with injected faults and sees every one paid, through the retries',
      async () => {
        // Prepare
        const server = await ownConsole();
        const page = await openConsole(server.url);
        // Act
        await startOrder(page, { orderId: 'faulty', count: 20, faultRate: 0.1 });
        // Assess
        await page.waitForFunction(
          () =>
            document.querySelectorAll('#orders tr[data-order-id^="faulty-"] .status-cell[data-status="paid"]')
              .length === 20,
          null,
          WAIT,
        );
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll('#executions tbody tr')].filter(
              (row) => row.textContent?.includes('faulty-') && row.querySelector('[data-status="SUCCEEDED"]'),
            ).length === 20,
          null,
          WAIT,
        );
        const { executions } = JSON.parse((await request(server.port, { path: '/api/executions' })).body) as {
          executions: ExecutionSummary[];
        };
        const batch = executions.filter((e) => e.orderId.startsWith('faulty-'));
        expect(batch).toHaveLength(20);
        expect(batch.every((e) => e.faultRate === 0.1)).toBe(true);
        expect(batch.reduce((sum, e) => sum + e.retries, 0)).toBeGreaterThan(0);
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'turns the executions-failed chip red, with its value and threshold, when faults exhaust the retries',
      async () => {
        // Prepare
        const server = await ownConsole();
        const page = await openConsole(server.url);
        // Act: at a fault rate of 0.9 hardly a call gets through, so every execution fails.
        await startOrder(page, { orderId: 'doomed', count: 5, faultRate: 0.9 });
        // Assess: once all five failed.
        const chip = page.locator(
          '#alarm-strip li[data-alarm="mock-payment-workflow-executions-failed"][data-state="ALARM"]',
        );
        await chip
          .locator('.alarm-state')
          .filter({ hasText: /^ALARM 5 ≥ 1$/ })
          .waitFor(WAIT);
        await expect(chip.locator('.alarm-label').textContent()).resolves.toBe('executions-failed');
        expect(await chip.getAttribute('aria-label')).toBe(
          'mock-payment-workflow-executions-failed: ALARM 5 ≥ 1. Executions failed: orders were rejected or marked failed. Runbook: docs/runbook.md#executions-failed',
        );
        await expect(page.locator('#alarm-summary').textContent()).resolves.toBe(
          '1 of 20 would have fired: executions-failed.',
        );
        expect(await page.locator('#alarm-strip li[data-state="ALARM"]').count()).toBe(1);
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'serves the same verdicts as JSON at /api/alarms, with the executions they cover',
      async () => {
        // Prepare: order 1234, 20 orders through injected faults and 5 whose faults exhaust the retries.
        const server = await ownConsole();
        await startOverHttp(server.port, { orderId: '1234' });
        await startOverHttp(server.port, { orderId: 'faulty', count: 20, faultRate: 0.1 });
        await startOverHttp(server.port, { orderId: 'doomed', count: 5, faultRate: 0.9 });
        await executionsWhenEnded(server.port, 26);
        // Act
        const response = await request(server.port, { path: '/api/alarms' });
        // Assess
        expect(response.status).toBe(200);
        const { executions, verdicts } = JSON.parse(response.body) as {
          executions: number;
          verdicts: { name: string; state: string }[];
        };
        expect(executions).toBe(26);
        expect(verdicts).toHaveLength(20);
        expect(verdicts.find((v) => v.name === 'mock-payment-workflow-executions-failed')).toEqual({
          name: 'mock-payment-workflow-executions-failed',
          description:
            'Executions failed: orders were rejected or marked failed. Runbook: docs/runbook.md#executions-failed',
          state: 'ALARM',
          value: 5,
          comparison: '>=',
          threshold: 1,
        });
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'shows markup from the table as text, never as HTML',
      async () => {
        // Prepare: an item written straight to the table, as another tool could.
        const server = await ownConsole();
        const { dynamodbEndpoint, tableName } = JSON.parse(
          (await request(server.port, { path: '/api/definition' })).body,
        );
        const client = new DynamoDBClient({
          endpoint: dynamodbEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        });
        const markup = '<img src=x onerror="document.title=\'pwned\'">';
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              orderId: { S: markup },
              status: { S: '<b>paid</b>' },
              note: { S: '<script>document.title="pwned"</script>' },
            },
          }),
        );
        client.destroy();
        // Act
        const page = await openConsole(server.url);
        // Assess
        const row = page.locator('#orders tbody tr').filter({ hasText: markup });
        await row.waitFor(WAIT);
        await expect(row.locator('.status-cell').textContent()).resolves.toBe('<b>paid</b>');
        expect(await page.locator('#orders img, #orders b, #orders script').count()).toBe(0);
        expect(await page.title()).not.toBe('pwned');
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'works with the keyboard: Enter starts, arrow keys and Enter choose an execution',
      async () => {
        // Prepare: an earlier execution to move to.
        const server = await ownConsole();
        const [earlier] = await startOverHttp(server.port, { orderId: 'keyboard-1' });
        const page = await openConsole(server.url);
        // Act: type an order and press Enter in the field.
        await page.focus('#order-id');
        await page.fill('#order-id', 'keyboard-2');
        await page.fill('#step-delay', '0');
        await page.focus('#order-id');
        await page.keyboard.press('Enter');
        await page
          .locator('#executions tbody tr')
          .filter({ hasText: 'keyboard-2' })
          .locator('[data-status="SUCCEEDED"]')
          .waitFor(WAIT);
        // Act: move from the newest execution to the one before it, and choose it.
        await page.locator('#executions tbody button').first().focus();
        await page.keyboard.press('ArrowDown');
        const chosen = await page.evaluate(() => document.activeElement?.textContent);
        await page.keyboard.press('Enter');
        // Assess
        expect(chosen).toBe(earlier.id);
        await page.locator(`#executions tr[aria-current="true"][data-execution-id="${chosen}"]`).waitFor(WAIT);
        await page
          .locator('#history-summary')
          .filter({ hasText: `${chosen}:` })
          .waitFor(WAIT);
        expect(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)).toBe('solid');
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'is readable on a phone-width screen: one column, no sideways scrolling',
      async () => {
        // Prepare: executions, items and a history to lay out, a succeeded order and five failed ones.
        const server = await ownConsole();
        await startOverHttp(server.port, { orderId: 'phone' });
        await startOverHttp(server.port, { orderId: 'phone-doomed', count: 5, faultRate: 0.9 });
        await executionsWhenEnded(server.port, 6);
        // Act
        const phone = await openConsole(server.url, {
          viewport: SCREENSHOTS.phone.viewport,
          isMobile: true,
          hasTouch: true,
        });
        await phone.locator('#history li').first().waitFor(WAIT);
        // Assess
        expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          SCREENSHOTS.phone.viewport.width,
        );
        const [start, graph] = await Promise.all([
          phone.locator('.start').boundingBox(),
          phone.locator('.graph').boundingBox(),
        ]);
        expect(graph!.y).toBeGreaterThan(start!.y + start!.height - 1);
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'saves the screenshots --screenshot takes: order 1234 at 1280×800 and at phone width',
      async () => {
        // Prepare
        const server = await ownConsole();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-console-shots-'));
        try {
          // Act
          const files = await takeScreenshots(server.url, dir, { browser });
          // Assess
          expect(files.map((file) => path.basename(file))).toEqual([SCREENSHOTS.desktop.file, SCREENSHOTS.phone.file]);
          expect(pngSize(files[0])).toEqual(SCREENSHOTS.desktop.viewport);
          expect(pngSize(files[1])).toEqual(SCREENSHOTS.phone.viewport);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );

    it(
      'stops cleanly on Ctrl-C, and the page says it is disconnected',
      async () => {
        // Prepare
        const server = await ownConsole();
        const page = await openConsole(server.url);
        expectFailedLoads(page);
        // Act
        server.child.kill('SIGINT');
        // Assess
        expect(await server.exited).toBe(0);
        expect(server.output()).toMatch(/SIGINT: stopping.*\nStopped\.\n$/);
        await page.locator('#connection[data-state="lost"]').waitFor(WAIT);
      },
      OWN_CONSOLE_TIMEOUT_MS,
    );
  });
});
