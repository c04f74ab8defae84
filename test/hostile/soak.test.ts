// The soak in its short CI form (the full 5-minute run is `npm run bench -- soak`): the local server
// under a steady stream of drifting events with live clients. Nothing may be missing from the store
// or from any client; memory and p99 latency are reported (latency is not asserted: it measures the
// machine as much as the code, and shared CI runners vary tenfold).

import { describe, expect, it } from 'vitest';
import { runSoak } from '../support/soak.js';

const SECONDS = Number(process.env.TFDRIFT_SOAK_SECONDS ?? 20);

describe('soak (short)', () => {
  it(
    `takes 200 events/s for ${SECONDS} s with 10 WebSocket clients and loses nothing`,
    async () => {
      const result = await runSoak({ rate: 200, seconds: SECONDS, clients: 10 });
      console.log(`soak: ${JSON.stringify(result)}`);
      expect(result.events).toBe(200 * SECONDS);
      expect(result.postErrors).toBe(0);
      expect(result.missingFromStore).toBe(0);
      expect(result.drifts).toBe(result.events);
      expect(result.missingFromClients).toBe(0);
      // Loose, a guard against gross leaks only: the server's store grows by thousands of drifts, and
      // on a busy machine the collector runs late (growth measured 153 MB at load 18 and 221 MB at load
      // 23 on two cores). Whether memory levels off is the 5-minute soak's trend (npm run bench -- soak).
      expect(result.rssEndMb - result.rssStartMb).toBeLessThan(300);
      expect(Number.isFinite(result.p99Ms)).toBe(true);
    },
    (SECONDS + 90) * 1000,
  );
});
