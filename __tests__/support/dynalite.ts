import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  paginateScan,
} from '@aws-sdk/client-dynamodb';

/** A DynamoDB item as the low-level client returns it. */
export type Item = Record<string, AttributeValue>;

/** An order to seed the table with, bypassing the handlers (to fix its timestamps, or a status no step writes). */
export interface SeedOrder {
  readonly orderId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An in-process dynalite with the orders table created. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  /** A client for the test's own reads and writes. */
  readonly client: DynamoDBClient;
  /** The orders table (hash key `orderId` S, on demand). */
  readonly tableName: string;
  /** Consistent read of one order; `undefined` when there is none. */
  getItem(orderId: string): Promise<Item | undefined>;
  /** Every item in the table, sorted by `orderId`, for before/after comparisons. */
  scanAll(): Promise<Item[]>;
  /** Writes an order as given, unconditionally. */
  putOrder(order: SeedOrder): Promise<void>;
  /**
   * Runs `action` and returns the DynamoDB operations (`PutItem`, `UpdateItem`, ...) the server
   * received meanwhile, in order. Only the test's own `action` may send requests during it.
   */
  recordOperations(action: () => Promise<unknown>): Promise<string[]>;
  /** Closes the client and the server; call it in `afterAll`. */
  close(): Promise<void>;
}

type DynaliteFactory = (options: Record<string, number>) => Server;

/** Name of the orders table in every local DynamoDB. */
export const LOCAL_TABLE_NAME = 'orders-test';

/**
 * Starts dynalite in-process on 127.0.0.1 with an ephemeral port and creates the orders table.
 * Sets dummy credentials and region in `process.env` so no SDK client ever looks for real ones.
 */
export async function startDynalite(): Promise<LocalDynamo> {
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.AWS_REGION = 'us-east-1';
  // dynalite ships no type declarations.
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint });
  const tableName = LOCAL_TABLE_NAME;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

  let recorded: string[] | undefined;
  server.on('request', (request: { headers: Record<string, string | string[] | undefined> }) => {
    const target = request.headers['x-amz-target'];
    // The header is `DynamoDB_20120810.<Operation>`.
    if (recorded !== undefined && typeof target === 'string') recorded.push(target.split('.')[1] ?? target);
  });

  return {
    endpoint,
    client,
    tableName,
    async getItem(orderId) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { orderId: { S: orderId } }, ConsistentRead: true }),
      );
      return Item;
    },
    async scanAll() {
      const items: Item[] = [];
      for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
        items.push(...(page.Items ?? []));
      }
      return items.sort((a, b) => (a.orderId?.S ?? '').localeCompare(b.orderId?.S ?? ''));
    },
    async putOrder(order) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            orderId: { S: order.orderId },
            status: { S: order.status },
            createdAt: { S: order.createdAt },
            updatedAt: { S: order.updatedAt },
          },
        }),
      );
    },
    async recordOperations(action) {
      recorded = [];
      try {
        await action();
        return recorded;
      } finally {
        recorded = undefined;
      }
    },
    async close() {
      client.destroy();
      // Bundled handlers keep their own clients alive; drop their sockets so close does not wait.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
