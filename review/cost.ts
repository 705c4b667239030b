/**
 * The cost line of a synthesis review: what a million orders cost with the base and with the head,
 * priced by the same model as `npm run cost` (pricing/cost-model.ts) from each synthesis's definition,
 * workflow type and function memory and architecture, with durations and DynamoDB requests taken from
 * the last local measurement (`bench/results.json`); and what the alarms cost a month.
 */
import {
  costPerMillionOrders,
  functionsInvoked,
  PRICES,
  stateTransitions,
  type DefinitionShape,
  type FunctionCostInput,
  type PricedWorkflowType,
} from '../pricing/cost-model';
import type { CostChange } from './model';
import type { SynthesizedDocument } from './synthesis';

/** What a local run measured, as `npm run bench` records it under `cost.measurement` in bench/results.json. */
export interface CostMeasurement {
  /** Mean duration of one call, in ms, by function name. */
  readonly functionMs: Readonly<Record<string, number>>;
  readonly executionMs: number;
  readonly writesPerExecution: number;
  readonly readsPerExecution: number;
  readonly itemBytes: number;
}

/** One side's price: per million orders, and the alarms a month. */
export interface SidePrice {
  readonly workflowType: PricedWorkflowType;
  readonly usdPerMillion: number;
  readonly alarms: number;
  readonly alarmsUsdPerMonth: number;
}

/** The price of one synthesis, or undefined when it has no single state machine with a readable definition. */
export function priceOf(document: SynthesizedDocument, measurement: CostMeasurement): SidePrice | undefined {
  const machines = Object.values(document.resource?.aws_sfn_state_machine ?? {});
  if (machines.length !== 1 || typeof machines[0].definition !== 'string') return undefined;
  let definition: DefinitionShape;
  let transitions: number;
  try {
    definition = JSON.parse(machines[0].definition) as DefinitionShape;
    transitions = stateTransitions(definition);
  } catch {
    // A definition that is no JSON, or whose happy path loops or leads nowhere, cannot be priced.
    return undefined;
  }
  const workflowType: PricedWorkflowType = machines[0].type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  const functions = document.resource?.aws_lambda_function ?? {};
  const measured = Object.values(measurement.functionMs);
  const meanMs = measured.reduce((sum, ms) => sum + ms, 0) / Math.max(1, measured.length);
  const invocations = functionsInvoked(definition).map((reference): FunctionCostInput => {
    // A synthesis names a function by reference, a plan by the ARN or name it resolved to.
    const name = /^\$\{aws_lambda_function\.([\w-]+)\.(arn|function_name)\}$/.exec(reference)?.[1];
    const fn =
      (name === undefined
        ? Object.values(functions).find((f) => f.arn === reference || f.function_name === reference)
        : functions[name]) ?? {};
    const architectures = fn.architectures as readonly string[] | undefined;
    return {
      memoryMb: typeof fn.memory_size === 'number' ? fn.memory_size : 128,
      architecture: architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
      durationMs: measurement.functionMs[String(fn.function_name)] ?? meanMs,
    };
  });
  // The measured writes are per step of the measured happy path: one for each function it called.
  const writesPerStep = measurement.writesPerExecution / Math.max(1, measured.length);
  const table = costPerMillionOrders({
    workflowType,
    stateTransitions: transitions,
    invocations,
    executionMs: measurement.executionMs,
    expressMemoryMb: 64,
    writes: writesPerStep * invocations.length,
    strongReads: measurement.readsPerExecution,
    itemBytes: measurement.itemBytes,
  });
  const alarms = Object.keys(document.resource?.aws_cloudwatch_metric_alarm ?? {}).length;
  return {
    workflowType,
    usdPerMillion: table.totalUsdPerMillion,
    alarms,
    alarmsUsdPerMonth: (alarms * PRICES.cloudwatchAlarm.usd) / PRICES.cloudwatchAlarm.per,
  };
}

/**
 * The cost line, when the price of a million orders or of the alarms changes between base and head:
 * `Cost: $77.49 → $3.59 a million orders (-$73.90; STANDARD → EXPRESS); alarms $1.90 → $2.00 a month (19 → 20)`.
 */
export function costChange(
  base: SynthesizedDocument,
  head: SynthesizedDocument,
  measurement: CostMeasurement,
): CostChange | undefined {
  const before = priceOf(base, measurement);
  const after = priceOf(head, measurement);
  if (before === undefined || after === undefined) return undefined;
  const orders = cents(before.usdPerMillion) !== cents(after.usdPerMillion);
  const alarms = before.alarms !== after.alarms;
  if (!orders && !alarms) return undefined;
  const parts: string[] = [];
  if (orders) {
    const type = before.workflowType === after.workflowType ? '' : `; ${before.workflowType} → ${after.workflowType}`;
    parts.push(
      `${money(before.usdPerMillion)} → ${money(after.usdPerMillion)} a million orders (${signed(after.usdPerMillion - before.usdPerMillion)}${type})`,
    );
  }
  if (alarms)
    parts.push(
      `alarms ${money(before.alarmsUsdPerMonth)} → ${money(after.alarmsUsdPerMonth)} a month (${before.alarms} → ${after.alarms} alarms)`,
    );
  return {
    beforeUsdPerMillion: before.usdPerMillion,
    afterUsdPerMillion: after.usdPerMillion,
    line: `Cost: ${parts.join('; ')}`,
  };
}

function cents(usd: number): number {
  return Math.round(usd * 100);
}

function money(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

function signed(usd: number): string {
  return `${usd < 0 ? '-' : '+'}${money(Math.abs(usd))}`;
}

/**
 * A plan's two sides as documents {@link priceOf} reads: `prior_state` (before) and `planned_values`
 * (after), root module only. Undefined when the plan carries neither (`prior_state` is absent on a first
 * deployment); a definition not known until apply leaves that side unpriced.
 */
export function planSides(
  plan: Record<string, any>,
): { base: SynthesizedDocument; head: SynthesizedDocument } | undefined {
  const side = (values: Record<string, any> | undefined): SynthesizedDocument | undefined => {
    const resources = values?.root_module?.resources as
      | { mode?: string; type: string; name: string; values?: Record<string, unknown> }[]
      | undefined;
    if (resources === undefined) return undefined;
    const resource: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const r of resources.filter((r) => (r.mode ?? 'managed') === 'managed')) {
      resource[r.type] ??= {};
      resource[r.type][r.name] = r.values ?? {};
    }
    return { resource };
  };
  const base = side(plan.prior_state?.values);
  const head = side(plan.planned_values);
  return base === undefined || head === undefined ? undefined : { base, head };
}
