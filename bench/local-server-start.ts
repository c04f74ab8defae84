// What a test pays per local server: start and close with a dynalite of its own (as `tfdrift serve`
// does) against start and close on fresh tables in a dynalite shared by the test file
// (test/support/shared-dynamo.ts). Prints the median of RUNS (default 10) of each, interleaved.
//   npx tsx bench/local-server-start.ts

import { createTables, DEFAULT_TABLE_NAMES, startLocalDynamo } from '../lambdas/adapters/local/dynalite.js';
import { startServer } from '../lambdas/local/server.js';

const runs = Number(process.env.RUNS ?? 10);
const silent = { info() {}, warn() {}, error() {} };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0);

async function main(): Promise<void> {
  const shared = await startLocalDynamo();
  const own: number[] = [];
  const fresh: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    const alone = await startServer({ port: 0, dataDir: null, logger: silent });
    await alone.close();
    own.push(performance.now() - started);
    started = performance.now();
    const tables = {
      drifts: `bench${i}-${DEFAULT_TABLE_NAMES.drifts}`,
      events: `bench${i}-${DEFAULT_TABLE_NAMES.events}`,
      connections: `bench${i}-${DEFAULT_TABLE_NAMES.connections}`,
    };
    await createTables(shared.client, tables);
    const onShared = await startServer({
      port: 0,
      dataDir: null,
      logger: silent,
      dynamo: { doc: shared.doc, tables },
    });
    await onShared.close();
    fresh.push(performance.now() - started);
  }
  await shared.close();
  console.log(
    `local server start+close, median of ${runs}: own dynalite ${median(own)} ms, shared dynalite + fresh tables ${median(fresh)} ms`,
  );
}

void main();
