// The full soak (issue #7): the local server under a steady 200 events/s for 5 minutes with 50
// WebSocket clients. Prints one JSON line: {rate, seconds, clients, drifts, missingFromStore,
// missingFromClients, rssBeforeMb, rssStartMb (after warm-up), rssEndMb, rssMaxMb, rssTrendMbPerMin,
// p50Ms, p99Ms, ...}. The CI form is test/hostile/soak.test.ts. Override with SOAK_RATE, SOAK_SECONDS, SOAK_CLIENTS, SOAK_DRAIN_SECONDS
// (how long stragglers may take after the last event before they count as missing; default 180).

import { runSoak } from '../test/support/soak.js';

const result = await runSoak({
  rate: Number(process.env.SOAK_RATE ?? 200),
  seconds: Number(process.env.SOAK_SECONDS ?? 300),
  clients: Number(process.env.SOAK_CLIENTS ?? 50),
  drainMs: Number(process.env.SOAK_DRAIN_SECONDS ?? 180) * 1000,
});
console.log(JSON.stringify(result));
