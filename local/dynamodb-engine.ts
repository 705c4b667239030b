import { Worker } from 'node:worker_threads';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { SynthesizedTable } from './synthesized-stack';

/**
 * The engine's thread: dynalite serving on 127.0.0.1, reporting its port and each request's operation.
 * Plain JavaScript, evaluated as is, so it needs no TypeScript loader in the worker.
 */
const ENGINE_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require(workerData.dynalite)(workerData.options);
server.on('request', (request) => {
  parentPort.postMessage({ operation: String(request.headers['x-amz-target'] || '').split('.')[1] || 'unknown' });
});
server.once('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => {
  if (server.closeAllConnections) server.closeAllConnections();
  server.close(() => parentPort.close());
});
`;

/** A real DynamoDB engine (dynalite) on its own thread of this process, on loopback only. */
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
 * Starts dynalite on 127.0.0.1 with an ephemeral port, on a worker thread so the engine's work runs
 * beside the workflow's (two cores, not one), and points this process's AWS SDK at it
 * (`AWS_ENDPOINT_URL_DYNAMODB`) with throwaway credentials, so nothing can reach a real account.
 *
 * @param dataDir keep the data in this folder; in memory when omitted
 */
export async function startDynamoDbEngine(dataDir?: string): Promise<DynamoDbEngine> {
  const worker = new Worker(ENGINE_THREAD, {
    eval: true,
    workerData: {
      dynalite: require.resolve('dynalite'),
      options: { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir ? { path: dataDir } : {}) },
    },
  });
  const requests: Record<string, number> = {};
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { port?: number; operation?: string; error?: string }) => {
      if (message.operation !== undefined) requests[message.operation] = (requests[message.operation] ?? 0) + 1;
      else if (message.port !== undefined) resolve(message.port);
      else reject(new Error(`dynalite did not start: ${message.error}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
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
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await exited;
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
        AttributeDefinitions: table.attributes.map((a) => ({
          AttributeName: a.name,
          AttributeType: a.type as 'S' | 'N' | 'B',
        })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    // A table kept on disk by --data from an earlier run.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
