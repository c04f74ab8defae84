// An in-process DynamoDB-compatible server (dynalite, in a worker thread) on an ephemeral loopback
// port, persisted under a data folder (in memory without one), with tfdrift's tables created from the
// shared design.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  CONNECTIONS_TABLE,
  DRIFT_INDEXES,
  DRIFTS_TABLE,
  driftAttributeDefinitions,
  EVENTS_TABLE,
  type IndexDesign,
} from '../aws/drift-table-design.js';

export interface TableNames {
  readonly drifts: string;
  readonly events: string;
  readonly connections: string;
}

export const DEFAULT_TABLE_NAMES: TableNames = {
  drifts: DRIFTS_TABLE.defaultName,
  events: EVENTS_TABLE.defaultName,
  connections: CONNECTIONS_TABLE.defaultName,
};

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
  close(): Promise<void>;
}

/** Starts dynalite (persisted at `path` when given) and creates any missing table. */
export async function startLocalDynamo(options: { path?: string } = {}): Promise<LocalDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const unlock = options.path ? lockDataFolder(options.path) : () => undefined;
  const worker = new Worker(new URL('./dynalite-worker.cjs', import.meta.url), {
    workerData: { path: options.path },
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: { port?: number; error?: string }) =>
        message.port ? resolve(message.port) : reject(new Error(`dynalite did not start: ${message.error}`)),
      );
    });
  } catch (error) {
    await worker.terminate();
    unlock();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  // Idempotent: a second close (a test's cleanup after the test closed it) finds the worker gone.
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      client.destroy();
      // A request still under way when the database closes can end the worker with an error
      // ("Database is not open") before it answers: closed either way.
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      });
      await worker.terminate();
      unlock();
    })());
  try {
    await createTables(client, DEFAULT_TABLE_NAMES);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, client, doc, tables: DEFAULT_TABLE_NAMES, close };
}

/**
 * One process per data folder: LevelDB allows a single opener, and a second one fails deep inside
 * dynalite. A pid file beside the folder turns that into a clear message; a stale one is taken over.
 */
function lockDataFolder(path: string): () => void {
  const lockFile = `${path.replace(/[\\/]+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `the data folder ${path} is in use by another tfdrift process (pid ${pid}); stop it or choose another folder with --data`,
        );
      }
      if (pid === process.pid) {
        throw new Error(`the data folder ${path} is already open in this process`);
      }
      rmSync(lockFile, { force: true }); // left by a process that is gone
    }
  }
  throw new Error(`could not lock the data folder ${path} (${lockFile})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function gsi(index: IndexDesign) {
  return {
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
    ],
    Projection: {
      ProjectionType: index.projection,
      ...(index.nonKeyAttributes ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
    },
  };
}

/** The CreateTable inputs for tfdrift's tables (on-demand billing). */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  const connectionIndex = CONNECTIONS_TABLE.index;
  return [
    {
      TableName: names.drifts,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: driftAttributeDefinitions().map((a) => ({
        AttributeName: a.name,
        AttributeType: a.type,
      })),
      KeySchema: [{ AttributeName: DRIFTS_TABLE.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Object.values(DRIFT_INDEXES).map(gsi),
    },
    {
      TableName: names.events,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: EVENTS_TABLE.partitionKey.name, AttributeType: 'S' },
        { AttributeName: EVENTS_TABLE.sortKey.name, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: EVENTS_TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: EVENTS_TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
    },
    {
      TableName: names.connections,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: CONNECTIONS_TABLE.partitionKey.name, AttributeType: 'S' },
        { AttributeName: connectionIndex.partitionKey.name, AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: CONNECTIONS_TABLE.partitionKey.name, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [gsi(connectionIndex)],
    },
  ];
}

/** Creates the tables that do not exist yet (a persisted data folder keeps them). */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const definition of tableDefinitions(names)) {
    if (!existing.has(definition.TableName!)) await client.send(new CreateTableCommand(definition));
  }
}
