import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Api } from '../api.js';
import { type DriftParams, fetchAllMatching } from '../data/drift-queries.js';
import { runBounded } from '../lib/bulk.js';
import { INITIAL_TRIAGE, type TriageState, triageReducer } from './triage.js';

/** Status changes in flight at once during bulk triage. */
const BULK_CONCURRENCY = 6;

export interface Triage {
  readonly state: TriageState;
  readonly check: (ids: readonly string[], on: boolean) => void;
  /** A drift left the table: it is no longer ticked. */
  readonly gone: (id: string) => void;
  readonly clear: () => void;
  readonly selectAllMatching: () => Promise<void>;
  readonly act: (action: 'acknowledge' | 'resolve', comment: string) => Promise<void>;
}

/**
 * Bulk triage of the drifts matching `params`: ticked rows, or every match, acknowledged or
 * resolved through the per-drift endpoints a few at a time; `afterRun` refreshes what they changed.
 */
export function useTriage(options: {
  readonly api: Api;
  readonly params: DriftParams;
  readonly actingAs: () => Promise<string | undefined | null>;
  readonly describeError: (err: unknown) => string;
  readonly afterRun: () => void;
}): Triage {
  const { api, params, actingAs, describeError, afterRun } = options;
  const [state, dispatch] = useReducer(triageReducer, INITIAL_TRIAGE);
  // biome-ignore lint/correctness/useExhaustiveDependencies: other filters, other drifts
  useEffect(() => dispatch({ type: 'query-changed' }), [params]);

  const check = useCallback((ids: readonly string[], on: boolean) => dispatch({ type: 'tick', ids, on }), []);
  const gone = useCallback((id: string) => dispatch({ type: 'gone', id }), []);
  const clear = useCallback(() => dispatch({ type: 'clear' }), []);
  const currentParams = useRef(params);
  currentParams.current = params;
  const selectAllMatching = useCallback(async () => {
    dispatch({ type: 'collecting' });
    try {
      const drifts = await fetchAllMatching(api, params);
      dispatch({ type: 'collected', drifts: currentParams.current === params ? drifts : null });
    } catch (err) {
      dispatch({ type: 'failed', message: describeError(err) });
    }
  }, [api, params, describeError]);

  const act = useCallback(
    async (action: 'acknowledge' | 'resolve', comment: string) => {
      const by = await actingAs();
      if (by === null) return;
      try {
        // Only what the action changes: acknowledge open drifts, resolve what is not resolved yet.
        const ids = state.allMatching
          ? state.allMatching
              .filter((d) => (action === 'acknowledge' ? d.status === 'open' : d.status !== 'resolved'))
              .map((d) => d.id)
          : [...state.checked];
        dispatch({ type: 'progress', progress: { action, total: ids.length, finished: 0 } });
        const body = { by, comment: comment.trim() || undefined };
        const result = await runBounded(ids, (id) => api.changeStatus(id, action, body), {
          concurrency: BULK_CONCURRENCY,
          onProgress: (finished) =>
            dispatch({ type: 'progress', progress: { action, total: ids.length, finished } }),
        });
        const verb = action === 'acknowledge' ? 'acknowledged' : 'resolved';
        const failed = result.failed.length
          ? `; ${result.failed.length} failed: ${result.failed[0].message}`
          : '';
        dispatch({
          type: 'finished',
          message: `${result.done.length} drift${result.done.length === 1 ? '' : 's'} ${verb}${failed}`,
          stillTicked: result.failed.map((item) => item.id),
        });
      } catch (err) {
        dispatch({ type: 'failed', message: describeError(err) });
      } finally {
        afterRun();
      }
    },
    [actingAs, state.allMatching, state.checked, api, describeError, afterRun],
  );

  return { state, check, gone, clear, selectAllMatching, act };
}
