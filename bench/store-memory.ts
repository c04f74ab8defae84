// The embedded store alone (dynalite in its worker thread, persisted on disk, as `tfdrift serve` runs
// it), written to as fast as it takes 2.5 KB items for SECONDS (default 120): RSS and heap sampled
// every second, with the RSS trend after the first fifth. The soak's RSS trend is read against this:
// growth the store shows with no server in front of it is the store's, not a leak of the server.
// Prints {"seconds","items","rssStartMb","rssEndMb","rssTrendMbPerMin","heapMinMb","heapMaxMb"}.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamo } from '../lambdas/adapters/local/dynalite.js';
import { rssMb, slope } from '../test/support/soak.js';

const SECONDS = Number(process.env.SECONDS ?? 120);
const CONCURRENCY = 20;

const dir = mkdtempSync(join(tmpdir(), 'tfdrift-store-memory-'));
const db = await startLocalDynamo({ path: dir });
const body = 'x'.repeat(2500);
const started = performance.now();
const samples: [minute: number, mb: number][] = [];
const heaps: number[] = [];
let items = 0;
const sampler = setInterval(() => {
  const elapsed = performance.now() - started;
  heaps.push(process.memoryUsage().heapUsed / 1e6);
  if (elapsed >= (SECONDS * 1000) / 5) samples.push([elapsed / 60_000, rssMb(process.pid)]);
}, 1000);
try {
  while (performance.now() - started < SECONDS * 1000) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        db.doc.send(new PutCommand({ TableName: db.tables.drifts, Item: { id: `bench#${items++}`, body } })),
      ),
    );
  }
} finally {
  clearInterval(sampler);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
const round = (n: number) => Math.round(n * 10) / 10;
console.log(
  JSON.stringify({
    seconds: SECONDS,
    items,
    rssStartMb: samples[0]?.[1] ?? Number.NaN,
    rssEndMb: samples.at(-1)?.[1] ?? Number.NaN,
    rssTrendMbPerMin: round(slope(samples)),
    heapMinMb: round(Math.min(...heaps)),
    heapMaxMb: round(Math.max(...heaps)),
  }),
);
