import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleHandler } from '../../lib/bundle';

/** The handlers under `handlers/`, by file name. */
export interface BundledHandlers {
  'create-order': typeof import('../../handlers/create-order').handler;
  'hold-payment': typeof import('../../handlers/hold-payment').handler;
  'accept-payment': typeof import('../../handlers/accept-payment').handler;
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
