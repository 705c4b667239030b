import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SynthesizedFunction } from './synthesized-stack';
import { SynthesizedStackError } from './errors';
import { asInvocation } from './function-logs';

/** What the `lambda:invoke` integration returns to the state machine. */
export interface InvokeResult {
  readonly ExecutedVersion: '$LATEST';
  readonly Payload: unknown;
  readonly StatusCode: 200;
}

/**
 * A function error as Step Functions sees it: `name` is the handler's error name (what Retry and
 * Catch match on), and the message is the JSON `Cause` Lambda reports.
 */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, cause: { errorMessage: string; errorType: string; trace: string[] }) {
    super(JSON.stringify(cause));
    this.name = errorType;
  }
}

/**
 * Transient errors of the Lambda service (not of the function), as fault injection raises them.
 * `before` never reaches the function; `after` loses the reply of a call that ran.
 */
export const INJECTED_FAULTS = { before: 'Lambda.ServiceException', after: 'Lambda.SdkClientException' } as const;

/**
 * A function that ran past its configured timeout. Lambda stops the sandbox and Step Functions sees
 * the error `Sandbox.Timedout`; here the handler's promise is abandoned (it cannot be stopped).
 */
export class SandboxTimedout extends Error {
  constructor(timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

/** An error of the Lambda service itself, which the definition's Retry is there for. */
export class LambdaServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Which calls fail with injected transient errors. */
export interface FaultInjection {
  /**
   * Chance, from 0 to 1, that a call fails with a transient error before the function runs, and
   * again that its reply is lost after it ran.
   * @default 0
   */
  readonly faultRate?: number;
  /**
   * Functions whose calls faults are injected into.
   * @default every function
   */
  readonly faultFunctions?: readonly string[];
}

/** Options of a {@link LambdaHost}. */
export interface LambdaHostOptions extends FaultInjection {
  /**
   * Source of randomness for fault injection, returning [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
}

/** One call's fault injection; what it leaves unset is the host's. */
export interface InvokeOptions extends FaultInjection {
  /**
   * Source of randomness for this call's faults, returning [0, 1): the local runtime passes each
   * execution its own, so the faults an execution sees do not depend on what runs beside it.
   * @default the host's `random`
   */
  readonly random?: () => number;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** A call's fault injection once the host's defaults are filled in. */
type CallFaults = FaultInjection & { readonly random: () => number };

/** What CloudWatch would count of one function: calls that reached the handler, its errors, their durations. */
export interface FunctionMetrics {
  invocations: number;
  /** Calls the handler failed, a timeout included (Lambda's `Errors`); injected service faults are not. */
  errors: number;
  totalDurationMs: number;
  maxDurationMs: number;
}

/**
 * Hosts the bundled handlers in this process and invokes them with the semantics of Step Functions'
 * `lambda:invoke` integration: JSON in and out, `{ ExecutedVersion, Payload, StatusCode }` on
 * success, the handler's own error name on failure.
 */
export class LambdaHost {
  private readonly byArn = new Map<string, { fn: SynthesizedFunction; handler: Handler }>();
  private readonly faults: FaultInjection;
  private readonly random: () => number;
  /** Calls that reached a handler. */
  public invocations = 0;
  /** Transient faults injected so far. */
  public injectedFaults = 0;
  /** Per function name, what CloudWatch's `AWS/Lambda` metrics would count. */
  public readonly metrics = new Map<string, FunctionMetrics>();

  constructor(functions: readonly SynthesizedFunction[], options: LambdaHostOptions = {}) {
    this.faults = { faultRate: options.faultRate, faultFunctions: options.faultFunctions };
    this.random = options.random ?? Math.random;
    applyEnvironment(functions);
    for (const fn of functions) {
      const file = path.join(fn.bundleDir, fn.handlerFile);
      const handler = loadFresh(file)[fn.handlerExport] as Handler | undefined;
      if (typeof handler !== 'function') {
        throw new SynthesizedStackError(
          `${file} does not export a function "${fn.handlerExport}" (function ${fn.functionName}).`,
        );
      }
      this.byArn.set(fn.functionArn, { fn, handler });
      this.byArn.set(fn.functionName, { fn, handler });
      this.metrics.set(fn.functionName, { invocations: 0, errors: 0, totalDurationMs: 0, maxDurationMs: 0 });
    }
  }

  /**
   * Invokes a function by name or ARN, as `lambda:invoke` would.
   *
   * @param faults this call's fault injection; what it leaves unset is the host's (the runtime sets
   * the source of randomness per execution, the console and tests the rate)
   */
  public async invoke(functionName: string, payload: unknown, faults: InvokeOptions = {}): Promise<InvokeResult> {
    const injection: CallFaults = {
      faultRate: faults.faultRate ?? this.faults.faultRate,
      faultFunctions: faults.faultFunctions ?? this.faults.faultFunctions,
      random: faults.random ?? this.random,
    };
    const target = this.byArn.get(functionName.replace(/:(\$LATEST|\d+)$/, ''));
    if (target === undefined) {
      throw new LambdaServiceError('Lambda.ResourceNotFoundException', `Function not found: ${functionName}`);
    }
    this.maybeFault('before', target.fn.functionName, injection);
    // A JSON round trip, as the wire does: the handler never shares objects with the state machine.
    const event = JSON.parse(JSON.stringify(payload ?? null));
    let result: unknown;
    this.invocations += 1;
    const requestId = `local-${this.invocations}`;
    const metrics = this.metrics.get(target.fn.functionName) as FunctionMetrics;
    metrics.invocations += 1;
    const started = performance.now();
    try {
      result = await withTimeout(
        asInvocation(requestId, () =>
          target.handler(event, { functionName: target.fn.functionName, awsRequestId: requestId }),
        ),
        target.fn.timeoutSeconds,
      );
    } catch (error) {
      metrics.errors += 1;
      // Lambda reports any thrown value by its name; a value that is not an Error is reported as "Error".
      const err = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Partial<Error>;
      const errorType = typeof err.name === 'string' && err.name !== '' ? err.name : 'Error';
      throw new LambdaFunctionError(errorType, {
        errorMessage: String(err.message ?? ''),
        errorType,
        trace: String(err.stack ?? '').split('\n'),
      });
    } finally {
      const durationMs = performance.now() - started;
      metrics.totalDurationMs += durationMs;
      metrics.maxDurationMs = Math.max(metrics.maxDurationMs, durationMs);
    }
    this.maybeFault('after', target.fn.functionName, injection);
    return { ExecutedVersion: '$LATEST', Payload: JSON.parse(JSON.stringify(result ?? null)), StatusCode: 200 };
  }

  private maybeFault(when: keyof typeof INJECTED_FAULTS, functionName: string, faults: CallFaults): void {
    const rate = faults.faultRate ?? 0;
    if (rate <= 0 || (faults.faultFunctions !== undefined && !faults.faultFunctions.includes(functionName))) return;
    if (faults.random() >= rate) return;
    this.injectedFaults += 1;
    throw new LambdaServiceError(
      INJECTED_FAULTS[when],
      when === 'before'
        ? `Injected fault: ${functionName} was not called`
        : `Injected fault: ${functionName} ran but its reply was lost`,
    );
  }
}

/** Settles as `work` does, or rejects with {@link SandboxTimedout} after the function's timeout. */
async function withTimeout<T>(work: Promise<T>, timeoutSeconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SandboxTimedout(timeoutSeconds)), timeoutSeconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Loads a bundle as a new module instance: each host gets handlers with their own lazily made
 * clients, since a cached module would keep talking to an earlier engine's endpoint. Evaluated with
 * this realm's `Function` and `require` (not `vm`), so under a test runner's sandbox the handler
 * sees the same `process.env` as its host. Bundles are single files: only external packages are required.
 */
function loadFresh(file: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  // sourceURL names the file in stack traces, as require would.
  const code = `${fs.readFileSync(file, 'utf8')}\n//# sourceURL=${file}`;
  const evaluate = new Function('exports', 'require', 'module', '__filename', '__dirname', code);
  evaluate(module.exports, require, module, file, path.dirname(file));
  return module.exports;
}

/** The functions share this process's environment: refuse two that disagree on a variable. */
function applyEnvironment(functions: readonly SynthesizedFunction[]): void {
  const merged: Record<string, { value: string; functionName: string }> = {};
  for (const fn of functions) {
    for (const [name, value] of Object.entries(fn.environment)) {
      const seen = merged[name];
      if (seen !== undefined && seen.value !== value) {
        throw new SynthesizedStackError(
          `Functions ${seen.functionName} and ${fn.functionName} disagree on ${name}; the local host runs them in one process.`,
        );
      }
      merged[name] = { value, functionName: fn.functionName };
    }
  }
  for (const [name, { value }] of Object.entries(merged)) process.env[name] = value;
}
