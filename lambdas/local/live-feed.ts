// The live feed on one machine: a `ws` WebSocket per dashboard, fed by every drift write.
//
// Cursors are the drift store's change sequence numbers (decimal strings; see drift-table-design.ts):
// kept in DynamoDB, so a restarted server resumes where it stopped. Writes run concurrently (their
// numbers are drawn in call order), but each write's message is sent in call order, after every
// earlier one: messages leave in cursor order. A client that connects (or resumes with ?since=) is
// replayed, in that same order, every change up to the last one sent, and gets the rest live:
// nothing written meanwhile is missed or sent twice.

import type WebSocket from 'ws';
import type { Drift } from '../core/types.js';
import type { ChangeFeed, DriftChange, LiveMessage, SequencedDriftStore } from '../ports.js';

/** A client whose send buffer grows past this is too slow: it is dropped and can resume with since. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const REPLAY_PAGE = 500;

const TEXT_FRAME = { binary: false } as const;

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
  /** Where the next write's message or replay takes its turn. */
  private turn: Promise<unknown>;
  /** The highest change number whose message has been sent (replays stop there). */
  private sentSeq = 0;
  private readonly heartbeat: NodeJS.Timeout;
  /**
   * The drift store as the services see it: writes go through the lane and reach every client.
   * Only the drifts: the alert ledger and the revert log are the base store's, injected as they are.
   */
  readonly store: SequencedDriftStore;

  constructor(private readonly base: SequencedDriftStore & ChangeFeed) {
    // Before any write draws a number: every change up to the stored head has been "sent". If the
    // store cannot say, the writes that follow fail on their own and report it; the lane goes on.
    this.turn = base.headSeq().then(
      (head) => {
        this.sentSeq = head;
      },
      () => undefined,
    );
    const putNew = (drift: Drift) =>
      this.inTurn(
        () => base.putNew(drift),
        (seq) => {
          if (seq !== null) this.sendChange(drift, seq);
          return seq;
        },
      );
    const changeStatus: SequencedDriftStore['changeStatus'] = (id, change) =>
      this.inTurn(
        () => base.changeStatus(id, change),
        (result) => {
          if (result && result.seq !== null) this.sendChange(result.drift, result.seq);
          return result;
        },
      );
    this.store = {
      putNew,
      putIfAbsent: async (drift) => (await putNew(drift)) !== null,
      changeStatus,
      setStatus: async (id, change) => (await changeStatus(id, change))?.drift,
      get: (id) => base.get(id),
      query: (q) => base.query(q),
      history: (key) => base.history(key),
      listOpen: () => base.listOpen(),
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

  /** Starts `work` now; runs `after` with its result once every earlier call's `after` has run. */
  private inTurn<T, R>(work: () => Promise<T>, after: (value: T) => R | Promise<R>): Promise<R> {
    const started = work();
    // A write may fail while an earlier turn is still pending: its failure is the caller's (through
    // `result`), not an unhandled rejection in the meantime.
    started.catch(() => undefined);
    const result = this.turn.then(async () => after(await started));
    this.turn = result.catch(() => undefined);
    return result;
  }

  private sendChange(drift: Drift, seq: number): void {
    this.sentSeq = Math.max(this.sentSeq, seq);
    this.send({ type: 'drift', drift: listed(drift), cursor: String(seq) });
  }

  /** Sends to every connected client (those still replaying are added once their replay is done). */
  send(message: LiveMessage): void {
    // Encoded once for every client (a string would be encoded again for each socket write), sent
    // as a text frame as the string would be.
    const data = Buffer.from(JSON.stringify(message));
    for (const client of this.clients) {
      if (client.ws.readyState !== client.ws.OPEN) continue;
      if (client.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.ws.terminate();
        continue;
      }
      client.ws.send(data, TEXT_FRAME);
    }
  }

  /**
   * Greets a new client, replays every change after `since`, then keeps it on the live feed.
   */
  attach(ws: WebSocket, since: number | undefined): Promise<void> {
    const client: Client = { ws, alive: true };
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    return this.inTurn(
      async () => undefined,
      async () => {
        // Everything up to `head` has been sent to the others; later changes reach this client live.
        const head = this.sentSeq;
        const start = since === undefined ? head : Math.min(since, head);
        ws.send(JSON.stringify({ type: 'hello', cursor: String(start) } satisfies LiveMessage));
        let after = start;
        while (after < head) {
          const changes: DriftChange[] = await this.base.changesSince(after, REPLAY_PAGE);
          for (const change of changes) {
            if (change.seq > head) break;
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
      },
    );
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.ws.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
