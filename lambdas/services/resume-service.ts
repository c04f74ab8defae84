// The resume of one live-feed connection in AWS (the `resume` route): API Gateway cannot send to a
// connection while its $connect runs, so the client asks once it is open and gets the hello and the
// replay then.

import { InputError } from '../core/errors.js';
import type { ChangeFeed, ConnectionSender } from '../ports.js';
import { liveDrift } from './live-drift.js';

export interface ResumeDeps {
  readonly feed: ChangeFeed;
  readonly sender: ConnectionSender;
  /** Puts the connection on the broadcast's feed; false when it is gone (DynamoConnections). */
  readonly connections: { activate(connectionId: string): Promise<boolean> };
}

export interface ResumeResult {
  /** The hello's cursor: the replay starts after it. */
  readonly cursor: string;
  readonly replayed: number;
  /** The connection went away during the resume. */
  readonly gone: boolean;
}

/** Changes read per replay query. */
export const REPLAY_PAGE = 200;

/**
 * The `since` of a resume request (`{"action": "resume", "since": "12"}`): a cursor from an earlier
 * message, or none (then the replay is empty and the hello carries the current cursor).
 */
export function parseResumeRequest(body: string | undefined): number | undefined {
  let request: unknown;
  try {
    request = JSON.parse(body ?? '');
  } catch {
    throw new InputError('resume: the message must be JSON: {"action": "resume", "since": cursor}');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new InputError('resume: the message must be a JSON object');
  }
  const since = (request as { since?: unknown }).since;
  if (since === undefined || since === null || since === '') return undefined;
  if (typeof since !== 'string' && typeof since !== 'number') {
    throw new InputError('resume: since must be a cursor from an earlier message (a whole number)');
  }
  const text = String(since);
  if (!/^\d{1,15}$/.test(text)) {
    throw new InputError('resume: since must be a cursor from an earlier message (a whole number)');
  }
  return Number(text);
}

/**
 * Greets one connection, replays every drift that changed after `since` (each once, at its latest
 * state, in change order), then puts the connection on the broadcast's feed and catches up with
 * what changed during the replay. Live messages therefore start after the replay; only a change
 * made while the replay ran can arrive among (or besides) the catch-up's messages.
 */
export async function resumeConnection(
  deps: ResumeDeps,
  connectionId: string,
  since: number | undefined,
): Promise<ResumeResult> {
  const head = await deps.feed.headSeq();
  const start = since === undefined ? head : Math.min(since, head);
  const cursor = String(start);
  let replayed = 0;
  const sent = new Map<string, number>();
  /** Sends every change after `start` (up to `upTo`) not yet sent at that change; false when gone. */
  const replay = async (upTo: number): Promise<boolean> => {
    let after = start;
    for (;;) {
      const changes = await deps.feed.changesSince(after, REPLAY_PAGE);
      for (const { drift, seq } of changes) {
        if (seq > upTo) return true;
        if (sent.get(drift.id) === seq) continue;
        const message = { type: 'drift', drift: liveDrift(drift), cursor: String(seq) } as const;
        if (!(await deps.sender.send(connectionId, message))) return false;
        sent.set(drift.id, seq);
        replayed += 1;
      }
      if (changes.length < REPLAY_PAGE) return true;
      after = changes[changes.length - 1].seq;
    }
  };
  if (!(await deps.sender.send(connectionId, { type: 'hello', cursor }))) {
    return { cursor, replayed, gone: true };
  }
  if (!(await replay(head))) return { cursor, replayed, gone: true };
  if (!(await deps.connections.activate(connectionId))) return { cursor, replayed, gone: true };
  // Changes written during the replay were broadcast before the connection was on the feed.
  const caughtUp = await replay(Number.MAX_SAFE_INTEGER);
  return { cursor, replayed, gone: !caughtUp };
}
