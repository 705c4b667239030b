import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConfigurationError, OrderNotFound, type OrderWorkflowError } from './errors';
import { preview } from './order-input';
import { ALLOWED_FROM, FAILED_STATUS, hasReached, type OrderStatus, type TargetStatus } from './status';

/** What the steps need from their surroundings, injected so the same code runs on AWS, dynalite and in unit tests. */
export interface OrderDeps {
  /** The DynamoDB client; one per container so connections are reused across invocations. */
  readonly db: DynamoDBClient;
  /** The orders table's name; a function so a missing setting fails an invocation, not the container's init. */
  readonly tableName: () => string;
  /** The clock for `createdAt` and `updatedAt`. */
  readonly now: () => Date;
}

/** How a step left the table: it wrote, or found its work already done (an idempotent repeat). */
export type WriteOutcome = 'written' | 'unchanged';

/** The domain error a step raises when the order is in a status it cannot move from. */
export type RefusalError = new (message: string, options?: ErrorOptions) => OrderWorkflowError;

/** Names `status`, a DynamoDB reserved word. */
const STATUS_NAMES = { '#status': 'status' };

let runtime: OrderDeps | undefined;
let ordersTable: string | undefined;

/**
 * The deps of a deployed handler, created on first use and kept for the container's life. The
 * SDK reads region, credentials and `AWS_ENDPOINT_URL_DYNAMODB` from the environment.
 */
export function runtimeDeps(): OrderDeps {
  runtime ??= { db: new DynamoDBClient({}), tableName: ordersTableName, now: () => new Date() };
  return runtime;
}

function ordersTableName(): string {
  if (ordersTable === undefined) {
    const value = process.env.ORDERS_TABLE_NAME;
    if (!value) {
      const received = value === undefined ? 'it unset' : 'an empty string';
      throw new ConfigurationError(
        `Expected environment variable ORDERS_TABLE_NAME to name the orders table, received ${received}.`,
      );
    }
    ordersTable = value;
  }
  return ordersTable;
}

/**
 * Puts a new order in `status` (the first step's), only if no order with that id exists.
 *
 * @returns `unchanged` when the order already exists (a retry after a lost reply, or a re-run)
 */
export async function putNewOrder(deps: OrderDeps, orderId: string, status: OrderStatus): Promise<WriteOutcome> {
  const tableName = deps.tableName();
  const now = deps.now().toISOString();
  try {
    await deps.db.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          orderId: { S: orderId },
          status: { S: status },
          createdAt: { S: now },
          updatedAt: { S: now },
        },
        ConditionExpression: 'attribute_not_exists(orderId)',
      }),
    );
    return 'written';
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return 'unchanged';
    throw err;
  }
}

/**
 * Moves an order to `target` with one conditional UpdateItem, allowed only from the statuses in
 * {@link ALLOWED_FROM}. Only when the condition fails does one consistent GetItem classify why.
 *
 * @returns `unchanged` when the order is already at `target` or past it
 * @throws OrderNotFound when there is no such order; nothing is written
 * @throws Refusal when the order is in any other status, with the failed condition as `cause`
 */
export async function advanceStatus(
  deps: OrderDeps,
  orderId: string,
  target: TargetStatus,
  Refusal: RefusalError,
): Promise<WriteOutcome> {
  const tableName = deps.tableName();
  const key = { orderId: { S: orderId } };
  const from: readonly OrderStatus[] = ALLOWED_FROM[target];
  const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, { S: status }]));
  try {
    await deps.db.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key,
        // REMOVE: an order resumed from failed no longer carries the failure it recovered from.
        UpdateExpression: 'SET #status = :target, updatedAt = :now REMOVE failedStep, failedError',
        // attribute_exists: an update must never create an order, whatever the allowed-from list becomes.
        ConditionExpression: `attribute_exists(orderId) AND #status IN (${Object.keys(fromValues).join(', ')})`,
        ExpressionAttributeNames: STATUS_NAMES,
        ExpressionAttributeValues: { ':target': { S: target }, ':now': { S: deps.now().toISOString() }, ...fromValues },
      }),
    );
    return 'written';
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    // Read instead of ReturnValuesOnConditionCheckFailure, which dynalite lacks (architect/dynalite#182).
    const { Item } = await deps.db.send(
      new GetItemCommand({
        TableName: tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: 'orderId, #status',
        ExpressionAttributeNames: STATUS_NAMES,
      }),
    );
    if (Item === undefined) {
      throw new OrderNotFound(
        `Expected order "${orderId}" to exist before moving it to ${target}, received no such order in table ${tableName}.`,
      );
    }
    const status = Item.status?.S;
    if (status !== undefined && hasReached(status, target)) return 'unchanged';
    const expected = `Expected order "${orderId}" in status ${from.join(' or ')} to move it to ${target}`;
    throw new Refusal(`${expected}, received status ${preview(status)}.`, { cause: err });
  }
}

/**
 * Marks an order `failed` with the step and the error that failed it, with one conditional
 * UpdateItem allowed only from the statuses in {@link ALLOWED_FROM}: it never creates an order, never
 * overwrites `paid`, and leaves alone a status no step writes.
 *
 * @returns `unchanged` when there is no such order, it is paid (a concurrent run finished it), or it
 * is in a status the workflow does not own
 */
export async function markFailed(deps: OrderDeps, orderId: string, step: string, error: string): Promise<WriteOutcome> {
  const fromValues = Object.fromEntries(ALLOWED_FROM[FAILED_STATUS].map((status, i) => [`:from${i}`, { S: status }]));
  try {
    await deps.db.send(
      new UpdateItemCommand({
        TableName: deps.tableName(),
        Key: { orderId: { S: orderId } },
        UpdateExpression: 'SET #status = :failed, failedStep = :step, failedError = :error, updatedAt = :now',
        ConditionExpression: `attribute_exists(orderId) AND #status IN (${Object.keys(fromValues).join(', ')})`,
        ExpressionAttributeNames: STATUS_NAMES,
        ExpressionAttributeValues: {
          ':failed': { S: FAILED_STATUS },
          ...fromValues,
          ':step': { S: step },
          ':error': { S: error },
          ':now': { S: deps.now().toISOString() },
        },
      }),
    );
    return 'written';
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return 'unchanged';
    throw err;
  }
}
