import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';

/**
 * What Lambda's Node.js runtime writes to CloudWatch Logs for a function whose `log_format` is `JSON`,
 * modelled on the runtime's own code (aws/aws-lambda-nodejs-runtime-interface-client,
 * `src/logging/formatter.ts`, `log-patch.ts`, `constants.ts`, `runtime/lifecycle-manager.ts`):
 *
 * - each console method logs at a level (`console.log` is `console.info`); a call below the function's
 *   `application_log_level` writes nothing;
 * - a call writes one JSON object: `timestamp`, `level`, `requestId`, and `message`, which is the one
 *   argument itself when there is one (an object stays an object, so its fields are `$.message.<field>`
 *   to a filter pattern; a string stays a string), or `util.format` of all of them when there are several;
 * - an `Error` inside `message` becomes `{errorType, errorMessage, stackTrace, ...its own fields}`;
 * - a handler that throws gets one more line from the runtime, `console.error(error)` ("Invoke Error").
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html (Using Lambda advanced logging controls with Node.js)
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html (log-level filtering)
 */

/** Lambda's log levels, lowest first: a level filter keeps its level and those after it. */
export const LAMBDA_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/** One of Lambda's log levels. */
export type LambdaLogLevel = (typeof LAMBDA_LOG_LEVELS)[number];

/** The level each console method logs at under the JSON log format. */
export const CONSOLE_LEVELS = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  log: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
} as const;

/** A console method the runtime patches. */
export type ConsoleMethod = keyof typeof CONSOLE_LEVELS;

/** What the runtime knows of the invocation when a line is written. */
export interface LogContext {
  /** ISO 8601, as the runtime writes it. */
  readonly timestamp: string;
  readonly requestId: string;
  /** The function's `application_log_level`. */
  readonly applicationLogLevel: LambdaLogLevel;
}

/** The line one console call writes under the JSON log format, or undefined when its level is filtered out. */
export function jsonLogLine(method: ConsoleMethod, args: readonly unknown[], context: LogContext): string | undefined {
  const level = CONSOLE_LEVELS[method];
  if (LAMBDA_LOG_LEVELS.indexOf(level) < LAMBDA_LOG_LEVELS.indexOf(context.applicationLogLevel)) return undefined;
  const result: Record<string, unknown> = { timestamp: context.timestamp, level, requestId: context.requestId };
  if (args.length === 1) {
    result.message = args[0];
    try {
      return JSON.stringify(result, errorReplacer);
    } catch {
      result.message = format(args[0]);
      return JSON.stringify(result);
    }
  }
  result.message = format(...args);
  const error = args.slice(1).find((arg): arg is Error => arg instanceof Error);
  if (error !== undefined) Object.assign(result, serializedError(error));
  return JSON.stringify(result);
}

/** The line the runtime writes when the handler throws `error` ("Invoke Error"). */
export function invokeErrorLine(error: Error, context: LogContext): string | undefined {
  return jsonLogLine('error', [error], context);
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { ...serializedError(value), ...value } : value;
}

function serializedError(error: Error): { errorType: string; errorMessage: string; stackTrace: unknown } {
  return {
    errorType: error.constructor?.name ?? 'UnknownError',
    errorMessage: error.message,
    stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : error.stack,
  };
}

const invocation = new AsyncLocalStorage<string>();

/** Runs `handler` as the invocation `requestId`, which the lines it logs carry. */
export function asInvocation<T>(requestId: string, handler: () => T): T {
  return invocation.run(requestId, handler);
}

/**
 * Routes what the hosted handlers print (`console.log`, `info`, `warn`, `error`), which Lambda would
 * send to CloudWatch Logs, to `take` instead of this process's output, each call as the JSON line
 * Lambda writes for it ({@link jsonLogLine}; no level is filtered out locally). A line `take` declines
 * (returns false) is written as usual.
 *
 * @returns a function that restores the console
 */
export function routeConsole(take: (line: string) => boolean): () => void {
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const wrap =
    (method: keyof typeof original) =>
    (...args: unknown[]): void => {
      const context = {
        timestamp: new Date().toISOString(),
        requestId: invocation.getStore() ?? '-',
        applicationLogLevel: 'TRACE',
      } as const;
      const line = jsonLogLine(method, args, context) as string;
      if (!take(line)) original[method](...args);
    };
  Object.assign(console, { log: wrap('log'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') });
  return () => Object.assign(console, original);
}
