/**
 * What an order costs and how many per second the workflow takes: the cost model (pricing/cost-model.ts,
 * shared with the plan review) and the quotas that bound the rate.
 */
import type { WorkflowType } from './config';

export * from '../pricing/cost-model';

/** A quota that bounds orders per second. */
export interface Quota {
  readonly name: string;
  /** Orders per second at which it binds. */
  readonly ordersPerSecond: number;
  /** How to raise it. */
  readonly raise: string;
  readonly source: string;
}

/** Default quotas, as AWS documents them (docs/capacity.md cites each). */
export const QUOTAS = {
  /** Standard StartExecution refill rate per second (bucket 1,300) in us-east-1, us-west-2, eu-west-1; 150 (bucket 800) elsewhere. */
  standardStartExecutionPerSecond: { large: 300, other: 150 },
  /** Standard StateTransition refill rate per second (bucket 5,000) in us-east-1, us-west-2, eu-west-1; 500 (bucket 800) elsewhere. */
  standardStateTransitionsPerSecond: { large: 1500, other: 500 },
  /** Express StartExecution refill rate per second (bucket 6,000), every region; Express state transitions are not throttled. */
  expressStartExecutionPerSecond: 6000,
  /** Lambda concurrent executions per account and region. */
  lambdaAccountConcurrency: 1000,
  /** DynamoDB on-demand write request units per second, per table. */
  dynamodbTableWriteUnitsPerSecond: 40_000,
  /** DynamoDB on-demand read request units per second, per table. */
  dynamodbTableReadUnitsPerSecond: 40_000,
} as const;

/** The regions with Step Functions' larger default buckets. */
export const LARGE_QUOTA_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

const SFN_QUOTAS = 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html';
const LAMBDA_QUOTAS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const DYNAMODB_QUOTAS = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html';

/** What the capacity plan needs of the workflow. */
export interface CapacityInputs {
  readonly workflowType: WorkflowType;
  readonly region: string;
  readonly stateTransitions: number;
  /** Mean duration of each call of one execution, in ms, measured locally: a lower bound. */
  readonly callDurationsMs: readonly number[];
  /** Reserved concurrency of each function, if set. */
  readonly reservedConcurrency?: number;
  readonly writeUnits: number;
  readonly readUnits: number;
}

/**
 * Each quota that bounds orders per second, with the rate at which it binds, tightest first. Lambda
 * concurrency follows Little's law: calls in flight = orders per second × seconds of calls per order.
 */
export function quotasByRate(inputs: CapacityInputs): Quota[] {
  const large = LARGE_QUOTA_REGIONS.includes(inputs.region);
  const callSeconds = inputs.callDurationsMs.reduce((sum, ms) => sum + ms, 0) / 1000;
  const longestCallSeconds = Math.max(...inputs.callDurationsMs) / 1000;
  const quotas: Quota[] = [];
  if (inputs.workflowType === 'STANDARD') {
    const starts = large ? QUOTAS.standardStartExecutionPerSecond.large : QUOTAS.standardStartExecutionPerSecond.other;
    const transitions = large
      ? QUOTAS.standardStateTransitionsPerSecond.large
      : QUOTAS.standardStateTransitionsPerSecond.other;
    quotas.push(
      {
        name: `Step Functions StartExecution (Standard), ${starts}/s`,
        ordersPerSecond: starts,
        raise: 'Service Quotas, Step Functions',
        source: SFN_QUOTAS,
      },
      {
        name: `Step Functions StateTransition (Standard), ${transitions}/s at ${inputs.stateTransitions} per order`,
        ordersPerSecond: transitions / inputs.stateTransitions,
        raise: 'Service Quotas, Step Functions',
        source: SFN_QUOTAS,
      },
    );
  } else {
    quotas.push({
      name: `Step Functions StartExecution (Express), ${QUOTAS.expressStartExecutionPerSecond}/s`,
      ordersPerSecond: QUOTAS.expressStartExecutionPerSecond,
      raise: 'Service Quotas, Step Functions',
      source: SFN_QUOTAS,
    });
  }
  quotas.push({
    name: `Lambda concurrent executions, ${QUOTAS.lambdaAccountConcurrency} per account (shared with every other function)`,
    ordersPerSecond: QUOTAS.lambdaAccountConcurrency / callSeconds,
    raise: 'Service Quotas, Lambda, "Concurrent executions"',
    source: LAMBDA_QUOTAS,
  });
  if (inputs.reservedConcurrency !== undefined) {
    quotas.push({
      name: `Reserved concurrency of each function, ${inputs.reservedConcurrency} (the lambdaReservedConcurrency setting)`,
      ordersPerSecond: inputs.reservedConcurrency / longestCallSeconds,
      raise: 'raise MPW_LAMBDA_RESERVED_CONCURRENCY (within the account quota, leaving 100 unreserved)',
      source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
    });
  }
  quotas.push({
    name: `DynamoDB on-demand table throughput, ${QUOTAS.dynamodbTableWriteUnitsPerSecond} write units/s at ${inputs.writeUnits} per order`,
    ordersPerSecond: QUOTAS.dynamodbTableWriteUnitsPerSecond / inputs.writeUnits,
    raise: 'Service Quotas, DynamoDB, "Table-level write throughput limit"',
    source: DYNAMODB_QUOTAS,
  });
  if (inputs.readUnits > 0) {
    quotas.push({
      name: `DynamoDB on-demand table throughput, ${QUOTAS.dynamodbTableReadUnitsPerSecond} read units/s at ${inputs.readUnits} per order`,
      ordersPerSecond: QUOTAS.dynamodbTableReadUnitsPerSecond / inputs.readUnits,
      raise: 'Service Quotas, DynamoDB, "Table-level read throughput limit"',
      source: DYNAMODB_QUOTAS,
    });
  }
  return quotas.sort((a, b) => a.ordersPerSecond - b.ordersPerSecond);
}
