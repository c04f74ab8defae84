// The full soak (issue #7): the local server under a steady 200 events/s for 5 minutes with 50
// WebSocket clients. Prints one JSON line: {rate, seconds, clients, drifts, missingFromStore,
// missingFromClients, rssStartMb, rssEndMb, p50Ms, p99Ms, ...}. The CI form is
// test/hostile/soak.test.ts. Override with SOAK_RATE, SOAK_SECONDS, SOAK_CLIENTS.
// Run with --expose-gc for steadier memory figures (`node --expose-gc --import tsx bench/soak.ts`).

import { runSoak } from '../test/support/soak.js';

const result = await runSoak({
  rate: Number(process.env.SOAK_RATE ?? 200),
  seconds: Number(process.env.SOAK_SECONDS ?? 300),
  clients: Number(process.env.SOAK_CLIENTS ?? 50),
  drainMs: 60_000,
});
console.log(JSON.stringify(result));
