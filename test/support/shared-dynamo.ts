// One dynalite per test file, and tables of their own for each server a test starts: starting dynalite
// (a worker thread) is most of a local server's start, and fresh tables are as empty as a fresh
// dynalite. The store stays real: dynalite behind the real SDK v3 client.

import { afterAll, beforeAll } from 'vitest';
import {
  createTables,
  DEFAULT_TABLE_NAMES,
  type LocalDynamo,
  startLocalDynamo,
  type TableNames,
} from '../../lambdas/adapters/local/dynalite.js';

export type TablesInDynamo = Pick<LocalDynamo, 'doc' | 'tables'>;

/** Starts dynalite before the file's tests (stopped after them); each call gives new, empty tables. */
export function sharedDynamo(): () => Promise<TablesInDynamo> {
  let dynamo: LocalDynamo | undefined;
  let made = 0;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(() => dynamo?.close());
  return async () => {
    if (!dynamo) throw new Error('sharedDynamo: call it at the top of the test file, before the tests');
    made += 1;
    const prefix = `t${made}-${process.pid}-`;
    const tables: TableNames = {
      drifts: prefix + DEFAULT_TABLE_NAMES.drifts,
      events: prefix + DEFAULT_TABLE_NAMES.events,
      connections: prefix + DEFAULT_TABLE_NAMES.connections,
    };
    await createTables(dynamo.client, tables);
    return { doc: dynamo.doc, tables };
  };
}
