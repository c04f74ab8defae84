// The live feed on one machine: a `ws` WebSocket per dashboard, fed by every drift write.
//
// Cursors are the drift store's change sequence numbers (decimal strings; see drift-table-design.ts):
// kept in DynamoDB, so a restarted server resumes where it stopped. Every write that changes a drift
// goes through one lane (allocate number → write → send), so messages leave in cursor order, and a
// client that connects (or resumes with ?since=) gets its replay inside the same lane: nothing
// written meanwhile can slip between the replay and the live messages.

import type WebSocket from 'ws';
import type { DriftChange, DynamoDriftStore } from '../adapters/aws/dynamo-drift-store.js';
import type { Drift } from '../core/types.js';
import type { DriftStore, LiveMessage } from '../ports.js';

/** A client whose send buffer grows past this is too slow: it is dropped and can resume with since. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const REPLAY_PAGE = 500;

type SequencedStore = Pick<DynamoDriftStore, 'putNew' | 'changeStatus' | 'changesSince' | 'headSeq'> &
  DriftStore;

interface Client {
  readonly ws: WebSocket;
  alive: boolean;
}

/** Lists and live messages carry no raw event: the dashboard fetches it with the drift. */
function listed(drift: Drift): Drift {
  const { rawEvent: _raw, ...rest } = drift;
  return rest;
}

export function parseSince(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value))
    throw new Error('since: must be a cursor from an earlier message (a whole number)');
  return Number(value);
}

export class LiveFeed {
  private readonly clients = new Set<Client>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly heartbeat: NodeJS.Timeout;
  /** The store as the services see it: writes go through the lane and reach every client. */
  readonly store: DriftStore;

  constructor(private readonly base: SequencedStore) {
    this.store = {
      putIfAbsent: (drift) =>
        this.inLane(async () => {
          const seq = await base.putNew(drift);
          if (seq !== null) this.send({ type: 'drift', drift: listed(drift), cursor: String(seq) });
          return seq !== null;
        }),
      setStatus: (id, change) =>
        this.inLane(async () => {
          const result = await base.changeStatus(id, change);
          if (result && result.seq !== null) {
            this.send({ type: 'drift', drift: listed(result.drift), cursor: String(result.seq) });
          }
          return result?.drift;
        }),
      get: (id) => base.get(id),
      query: (q) => base.query(q),
      history: (key) => base.history(key),
      listOpen: () => base.listOpen(),
      recordRevert: (key, mark) => base.recordRevert?.(key, mark) ?? Promise.resolve(),
      latestRevert: (key) => base.latestRevert?.(key) ?? Promise.resolve(undefined),
    };
    // Pings find dashboards that vanished without closing (sleeping laptops, dropped networks).
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) {
        if (!client.alive) {
          client.ws.terminate();
          continue;
        }
        client.alive = false;
        client.ws.ping();
      }
    }, 30_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Serialises store writes and replays (see the header). */
  private inLane<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Sends to every connected client (those still replaying are added once their replay is done). */
  send(message: LiveMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.clients) {
      if (client.ws.readyState !== client.ws.OPEN) continue;
      if (client.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.ws.terminate();
        continue;
      }
      client.ws.send(text);
    }
  }

  /** Greets a new client, replays every change after `since`, then keeps it on the live feed. */
  attach(ws: WebSocket, since: number | undefined): Promise<void> {
    const client: Client = { ws, alive: true };
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    return this.inLane(async () => {
      const head = await this.base.headSeq();
      const start = since === undefined ? head : Math.min(since, head);
      ws.send(JSON.stringify({ type: 'hello', cursor: String(start) } satisfies LiveMessage));
      let after = start;
      while (after < head) {
        const changes: DriftChange[] = await this.base.changesSince(after, REPLAY_PAGE);
        for (const change of changes) {
          ws.send(
            JSON.stringify({
              type: 'drift',
              drift: listed(change.drift),
              cursor: String(change.seq),
            } satisfies LiveMessage),
          );
        }
        if (changes.length < REPLAY_PAGE) break;
        after = changes[changes.length - 1].seq;
      }
      if (ws.readyState === ws.OPEN) this.clients.add(client);
    });
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.ws.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
