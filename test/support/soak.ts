// The soak run shared by test/hostile/soak.test.ts (short) and bench/soak.ts (full): the real local
// server (`tfdrift serve`, in its own process, as users run it) fed a steady stream of distinct
// drifting events over HTTP while WebSocket clients listen. Measures what reached the store and
// every client, the server's RSS at start and end, and event→client latency.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { fixturePath, STATE_NAME, suspendEvent } from './hostile-fixtures.js';

const REPO = join(import.meta.dirname, '../..');

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
  /**
   * The server process's resident memory (NaN off Linux): before any load, once warmed up (the
   * first fifth of the run, at most 10 s, at full rate: JIT, caches, socket buffers), at the end of
   * the run, and the highest sample (one a second). Flat memory: end ≈ start, not before ≈ end.
   */
  readonly rssBeforeMb: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly rssMaxMb: number;
  /**
   * The trend of the samples after warm-up (least-squares slope, MB per minute). Garbage collection
   * swings RSS by tens of MB between two samples; the slope says whether it climbs.
   */
  readonly rssTrendMbPerMin: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const TICK_MS = 50;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Least-squares slope of y over x (NaN with fewer than two points). */
export function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

interface Listener {
  readonly ws: WebSocket;
  /** event id → arrival time */
  readonly seen: Map<string, number>;
}

// The event id of a drift message, read straight from the frame's bytes (fifty clients share this
// process: the harness must stay much cheaper than the server it measures, and never build strings).
const DRIFT = Buffer.from('{"type":"drift"');
const EVENT_ID = Buffer.from('"event":{"id":"');
const QUOTE = 0x22;

function driftEventId(data: Buffer): string | undefined {
  if (data.compare(DRIFT, 0, DRIFT.length, 0, DRIFT.length) !== 0) return undefined;
  const at = data.indexOf(EVENT_ID);
  if (at < 0) return undefined;
  const start = at + EVENT_ID.length;
  const end = data.indexOf(QUOTE, start);
  return end < 0 ? undefined : data.toString('latin1', start, end);
}

function listen(url: string): Promise<Listener> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  const seen = new Map<string, number>();
  ws.on('message', (data: Buffer) => {
    const id = driftEventId(data);
    if (id !== undefined && !seen.has(id)) seen.set(id, performance.now());
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
    const response = await fetch(`${url}/api/v1/drifts?limit=500${query}`);
    const body = await response.text();
    if (!response.ok) throw new Error(`GET /api/v1/drifts: HTTP ${response.status} ${body.slice(0, 300)}`);
    const page = JSON.parse(body) as { items: { event: { id: string } }[]; nextCursor: string | null };
    for (const d of page.items) ids.add(d.event.id);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number | undefined): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return Number.NaN;
  }
}

/** `tfdrift serve` on a free port; resolves with its URL once it listens. */
function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/tfdrift.ts',
      'serve',
      '--port',
      '0',
      '--state',
      fixturePath(STATE_NAME),
      '--data',
      dataDir,
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } },
  );
  return new Promise((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += String(chunk);
      const url = /tfdrift serving on (http:\/\/\S+)/.exec(head)?.[1];
      if (url) {
        // Alerts keep coming on stdout: keep draining it, unread.
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ child, url });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`tfdrift serve exited with ${code}`)));
  });
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tfdrift-soak-'));
  const { child, url } = await serve(dataDir);
  const server = { url };
  const listeners: Listener[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    for (let i = 0; i < options.clients; i++) listeners.push(await listen(server.url));
    // One event first (the first writes create what every later one reuses), then the load.
    await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(suspendEvent(0)),
    });
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = rssMb(child.pid);
    const warmUpMs = Math.min(10_000, (options.seconds * 1000) / 5);
    let rssStart = Number.NaN;
    let rssMax = rssBefore;
    const samples: [minute: number, mb: number][] = [];

    const sentAt = new Map<string, number>();
    let postErrors = 0;
    const inFlight = new Set<Promise<void>>();
    const total = Math.round(options.rate * options.seconds);
    const started = performance.now();
    sampler = setInterval(() => {
      const now = rssMb(child.pid);
      rssMax = Math.max(rssMax, now);
      const elapsed = performance.now() - started;
      if (elapsed < warmUpMs) return;
      if (Number.isNaN(rssStart)) rssStart = now;
      samples.push([elapsed / 60_000, now]);
    }, 1000);
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
          headers: { 'content-type': 'application/json' },
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
    const rssEnd = rssMb(child.pid);
    clearInterval(sampler);
    if (Number.isNaN(rssStart)) rssStart = rssBefore;
    // Drain: wait until every client has every drift (or the drain time is up).
    const drainUntil = performance.now() + (options.drainMs ?? 30_000);
    const ids = [...sentAt.keys()];
    const complete = () =>
      listeners.every((l) => l.seen.size >= ids.length && ids.every((id) => l.seen.has(id)));
    while (!complete() && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));

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
      rssBeforeMb: rssBefore,
      rssStartMb: rssStart,
      rssEndMb: rssEnd,
      rssMaxMb: rssMax,
      rssTrendMbPerMin: Math.round(slope(samples) * 10) / 10,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(latencies[latencies.length - 1] ?? Number.NaN),
    };
  } finally {
    clearInterval(sampler);
    for (const l of listeners) l.ws.terminate();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
