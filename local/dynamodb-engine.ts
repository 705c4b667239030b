import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { SynthesizedTable } from './synthesized-stack';

// dynalite ships no type declarations; this is the part used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite: (options: Record<string, unknown>) => import('node:http').Server = require('dynalite');

/** A real DynamoDB engine (dynalite) in this process, on loopback only. */
export interface DynamoDbEngine {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Where the data lives: a folder, or `memory`. */
  readonly storage: string;
  /** A client for the engine. */
  readonly client: DynamoDBClient;
  /** Requests served so far, by operation (`PutItem`, `UpdateItem`, ...). */
  readonly requests: Readonly<Record<string, number>>;
  /** Stops the engine. */
  close(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 with an ephemeral port, and points this process's AWS SDK at it
 * (`AWS_ENDPOINT_URL_DYNAMODB`) with throwaway credentials, so nothing can reach a real account.
 *
 * @param dataDir keep the data in this folder; in memory when omitted
 */
export async function startDynamoDbEngine(dataDir?: string): Promise<DynamoDbEngine> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir ? { path: dataDir } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const requests: Record<string, number> = {};
  server.on('request', (request) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    requests[operation] = (requests[operation] ?? 0) + 1;
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // The functions run on nodejs22.x on AWS; the SDK's notice about Node 20 is noise in a local run.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const client = new DynamoDBClient({ endpoint, region: process.env.AWS_REGION });
  return {
    endpoint,
    storage: dataDir ?? 'memory',
    client,
    requests,
    close: async () => {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Creates the table as synthesized (hash key, attribute types, on-demand); an existing one is kept. */
export async function createTable(client: DynamoDBClient, table: SynthesizedTable): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.tableName,
        KeySchema: [{ AttributeName: table.hashKey, KeyType: 'HASH' }],
        AttributeDefinitions: table.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type as 'S' | 'N' | 'B' })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    // A table kept on disk by --data from an earlier run.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
