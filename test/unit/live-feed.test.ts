// The local live feed's socket writes: under load, messages of writes that finish close together
// leave in one socket write per client (corked), still in cursor order; when quiet, each leaves at once.

import { describe, expect, it } from 'vitest';
import { type Corkable, LiveFeed } from '../../lambdas/local/live-feed.js';
import type { DriftStore } from '../../lambdas/ports.js';
import { sampleDrift } from '../support/drift-samples.js';

/** A socket that records what is written while corked and when it is flushed. */
class RecordingSocket implements Corkable {
  depth = 0;
  flushes: string[][] = [];
  pending: string[] = [];
  cork() {
    this.depth += 1;
  }
  uncork() {
    this.depth -= 1;
    if (this.depth === 0 && this.pending.length > 0) {
      this.flushes.push(this.pending);
      this.pending = [];
    }
  }
  write(text: string) {
    if (this.depth > 0) this.pending.push(text);
    else this.flushes.push([text]);
  }
}

/** Enough of a `ws` WebSocket: `send` writes through the socket, as ws does (corking each frame). */
function fakeWebSocket(socket: RecordingSocket) {
  return {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    on() {},
    close() {},
    send(text: string) {
      socket.cork();
      socket.write(text);
      socket.uncork();
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
  it('under load, writes the messages of writes finishing together at once, in cursor order', async () => {
    const feed = new LiveFeed(sequencedStore());
    const sockets = [new RecordingSocket(), new RecordingSocket()];
    for (const socket of sockets) await feed.attach(fakeWebSocket(socket) as never, undefined, socket);
    for (const socket of sockets) socket.flushes = []; // the hello
    const t0 = performance.now();
    const count = 100;
    await Promise.all(Array.from({ length: count }, (_, i) => feed.store.putIfAbsent(sampleDrift(i))));
    await expect
      .poll(() => sockets.every((s) => s.flushes.flat().length === count), { interval: 2 })
      .toBe(true);
    const waited = performance.now() - t0;
    for (const socket of sockets) {
      expect(socket.depth).toBe(0);
      expect(socket.flushes.length).toBeLessThan(count / 3);
      const cursors = socket.flushes.flat().map((text) => Number(JSON.parse(text).cursor));
      expect(cursors).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    }
    expect(waited).toBeLessThan(500);
    feed.close();
  });

  it('when quiet, sends each message at the end of its turn', async () => {
    const feed = new LiveFeed(sequencedStore());
    const socket = new RecordingSocket();
    await feed.attach(fakeWebSocket(socket) as never, undefined, socket);
    socket.flushes = [];
    for (let i = 0; i < 5; i++) {
      await feed.store.putIfAbsent(sampleDrift(i));
      await new Promise((r) => setImmediate(r));
      expect(socket.flushes.flat()).toHaveLength(i + 1);
      await new Promise((r) => setTimeout(r, 20));
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

  it('sends without corking to a client whose socket it was not given', async () => {
    const feed = new LiveFeed(sequencedStore());
    const socket = new RecordingSocket();
    await feed.attach(fakeWebSocket(socket) as never, undefined);
    await feed.store.putIfAbsent(sampleDrift(1));
    expect(socket.flushes.map((f) => f.length)).toEqual([1, 1]);
    feed.close();
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
