import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../local/console/browser';
import { SCREENSHOTS, takeScreenshots, waitForConsole } from '../local/console/screenshot';
import { PROJECT_ROOT } from '../local/synth';

// The callbacks given to page.evaluate run in the page. The project compiles without the DOM
// library (its code runs on Node), so the page's globals are declared for this file only.
declare const window: { seenStatuses: string[] };
declare const document: any;
declare const MutationObserver: any;
declare const getComputedStyle: (element: unknown) => { outlineStyle: string };

/** Long enough for a busy 2-core CI machine; every wait ends as soon as its condition holds. */
const WAIT = { timeout: 20_000 };

/** A running `npm run console -- <args>` (the package.json script, without npm). */
interface ConsoleProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startConsole(...args: string[]): Promise<ConsoleProcess> {
  const [command, ...scriptArgs] = require('../package.json').scripts.console.split(' ');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MPW_')));
  const child = spawn(command, [...scriptArgs, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
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
  return request(port, { method: 'POST', path: '/api/executions', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function startOrder(page: Page, fields: { orderId: string; count?: number; faultRate?: number; stepDelayMs?: number }): Promise<void> {
  await page.fill('#order-id', fields.orderId);
  await page.fill('#count', String(fields.count ?? 1));
  await page.fill('#fault-rate', String(fields.faultRate ?? 0));
  await page.fill('#step-delay', String(fields.stepDelayMs ?? 0));
  await page.click('#start-button');
}

const graphStates = (page: Page, status: string): Promise<string[]> =>
  page.locator(`#graph g.node[data-state][data-status="${status}"]`).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state') as string));

describe('Local console: npm run console in a real browser', () => {
  let server: ConsoleProcess;
  let browser: Browser;
  let page: Page;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    // Prepare: the browser first, so a missing Chromium fails the suite with its own message.
    browser = await launchChromium();
    server = await startConsole('--port', '0');
    page = await browser.newPage({ viewport: SCREENSHOTS.desktop.viewport });
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
    // A Content-Security-Policy violation or a failed load is reported as a console error.
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
    });
    await page.goto(server.url);
    await waitForConsole(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('draws every state of the synthesized definition, pending before any execution', async () => {
    // Prepare
    const stack = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.out', 'stacks', 'mock-payment-workflow', 'cdk.tf.json'), 'utf8'));
    const synthesized = Object.keys(JSON.parse(stack.resource.aws_sfn_state_machine.payment_workflow.definition).States);
    // Assess
    expect(await graphStates(page, 'pending')).toEqual(synthesized);
    expect(await page.locator('#state-list li').evaluateAll((items) => items.map((i) => i.getAttribute('data-state')))).toEqual(synthesized);
  });

  it('runs order 1234 from the form: the graph shows three succeeded states and the table paid', async () => {
    // Prepare: record what the selected order's status line shows as it changes.
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
    await page.locator('#orders tr[data-order-id="1234"] .status-cell').filter({ hasText: /^paid$/ }).waitFor(WAIT);
    await page.locator('#executions tr[aria-current="true"] .status-cell[data-status="SUCCEEDED"]').waitFor(WAIT);
    expect(await graphStates(page, 'succeeded')).toEqual(['CreateOrder', 'HoldPayment', 'AcceptPayment']);
    expect(await page.evaluate(() => window.seenStatuses)).toEqual(['created', 'hold', 'paid']);
    await page.locator('#history li[data-type="ExecutionSucceeded"]').waitFor(WAIT);
    const history = await page.locator('#history li').evaluateAll((items) =>
      items.map((i) => `${i.getAttribute('data-type')}${i.querySelector('.event-state') ? `:${i.querySelector('.event-state')?.textContent}` : ''}`),
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
    await expect(page.locator('#history li[data-type="ExecutionSucceeded"] pre').textContent()).resolves.toContain('Payment accepted for order 1234');
    await expect(page.locator('#logs').textContent()).resolves.toContain('"step":"AcceptPayment"');
  });

  it('shows every synthesized alarm as an OK chip after the clean run of order 1234, and says none would have fired', async () => {
    // Prepare
    const stack = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.out', 'stacks', 'mock-payment-workflow', 'cdk.tf.json'), 'utf8'));
    const synthesized = Object.values<{ alarm_name: string }>(stack.resource.aws_cloudwatch_metric_alarm).map((alarm) => alarm.alarm_name);
    // Assess: once the alarms count the execution of order 1234.
    await page.locator('#alarm-scope').filter({ hasText: "on this console's 1 execution taken as one period" }).waitFor(WAIT);
    const chips = await page
      .locator('#alarm-strip li')
      .evaluateAll((items) => items.map((i) => `${i.getAttribute('data-alarm')} ${i.getAttribute('data-state')}`));
    expect(chips).toEqual(synthesized.map((name) => `${name} OK`));
    expect(chips).toHaveLength(19);
    await expect(page.locator('#alarm-summary').textContent()).resolves.toBe('None of the 19 would have fired.');
    expect(await page.getAttribute('#alarm-summary', 'role')).toBe('status');
    const chip = page.locator('#alarm-strip li[data-alarm="mock-payment-workflow-executions-failed"]');
    await expect(chip.textContent()).resolves.toBe('executions-failedOK');
    expect(await chip.getAttribute('aria-label')).toBe('mock-payment-workflow-executions-failed: OK');
  });

  it('starts 20 orders at once with injected faults and sees every one paid, through the retries', async () => {
    // Act
    await startOrder(page, { orderId: 'faulty', count: 20, faultRate: 0.1 });
    // Assess
    await page.waitForFunction(
      () => document.querySelectorAll('#orders tr[data-order-id^="faulty-"] .status-cell[data-status="paid"]').length === 20,
      null,
      WAIT,
    );
    await page.waitForFunction(
      () => [...document.querySelectorAll('#executions tbody tr')].filter((row) => row.textContent?.includes('faulty-') && row.querySelector('[data-status="SUCCEEDED"]')).length === 20,
      null,
      WAIT,
    );
    const { executions } = JSON.parse((await request(server.port, { path: '/api/executions' })).body) as { executions: { orderId: string; retries: number; faultRate: number }[] };
    const batch = executions.filter((e) => e.orderId.startsWith('faulty-'));
    expect(batch).toHaveLength(20);
    expect(batch.every((e) => e.faultRate === 0.1)).toBe(true);
    expect(batch.reduce((sum, e) => sum + e.retries, 0)).toBeGreaterThan(0);
  });

  it('turns the executions-failed chip red, with its value and threshold, when faults exhaust the retries', async () => {
    // Act: at a fault rate of 0.9 hardly a call gets through, so every execution fails.
    await startOrder(page, { orderId: 'doomed', count: 5, faultRate: 0.9 });
    // Assess: once all five failed.
    const chip = page.locator('#alarm-strip li[data-alarm="mock-payment-workflow-executions-failed"][data-state="ALARM"]');
    await chip.locator('.alarm-state').filter({ hasText: /^ALARM 5 ≥ 1$/ }).waitFor(WAIT);
    await expect(chip.locator('.alarm-label').textContent()).resolves.toBe('executions-failed');
    expect(await chip.getAttribute('aria-label')).toBe(
      'mock-payment-workflow-executions-failed: ALARM 5 ≥ 1. Executions failed: orders were rejected or marked failed. Runbook: docs/runbook.md#executions-failed',
    );
    await expect(page.locator('#alarm-summary').textContent()).resolves.toBe('1 of 19 would have fired: executions-failed.');
    expect(await page.locator('#alarm-strip li[data-state="ALARM"]').count()).toBe(1);
  });

  it('serves the same verdicts as JSON at /api/alarms, with the executions they cover', async () => {
    // Act
    const response = await request(server.port, { path: '/api/alarms' });
    // Assess: order 1234, the 20 faulty orders and the 5 doomed ones.
    expect(response.status).toBe(200);
    const { executions, verdicts } = JSON.parse(response.body) as { executions: number; verdicts: { name: string; state: string }[] };
    expect(executions).toBe(26);
    expect(verdicts).toHaveLength(19);
    expect(verdicts.find((v) => v.name === 'mock-payment-workflow-executions-failed')).toEqual({
      name: 'mock-payment-workflow-executions-failed',
      description: 'Executions failed: orders were rejected or marked failed. Runbook: docs/runbook.md#executions-failed',
      state: 'ALARM',
      value: 5,
      comparison: '>=',
      threshold: 1,
    });
  });

  it('shows the named error for a bad order id and starts nothing', async () => {
    // Prepare
    const before = await page.locator('#executions tbody tr').count();
    // Act
    await startOrder(page, { orderId: 'not valid!' });
    // Assess
    await expect(page.locator('#form-error strong').textContent()).resolves.toBe('InvalidOrderInput');
    await expect(page.locator('#order-id-error').textContent()).resolves.toMatch(/^InvalidOrderInput: .*received "not valid!"/);
    expect(await page.getAttribute('#order-id', 'aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('order-id');
    expect(await page.locator('#executions tbody tr').count()).toBe(before);
  });

  it('validates again on the server: a bad order id is a 400 InvalidOrderInput', async () => {
    const response = await postJson(server.port, { orderId: '<script>' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'InvalidOrderInput', message: expect.stringContaining('received "<script>"') });
  });

  it.each([
    ['a body that is not JSON', 400, 'InvalidJson', { headers: { 'Content-Type': 'application/json' }, body: '{"orderId":' }],
    ['a body that is not application/json', 415, 'UnsupportedMediaType', { headers: { 'Content-Type': 'text/plain' }, body: '{"orderId":"1"}' }],
    ['a body over 4 KiB', 413, 'PayloadTooLarge', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orderId: 'x'.repeat(5000) }) }],
    ['a count out of range', 400, 'InvalidRequest', { headers: { 'Content-Type': 'application/json' }, body: '{"orderId":"1","count":500}' }],
    ['a POST from another origin', 403, 'ForbiddenOrigin', { headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: '{"orderId":"1"}' }],
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
    expect(JSON.parse(foreign.body)).toMatchObject({ error: 'ForbiddenHost', message: expect.stringContaining('"rebind.example:') });
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

  it('shows markup from the table as text, never as HTML', async () => {
    // Prepare: an item written straight to the table, as another tool could.
    const { dynamodbEndpoint, tableName } = JSON.parse((await request(server.port, { path: '/api/definition' })).body);
    const client = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const markup = '<img src=x onerror="document.title=\'pwned\'">';
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { orderId: { S: markup }, status: { S: '<b>paid</b>' }, note: { S: '<script>document.title="pwned"</script>' } },
      }),
    );
    client.destroy();
    // Act
    await page.reload();
    await waitForConsole(page);
    // Assess
    const row = page.locator('#orders tbody tr').filter({ hasText: markup });
    await row.waitFor(WAIT);
    await expect(row.locator('.status-cell').textContent()).resolves.toBe('<b>paid</b>');
    expect(await page.locator('#orders img, #orders b, #orders script').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
  });

  it('works with the keyboard: Enter starts, arrow keys and Enter choose an execution', async () => {
    // Act: type an order and press Enter in the field.
    await page.focus('#order-id');
    await page.fill('#order-id', 'keyboard-1');
    await page.fill('#step-delay', '0');
    await page.focus('#order-id');
    await page.keyboard.press('Enter');
    await page.locator('#executions tbody tr').filter({ hasText: 'keyboard-1' }).locator('[data-status="SUCCEEDED"]').waitFor(WAIT);
    // Act: move from the newest execution to the one before it, and choose it.
    await page.locator('#executions tbody button').first().focus();
    await page.keyboard.press('ArrowDown');
    const chosen = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Enter');
    // Assess
    await page.locator(`#executions tr[aria-current="true"][data-execution-id="${chosen}"]`).waitFor(WAIT);
    await page.locator('#history-summary').filter({ hasText: `${chosen}:` }).waitFor(WAIT);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)).toBe('solid');
  });

  it('is readable on a phone-width screen: one column, no sideways scrolling', async () => {
    // Prepare
    const phone = await browser.newPage({ viewport: SCREENSHOTS.phone.viewport, isMobile: true, hasTouch: true });
    // Act
    await phone.goto(server.url);
    await waitForConsole(phone);
    // Assess
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(SCREENSHOTS.phone.viewport.width);
    const [start, graph] = await Promise.all([phone.locator('.start').boundingBox(), phone.locator('.graph').boundingBox()]);
    expect(graph!.y).toBeGreaterThan(start!.y + start!.height - 1);
    await phone.close();
  });

  it('saves the screenshots --screenshot takes: order 1234 at 1280×800 and at phone width', async () => {
    // Prepare
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-console-shots-'));
    // Act
    const files = await takeScreenshots(server.url, dir, { browser });
    // Assess
    expect(files.map((file) => path.basename(file))).toEqual([SCREENSHOTS.desktop.file, SCREENSHOTS.phone.file]);
    expect(pngSize(files[0])).toEqual(SCREENSHOTS.desktop.viewport);
    expect(pngSize(files[1])).toEqual(SCREENSHOTS.phone.viewport);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loaded with no script error and no Content-Security-Policy violation', () => {
    expect(pageProblems).toEqual([]);
  });

  it('stops cleanly on Ctrl-C, and the page says it is disconnected', async () => {
    // Act
    server.child.kill('SIGINT');
    // Assess
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/SIGINT: stopping.*\nStopped\.\n$/);
    await page.locator('#connection[data-state="lost"]').waitFor(WAIT);
  });
});
