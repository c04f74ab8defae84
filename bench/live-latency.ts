// Live latency: event posted to the local server → drift message received on its WebSocket, at a
// steady 100 events/s for 10 s (each event a distinct drift, stored in dynalite on disk as in real
// use, in a process of its own). Prints {"rate","events","received","p50Ms","p99Ms","maxMs"}.
// Targets: p50 ≤ 20 ms, p99 ≤ 100 ms.

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { DEMO_DIR, demoRecords } from '../lambdas/local/demo.js';
import { createLogger } from '../lambdas/local/logger.js';
import { startServer } from '../lambdas/local/server.js';
import type { LiveMessage } from '../lambdas/ports.js';

const RATE = Number(process.env.RATE ?? 100);
const SECONDS = Number(process.env.SECONDS ?? 10);

// The server runs in its own process, as it does for a user; this process plays the dashboard and
// the event source.
if (process.argv[2] === '--serve') {
  const dataDir = mkdtempSync(join(tmpdir(), 'tfdrift-bench-'));
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  const server = await startServer({
    port: 0,
    dataDir,
    statePaths: [join(DEMO_DIR, 'shop.tfstate')],
    logger: createLogger('error'),
    alertsOut: quiet,
  });
  process.send?.({ url: server.url });
  process.once('message', async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
} else {
  await measure();
}

async function measure(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof2'] : []),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((ok) =>
    child.once('message', (m) => ok(m as { url: string })),
  );
  const server = { url };
  const template = demoRecords().find((r) => r.eventName === 'ModifyInstanceAttribute')!;
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
  await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as LiveMessage;
    if (message.type !== 'drift') return;
    const start = sentAt.get(message.drift.event.id);
    if (start !== undefined) latencies.push(performance.now() - start);
  });

  async function post(i: number): Promise<void> {
    const eventID = `bench-${i}-${process.pid}`;
    const record = { ...template, eventID, eventTime: new Date().toISOString() };
    sentAt.set(eventID, performance.now());
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(record),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`POST /events answered ${res.status}`);
  }

  // Warm up (JIT, first connections, lazily loaded SDK parts): not measured.
  for (let i = 0; i < 30; i++) await post(-1 - i);
  while (latencies.length < 30) await new Promise((r) => setTimeout(r, 10));
  latencies.length = 0;

  const total = RATE * SECONDS;
  const started = performance.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    posts.push(post(i));
  }
  await Promise.all(posts);
  const deadline = performance.now() + 5000;
  while (latencies.length < total && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));

  ws.close();
  child.send('stop');
  await new Promise((ok) => child.once('exit', ok));

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(
      (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN) * 10,
    ) / 10;
  process.stdout.write(
    `${JSON.stringify({ rate: RATE, events: total, received: latencies.length, p50Ms: pct(50), p99Ms: pct(99), maxMs: pct(100) })}\n`,
  );
}
