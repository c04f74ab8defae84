import { useState } from 'react';

export interface BulkProgress {
  readonly action: 'acknowledge' | 'resolve';
  readonly total: number;
  readonly finished: number;
}

interface BulkBarProps {
  /** Ticked rows (on this and other pages), or the count of every drift matching the filters. */
  readonly count: number;
  readonly allMatching: boolean;
  /** Offered when the whole page is ticked and more drifts match than one page shows. */
  readonly matchingTotal: number | undefined;
  /** The filters match more than this page. */
  readonly morePages: boolean;
  /** Fetching every matching drift after "select all". */
  readonly collecting: boolean;
  readonly pageFullyChecked: boolean;
  readonly progress: BulkProgress | null;
  readonly message: string | null;
  /** Who the changes are recorded as (local), with a way to change it. */
  readonly actor: string | null;
  readonly onChangeActor?: () => void;
  readonly onSelectAllMatching: () => void;
  readonly onClear: () => void;
  readonly onAct: (action: 'acknowledge' | 'resolve', comment: string) => void;
}

const VERB = { acknowledge: 'Acknowledging', resolve: 'Resolving' } as const;

export function BulkBar(props: BulkBarProps) {
  const { count, allMatching, matchingTotal, pageFullyChecked, progress, message } = props;
  const [comment, setComment] = useState('');
  if (count === 0 && !progress && !message) return null;
  const busy = progress !== null || props.collecting;
  return (
    <section className="bulkbar" aria-label="Bulk triage" data-testid="bulkbar">
      {count > 0 && (
        <>
          <span className="bulk-count" data-testid="bulk-count">
            {allMatching ? `All ${count} matching drifts selected` : `${count} selected`}
          </span>
          {!allMatching && pageFullyChecked && (props.morePages || (matchingTotal ?? 0) > count) && (
            <button
              type="button"
              className="link-button"
              data-testid="select-all-matching"
              disabled={props.collecting}
              onClick={props.onSelectAllMatching}
            >
              {props.collecting
                ? 'Collecting every match…'
                : `Select all${matchingTotal === undefined ? '' : ` ${matchingTotal}`} that match the filters`}
            </button>
          )}
          <input
            type="text"
            className="bulk-comment"
            aria-label="Comment for the selected drifts"
            placeholder="Comment (optional)"
            value={comment}
            disabled={busy}
            onChange={(event) => setComment(event.target.value)}
          />
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => props.onAct('acknowledge', comment)}
          >
            Acknowledge
          </button>
          <button type="button" disabled={busy} onClick={() => props.onAct('resolve', comment)}>
            Resolve
          </button>
          <button type="button" className="link-button" disabled={busy} onClick={props.onClear}>
            Clear selection
          </button>
        </>
      )}
      {progress && (
        <span className="bulk-progress" role="status" data-testid="bulk-progress">
          {VERB[progress.action]} {progress.finished}/{progress.total}…
        </span>
      )}
      {message && !progress && (
        <span className="bulk-message" role="status" data-testid="bulk-message">
          {message}
        </span>
      )}
      {props.actor && props.onChangeActor && (
        <span className="bulk-actor muted">
          as {props.actor}{' '}
          <button type="button" className="link-button" onClick={props.onChangeActor}>
            change
          </button>
        </span>
      )}
    </section>
  );
}
