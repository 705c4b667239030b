import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleHandler } from '../../lib/bundle';
import { type CapturedConsole, captureConsole } from './capture';
import { type LocalDynamo, type SeedOrder, startDynalite } from './dynalite';

/** The handlers under `handlers/`, by file name. */
export interface BundledHandlers {
  'create-order': typeof import('../../handlers/create-order').handler;
  'hold-payment': typeof import('../../handlers/hold-payment').handler;
  'accept-payment': typeof import('../../handlers/accept-payment').handler;
  'record-failure': typeof import('../../handlers/record-failure').handler;
}

/** A handler file name under `handlers/`, without `.ts`. */
export type HandlerName = keyof BundledHandlers;

/** The environment a deployed handler gets; `undefined` unsets a variable. */
export type HandlerEnv = {
  readonly ORDERS_TABLE_NAME?: string;
  readonly AWS_ENDPOINT_URL_DYNAMODB?: string;
};

const PROJECT_ROOT = path.join(__dirname, '..', '..');

// Inside the project, so the bundle's require('@aws-sdk/...') resolves to node_modules; one folder per worker process.
const WORKER_DIR = path.join(PROJECT_ROOT, '.bundles', 'jest', `${process.pid}-${process.env.JEST_WORKER_ID ?? '0'}`);

/**
 * Bundles `handlers/<name>.ts` with the synth-time bundler, sets `env` in `process.env` and
 * requires the bundle, so tests run the code that ships. A new `copy` name gives a fresh module
 * with its own memoized configuration and client. Errors it throws are not `instanceof` the
 * source classes: assert on `name`.
 */
export function loadBundledHandler<N extends HandlerName>(
  name: N,
  env: HandlerEnv,
  copy = 'default',
): BundledHandlers[N] {
  setEnv(env);
  const bundle = bundleHandler({
    entry: path.join(PROJECT_ROOT, 'handlers', `${name}.ts`),
    outDir: path.join(WORKER_DIR, copy, name),
  });
  return (require(bundle.file) as { handler: BundledHandlers[N] }).handler;
}

/** Runs `action` with `env` applied to `process.env`, then restores the previous values. */
export async function withEnv<T>(env: HandlerEnv, action: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  setEnv(env);
  try {
    return await action();
  } finally {
    setEnv(previous);
  }
}

/** Deletes this worker's bundles; call it in `afterAll`. */
export function removeBundledHandlers(): void {
  fs.rmSync(WORKER_DIR, { recursive: true, force: true });
}

function setEnv(env: Readonly<Record<string, string | undefined>>): void {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** A bundled handler under test with its own dynalite; the fields are set by the hooks {@link useBundledHandler} adds. */
export interface HandlerFixture<N extends HandlerName> {
  /** The DynamoDB engine, with the orders table. */
  readonly dynamo: LocalDynamo;
  /** The environment the handler was loaded with. */
  readonly env: HandlerEnv;
  /** The bundled handler. */
  readonly handler: BundledHandlers[N];
  /** The console, silenced and recorded for each test. */
  readonly logs: CapturedConsole;
}

/**
 * Registers the hooks of a handler suite: dynalite and the bundle before all tests, a recorded
 * console and the real clock around each, everything stopped after all. Call it at the top of a `describe`.
 */
export function useBundledHandler<N extends HandlerName>(name: N): HandlerFixture<N> {
  const fixture = {} as { -readonly [K in keyof HandlerFixture<N>]: HandlerFixture<N>[K] };
  beforeAll(async () => {
    fixture.dynamo = await startDynalite();
    fixture.env = { ORDERS_TABLE_NAME: fixture.dynamo.tableName, AWS_ENDPOINT_URL_DYNAMODB: fixture.dynamo.endpoint };
    fixture.handler = loadBundledHandler(name, fixture.env);
  });
  afterAll(async () => {
    await fixture.dynamo.close();
    removeBundledHandlers();
  });
  beforeEach(() => {
    fixture.logs = captureConsole();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    // A test that set the clock (support/clock.ts) leaves the next one the real one.
    jest.useRealTimers();
  });
  return fixture;
}

/** An order seeded with fixed past timestamps, so a write shows in updatedAt. */
export function seeded(orderId: string, status: string): SeedOrder {
  return { orderId, status, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z' };
}
