// The dashboard's live feed client (web/src/live.ts) against the real local server's WebSocket:
// after a dropped connection it reconnects with ?since=<last cursor> and receives the drift that
// happened while it was away. Runs in Node with the `ws` client standing in for the browser's.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer } from '../../lambdas/local/server.js';
import { LiveFeed, type LiveStatus } from '../../web/src/live.js';
import type { LiveMessage } from '../../web/src/types.js';
import { FIXTURES, readFixture } from './harness.js';

const sockets: WebSocket[] = [];
const urls: string[] = [];
class RecordingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    urls.push(url);
    sockets.push(this);
  }
}

let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = RecordingWebSocket;
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: null,
    statePaths: [join(FIXTURES, 'tfdrift-falco-detector.tfstate')],
    alertsOut: { write: () => true } as unknown as NodeJS.WritableStream,
    logger: { info() {}, warn() {}, error() {} },
  });
});

afterAll(async () => {
  await server?.close();
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
});

it('resumes from the last cursor after a dropped connection and misses no drift', async () => {
  const messages: LiveMessage[] = [];
  const statuses: LiveStatus[] = [];
  const feed = new LiveFeed({
    wsUrl: '/ws',
    token: () => null,
    onMessage: (message) => messages.push(message),
    onStatus: (status) => statuses.push(status),
  });
  const base = server.url;
  // The client resolves wsUrl against the page; in Node there is none, so give it the server's.
  (globalThis as { location?: unknown }).location = { href: `${base}/` };
  try {
    feed.start();
    await expect.poll(() => messages.some((m) => m.type === 'hello')).toBe(true);
    const post = async (eventID: string) => {
      const record = { ...(await readFixture('s3-suspend-versioning.json')), eventID };
      const response = await fetch(`${base}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(record),
      });
      return ((await response.json()) as { findings: { id: string }[] }).findings[0].id;
    };
    const first = await post('5f0c1c9e-0000-4000-8000-000000000001');
    await expect.poll(() => messages.some((m) => m.type === 'drift' && m.drift.id === first)).toBe(true);

    // Drop the connection, and let a drift happen before the client is back.
    sockets[0].terminate();
    const missed = await post('5f0c1c9e-0000-4000-8000-000000000002');
    await expect
      .poll(() => messages.some((m) => m.type === 'drift' && m.drift.id === missed), { timeout: 5_000 })
      .toBe(true);

    expect(sockets.length).toBe(2);
    const lastCursorBeforeDrop = [...messages]
      .slice(0, messages.findIndex((m) => m.type === 'drift' && m.drift.id === first) + 1)
      .reverse()
      .find((m) => 'cursor' in m) as { cursor: string };
    expect(new URL(urls[1]).searchParams.get('since')).toBe(lastCursorBeforeDrop.cursor);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'live']);
  } finally {
    feed.stop();
    delete (globalThis as { location?: unknown }).location;
  }
});
