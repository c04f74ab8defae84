// The live feed's resume in AWS (lambdas/services/resume-service.ts) behaviours a mutation run found
// untested (npx stryker run --mutate lambdas/services/resume-service.ts): every refusal of a resume
// message, what a resume answers when the connection goes away at each step, and a change made
// while the replay runs. The change feed is the DynamoDB store against dynalite; the sender records
// what API Gateway would be asked to post.

import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import type { ConnectionSender, LiveMessage } from '../../lambdas/ports.js';
import { parseResumeRequest, REPLAY_PAGE, resumeConnection } from '../../lambdas/services/resume-service.js';
import { sampleDrift } from '../support/drift-samples.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function feedWith(drifts: number) {
  const dynamo = await startLocalDynamo();
  cleanups.push(() => dynamo.close());
  const store = new DynamoDriftStore(dynamo.doc);
  for (let n = 1; n <= drifts; n++) await store.putNew(sampleDrift(n));
  return store;
}

/** Records each message; answers false (gone) from the `goneAt`-th send on; runs `onSend` before each. */
function sender(goneAt = Number.POSITIVE_INFINITY, onSend?: (count: number) => Promise<void>) {
  const sent: LiveMessage[] = [];
  let count = 0;
  const s: ConnectionSender = {
    async send(_id, message) {
      count += 1;
      await onSend?.(count);
      if (count >= goneAt) return false;
      sent.push(message);
      return true;
    },
  };
  return { sent, sender: s };
}

const cursors = (sent: LiveMessage[]) => sent.map((m) => ('cursor' in m ? m.cursor : null));

describe('parseResumeRequest', () => {
  it('reads a cursor given as text or number, and none when it is absent, null or empty', () => {
    expect(parseResumeRequest('{"action":"resume","since":"12"}')).toBe(12);
    expect(parseResumeRequest('{"action":"resume","since":7}')).toBe(7);
    expect(parseResumeRequest('{"action":"resume"}')).toBeUndefined();
    expect(parseResumeRequest('{"since":null}')).toBeUndefined();
    expect(parseResumeRequest('{"since":""}')).toBeUndefined();
  });

  it('refuses what is not JSON, not an object, or not a whole-number cursor, saying which', () => {
    const json = 'resume: the message must be JSON: {"action": "resume", "since": cursor}';
    const object = 'resume: the message must be a JSON object';
    const cursor = 'resume: since must be a cursor from an earlier message (a whole number)';
    expect(() => parseResumeRequest(undefined)).toThrowError(json);
    expect(() => parseResumeRequest('{')).toThrowError(json);
    expect(() => parseResumeRequest('[1]')).toThrowError(object);
    expect(() => parseResumeRequest('null')).toThrowError(object);
    expect(() => parseResumeRequest('"12"')).toThrowError(object);
    expect(() => parseResumeRequest('{"since":true}')).toThrowError(cursor);
    expect(() => parseResumeRequest('{"since":{"n":1}}')).toThrowError(cursor);
    expect(() => parseResumeRequest('{"since":[12]}')).toThrowError(cursor);
    expect(() => parseResumeRequest('{"since":"-1"}')).toThrowError(cursor);
    expect(() => parseResumeRequest('{"since":1.5}')).toThrowError(cursor);
    expect(() => parseResumeRequest('{"since":"1234567890123456"}')).toThrowError(cursor);
  });
});

describe('resumeConnection', () => {
  it('greets, replays every change after the cursor and puts the connection on the feed', async () => {
    const feed = await feedWith(3);
    const { sent, sender: s } = sender();
    const activated: string[] = [];
    const result = await resumeConnection(
      {
        feed,
        sender: s,
        connections: {
          activate: async (id) => {
            activated.push(id);
            return true;
          },
        },
      },
      'c-1',
      1,
    );
    expect(result).toEqual({ cursor: '1', replayed: 2, gone: false });
    expect(sent.map((m) => m.type)).toEqual(['hello', 'drift', 'drift']);
    expect(cursors(sent)).toEqual(['1', '2', '3']);
    expect(activated).toEqual(['c-1']);
  });

  it('greets a connection without a cursor with the current one and replays nothing', async () => {
    const feed = await feedWith(2);
    const { sent, sender: s } = sender();
    const result = await resumeConnection(
      { feed, sender: s, connections: { activate: async () => true } },
      'c-0',
      undefined,
    );
    expect(result).toEqual({ cursor: '2', replayed: 0, gone: false });
    expect(sent).toEqual([{ type: 'hello', cursor: '2' }]);
  });

  it('answers gone when the hello finds the connection gone, sending nothing more', async () => {
    const feed = await feedWith(2);
    // Gone for the hello; a later send would (wrongly) be tried and recorded.
    const sent: LiveMessage[] = [];
    const s: ConnectionSender = {
      async send(_id, message) {
        if (message.type === 'hello') return false;
        sent.push(message);
        return true;
      },
    };
    let activated = false;
    const result = await resumeConnection(
      {
        feed,
        sender: s,
        connections: {
          activate: async () => {
            activated = true;
            return true;
          },
        },
      },
      'c-2',
      0,
    );
    expect(result).toEqual({ cursor: '0', replayed: 0, gone: true });
    expect(sent).toEqual([]);
    expect(activated).toBe(false);
  });

  it('answers gone when the connection goes during the replay, and never activates it', async () => {
    const feed = await feedWith(3);
    const { sent, sender: s } = sender(3);
    let activated = false;
    const result = await resumeConnection(
      {
        feed,
        sender: s,
        connections: {
          activate: async () => {
            activated = true;
            return true;
          },
        },
      },
      'c-3',
      0,
    );
    expect(result).toEqual({ cursor: '0', replayed: 1, gone: true });
    expect(cursors(sent)).toEqual(['0', '1']);
    expect(activated).toBe(false);
  });

  it('answers gone when the connection cannot be activated, after its replay', async () => {
    const feed = await feedWith(2);
    const { sent, sender: s } = sender();
    const result = await resumeConnection(
      { feed, sender: s, connections: { activate: async () => false } },
      'c-4',
      0,
    );
    expect(result).toEqual({ cursor: '0', replayed: 2, gone: true });
    expect(sent).toHaveLength(3);
  });

  it('replays a change made during the replay once, after it, and answers gone when the catch-up finds it gone', async () => {
    const feed = await feedWith(2);
    // The third drift is written while the first replayed drift is being sent.
    const { sent, sender: s } = sender(Number.POSITIVE_INFINITY, async (count) => {
      // Written after the resume read the head, before the replay read the changes.
      if (count === 1) await feed.putNew(sampleDrift(3));
    });
    let sentBeforeActivation = -1;
    const result = await resumeConnection(
      {
        feed,
        sender: s,
        connections: {
          activate: async () => {
            sentBeforeActivation = sent.length;
            return true;
          },
        },
      },
      'c-5',
      0,
    );
    expect(result).toEqual({ cursor: '0', replayed: 3, gone: false });
    expect(cursors(sent)).toEqual(['0', '1', '2', '3']);
    // The replay stops at the head it started from; the later change comes with the catch-up.
    expect(sentBeforeActivation).toBe(3);

    const again = await feedWith(2);
    let activated = false;
    const gone = sender(Number.POSITIVE_INFINITY, async () => {
      if (activated) throw new Error('unreachable');
    });
    // Gone during the catch-up: the connection was activated, a change came, its send finds it gone.
    const catchUp: ConnectionSender = {
      async send(id, message) {
        if (activated) return false;
        return gone.sender.send(id, message);
      },
    };
    const late = await resumeConnection(
      {
        feed: again,
        sender: catchUp,
        connections: {
          activate: async () => {
            await again.putNew(sampleDrift(3));
            activated = true;
            return true;
          },
        },
      },
      'c-6',
      0,
    );
    expect(late).toEqual({ cursor: '0', replayed: 2, gone: true });
  });

  it('pages through a backlog longer than one page', async () => {
    const feed = await feedWith(REPLAY_PAGE + 2);
    const { sent, sender: s } = sender();
    const result = await resumeConnection(
      { feed, sender: s, connections: { activate: async () => true } },
      'c-7',
      0,
    );
    expect(result.replayed).toBe(REPLAY_PAGE + 2);
    expect(cursors(sent).slice(-2)).toEqual([String(REPLAY_PAGE + 1), String(REPLAY_PAGE + 2)]);
  }, 60_000);
});
