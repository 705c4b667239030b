import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors';
import { routeConsole } from '../function-logs';
import { LocalWorkflowRuntime } from '../runtime';
import { ensureSynthesized, PROJECT_ROOT } from '../synth';
import { takeScreenshots } from './screenshot';
import { startConsoleServer, type ConsoleServer } from './server';
import { ConsoleSession } from './session';

/** How long Ctrl-C waits for running executions (a slow-motion one takes seconds). */
const STOP_WAIT_MS = 5000;

/** Where `--screenshot` without a folder saves, the folder the README embeds. */
export const DEFAULT_SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'docs', 'console');

const USAGE = `Usage: npm run console -- [options]

Runs the synthesized workflow offline, as npm start does (the state machine from cdktf.out, the
bundled handlers, dynalite on 127.0.0.1), and serves a console to watch it in a browser: the state
machine graph, a form to start executions, the executions live with their event history, the
items of the orders table, and which synthesized alarms would have fired. It listens on 127.0.0.1
only; Ctrl-C stops it.

Options:
  --port N             port on 127.0.0.1 (default 0: a free port; the address is printed)
  --data DIR           keep the table in DIR instead of in memory (orders survive between runs)
  --seed N             seed of the injected faults, to repeat a run (default 1)
  --screenshot [DIR]   start order 1234 from the page in a headless Chromium, save screenshots of the
                       console in DIR (default docs/console, which the README embeds), then exit
  --help               show this help

Exit status: 0 after Ctrl-C or the screenshots, 1 when the console failed, 2 for a bad option.`;

/** The parsed command line of `npm run console`. */
export interface ConsoleCliOptions {
  /** 0 for a free port. */
  readonly port: number;
  readonly dataDir?: string;
  readonly seed: number;
  /** Set with `--screenshot`: save screenshots there and exit. */
  readonly screenshotDir?: string;
  readonly help: boolean;
}

/** Parses and validates the command line; a bad option throws {@link UsageError}. */
export function parseConsoleOptions(argv: readonly string[]): ConsoleCliOptions {
  // `--screenshot` takes an optional folder, which parseArgs cannot express: give a bare one the default.
  const args = argv.map((arg, index) =>
    arg === '--screenshot' && (argv[index + 1] === undefined || argv[index + 1].startsWith('-'))
      ? `--screenshot=${DEFAULT_SCREENSHOT_DIR}`
      : arg,
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        seed: { type: 'string' },
        screenshot: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const integer = (name: string, max: number, fallback: number): number => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) > max)
      throw new UsageError(`--${name} must be a whole number from 0 to ${max}, received "${raw}"`);
    return Number(raw);
  };
  const folder = (name: string): string | undefined => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return undefined;
    if (raw === '') throw new UsageError(`--${name} needs a folder`);
    return path.resolve(raw);
  };
  const dataDir = folder('data');
  const screenshotDir = folder('screenshot');
  return {
    port: integer('port', 65535, 0),
    seed: integer('seed', 2 ** 32 - 1, 1),
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(screenshotDir === undefined ? {} : { screenshotDir }),
    help: values.help === true,
  };
}

/** Where the console writes, and how it waits for Ctrl-C. */
export interface ConsoleIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves on the first Ctrl-C (SIGINT) or SIGTERM; a second one ends the process at once. */
  interrupted(): Promise<string>;
}

/** Runs `npm run console` and returns its exit status. */
export async function main(argv: readonly string[], io: ConsoleIo = processIo()): Promise<number> {
  let options: ConsoleCliOptions;
  try {
    options = parseConsoleOptions(argv);
  } catch (error) {
    io.err(
      `${(error as Error).name}: ${(error as Error).message}\nRun \`npm run console -- --help\` for the options.\n`,
    );
    return 2;
  }
  if (options.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  let session: ConsoleSession | undefined;
  // Handlers log one JSON line per invocation (CloudWatch Logs on AWS): file each under its execution.
  const restoreConsole = routeConsole((line) => session?.recordLog(line) ?? false);
  let runtime: LocalWorkflowRuntime | undefined;
  let server: ConsoleServer | undefined;
  try {
    const synthesis = ensureSynthesized();
    runtime = await LocalWorkflowRuntime.start({
      outdir: synthesis.outdir,
      dataDir: options.dataDir,
      seed: options.seed,
    });
    session = new ConsoleSession(runtime);
    server = await startConsoleServer({
      session,
      port: options.port,
      onError: (error) => io.err(`${error.name}: ${error.message}\n`),
    });
    const { workflow, engine } = runtime;
    io.out(
      [
        `${synthesis.synthesized ? 'Synthesized' : 'Reused up-to-date'} ${path.relative(process.cwd(), synthesis.outdir) || '.'} (${synthesis.durationMs} ms); ` +
          `running stack ${path.basename(workflow.stackDir)} offline`,
        `  state machine ${workflow.stateMachineName}: ${Object.keys(workflow.definition.States).length} states; ` +
          `table ${workflow.table.tableName} on dynalite ${engine.endpoint} (${engine.storage === 'memory' ? 'in memory' : engine.storage})`,
        `Local console: ${server.url}`,
        options.screenshotDir === undefined
          ? 'Open it in a browser. Ctrl-C stops the console.'
          : `Taking screenshots into ${options.screenshotDir}`,
        '',
      ].join('\n'),
    );
    if (options.screenshotDir !== undefined) {
      const files = await takeScreenshots(server.url, options.screenshotDir);
      io.out(`${files.map((file) => `Saved ${path.relative(process.cwd(), file)}`).join('\n')}\n`);
    } else {
      const signal = await io.interrupted();
      const running = session.inFlight;
      io.out(
        `\n${signal}: stopping${running > 0 ? `, waiting up to ${STOP_WAIT_MS / 1000} s for ${running} running ${plural(running, 'execution')}` : ''}…\n`,
      );
    }
    await server.close();
    server = undefined;
    const { unfinished } = await session.close(STOP_WAIT_MS);
    await runtime.close();
    runtime = undefined;
    io.out(
      unfinished > 0
        ? `Stopped; abandoned ${unfinished} ${plural(unfinished, 'execution')} that did not end in time.\n`
        : 'Stopped.\n',
    );
    return 0;
  } catch (error) {
    const err = error as Error & { code?: string };
    const message =
      err.code === 'EADDRINUSE'
        ? `Port ${options.port} is in use on 127.0.0.1: choose another with --port, or 0 for a free one.`
        : err.message;
    io.err(`${err.name}: ${message}\n`);
    return 1;
  } finally {
    await server?.close();
    await runtime?.close();
    restoreConsole();
  }
}

function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}

function processIo(): ConsoleIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interrupted: () =>
      new Promise((resolve) => {
        const onSignal = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          // A second Ctrl-C does not wait for the executions.
          process.once('SIGINT', () => process.exit(130));
          resolve(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      }),
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
    // Executions abandoned at the stop may still hold timers: do not let them keep the process.
    setTimeout(() => process.exit(status), 2000).unref();
  });
}
