// The soak run shared by test/hostile/soak.test.ts (short) and bench/soak.ts (full): the real local
// server fed a steady stream of distinct drifting events over HTTP while WebSocket clients listen.
// Measures what reached the store and every client, RSS at start and end, and event→client latency.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServer } from '../../lambdas/local/server.js';
import { fixturePath, STATE_NAME, suspendEvent } from './hostile-fixtures.js';

export interface SoakOptions {
  /** Events per second. */
  readonly rate: number;
  readonly seconds: number;
  readonly clients: number;
  /** How long to wait for stragglers after the last event. @default 30 s */
  readonly drainMs?: number;
}

export interface SoakResult {
  readonly rate: number;
  readonly seconds: number;
  readonly clients: number;
  readonly events: number;
  readonly drifts: number;
  readonly missingFromStore: number;
  readonly missingFromClients: number;
  readonly postErrors: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly heapStartMb: number;
  readonly heapEndMb: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const TICK_MS = 50;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Listener {
  readonly ws: WebSocket;
  /** event id → arrival time */
  readonly seen: Map<string, number>;
}

function listen(url: string): Promise<Listener> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  const seen = new Map<string, number>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; drift?: { event: { id: string } } };
    if (message.type === 'drift' && message.drift) seen.set(message.drift.event.id, performance.now());
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, seen }));
    ws.once('error', reject);
  });
}

/** Every drift's event id in the store, page by page. */
async function storedEventIds(url: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = (await (await fetch(`${url}/api/v1/drifts?limit=500${query}`)).json()) as {
      items: { event: { id: string } }[];
      nextCursor: string | null;
    };
    for (const d of page.items) ids.add(d.event.id);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tfdrift-soak-'));
  const server = await startServer({
    port: 0,
    dataDir,
    statePaths: [fixturePath(STATE_NAME)],
    logger: { info() {}, warn() {}, error() {} },
    alertsOut: { write: () => true } as unknown as NodeJS.WritableStream,
  });
  const listeners: Listener[] = [];
  try {
    for (let i = 0; i < options.clients; i++) listeners.push(await listen(server.url));
    // Warm up (JIT, first writes), then take the starting figures.
    await fetch(`${server.url}/api/v1/events`, { method: 'POST', body: JSON.stringify(suspendEvent(0)) });
    globalThis.gc?.();
    const rssStart = process.memoryUsage();

    const sentAt = new Map<string, number>();
    let postErrors = 0;
    const inFlight = new Set<Promise<void>>();
    const total = Math.round(options.rate * options.seconds);
    const started = performance.now();
    let next = 1;
    while (next <= total) {
      // Steady rate: send what the clock says is due, in one request per tick.
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate));
      const batch: Record<string, unknown>[] = [];
      for (; next <= due; next++) batch.push(suspendEvent(next));
      if (batch.length > 0) {
        const now = performance.now();
        for (const e of batch) sentAt.set(String(e.eventID), now);
        const p: Promise<void> = fetch(`${server.url}/api/v1/events`, {
          method: 'POST',
          body: JSON.stringify(batch),
        })
          .then(async (res) => {
            if (res.status !== 200) postErrors++;
            await res.arrayBuffer();
          })
          .catch(() => {
            postErrors++;
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    await Promise.all(inFlight);
    // Drain: wait until every client has every drift (or the drain time is up).
    const drainUntil = performance.now() + (options.drainMs ?? 30_000);
    const complete = () => listeners.every((l) => [...sentAt.keys()].every((id) => l.seen.has(id)));
    while (!complete() && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));

    globalThis.gc?.();
    const rssEnd = process.memoryUsage();
    const stored = await storedEventIds(server.url);
    const latencies: number[] = [];
    let missingFromClients = 0;
    for (const [id, at] of sentAt) {
      for (const l of listeners) {
        const got = l.seen.get(id);
        if (got === undefined) missingFromClients++;
        else latencies.push(got - at);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      rate: options.rate,
      seconds: options.seconds,
      clients: options.clients,
      events: sentAt.size,
      drifts: [...sentAt.keys()].filter((id) => stored.has(id)).length,
      missingFromStore: [...sentAt.keys()].filter((id) => !stored.has(id)).length,
      missingFromClients,
      postErrors,
      rssStartMb: mb(rssStart.rss),
      rssEndMb: mb(rssEnd.rss),
      heapStartMb: mb(rssStart.heapUsed),
      heapEndMb: mb(rssEnd.heapUsed),
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(latencies[latencies.length - 1] ?? Number.NaN),
    };
  } finally {
    for (const l of listeners) l.ws.terminate();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
