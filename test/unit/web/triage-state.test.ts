// Bulk triage's UI state (web/src/state/triage.ts): each transition, with what it must keep and
// what it must drop. The browser suite runs the same reducer wired to the table.

import { describe, expect, it } from 'vitest';
import type { Drift } from '../../../lambdas/core/types.js';
import { INITIAL_TRIAGE, type TriageState, triageReducer } from '../../../web/src/state/triage.js';

const drift = (id: string) => ({ id, status: 'open' }) as Drift;
const ticked = (...ids: string[]): TriageState => ({ ...INITIAL_TRIAGE, checked: new Set(ids) });

describe('triage reducer', () => {
  it('ticks and unticks rows, and a tick drops "all that match" and the last message', () => {
    const before: TriageState = {
      ...ticked('a'),
      allMatching: [drift('x')],
      message: '2 drifts acknowledged',
    };
    const after = triageReducer(before, { type: 'tick', ids: ['b', 'c'], on: true });
    expect([...after.checked]).toEqual(['a', 'b', 'c']);
    expect(after.allMatching).toBeNull();
    expect(after.message).toBeNull();
    expect([...triageReducer(after, { type: 'tick', ids: ['a', 'c'], on: false }).checked]).toEqual(['b']);
    // The state before is untouched (React compares by identity).
    expect([...before.checked]).toEqual(['a']);
  });

  it('unticks a drift that left the table, and changes nothing for one that was not ticked', () => {
    const state = ticked('a', 'b');
    expect([...triageReducer(state, { type: 'gone', id: 'a' }).checked]).toEqual(['b']);
    expect(triageReducer(state, { type: 'gone', id: 'z' })).toBe(state);
  });

  it('forgets the selection on other filters but keeps the outcome of the last run', () => {
    const state: TriageState = { ...ticked('a'), allMatching: [drift('a')], message: '1 drift resolved' };
    const changed = triageReducer(state, { type: 'query-changed' });
    expect(changed.checked.size).toBe(0);
    expect(changed.allMatching).toBeNull();
    expect(changed.message).toBe('1 drift resolved');
    const cleared = triageReducer(state, { type: 'clear' });
    expect([cleared.checked.size, cleared.allMatching, cleared.message]).toEqual([0, null, null]);
  });

  it('collects every matching drift, or says why it could not', () => {
    const collecting = triageReducer(ticked('a'), { type: 'collecting' });
    expect(collecting.collecting).toBe(true);
    const collected = triageReducer(collecting, { type: 'collected', drifts: [drift('a'), drift('b')] });
    expect(collected.collecting).toBe(false);
    expect(collected.allMatching?.map((d) => d.id)).toEqual(['a', 'b']);
    // The filters changed while collecting: nothing is selected from the old ones.
    const stale = triageReducer(collecting, { type: 'collected', drifts: null });
    expect([stale.collecting, stale.allMatching]).toEqual([false, null]);
    const failed = triageReducer(collecting, { type: 'failed', message: 'HTTP 500' });
    expect([failed.collecting, failed.allMatching, failed.message]).toEqual([false, null, 'HTTP 500']);
  });

  it('runs: the first progress clears the old message, the end keeps only the failed ones ticked', () => {
    const before: TriageState = { ...ticked('a', 'b', 'c'), message: 'earlier outcome' };
    const started = triageReducer(before, {
      type: 'progress',
      progress: { action: 'resolve', total: 3, finished: 0 },
    });
    expect(started.message).toBeNull();
    expect(started.progress).toEqual({ action: 'resolve', total: 3, finished: 0 });
    const going = triageReducer(started, {
      type: 'progress',
      progress: { action: 'resolve', total: 3, finished: 2 },
    });
    expect(going.progress?.finished).toBe(2);
    const done = triageReducer(going, {
      type: 'finished',
      message: '2 drifts resolved; 1 failed: HTTP 409',
      stillTicked: ['c'],
    });
    expect([...done.checked]).toEqual(['c']);
    expect([done.progress, done.allMatching, done.message]).toEqual([
      null,
      null,
      '2 drifts resolved; 1 failed: HTTP 409',
    ]);
    const broken = triageReducer(going, { type: 'failed', message: 'Sign-in required' });
    expect([broken.progress, broken.message]).toEqual([null, 'Sign-in required']);
    expect([...broken.checked]).toEqual(['a', 'b', 'c']);
  });
});
