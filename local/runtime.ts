import { setTimeout as sleep } from 'node:timers/promises';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { type AlarmVerdict, evaluateAlarms, type ExecutionOutcome, LocalMetrics } from './alarms';
import { createTable, type DynamoDbEngine, startDynamoDbEngine } from './dynamodb-engine';
import { UnsupportedAslError } from './errors';
import { type FaultInjection, LambdaHost } from './lambda-host';
import { readSynthesizedWorkflow, type SynthesizedWorkflow } from './synthesized-stack';

/** The stack the local runtime runs by default: the deployable one. */
export const DEFAULT_STACK_NAME = 'mock-payment-workflow';

/** Retry intervals locally, in ms, instead of the definition's seconds (with jitter) on AWS. */
export const LOCAL_RETRY_INTERVAL_MS = 5;

/** The Step Functions integration the runtime runs a Task with. */
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;

/** Options of {@link LocalWorkflowRuntime.start}. */
export interface LocalRuntimeOptions extends FaultInjection {
  /** Folder cdktf synthesized into (holds `stacks/<stack>/cdk.tf.json`). */
  readonly outdir: string;
  /**
   * Stack to run.
   * @default 'mock-payment-workflow'
   */
  readonly stackName?: string;
  /**
   * Keep the table in this folder; in memory when omitted.
   * @default in memory
   */
  readonly dataDir?: string;
  /**
   * Seed of the fault injection's and the duplicate deliveries' random numbers, so a run can be
   * repeated. Each execution draws from its own sequences, seeded from this and the execution's name
   * ({@link executionSeed}): the faults one execution sees do not depend on what runs beside it.
   * @default 1
   */
  readonly seed?: number;
  /**
   * At-least-once delivery, as an EXPRESS workflow may do it: the chance (0 to 1) that an execution is
   * delivered twice (a second run of the same input, at the same time), and, separately, that a Task
   * that succeeded is run again (its function invoked a second time with the same payload, the
   * second reply taken).
   * @default 0 (exactly once, as STANDARD)
   */
  readonly duplicateRate?: number;
}

/** One step of an execution as it happened. */
export interface StateReport {
  readonly name: string;
  readonly status: 'succeeded' | 'failed';
  /** Retries of this state (attempts after the first). */
  readonly retries: number;
  readonly durationMs: number;
  /** The order's status in the table right after the state, when observed. */
  readonly orderStatus?: string;
  readonly error?: string;
}

/** One event of an execution's history, for display. */
export interface ExecutionEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: string;
  readonly error?: string;
  readonly detail?: unknown;
  /** On StateExited and StateFailed of a Task, with `observeOrder`: the order's status right after the attempt. */
  readonly orderStatus?: string;
}

/** The outcome of one execution. */
export interface ExecutionReport {
  readonly name: string;
  readonly input: unknown;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  /** The error name the execution failed with (e.g. `InvalidOrderInput`). */
  readonly error?: string;
  readonly cause?: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly retries: number;
  readonly states: readonly StateReport[];
  readonly events: readonly ExecutionEvent[];
}

/** Options of one {@link LocalWorkflowRuntime.execute}. */
export interface ExecuteOptions {
  /**
   * Functions this execution injects faults into, instead of the runtime's.
   * @default the runtime's `faultFunctions`
   */
  readonly faultFunctions?: readonly string[];
  /**
   * Name of the execution, which with the runtime's seed decides its faults and duplicates.
   * @default `local-<n>`, the n-th execution this runtime started (from 1)
   */
  readonly name?: string;
  /** Read the order's status from the table after each state (one extra read per state). */
  readonly observeOrder?: boolean;
  /** Called with each event as it happens. */
  readonly onEvent?: (event: ExecutionEvent) => void;
  /**
   * Chance (0 to 1) of an injected transient fault in this execution's Lambda calls, instead of the runtime's.
   * @default the runtime's `faultRate`
   */
  readonly faultRate?: number;
  /**
   * Pause before each Task attempt, in ms, so a person can watch an execution (the local console's slow motion).
   * @default 0
   */
  readonly stepDelayMs?: number;
  /**
   * Chance (0 to 1) of a duplicate delivery of this execution and of a re-run of each step that succeeded,
   * instead of the runtime's.
   * @default the runtime's `duplicateRate`
   */
  readonly duplicateRate?: number;
}

/**
 * The synthesized workflow, run offline: dynalite holds the table, the bundled handlers run in this
 * process, and aws-local-stepfunctions runs the synthesized definition.
 */
export class LocalWorkflowRuntime {
  /** Starts the engine, creates the table and loads the handlers. */
  public static async start(options: LocalRuntimeOptions): Promise<LocalWorkflowRuntime> {
    const workflow = readSynthesizedWorkflow(options.outdir, options.stackName ?? DEFAULT_STACK_NAME);
    const taskStates = lambdaTaskStates(workflow.definition);
    const engine = await startDynamoDbEngine(options.dataDir);
    try {
      await createTable(engine.client, workflow.table);
      const host = new LambdaHost(workflow.functions, {
        faultRate: options.faultRate ?? 0,
        faultFunctions: options.faultFunctions,
      });
      return new LocalWorkflowRuntime(
        workflow,
        engine,
        host,
        taskStates,
        options.seed ?? 1,
        options.duplicateRate ?? 0,
      );
    } catch (error) {
      await engine.close();
      throw error;
    }
  }

  private readonly stateMachine: StateMachine;
  private executions = 0;
  /** Executions delivered a second time so far (at-least-once delivery). */
  public duplicateDeliveries = 0;
  /** Steps run again after they had succeeded so far (at-least-once delivery). */
  public repeatedSteps = 0;

  private constructor(
    /** What was synthesized. */
    public readonly workflow: SynthesizedWorkflow,
    /** The DynamoDB engine. */
    public readonly engine: DynamoDbEngine,
    /** The hosted handlers. */
    public readonly host: LambdaHost,
    private readonly taskStates: readonly string[],
    /** Seed of every execution's random numbers. */
    private readonly seed: number,
    private readonly duplicateRate: number,
  ) {
    this.stateMachine = new StateMachine(workflow.definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
  }

  /** The states an order passes on the happy path: from StartAt, following each Next. */
  public get happyPath(): readonly string[] {
    const states = this.workflow.definition.States as Record<string, { Next?: string }>;
    const path: string[] = [];
    for (
      let name: string | undefined = this.workflow.definition.StartAt;
      name !== undefined && !path.includes(name);
      name = states[name]?.Next
    ) {
      path.push(name);
    }
    return path;
  }

  /**
   * Runs one execution to its end. Never throws for a failed execution: the report says how it failed.
   * With a duplicate rate, the execution may be delivered twice, both runs at once, as Express may;
   * the report is the first delivery's.
   */
  public async execute(input: unknown, options: ExecuteOptions = {}): Promise<ExecutionReport> {
    this.executions += 1;
    const name = options.name ?? `local-${this.executions}`;
    const rate = options.duplicateRate ?? this.duplicateRate;
    if (rate > 0 && seededRandom(executionSeed(this.seed, name, 'delivery'))() < rate) {
      this.duplicateDeliveries += 1;
      const [first] = await Promise.all([
        this.executeOnce(input, options, name, 1, rate),
        this.executeOnce(input, options, name, 2, rate),
      ]);
      return first;
    }
    return this.executeOnce(input, options, name, 1, rate);
  }

  /** One delivery of an execution; a duplicate (delivery 2) draws its own faults and re-runs, not the first's. */
  private async executeOnce(
    input: unknown,
    options: ExecuteOptions,
    name: string,
    delivery: number,
    duplicateRate: number,
  ): Promise<ExecutionReport> {
    // Separate sequences: turning duplicates on leaves the faults of a seed where they were.
    const faultDraws = seededRandom(executionSeed(this.seed, name, `faults#${delivery}`));
    const repeatDraws = seededRandom(executionSeed(this.seed, name, `repeats#${delivery}`));
    const orderId =
      typeof (input as { orderId?: unknown })?.orderId === 'string'
        ? (input as { orderId: string }).orderId
        : undefined;
    const observed: Record<string, string | undefined> = {};
    const handlers = Object.fromEntries(
      this.taskStates.map((stateName) => [
        stateName,
        async (taskInput: any): Promise<any> => {
          try {
            if (options.stepDelayMs) await sleep(options.stepDelayMs);
            const faults = { faultRate: options.faultRate, faultFunctions: options.faultFunctions, random: faultDraws };
            const result = await this.host.invoke(taskInput?.FunctionName, taskInput?.Payload, faults);
            if (duplicateRate > 0 && repeatDraws() < duplicateRate) {
              // The step succeeded and runs again with the same payload: the second reply is the one taken.
              this.repeatedSteps += 1;
              return await this.host.invoke(taskInput?.FunctionName, taskInput?.Payload, faults);
            }
            return result;
          } finally {
            if (options.observeOrder && orderId !== undefined) observed[stateName] = await this.orderStatus(orderId);
          }
        },
      ]),
    );
    const startedAt = Date.now();
    const execution = this.stateMachine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers,
        retryIntervalOverrides: Object.fromEntries(this.taskStates.map((s) => [s, LOCAL_RETRY_INTERVAL_MS])),
      },
      context: { Execution: { Name: name } } as never,
    });
    const events: ExecutionEvent[] = [];
    const collecting = (async () => {
      for await (const raw of execution.eventLogs as AsyncIterable<any>) {
        const event: ExecutionEvent = {
          type: raw.type,
          timestamp: raw.timestamp,
          ...(raw.state ? { state: raw.state.name } : {}),
          ...(raw.Error ? { error: raw.Error } : {}),
          detail: eventDetail(raw),
          ...((raw.type === 'StateExited' || raw.type === 'StateFailed') && raw.state?.name in observed
            ? { orderStatus: observed[raw.state.name] }
            : {}),
        };
        events.push(event);
        options.onEvent?.(event);
      }
    })();
    let output: unknown;
    let failure: { error: string; cause?: string } | undefined;
    try {
      output = await execution.result;
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause ?? (error as Error);
      failure = { error: cause.name, cause: cause.message };
    }
    await collecting;
    return {
      name,
      input,
      status: failure === undefined ? 'SUCCEEDED' : 'FAILED',
      ...(failure === undefined ? { output } : failure),
      startedAt,
      durationMs: Date.now() - startedAt,
      retries: events.filter((e) => e.type === 'StateRetried').length,
      states: stateReports(events),
      events,
    };
  }

  /** Reads an order from the table (consistently), or undefined when there is none. */
  public async getOrder(orderId: string): Promise<Record<string, string> | undefined> {
    const { Item } = await this.engine.client.send(
      new GetItemCommand({
        TableName: this.workflow.table.tableName,
        Key: { [this.workflow.table.hashKey]: { S: orderId } },
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    return Object.fromEntries(
      Object.entries(Item).map(([key, value]) => [key, value.S ?? value.N ?? JSON.stringify(value)]),
    );
  }

  /**
   * Each synthesized alarm's state had `reports` (and every function call so far) been one period of
   * CloudWatch metrics: the thresholds are the synthesized alarms', not a copy.
   */
  public alarmVerdicts(reports: readonly ExecutionOutcome[]): AlarmVerdict[] {
    return evaluateAlarms(
      this.workflow.alarms,
      LocalMetrics.of(this.workflow.stateMachineArn, reports, this.host.metrics),
    );
  }

  /** Stops the engine. */
  public async close(): Promise<void> {
    await this.engine.close();
  }

  private async orderStatus(orderId: string): Promise<string | undefined> {
    return (await this.getOrder(orderId))?.status;
  }
}

/** The Task states of a definition, refusing anything the runtime would not run as AWS does. */
function lambdaTaskStates(definition: Record<string, any>): string[] {
  if (definition.QueryLanguage === 'JSONata') {
    throw new UnsupportedAslError('The definition uses JSONata; the local runtime runs JSONPath definitions only.');
  }
  const tasks: string[] = [];
  for (const [name, state] of Object.entries<Record<string, any>>(definition.States)) {
    if (state.QueryLanguage === 'JSONata')
      throw new UnsupportedAslError(`State ${name} uses JSONata; only JSONPath runs locally.`);
    if (state.Type !== 'Task') continue;
    if (!LAMBDA_INVOKE.test(state.Resource)) {
      throw new UnsupportedAslError(
        `State ${name} uses the resource ${state.Resource}; the local runtime runs lambda:invoke tasks only.`,
      );
    }
    if (typeof state.Parameters?.FunctionName !== 'string') {
      throw new UnsupportedAslError(`State ${name} must name its function in Parameters.FunctionName.`);
    }
    tasks.push(name);
  }
  return tasks;
}

/** What an event carries for display: a state's input when entered, the retry attempt, the catcher's target, else output or cause. */
function eventDetail(raw: any): unknown {
  if (raw.type === 'StateEntered') return raw.state?.input;
  if (raw.retry !== undefined) return { attempt: raw.retry.attempt };
  if (raw.catch !== undefined) return { next: raw.catch.catcher?.Next };
  return raw.state?.output ?? raw.output ?? raw.input ?? raw.Cause;
}

/**
 * One report per state visit, from the event log (complete or so far). A retried attempt logs
 * StateFailed then StateRetried and runs again; a visit ends with StateExited, StateCaught, or the
 * execution failing.
 */
export function stateReports(events: readonly ExecutionEvent[]): StateReport[] {
  const reports: StateReport[] = [];
  let open: { entered: ExecutionEvent; retries: number; error?: string; observed?: ExecutionEvent } | undefined;
  const close = (status: StateReport['status'], at: ExecutionEvent): void => {
    if (open === undefined) return;
    const observed = 'orderStatus' in at ? at : open.observed;
    reports.push({
      name: open.entered.state as string,
      status,
      retries: open.retries,
      durationMs: at.timestamp - open.entered.timestamp,
      ...(observed !== undefined ? { orderStatus: observed.orderStatus } : {}),
      ...(status === 'failed' && open.error ? { error: open.error } : {}),
    });
    open = undefined;
  };
  for (const event of events) {
    if (event.type === 'StateEntered') open = { entered: event, retries: 0 };
    else if (event.type === 'StateFailed' && open)
      Object.assign(open, { error: event.error, ...('orderStatus' in event ? { observed: event } : {}) });
    else if (event.type === 'StateRetried' && open) open.retries += 1;
    else if (event.type === 'StateExited') close('succeeded', event);
    else if (event.type === 'StateCaught' || event.type === 'ExecutionFailed') close('failed', event);
  }
  return reports;
}

/**
 * The seed of one sequence of random numbers of one execution: FNV-1a (32-bit) of the runtime's seed,
 * the execution's name and the sequence's purpose, so every execution, and every use within it, draws
 * from its own sequence, which the same seed and name repeat.
 */
export function executionSeed(seed: number, executionName: string, purpose: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${seed}\u0000${executionName}\u0000${purpose}`, 'utf8')) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash;
}

/** mulberry32: a small, fast PRNG, so fault injection is repeatable from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
