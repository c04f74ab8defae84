// The live feed's cursor parsing, replay paging, heartbeat and slow-client limit: behaviours a
// mutation run found untested. The WebSocket is a small recording double (what `ws` offers the feed).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveFeed, parseSince } from '../../lambdas/local/live-feed.js';
import type { DriftChange, DriftStore } from '../../lambdas/ports.js';
import { sampleDrift } from '../support/drift-samples.js';

type Store = ConstructorParameters<typeof LiveFeed>[0] & DriftStore;

/** A store holding `total` changes numbered 1..total, paging as DynamoDB does. */
function storeWith(total: number, head = total, extra: Partial<Store> = {}): Store & { pages: number[] } {
  const pages: number[] = [];
  return {
    pages,
    headSeq: async () => head,
    putNew: async () => null,
    changeStatus: async () => undefined,
    changesSince: async (after: number, limit: number): Promise<DriftChange[]> => {
      pages.push(after);
      const out: DriftChange[] = [];
      for (let seq = after + 1; seq <= Math.min(total, after + limit); seq++) {
        out.push({ seq, drift: sampleDrift(seq) } as DriftChange);
      }
      return out;
    },
    ...extra,
  } as unknown as Store & { pages: number[] };
}

function fakeWs() {
  const handlers = new Map<string, () => void>();
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as Record<string, unknown>[],
    pings: 0,
    terminated: 0,
    on(event: string, fn: () => void) {
      handlers.set(event, fn);
    },
    emit(event: string) {
      handlers.get(event)?.();
    },
    send(text: string) {
      ws.sent.push(JSON.parse(text));
    },
    ping() {
      ws.pings += 1;
    },
    terminate() {
      ws.terminated += 1;
    },
    close(..._args: unknown[]) {},
  };
  return ws;
}

const feeds: LiveFeed[] = [];
afterEach(() => {
  for (const feed of feeds.splice(0)) feed.close();
  vi.useRealTimers();
});
const newFeed = (store: Store) => {
  const feed = new LiveFeed(store);
  feeds.push(feed);
  return feed;
};

describe('parseSince', () => {
  it('takes no cursor as undefined and a whole number of up to 15 digits as that number', () => {
    expect(parseSince(null)).toBeUndefined();
    expect(parseSince('')).toBeUndefined();
    expect(parseSince('0')).toBe(0);
    expect(parseSince('42')).toBe(42);
    expect(parseSince('123456789012345')).toBe(123456789012345);
  });

  it.each([['1234567890123456'], ['12a'], ['a12'], ['-1'], ['1.5'], [' 1'], ['1 '], ['0x10']])(
    'refuses %j with a message that says what a cursor is',
    (value) => {
      expect(() => parseSince(value)).toThrow(
        'since: must be a cursor from an earlier message (a whole number)',
      );
    },
  );
});

describe('replay', () => {
  it('starts at the stored head for a new client, so it is replayed nothing', async () => {
    const store = storeWith(7);
    const ws = fakeWs();
    await newFeed(store).attach(ws as never, undefined);
    expect(ws.sent).toEqual([{ type: 'hello', cursor: '7' }]);
    expect(store.pages).toEqual([]);
  });

  it('replays every change after since, page after page, in order, up to the head and no further', async () => {
    const store = storeWith(1210, 1203);
    const ws = fakeWs();
    const feed = newFeed(store);
    await feed.attach(ws as never, 0);
    expect(ws.sent[0]).toEqual({ type: 'hello', cursor: '0' });
    const cursors = ws.sent.slice(1).map((m) => Number(m.cursor));
    expect(cursors).toEqual(Array.from({ length: 1203 }, (_, i) => i + 1));
    expect(store.pages).toEqual([0, 500, 1000]);
    expect(feed.size).toBe(1);
  });

  it('replays from the head when since is beyond it', async () => {
    const ws = fakeWs();
    await newFeed(storeWith(5)).attach(ws as never, 99);
    expect(ws.sent).toEqual([{ type: 'hello', cursor: '5' }]);
  });

  it('stops after a short page', async () => {
    const store = storeWith(3, 10); // the head says 10, the store holds 3
    const ws = fakeWs();
    await newFeed(store).attach(ws as never, 0);
    expect(ws.sent.slice(1).map((m) => m.cursor)).toEqual(['1', '2', '3']);
    expect(store.pages).toEqual([0]);
  });
});

describe('live messages', () => {
  it('sends a status change that has a number, and none that has not', async () => {
    let next: { drift: ReturnType<typeof sampleDrift>; seq: number | null } | undefined;
    const store = storeWith(0, 0, { changeStatus: (async () => next) as never });
    const feed = newFeed(store);
    const ws = fakeWs();
    await feed.attach(ws as never, undefined);
    next = { drift: sampleDrift(1), seq: null };
    expect(await feed.store.setStatus('d-1', { status: 'resolved' } as never)).toBe(next.drift);
    next = { drift: sampleDrift(2), seq: 9 };
    await feed.store.setStatus('d-2', { status: 'resolved' } as never);
    next = undefined;
    expect(await feed.store.setStatus('d-3', { status: 'resolved' } as never)).toBeUndefined();
    expect(ws.sent.slice(1).map((m) => m.cursor)).toEqual(['9']);
  });

  it('drops a client whose send buffer is over 8 MB, and keeps sending to the others', async () => {
    const store = storeWith(0, 0, { putNew: (async () => 1) as never });
    const feed = newFeed(store);
    const [slow, fine] = [fakeWs(), fakeWs()];
    await feed.attach(slow as never, undefined);
    await feed.attach(fine as never, undefined);
    slow.bufferedAmount = 8 * 1024 * 1024 + 1;
    fine.bufferedAmount = 8 * 1024 * 1024;
    await feed.store.putIfAbsent(sampleDrift(1));
    expect(slow.terminated).toBe(1);
    expect(slow.sent).toHaveLength(1); // the hello only
    expect(fine.terminated).toBe(0);
    expect(fine.sent.map((m) => m.type)).toEqual(['hello', 'drift']);
  });

  it('forgets a client that closes', async () => {
    const feed = newFeed(storeWith(0));
    const ws = fakeWs();
    await feed.attach(ws as never, undefined);
    expect(feed.size).toBe(1);
    ws.emit('close');
    expect(feed.size).toBe(0);
  });

  it('hands back the change number of a new drift and sends it once; a redelivery sends nothing', async () => {
    let next: number | null = 7;
    const feed = newFeed(storeWith(0, 0, { putNew: (async () => next) as never }));
    const ws = fakeWs();
    await feed.attach(ws as never, undefined);
    expect(await feed.store.putNew(sampleDrift(1))).toBe(7);
    next = null;
    expect(await feed.store.putNew(sampleDrift(1))).toBeNull();
    expect(await feed.store.putIfAbsent(sampleDrift(1))).toBe(false);
    expect(ws.sent.filter((m) => m.type === 'drift').map((m) => m.cursor)).toEqual(['7']);
  });
});

describe('client lifecycle', () => {
  it('sends nothing to a client that is no longer open', async () => {
    const feed = newFeed(storeWith(0, 0, { putNew: (async () => 1) as never }));
    const [closing, open] = [fakeWs(), fakeWs()];
    await feed.attach(closing as never, undefined);
    await feed.attach(open as never, undefined);
    closing.readyState = 2;
    await feed.store.putIfAbsent(sampleDrift(1));
    expect(closing.sent.map((m) => m.type)).toEqual(['hello']);
    expect(open.sent.map((m) => m.type)).toEqual(['hello', 'drift']);
  });

  it('does not keep a client that closed during its replay, nor one whose socket failed', async () => {
    const feed = newFeed(storeWith(0));
    const gone = fakeWs();
    gone.readyState = 3;
    await feed.attach(gone as never, undefined);
    expect(feed.size).toBe(0);
    const failing = fakeWs();
    await feed.attach(failing as never, undefined);
    expect(feed.size).toBe(1);
    failing.emit('error');
    expect(feed.size).toBe(0);
  });

  it('on close, tells every client the server is going away and stops the heartbeat', async () => {
    vi.useFakeTimers();
    const feed = newFeed(storeWith(0));
    const ws = Object.assign(fakeWs(), { closed: [] as unknown[] });
    ws.close = (...args: unknown[]) => {
      ws.closed.push(args);
    };
    await feed.attach(ws as never, undefined);
    feed.close();
    expect(ws.closed).toEqual([[1001, 'server shutting down']]);
    expect(feed.size).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(ws.pings).toBe(0);
  });
});

describe('heartbeat', () => {
  it('pings every 30 s and drops a client that did not answer the last ping', async () => {
    vi.useFakeTimers();
    const feed = newFeed(storeWith(0));
    const [answering, silent] = [fakeWs(), fakeWs()];
    await feed.attach(answering as never, undefined);
    await feed.attach(silent as never, undefined);
    vi.advanceTimersByTime(29_999);
    expect([answering.pings, silent.pings]).toEqual([0, 0]);
    vi.advanceTimersByTime(1);
    expect([answering.pings, silent.pings]).toEqual([1, 1]);
    answering.emit('pong');
    vi.advanceTimersByTime(30_000);
    expect([answering.terminated, silent.terminated]).toEqual([0, 1]);
    expect(answering.pings).toBe(2);
  });
});

describe('after live changes', () => {
  it('replays to a new client every change sent live so far, as drift messages', async () => {
    // The store's head is 3 when the feed starts; a 4th drift is written through the feed.
    const store = storeWith(4, 3, { putNew: (async () => 4) as never });
    const feed = newFeed(store);
    await feed.store.putNew(sampleDrift(4));
    const ws = fakeWs();
    await feed.attach(ws as never, 0);
    expect(ws.sent.map((m) => `${m.type} ${m.cursor}`)).toEqual([
      'hello 0',
      'drift 1',
      'drift 2',
      'drift 3',
      'drift 4',
    ]);
  });

  it('reads drifts through to the store underneath', async () => {
    const drift = sampleDrift(1);
    const page = { items: [drift], nextCursor: null };
    const store = storeWith(0, 0, {
      get: (async (id: string) => (id === drift.id ? drift : undefined)) as never,
      query: (async () => page) as never,
      history: (async (key: string) => (key === 'k' ? [drift] : [])) as never,
      listOpen: (async () => [drift]) as never,
    });
    const feed = newFeed(store);
    expect(await feed.store.get(drift.id)).toBe(drift);
    expect(await feed.store.get('other')).toBeUndefined();
    expect(await feed.store.query({} as never)).toBe(page);
    expect(await feed.store.history('k')).toEqual([drift]);
    expect(await feed.store.listOpen()).toEqual([drift]);
  });
});
