/**
 * What an order costs, computed from a workflow's definition, its functions' memory and architecture
 * and figures measured in local runs (durations, DynamoDB requests, the item's size), never from copied
 * figures. Prices are in one table, {@link PRICES}, each with its region, the date it was read and its
 * source page. Pure: it imports nothing, so `lib/` (`npm run cost`) and `review/` (the cost line of a
 * plan review) share it without the review loading cdktf.
 */

/** The state machine types Step Functions offers, as the pricing tells them apart (lib/config.ts's `WorkflowType` must fit it). */
export type PricedWorkflowType = 'STANDARD' | 'EXPRESS';

/** One price, as AWS publishes it. */
export interface Price {
  /** US dollars per `per` units. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly region: string;
  /** The day the figure was read. */
  readonly checked: string;
  readonly source: string;
  /**
   * Where the figure was read: the AWS page itself; a copy of it (a third party's quote of the page);
   * or nowhere this time (`unverified`: the figure as remembered from the page). Check the last two on
   * the AWS page before relying on them.
   */
  readonly readFrom: 'aws-page' | 'copy' | 'unverified';
}

const CHECKED = '2026-11-30';
const REGION = 'us-east-1';

/**
 * The prices the cost table uses, in US East (N. Virginia), on-demand, without free tiers (which a
 * million orders a month outgrow) or savings plans.
 */
export const PRICES = {
  standardStateTransition: {
    usd: 0.025,
    per: 1000,
    unit: 'state transition',
    region: REGION,
    checked: CHECKED,
    source: 'https://aws.amazon.com/step-functions/pricing/',
    readFrom: 'aws-page',
  },
  expressRequest: {
    usd: 1.0,
    per: 1_000_000,
    unit: 'Express execution request',
    region: REGION,
    checked: CHECKED,
    source:
      'https://aws.amazon.com/step-functions/pricing/ (quoted by https://aws.amazon.com/blogs/compute/building-cost-effective-aws-step-functions-workflows/)',
    readFrom: 'aws-page',
  },
  expressDuration: {
    usd: 0.00001667,
    per: 1,
    unit: 'Express GB-second (first 1,000 GB-hours a month; billed per 100 ms and 64 MB)',
    region: REGION,
    checked: CHECKED,
    source: 'https://aws.amazon.com/step-functions/pricing/',
    readFrom: 'unverified',
  },
  lambdaRequest: {
    usd: 0.2,
    per: 1_000_000,
    unit: 'Lambda request',
    region: REGION,
    checked: CHECKED,
    source: 'https://aws.amazon.com/lambda/pricing/',
    readFrom: 'unverified',
  },
  lambdaDurationX86: {
    usd: 0.0000166667,
    per: 1,
    unit: 'Lambda GB-second, x86_64 (first 6 billion a month; billed per 1 ms)',
    region: REGION,
    checked: CHECKED,
    source: 'https://aws.amazon.com/lambda/pricing/',
    readFrom: 'copy',
  },
  lambdaDurationArm: {
    usd: 0.0000133334,
    per: 1,
    unit: 'Lambda GB-second, arm64 (first 7.5 billion a month; billed per 1 ms)',
    region: REGION,
    checked: CHECKED,
    source: 'https://aws.amazon.com/lambda/pricing/',
    readFrom: 'copy',
  },
  dynamodbWriteRequestUnit: {
    usd: 0.625,
    per: 1_000_000,
    unit: 'DynamoDB on-demand write request unit',
    region: REGION,
    checked: CHECKED,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    readFrom: 'copy',
  },
  cloudwatchAlarm: {
    usd: 0.1,
    per: 1,
    unit: 'CloudWatch standard-resolution alarm metric, a month',
    region: REGION,
    checked: '2026-12-02',
    source:
      'https://aws.amazon.com/cloudwatch/pricing/ (quoted by https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm)',
    readFrom: 'copy',
  },
  dynamodbReadRequestUnit: {
    usd: 0.125,
    per: 1_000_000,
    unit: 'DynamoDB on-demand read request unit',
    region: REGION,
    checked: CHECKED,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    readFrom: 'copy',
  },
} as const satisfies Record<string, Price>;

/** A definition as the cost model reads it. */
export interface DefinitionShape {
  readonly StartAt: string;
  readonly States: Readonly<
    Record<
      string,
      {
        readonly Type: string;
        readonly Next?: string;
        readonly End?: boolean;
        readonly Catch?: ReadonlyArray<{ readonly ErrorEquals: readonly string[]; readonly Next: string }>;
        readonly Parameters?: { readonly FunctionName?: string };
      }
    >
  >;
}

/** A path through a definition: the happy path, or one on which a state fails with an error, caught. */
export interface PathSpec {
  /** The state that fails. */
  readonly failAt?: string;
  /** The error it fails with, matched against its Catch. */
  readonly error?: string;
}

/**
 * The states an execution enters along a path, in order: from StartAt, following `Next`; at the failing
 * state, the first Catch whose ErrorEquals names the error or `States.ALL`. A Task retried or a state
 * entered twice would be a loop this workflow does not have, so a revisit ends the walk with an error.
 */
export function statesOnPath(definition: DefinitionShape, path: PathSpec = {}): string[] {
  const visited: string[] = [];
  let name: string | undefined = definition.StartAt;
  while (name !== undefined) {
    if (visited.includes(name))
      throw new RangeError(`The path enters ${name} twice: the cost model counts paths without loops`);
    const state: DefinitionShape['States'][string] | undefined = definition.States[name];
    if (state === undefined) throw new RangeError(`The path reaches ${name}, which the definition does not have`);
    visited.push(name);
    if (name === path.failAt) {
      const catcher: { readonly Next: string } | undefined = state.Catch?.find(
        (c) => c.ErrorEquals.includes(path.error ?? 'States.ALL') || c.ErrorEquals.includes('States.ALL'),
      );
      if (catcher === undefined) return visited;
      name = catcher.Next;
    } else {
      name = state.End || state.Type === 'Fail' || state.Type === 'Succeed' ? undefined : state.Next;
    }
  }
  return visited;
}

/**
 * State transitions a STANDARD execution is billed for along a path, without retries: one for each
 * state it enters ("a state transition each time a step of your workflow is executed", retries
 * counted as more; see the pricing page in {@link PRICES}).
 */
export function stateTransitions(definition: DefinitionShape, path: PathSpec = {}): number {
  return statesOnPath(definition, path).length;
}

/** The functions a path invokes, once per Task state on it, by function name or ARN as the definition gives it. */
export function functionsInvoked(definition: DefinitionShape, path: PathSpec = {}): string[] {
  return statesOnPath(definition, path).flatMap((name) => {
    const state = definition.States[name];
    return state.Type === 'Task' && state.Parameters?.FunctionName !== undefined ? [state.Parameters.FunctionName] : [];
  });
}

/** One function as the cost model needs it. */
export interface FunctionCostInput {
  readonly memoryMb: number;
  readonly architecture: 'x86_64' | 'arm64';
  /** Mean billed duration of one call, measured locally: a lower bound of what AWS measures. */
  readonly durationMs: number;
}

/** Everything one order's cost is computed from. */
export interface CostInputs {
  readonly workflowType: PricedWorkflowType;
  /** State transitions of one execution (STANDARD bills them). */
  readonly stateTransitions: number;
  /** The functions one execution invokes, one entry per call. */
  readonly invocations: readonly FunctionCostInput[];
  /** Duration of one execution, measured locally (EXPRESS bills it): a lower bound. */
  readonly executionMs: number;
  /** Memory an EXPRESS execution is billed for, in MB (64 MB chunks; this small definition and payload fit one). */
  readonly expressMemoryMb: number;
  /** DynamoDB write requests of one execution. */
  readonly writes: number;
  /** DynamoDB read requests of one execution (eventually consistent reads cost half a unit, strong ones one). */
  readonly strongReads: number;
  /** Size of the order's item, in bytes: a write costs one unit per KB or part of one. */
  readonly itemBytes: number;
}

/** One line of a cost table. */
export interface CostLine {
  readonly service: 'Step Functions' | 'Lambda' | 'DynamoDB';
  readonly item: string;
  /** How many units one order uses. */
  readonly perOrder: number;
  readonly unit: string;
  /** US dollars per million orders. */
  readonly usdPerMillion: number;
}

/** What a million orders cost, line by line, and which line dominates. */
export interface CostTable {
  readonly workflowType: PricedWorkflowType;
  readonly lines: readonly CostLine[];
  readonly totalUsdPerMillion: number;
  readonly dominant: CostLine;
}

const MILLION = 1_000_000;

function usd(price: Price, units: number): number {
  return (units * price.usd) / price.per;
}

/** The cost of a million orders, from its inputs and {@link PRICES}. */
export function costPerMillionOrders(inputs: CostInputs): CostTable {
  const lines: CostLine[] = [];
  if (inputs.workflowType === 'STANDARD') {
    const price = PRICES.standardStateTransition;
    lines.push({
      service: 'Step Functions',
      item: 'state transitions',
      perOrder: inputs.stateTransitions,
      unit: price.unit,
      usdPerMillion: usd(price, inputs.stateTransitions * MILLION),
    });
  } else {
    lines.push({
      service: 'Step Functions',
      item: 'Express requests',
      perOrder: 1,
      unit: PRICES.expressRequest.unit,
      usdPerMillion: usd(PRICES.expressRequest, MILLION),
    });
    // Billed per 100 ms, rounded up, and per 64 MB chunk of memory.
    const gbSeconds =
      (Math.ceil(inputs.executionMs / 100) / 10) * ((Math.ceil(inputs.expressMemoryMb / 64) * 64) / 1024);
    lines.push({
      service: 'Step Functions',
      item: 'Express duration',
      perOrder: gbSeconds,
      unit: 'GB-second',
      usdPerMillion: usd(PRICES.expressDuration, gbSeconds * MILLION),
    });
  }
  lines.push({
    service: 'Lambda',
    item: 'requests',
    perOrder: inputs.invocations.length,
    unit: PRICES.lambdaRequest.unit,
    usdPerMillion: usd(PRICES.lambdaRequest, inputs.invocations.length * MILLION),
  });
  let lambdaUsd = 0;
  let gbSeconds = 0;
  for (const call of inputs.invocations) {
    // Billed per 1 ms, rounded up.
    const callGbSeconds = (Math.ceil(call.durationMs) / 1000) * (call.memoryMb / 1024);
    gbSeconds += callGbSeconds;
    lambdaUsd += usd(
      call.architecture === 'arm64' ? PRICES.lambdaDurationArm : PRICES.lambdaDurationX86,
      callGbSeconds * MILLION,
    );
  }
  lines.push({
    service: 'Lambda',
    item: 'duration (lower bound)',
    perOrder: gbSeconds,
    unit: 'GB-second',
    usdPerMillion: lambdaUsd,
  });
  const writeUnits = inputs.writes * Math.max(1, Math.ceil(inputs.itemBytes / 1024));
  lines.push({
    service: 'DynamoDB',
    item: 'write request units',
    perOrder: writeUnits,
    unit: PRICES.dynamodbWriteRequestUnit.unit,
    usdPerMillion: usd(PRICES.dynamodbWriteRequestUnit, writeUnits * MILLION),
  });
  const readUnits = inputs.strongReads * Math.max(1, Math.ceil(inputs.itemBytes / 4096));
  lines.push({
    service: 'DynamoDB',
    item: 'read request units',
    perOrder: readUnits,
    unit: PRICES.dynamodbReadRequestUnit.unit,
    usdPerMillion: usd(PRICES.dynamodbReadRequestUnit, readUnits * MILLION),
  });
  const dominant = lines.reduce((a, b) => (b.usdPerMillion > a.usdPerMillion ? b : a));
  return {
    workflowType: inputs.workflowType,
    lines,
    totalUsdPerMillion: lines.reduce((sum, line) => sum + line.usdPerMillion, 0),
    dominant,
  };
}
