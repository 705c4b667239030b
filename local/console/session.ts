import { AsyncLocalStorage } from 'node:async_hooks';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AlarmVerdict, ExecutionOutcome } from '../alarms';
import type { ExecutionEvent, LocalWorkflowRuntime } from '../runtime';
import { ShuttingDown, TooManyExecutions } from './errors';
import type { StartRequest } from './requests';

/** What the graph shows of a state in one execution. */
export const STATE_STATUS = {
  PENDING: 'pending',
  RUNNING: 'running',
  /** Failed with an error a Retry matched, and is being tried again. */
  RETRIED: 'retried',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  /** Failed with an error a Catch matched: the execution went on at the Catch's `Next`. */
  CAUGHT: 'caught',
} as const;

export type StateStatus = (typeof STATE_STATUS)[keyof typeof STATE_STATUS];

/** An execution's status, as the Step Functions console names it. */
export const EXECUTION_STATUS = { RUNNING: 'RUNNING', SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED' } as const;

export type ExecutionStatus = (typeof EXECUTION_STATUS)[keyof typeof EXECUTION_STATUS];

/** One execution in the list. */
export interface ExecutionSummary {
  /** The execution's name, `exec-000001` and on. */
  readonly id: string;
  readonly orderId: string;
  readonly status: ExecutionStatus;
  readonly startedAt: number;
  /** Set once the execution ended. */
  readonly durationMs?: number;
  readonly retries: number;
  /** The error name the execution failed with. */
  readonly error?: string;
  readonly faultRate: number;
  /** Each state entered so far, by name; a state not in it is pending. */
  readonly states: Readonly<Record<string, StateStatus>>;
}

/** One execution with its history. */
export interface ExecutionDetail extends ExecutionSummary {
  readonly input: unknown;
  readonly output?: unknown;
  readonly cause?: string;
  readonly events: readonly ExecutionEvent[];
  /** The JSON lines its handlers logged (CloudWatch Logs on AWS). */
  readonly logs: readonly string[];
}

/** An item of the orders table, every attribute as a string. */
export type OrderItem = Readonly<Record<string, string>>;

/** The synthesized alarms' verdicts on the executions that ended in this session, taken as one period. */
export interface AlarmStatus {
  /** The executions that ended so far, whose metrics the verdicts read. */
  readonly executions: number;
  /** One per synthesized alarm, in the order of the synthesized stack. */
  readonly verdicts: readonly AlarmVerdict[];
}

/** What the session tells its subscribers. */
export type SessionMessage =
  | { readonly type: 'execution'; readonly execution: ExecutionSummary }
  | { readonly type: 'order'; readonly order: OrderItem }
  | { readonly type: 'alarms'; readonly alarms: AlarmStatus };

/** Options of a {@link ConsoleSession}. */
export interface ConsoleSessionOptions {
  /**
   * Executions kept for the list; the oldest finished ones are forgotten beyond it.
   * @default 1000
   */
  readonly maxExecutions?: number;
  /**
   * Executions running at once, over every request.
   * @default 1000
   */
  readonly maxInFlight?: number;
  /**
   * How long changes are gathered before subscribers hear of them, in ms.
   * @default 25
   */
  readonly flushMs?: number;
}

/** Events kept per execution; a runaway loop must not eat the memory. */
const MAX_EVENTS = 2000;
/** Log lines kept per execution. */
const MAX_LOGS = 200;

interface ExecutionRecord {
  id: string;
  orderId: string;
  status: ExecutionStatus;
  startedAt: number;
  durationMs?: number;
  retries: number;
  error?: string;
  cause?: string;
  faultRate: number;
  states: Record<string, StateStatus>;
  input: unknown;
  output?: unknown;
  events: ExecutionEvent[];
  logs: string[];
}

/**
 * The console's view of one {@link LocalWorkflowRuntime}: starts executions on it (the same
 * `execute` as `npm start`), follows each through its events, and tells subscribers which
 * executions and orders changed. It runs nothing itself.
 */
export class ConsoleSession {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly running = new Set<Promise<void>>();
  private readonly listeners = new Set<(message: SessionMessage) => void>();
  private readonly dirtyExecutions = new Set<string>();
  private readonly dirtyOrders = new Set<string>();
  /**
   * How every ended execution ended. Kept for all of them, unlike the records: the function calls the
   * alarms also read are counted since the runtime started, and both must cover the same period.
   */
  private readonly outcomes: ExecutionOutcome[] = [];
  /** An execution ended since subscribers last heard the alarms. */
  private alarmsChanged = false;
  /** The execution a handler's log line belongs to: async context follows the call into the handler. */
  private readonly current = new AsyncLocalStorage<ExecutionRecord>();
  private readonly maxExecutions: number;
  private readonly maxInFlight: number;
  private readonly flushMs: number;
  private flushTimer?: NodeJS.Timeout;
  private orderReads: Promise<void> = Promise.resolve();
  private sequence = 0;
  private closing = false;

  constructor(
    /** The runtime executions run on. */
    public readonly runtime: LocalWorkflowRuntime,
    options: ConsoleSessionOptions = {},
  ) {
    this.maxExecutions = options.maxExecutions ?? 1000;
    this.maxInFlight = options.maxInFlight ?? 1000;
    this.flushMs = options.flushMs ?? 25;
  }

  /** Executions running now. */
  public get inFlight(): number {
    return this.running.size;
  }

  /**
   * Starts one execution per order of the request and returns them at once, running.
   *
   * @throws ShuttingDown after {@link close}
   * @throws TooManyExecutions when the executions in flight would exceed the limit
   */
  public start(request: StartRequest): ExecutionSummary[] {
    if (this.closing) throw new ShuttingDown('The console is stopping; it starts no new executions.');
    if (this.running.size + request.orderIds.length > this.maxInFlight) {
      throw new TooManyExecutions(
        `${this.running.size} executions are running and ${request.orderIds.length} more were asked for; ` +
          `at most ${this.maxInFlight} run at once. Wait for some to end.`,
      );
    }
    return request.orderIds.map((orderId) => summarize(this.run(orderId, request)));
  }

  /** Every execution kept, oldest first. */
  public list(): ExecutionSummary[] {
    return [...this.records.values()].map(summarize);
  }

  /** One execution with its history, or undefined. */
  public get(id: string): ExecutionDetail | undefined {
    const record = this.records.get(id);
    return record === undefined
      ? undefined
      : {
          ...summarize(record),
          input: record.input,
          output: record.output,
          cause: record.cause,
          events: [...record.events],
          logs: [...record.logs],
        };
  }

  /**
   * Each synthesized alarm's verdict had the executions that ended so far, and every function call,
   * been one period of CloudWatch metrics (the runtime's {@link LocalWorkflowRuntime.alarmVerdicts}).
   */
  public alarms(): AlarmStatus {
    return { executions: this.outcomes.length, verdicts: this.runtime.alarmVerdicts(this.outcomes) };
  }

  /**
   * Scans the orders table, newest `updatedAt` first.
   *
   * @param limit items read at most; `truncated` says whether there were more
   */
  public async listOrders(limit = 500): Promise<{ items: OrderItem[]; truncated: boolean }> {
    const items: OrderItem[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.runtime.engine.client.send(
        new ScanCommand({
          TableName: this.runtime.workflow.table.tableName,
          Limit: limit - items.length,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []).map(plainItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && items.length < limit);
    items.sort((a, b) => String(b.updatedAt ?? '').localeCompare(String(a.updatedAt ?? '')));
    return { items, truncated: startKey !== undefined };
  }

  /** Calls `listener` with every change until the returned function is called. */
  public subscribe(listener: (message: SessionMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Files a log line under the execution whose handler wrote it.
   *
   * @returns false when no execution of this session was running it (the caller prints it)
   */
  public recordLog(line: string): boolean {
    const record = this.current.getStore();
    if (record === undefined) return false;
    if (record.logs.length < MAX_LOGS) record.logs.push(line);
    return true;
  }

  /** Starts nothing more; resolves when the running executions ended, or after `timeoutMs`. */
  public async close(timeoutMs = 5000): Promise<{ unfinished: number }> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(this.running), timedOut]);
    clearTimeout(timer);
    await this.flush();
    clearTimeout(this.flushTimer);
    return { unfinished: this.running.size };
  }

  private run(orderId: string, request: StartRequest): ExecutionRecord {
    this.sequence += 1;
    const record: ExecutionRecord = {
      id: `exec-${String(this.sequence).padStart(6, '0')}`,
      orderId,
      status: EXECUTION_STATUS.RUNNING,
      startedAt: Date.now(),
      retries: 0,
      faultRate: request.faultRate,
      states: {},
      input: { orderId },
      events: [],
      logs: [],
    };
    this.records.set(record.id, record);
    this.forgetOldest();
    const execution = this.current
      .run(record, () =>
        this.runtime.execute(record.input, {
          name: record.id,
          faultRate: request.faultRate,
          stepDelayMs: request.stepDelayMs,
          onEvent: (event) => this.onEvent(record, event),
        }),
      )
      .then(
        (report) => {
          this.outcomes.push({ status: report.status, error: report.error });
          Object.assign(record, { status: report.status, durationMs: report.durationMs, retries: report.retries });
          if (report.status === EXECUTION_STATUS.SUCCEEDED) record.output = report.output;
          else Object.assign(record, { error: report.error, cause: report.cause });
        },
        (error: Error) => {
          // execute reports a failed execution; a throw is the runtime itself failing (e.g. stopped).
          Object.assign(record, {
            status: EXECUTION_STATUS.FAILED,
            error: error.name,
            cause: error.message,
            durationMs: Date.now() - record.startedAt,
          });
        },
      )
      .finally(() => {
        this.running.delete(execution);
        this.alarmsChanged = true;
        this.changed(record, true);
      });
    this.running.add(execution);
    this.changed(record, false);
    return record;
  }

  private onEvent(record: ExecutionRecord, event: ExecutionEvent): void {
    if (record.events.length < MAX_EVENTS) record.events.push(event);
    const state = event.state;
    switch (event.type) {
      case 'StateEntered':
        record.states[state as string] = STATE_STATUS.RUNNING;
        break;
      case 'StateRetried':
        record.states[state as string] = STATE_STATUS.RETRIED;
        record.retries += 1;
        break;
      case 'StateFailed':
        record.states[state as string] = STATE_STATUS.FAILED;
        break;
      case 'StateCaught':
        record.states[state as string] = STATE_STATUS.CAUGHT;
        break;
      case 'StateExited':
        // A caught state exits too, with the error as its output: it stays caught.
        if (record.states[state as string] !== STATE_STATUS.CAUGHT)
          record.states[state as string] = STATE_STATUS.SUCCEEDED;
        break;
      case 'ExecutionSucceeded':
        Object.assign(record, {
          status: EXECUTION_STATUS.SUCCEEDED,
          durationMs: event.timestamp - record.startedAt,
          output: event.detail,
        });
        break;
      case 'ExecutionFailed':
        Object.assign(record, {
          status: EXECUTION_STATUS.FAILED,
          durationMs: event.timestamp - record.startedAt,
          error: event.error,
        });
        break;
      default:
        break;
    }
    this.changed(record, event.type === 'StateExited' || event.type === 'StateFailed');
  }

  private changed(record: ExecutionRecord, orderMayHaveChanged: boolean): void {
    this.dirtyExecutions.add(record.id);
    if (orderMayHaveChanged) this.dirtyOrders.add(record.orderId);
    this.flushTimer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    for (const id of this.dirtyExecutions) {
      const record = this.records.get(id);
      if (record !== undefined) this.emit({ type: 'execution', execution: summarize(record) });
    }
    this.dirtyExecutions.clear();
    if (this.alarmsChanged) {
      this.alarmsChanged = false;
      this.emit({ type: 'alarms', alarms: this.alarms() });
    }
    const orderIds = [...this.dirtyOrders];
    this.dirtyOrders.clear();
    // One round of reads at a time, so an older read never lands after a newer one.
    this.orderReads = this.orderReads.then(async () => {
      const items = await Promise.all(orderIds.map((orderId) => this.runtime.getOrder(orderId).catch(() => undefined)));
      for (const item of items) if (item !== undefined) this.emit({ type: 'order', order: item });
    });
    await this.orderReads;
  }

  private emit(message: SessionMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  private forgetOldest(): void {
    for (const [id, record] of this.records) {
      if (this.records.size <= this.maxExecutions) return;
      if (record.status !== EXECUTION_STATUS.RUNNING) this.records.delete(id);
    }
  }
}

function summarize(record: ExecutionRecord): ExecutionSummary {
  return {
    id: record.id,
    orderId: record.orderId,
    status: record.status,
    startedAt: record.startedAt,
    ...(record.durationMs === undefined ? {} : { durationMs: record.durationMs }),
    retries: record.retries,
    ...(record.error === undefined ? {} : { error: record.error }),
    faultRate: record.faultRate,
    states: { ...record.states },
  };
}

/** An item as the runtime's `getOrder` returns it: strings and numbers as text, anything else as JSON. */
function plainItem(item: Record<string, AttributeValue>): OrderItem {
  return Object.fromEntries(
    Object.entries(item).map(([key, value]) => [key, value.S ?? value.N ?? JSON.stringify(value)]),
  );
}
