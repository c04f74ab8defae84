import type { Page } from '../data/drift-queries.js';
import type { UrlState } from '../lib/url-state.js';
import type { Actor } from '../state/use-actor.js';
import type { Triage } from '../state/use-triage.js';
import type { Drift } from '../types.js';
import type { Navigate } from '../use-url-state.js';
import { BulkBar } from './BulkBar.js';
import { DriftTable } from './DriftTable.js';
import { FilterBar } from './FilterBar.js';

interface TablePaneProps {
  readonly url: UrlState;
  readonly navigate: Navigate;
  readonly page: Page;
  readonly loading: boolean;
  readonly error: string | null;
  readonly hiddenNew: number;
  readonly newIds: ReadonlySet<string>;
  /** Resource types for the type filter. */
  readonly types: readonly string[];
  readonly narrow: boolean;
  readonly triage: Triage;
  /** Locally: who acts, and a way to change it; null in AWS (the signed-in user). */
  readonly actor: Actor | null;
  readonly setFilters: (filters: UrlState['filters'], replace?: boolean) => void;
  readonly onSelect: (drift: Drift) => void;
  /** Load everything again (the "new drifts" notice on the first page). */
  readonly reload: () => void;
}

/** The drift history: filters, bulk triage, the table and its pager. */
export function TablePane(props: TablePaneProps) {
  const { url, navigate, page, loading, error, hiddenNew, triage, actor } = props;
  const { checked, allMatching } = triage.state;
  return (
    <section className="pane table-pane" aria-label="Drift history">
      <FilterBar filters={url.filters} types={props.types} onChange={props.setFilters} />
      <BulkBar
        count={allMatching ? allMatching.length : checked.size}
        allMatching={allMatching !== null}
        matchingTotal={page.total}
        morePages={page.number > 1 || page.nextCursor !== null}
        collecting={triage.state.collecting}
        pageFullyChecked={page.rows.length > 0 && page.rows.every((row) => checked.has(row.id))}
        progress={triage.state.progress}
        message={triage.state.message}
        actor={actor?.name ?? null}
        onChangeActor={actor ? () => void actor.ask() : undefined}
        onSelectAllMatching={triage.selectAllMatching}
        onClear={triage.clear}
        onAct={triage.act}
      />
      {hiddenNew > 0 && (
        <button
          type="button"
          className="notice"
          onClick={() => (url.page === 1 ? props.reload() : navigate((s) => ({ ...s, page: 1 })))}
        >
          {hiddenNew} new drift{hiddenNew === 1 ? '' : 's'} — show latest
        </button>
      )}
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <DriftTable
        rows={page.rows}
        newIds={props.newIds}
        selectedId={url.drift}
        selectedNode={url.node}
        sort={url.sort}
        order={url.order}
        loading={loading}
        narrow={props.narrow}
        checked={checked}
        onCheck={triage.check}
        onSort={(sort, order) => navigate((s) => ({ ...s, sort, order, page: 1 }))}
        onSelect={props.onSelect}
      />
      <Pager page={page} urlPage={url.page} loading={loading} navigate={navigate} />
    </section>
  );
}

function Pager({
  page,
  urlPage,
  loading,
  navigate,
}: {
  readonly page: Page;
  readonly urlPage: number;
  readonly loading: boolean;
  readonly navigate: Navigate;
}) {
  return (
    <div className="pager">
      <span className="pager-info" data-testid="pager-info">
        {page.total !== undefined
          ? `${page.total} drift${page.total === 1 ? '' : 's'}`
          : `${page.rows.length} shown`}
        {page.number > 1 || page.nextCursor ? ` · page ${page.number}` : ''}
      </span>
      <button
        type="button"
        disabled={urlPage <= 1 || loading}
        onClick={() => navigate((s) => ({ ...s, page: Math.max(1, s.page - 1) }))}
      >
        ← Newer
      </button>
      <button
        type="button"
        disabled={!page.nextCursor || loading}
        onClick={() => navigate((s) => ({ ...s, page: s.page + 1 }))}
      >
        Older →
      </button>
    </div>
  );
}
