// The local live feed's socket writes: every client gets every message once, in cursor order, however
// the writes behind them finish; each message leaves at the end of its turn.

import { describe, expect, it } from 'vitest';
import { LiveFeed } from '../../lambdas/local/live-feed.js';
import type { DriftStore } from '../../lambdas/ports.js';
import { sampleDrift } from '../support/drift-samples.js';

/** Enough of a `ws` WebSocket: records each message it is asked to send. */
function recordingWebSocket() {
  const sent: string[] = [];
  return {
    sent,
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    on() {},
    close() {},
    send(data: unknown) {
      sent.push(String(data));
    },
  };
}

function sequencedStore() {
  let seq = 0;
  return {
    headSeq: async () => 0,
    // Numbers are drawn in call order; the writes then finish in any order.
    putNew: async () => {
      seq += 1;
      const drawn = seq;
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      return drawn;
    },
    changeStatus: async () => undefined,
    changesSince: async () => [],
  } as unknown as ConstructorParameters<typeof LiveFeed>[0] & DriftStore;
}

describe('LiveFeed socket writes', () => {
  it('under load, sends every client each message once, in cursor order, though the writes finish out of order', async () => {
    // Prepare: two clients, past their hello.
    const feed = new LiveFeed(sequencedStore());
    const clients = [recordingWebSocket(), recordingWebSocket()];
    for (const ws of clients) await feed.attach(ws as never, undefined);
    for (const ws of clients) ws.sent.length = 0;
    // Act: 100 writes at once, finishing in random order.
    const count = 100;
    await Promise.all(Array.from({ length: count }, (_, i) => feed.store.putIfAbsent(sampleDrift(i))));
    // Assess
    for (const ws of clients) {
      const cursors = ws.sent.map((text) => Number(JSON.parse(text).cursor));
      expect(cursors).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    }
    feed.close();
  });

  it('sends each message at the end of its turn, before the write returns to its caller', async () => {
    const feed = new LiveFeed(sequencedStore());
    const ws = recordingWebSocket();
    await feed.attach(ws as never, undefined);
    ws.sent.length = 0;
    for (let i = 0; i < 5; i++) {
      await feed.store.putIfAbsent(sampleDrift(i));
      expect(ws.sent).toHaveLength(i + 1);
    }
    feed.close();
  });

  it('gives a write that fails behind a slow one back to its caller, and leaves nothing unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let calls = 0;
      const store = {
        ...sequencedStore(),
        headSeq: async () => {
          throw new Error('store unreachable at start');
        },
        putNew: async () => {
          calls += 1;
          if (calls === 1) {
            await new Promise((r) => setTimeout(r, 50));
            return 1;
          }
          throw new Error('connect ECONNREFUSED');
        },
      } as unknown as ConstructorParameters<typeof LiveFeed>[0];
      const feed = new LiveFeed(store);
      const slow = feed.store.putIfAbsent(sampleDrift(1));
      const failing = feed.store.putIfAbsent(sampleDrift(2));
      await expect(failing).rejects.toThrowError('ECONNREFUSED');
      await expect(slow).resolves.toBe(true);
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      feed.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('encodes a live message once for every client and sends it as a text frame', async () => {
    // Prepare: two clients whose sends are recorded with their options.
    const feed = new LiveFeed(sequencedStore());
    const sent: { data: unknown; options: unknown }[][] = [[], []];
    for (const record of sent) {
      const ws = {
        OPEN: 1,
        readyState: 1,
        bufferedAmount: 0,
        on() {},
        close() {},
        send(data: unknown, options?: unknown) {
          record.push({ data, options });
        },
      };
      await feed.attach(ws as never, undefined);
    }

    // Act
    await feed.store.putIfAbsent(sampleDrift(7));

    // Assess: after the hello, one drift message: the same bytes object for both, a text frame.
    const [a, b] = sent.map((record) => record[1]);
    expect(Buffer.isBuffer(a.data)).toBe(true);
    expect(b.data).toBe(a.data);
    expect(a.options).toEqual({ binary: false });
    const message = JSON.parse(String(a.data));
    expect(message.type).toBe('drift');
    expect(message.drift.id).toBe(sampleDrift(7).id);
    feed.close();
  });
});
