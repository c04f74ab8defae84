// Bulk triage's UI state as a reducer: the ticked rows (or every drift matching the filters), the
// run in progress and its outcome. Pure, so each transition reads in one place.

import type { BulkProgress } from '../components/BulkBar.js';
import type { Drift } from '../types.js';

export interface TriageState {
  /** Rows ticked, on this page and others. */
  readonly checked: ReadonlySet<string>;
  /** "Select all that match": every matching drift, fetched when chosen (null: ticked rows only). */
  readonly allMatching: readonly Drift[] | null;
  /** Fetching every matching drift. */
  readonly collecting: boolean;
  readonly progress: BulkProgress | null;
  /** The last run's outcome, or why it failed. */
  readonly message: string | null;
}

export type TriageAction =
  | { readonly type: 'tick'; readonly ids: readonly string[]; readonly on: boolean }
  /** A ticked drift left the table (its new status no longer matches the filters). */
  | { readonly type: 'gone'; readonly id: string }
  | { readonly type: 'clear' }
  /** Other filters, other drifts: nothing stays ticked. */
  | { readonly type: 'query-changed' }
  | { readonly type: 'collecting' }
  /** Null: the filters changed while collecting, so what came back matches other filters. */
  | { readonly type: 'collected'; readonly drifts: readonly Drift[] | null }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'progress'; readonly progress: BulkProgress }
  | { readonly type: 'finished'; readonly message: string; readonly stillTicked: readonly string[] };

export const INITIAL_TRIAGE: TriageState = {
  checked: new Set(),
  allMatching: null,
  collecting: false,
  progress: null,
  message: null,
};

export function triageReducer(state: TriageState, action: TriageAction): TriageState {
  switch (action.type) {
    case 'tick': {
      const checked = new Set(state.checked);
      for (const id of action.ids) {
        if (action.on) checked.add(id);
        else checked.delete(id);
      }
      return { ...state, checked, allMatching: null, message: null };
    }
    case 'gone': {
      if (!state.checked.has(action.id)) return state;
      const checked = new Set(state.checked);
      checked.delete(action.id);
      return { ...state, checked };
    }
    case 'clear':
      return { ...state, checked: new Set(), allMatching: null, message: null };
    case 'query-changed':
      return { ...state, checked: new Set(), allMatching: null };
    case 'collecting':
      return { ...state, collecting: true };
    case 'collected':
      return { ...state, collecting: false, allMatching: action.drifts };
    case 'failed':
      return { ...state, collecting: false, progress: null, message: action.message };
    case 'progress':
      return {
        ...state,
        progress: action.progress,
        message: action.progress.finished === 0 ? null : state.message,
      };
    case 'finished':
      return {
        ...state,
        checked: new Set(action.stillTicked),
        allMatching: null,
        progress: null,
        message: action.message,
      };
  }
}
