import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import {
  ForbiddenHost,
  ForbiddenOrigin,
  InvalidJson,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
  RequestRejected,
  UnsupportedMediaType,
} from './errors';
import { workflowGraph } from './graph';
import { parseStartRequest, START_LIMITS } from './requests';
import type { ConsoleSession, SessionMessage } from './session';

/** The address the console listens on: loopback only, never a public interface. */
export const CONSOLE_HOST = '127.0.0.1';

/** Folder of the page's own files. */
const PUBLIC_DIR = path.join(__dirname, 'public');

/** Every file the server sends, by URL path: nothing outside this list is ever read. */
const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: path.join(PUBLIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: path.join(PUBLIC_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: path.join(PUBLIC_DIR, 'style.css'), type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: path.join(PUBLIC_DIR, 'favicon.svg'), type: 'image/svg+xml' },
  // Served from node_modules: the page works offline, with no CDN.
  '/vendor/mermaid.min.js': {
    file: path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

/**
 * Sent with every response. Scripts only from this origin (no inline script, no eval); inline styles
 * are allowed because mermaid styles the SVG it draws with `<style>` and `style` attributes.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Executions per page load and per `GET /api/executions`, newest kept. */
const LISTED_EXECUTIONS = 1000;

/** How often an idle event stream gets a comment, so proxies and browsers keep it open. */
const HEARTBEAT_MS = 15_000;

/** Options of {@link startConsoleServer}. */
export interface ConsoleServerOptions {
  /** The session whose runtime the console shows. */
  readonly session: ConsoleSession;
  /**
   * Port on 127.0.0.1.
   * @default 0 (a free port)
   */
  readonly port?: number;
  /** Called with an unexpected error of a request (answered with 500). */
  readonly onError?: (error: Error) => void;
}

/** A running console server. */
export interface ConsoleServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly port: number;
  /** Ends the event streams and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves the console page and its API on 127.0.0.1 with node's http module:
 *
 * - `GET /` the page, `GET /app.js`, `/style.css`, `/favicon.svg`, `/vendor/mermaid.min.js`
 * - `GET /api/definition`: the synthesized definition, its graph, the table's name, the limits
 * - `GET /api/executions`, `GET /api/executions/<id>` (with the event history and logs)
 * - `POST /api/executions` `{"orderId", "count"?, "faultRate"?, "stepDelayMs"?}`: 202 with the executions started
 * - `GET /api/orders`: the items of the orders table
 * - `GET /api/alarms`: each synthesized alarm's verdict on the executions so far, taken as one period
 * - `GET /api/events`: server-sent events, a `snapshot` first, then `execution`, `order` and `alarms` changes
 *
 * A request whose Host is not this address (DNS rebinding) is refused with 403 `ForbiddenHost`, a
 * POST from another origin with 403 `ForbiddenOrigin`; errors are JSON `{"error": name, "message"}`.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const { session } = options;
  const streams = new Set<http.ServerResponse>();
  let port = 0;
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!(error instanceof RequestRejected)) options.onError?.(error);
      sendError(response, error);
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    checkHost(request.headers.host, port);
    const url = new URL(request.url ?? '/', `http://${CONSOLE_HOST}:${port}`);
    const route = url.pathname;
    const method = request.method ?? 'GET';
    const asset = ASSETS[route] ?? (route === '/index.html' ? ASSETS['/'] : undefined);
    if (asset !== undefined) {
      allow(method, ['GET', 'HEAD'], route);
      return sendAsset(response, asset, method === 'HEAD');
    }
    if (route === '/api/definition') {
      allow(method, ['GET'], route);
      const { workflow, engine } = session.runtime;
      return sendJson(response, 200, {
        stateMachineName: workflow.stateMachineName,
        tableName: workflow.table.tableName,
        hashKey: workflow.table.hashKey,
        region: workflow.region,
        dynamodbEndpoint: engine.endpoint,
        storage: engine.storage,
        functions: workflow.functions.map((fn) => fn.functionName),
        definition: workflow.definition,
        graph: workflowGraph(workflow.definition as never),
        limits: START_LIMITS,
      });
    }
    if (route === '/api/executions') {
      allow(method, ['GET', 'POST'], route);
      if (method === 'GET') return sendJson(response, 200, { executions: session.list().slice(-LISTED_EXECUTIONS) });
      checkOrigin(request.headers.origin, port);
      const started = session.start(parseStartRequest(await readJson(request)));
      return sendJson(response, 202, { executions: started });
    }
    const executionId = /^\/api\/executions\/([A-Za-z0-9_-]{1,80})$/.exec(route)?.[1];
    if (executionId !== undefined) {
      allow(method, ['GET'], route);
      const detail = session.get(executionId);
      if (detail === undefined)
        throw new NotFound(`No execution ${executionId} in this console (executions live as long as it runs).`);
      return sendJson(response, 200, detail);
    }
    if (route === '/api/orders') {
      allow(method, ['GET'], route);
      return sendJson(response, 200, {
        tableName: session.runtime.workflow.table.tableName,
        ...(await session.listOrders()),
      });
    }
    if (route === '/api/alarms') {
      allow(method, ['GET'], route);
      return sendJson(response, 200, session.alarms());
    }
    if (route === '/api/events') {
      allow(method, ['GET'], route);
      return openStream(response);
    }
    throw new NotFound(`Nothing at ${route.slice(0, 100)}; the console is at /.`);
  }

  async function openStream(response: http.ServerResponse): Promise<void> {
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // Changes during the table scan wait for the snapshot, so none is lost or sent before it.
    const queued: SessionMessage[] = [];
    let live = false;
    const unsubscribe = session.subscribe((message) => {
      if (live) sendMessage(response, message);
      else queued.push(message);
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    streams.add(response);
    response.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      streams.delete(response);
    });
    response.write('retry: 1000\n\n');
    const orders = await session.listOrders();
    sendEvent(response, 'snapshot', {
      executions: session.list().slice(-LISTED_EXECUTIONS),
      ...orders,
      alarms: session.alarms(),
    });
    live = true;
    for (const message of queued) sendMessage(response, message);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, CONSOLE_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${CONSOLE_HOST}:${port}/`,
    port,
    close: async () => {
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Refuses a Host other than the loopback address and port served: a DNS rebinding page sends its own name. */
export function checkHost(host: string | undefined, port: number): void {
  const allowed = [`${CONSOLE_HOST}:${port}`, `localhost:${port}`];
  if (host === undefined || !allowed.includes(host.toLowerCase())) {
    throw new ForbiddenHost(
      `Host ${host === undefined ? '(none)' : JSON.stringify(host.slice(0, 100))} is not served here: the console answers only ` +
        `${allowed.join(' or ')}. Open http://${CONSOLE_HOST}:${port}/ instead.`,
    );
  }
}

/** Refuses a state-changing request sent by a page of another origin (a browser always sends Origin on POST). */
function checkOrigin(origin: string | undefined, port: number): void {
  if (origin === undefined) return;
  if (![`http://${CONSOLE_HOST}:${port}`, `http://localhost:${port}`].includes(origin.toLowerCase())) {
    throw new ForbiddenOrigin(
      `Requests from ${JSON.stringify(origin.slice(0, 100))} may not start executions; use the console at http://${CONSOLE_HOST}:${port}/.`,
    );
  }
}

function allow(method: string, methods: readonly string[], route: string): void {
  if (!methods.includes(method))
    throw new MethodNotAllowed(`${route} accepts ${methods.join(', ')}, not ${method.slice(0, 20)}.`, methods);
}

/** Reads a JSON body of at most {@link START_LIMITS.maxBodyBytes} bytes. */
async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    throw new UnsupportedMediaType(
      `Send the body as Content-Type: application/json, not ${JSON.stringify(type || '(none)')}.`,
    );
  }
  const limit = START_LIMITS.maxBodyBytes;
  const tooLarge = (): PayloadTooLarge => new PayloadTooLarge(`The body may be at most ${limit} bytes.`);
  if (Number(request.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Drain the rest without keeping it; destroying the request would take the socket, and the reply, with it.
      request.off('data', onData);
      request.resume();
      reject(tooLarge());
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidJson(`The body is not JSON: ${(error as Error).message}.`, { cause: error });
  }
}

function sendAsset(
  response: http.ServerResponse,
  asset: { readonly file: string; readonly type: string },
  headOnly: boolean,
): void {
  const body = fs.readFileSync(asset.file);
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': asset.type,
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
  });
  response.end(headOnly ? undefined : body);
}

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function sendEvent(response: http.ServerResponse, event: string, data: unknown): void {
  // JSON has no raw line breaks, so one data line carries the whole message.
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A session message as the event of its type, carrying what changed. */
function sendMessage(response: http.ServerResponse, message: SessionMessage): void {
  switch (message.type) {
    case 'execution':
      return sendEvent(response, message.type, message.execution);
    case 'order':
      return sendEvent(response, message.type, message.order);
    case 'alarms':
      return sendEvent(response, message.type, message.alarms);
  }
}

function sendError(response: http.ServerResponse, error: Error): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const known = error instanceof RequestRejected;
  const status = error instanceof RequestRejected ? error.status : 500;
  const headers: Record<string, string> = {};
  if (error instanceof MethodNotAllowed) headers.Allow = error.allow.join(', ');
  // A body too large or never read: close the connection instead of reading the rest.
  if (error instanceof PayloadTooLarge || error instanceof UnsupportedMediaType) headers.Connection = 'close';
  sendJson(
    response,
    status,
    {
      error: known ? error.name : 'InternalError',
      message: known ? error.message : 'The console failed to answer; its terminal shows why.',
      ...('field' in error && typeof error.field === 'string' ? { field: error.field } : {}),
    },
    headers,
  );
}
