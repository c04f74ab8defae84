import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, ApiError } from '../api.js';
import {
  ADMIN_GROUP,
  currentGroups,
  currentUser,
  freshTokenOrSignIn,
  setToken,
  signOut,
  startCognitoLogin,
} from '../auth.js';
import { useServerHealth } from '../health.js';
import { runBounded } from '../lib/bulk.js';
import { nodeIdOf } from '../lib/format.js';
import { matchesFilters } from '../lib/live-match.js';
import { applyTheme, storeActor, storedActor, storedTheme } from '../lib/preferences.js';
import { driftQuery, type UrlState } from '../lib/url-state.js';
import { PHONE_QUERY, useMedia } from '../lib/use-media.js';
import { LiveFeed, type LiveStatus } from '../live.js';
import type { Drift, Graph, GraphNode, LiveMessage, RuntimeConfig, Summary } from '../types.js';
import { useUrlState } from '../use-url-state.js';
import { ActorPrompt } from './ActorPrompt.js';
import { BulkBar, type BulkProgress } from './BulkBar.js';
import { DetailPanel } from './DetailPanel.js';
import { DriftTable } from './DriftTable.js';
import { FilterBar } from './FilterBar.js';
import { GraphView } from './GraphView.js';
import { Header } from './Header.js';
import { TokenPrompt } from './TokenPrompt.js';

const PAGE_SIZE = 50;
const NEW_MARK_MS = 60_000;
const MAX_LIVE_ROWS = 500;
/** The API's largest page (docs/api.md), for walking to a page and collecting every match. */
const MAX_LIMIT = 500;
/** Status changes in flight at once during bulk triage. */
const BULK_CONCURRENCY = 6;

interface Page {
  readonly rows: Drift[];
  readonly nextCursor: string | null;
  readonly total?: number;
  /** 1-based page number (the URL's `page`). */
  readonly number: number;
}

const EMPTY_PAGE: Page = { rows: [], nextCursor: null, number: 1 };

// The theme chosen in the header applies before the first paint.
applyTheme(storedTheme(), false);

/** Run `fn` at most once per `ms`, trailing. */
function useDebounced(fn: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}

export function App({ config }: { readonly config: RuntimeConfig }) {
  const api = useMemo(() => new Api(config), [config]);
  const [url, navigate] = useUrlState();
  const [page, setPage] = useState<Page>(EMPTY_PAGE);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [needToken, setNeedToken] = useState(false);
  const [graph, setGraph] = useState<Graph | null>(null);
  const [graphError, setGraphError] = useState<string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [live, setLive] = useState<LiveStatus>('connecting');
  const [newIds, setNewIds] = useState<ReadonlySet<string>>(new Set());
  const [hiddenNew, setHiddenNew] = useState(0);
  const [reloadKey, setReloadKey] = useState(0);
  /** Rows ticked for bulk triage. */
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());

  const onApiError = useCallback(
    (err: unknown): string => {
      if (err instanceof ApiError && err.status === 401) {
        setToken(null);
        if (config.auth?.type === 'cognito') startCognitoLogin(config.auth);
        else setNeedToken(true);
        return 'Sign-in required';
      }
      return err instanceof Error ? err.message : String(err);
    },
    [config],
  );

  // --- the drift table: server-side filters, sort and cursor pagination; the page is in the URL
  // A string key, so that an unrelated URL change (selection, view) does not reload the table.
  const queryKey = JSON.stringify(driftQuery(url));
  /** Cursors of pages seen for this query (page number → cursor); page 1 has none. */
  const cursors = useRef<{ key: string; byPage: Map<number, string> }>({ key: '', byPage: new Map() });
  const cursorFor = useCallback(
    async (number: number): Promise<string | null | undefined> => {
      if (cursors.current.key !== queryKey) cursors.current = { key: queryKey, byPage: new Map() };
      if (number <= 1) return null;
      const known = cursors.current.byPage.get(number);
      if (known) return known;
      // A link to page N: walk the N-1 pages before it in as few requests as the API allows.
      const query = JSON.parse(queryKey) as Record<string, string>;
      let cursor: string | null = null;
      let remaining = (number - 1) * PAGE_SIZE;
      while (remaining > 0) {
        const limit = Math.min(MAX_LIMIT, remaining);
        const result = await api.drifts({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
        cursor = result.nextCursor;
        remaining -= limit;
        if (!cursor) return undefined; // past the last page
      }
      if (cursor) cursors.current.byPage.set(number, cursor);
      return cursor;
    },
    [api, queryKey],
  );
  const loadPage = useCallback(
    async (number: number) => {
      setLoading(true);
      try {
        const query = JSON.parse(queryKey) as Record<string, string>;
        const cursor = await cursorFor(number);
        if (cursor === undefined) {
          // Fewer pages than the link says (drifts were resolved since): the last one there is.
          navigate((s) => ({ ...s, page: 1 }), { replace: true });
          return;
        }
        const result = await api.drifts({
          ...query,
          limit: String(PAGE_SIZE),
          ...(cursor ? { cursor } : {}),
        });
        if (result.nextCursor) cursors.current.byPage.set(number + 1, result.nextCursor);
        setPage({ rows: result.items, nextCursor: result.nextCursor, total: result.total, number });
        setError(null);
        setHiddenNew(0);
      } catch (err) {
        setError(onApiError(err));
      } finally {
        setLoading(false);
      }
    },
    [api, queryKey, onApiError, cursorFor, navigate],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey forces a refresh
  useEffect(() => {
    loadPage(url.page);
  }, [loadPage, url.page, reloadKey]);
  const reloadTable = useCallback(() => setReloadKey((k) => k + 1), []);

  // The latest open drift of each resource: what a graph node shows (who, which event) and opens.
  const [nodeDrifts, setNodeDrifts] = useState<ReadonlyMap<string, Drift>>(new Map());
  const loadNodeDrifts = useCallback(() => {
    api.drifts({ status: 'open', sort: 'time', order: 'desc', limit: String(MAX_LIMIT) }).then((result) => {
      const latestByNode = new Map<string, Drift>();
      for (const drift of result.items)
        if (!latestByNode.has(nodeIdOf(drift))) latestByNode.set(nodeIdOf(drift), drift);
      setNodeDrifts(latestByNode);
    }, onApiError);
  }, [api, onApiError]);

  const loadGraph = useCallback(() => {
    api.graph().then(
      (value) => {
        setGraph(value);
        setGraphError(null);
      },
      (err) => setGraphError(onApiError(err)),
    );
  }, [api, onApiError]);
  const loadSummary = useCallback(() => {
    api.summary().then(setSummary, onApiError);
  }, [api, onApiError]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey forces a refresh
  useEffect(() => {
    loadGraph();
    loadSummary();
    loadNodeDrifts();
  }, [loadGraph, loadSummary, loadNodeDrifts, reloadKey]);
  const refreshGraph = useDebounced(() => {
    loadGraph();
    loadNodeDrifts();
  }, 400);
  const refreshSummary = useDebounced(loadSummary, 250);

  // --- live feed: merge drifts into the table, mark new ones
  const latest = useRef({ url, page });
  latest.current = { url, page };
  /**
   * A drift whose status changed (here or elsewhere): its row follows, or leaves a table whose
   * filters it no longer matches (acknowledged in the open-only view). True when it was on the page.
   */
  const updateRow = useCallback((drift: Drift): boolean => {
    const { url: current, page: currentPage } = latest.current;
    if (!currentPage.rows.some((row) => row.id === drift.id)) return false;
    if (matchesFilters(drift, current.filters)) {
      setPage((p) => ({ ...p, rows: p.rows.map((row) => (row.id === drift.id ? drift : row)) }));
    } else {
      setPage((p) => {
        const rows = p.rows.filter((row) => row.id !== drift.id);
        const gone = p.rows.length - rows.length;
        return { ...p, rows, total: p.total === undefined ? undefined : Math.max(0, p.total - gone) };
      });
      setChecked((ids) => {
        if (!ids.has(drift.id)) return ids;
        const next = new Set(ids);
        next.delete(drift.id);
        return next;
      });
    }
    return true;
  }, []);
  const onLiveDrift = useCallback(
    (drift: Drift) => {
      const { url: current, page: currentPage } = latest.current;
      if (updateRow(drift)) return;
      // A status change of a drift not on this page is not a new drift: no "new" row for it.
      if (drift.statusChangedAt || drift.status !== 'open') return;
      if (!matchesFilters(drift, current.filters)) return;
      const onTop = currentPage.number === 1 && current.sort === 'time' && current.order === 'desc';
      if (!onTop) {
        setHiddenNew((n) => n + 1);
        return;
      }
      setPage((p) => ({
        ...p,
        rows: [drift, ...p.rows.filter((row) => row.id !== drift.id)].slice(0, MAX_LIVE_ROWS),
        total: p.total === undefined ? undefined : p.total + 1,
      }));
      setNewIds((ids) => new Set(ids).add(drift.id));
      setTimeout(() => {
        setNewIds((ids) => {
          const next = new Set(ids);
          next.delete(drift.id);
          return next;
        });
      }, NEW_MARK_MS);
    },
    [updateRow],
  );

  const [liveDrift, setLiveDrift] = useState<Drift | null>(null);
  const { health, check: checkHealth } = useServerHealth();
  const onMessage = useCallback(
    (message: LiveMessage) => {
      if (message.type === 'drift' && message.drift) {
        onLiveDrift(message.drift);
        setLiveDrift(message.drift);
        refreshSummary();
        refreshGraph();
      } else if (message.type === 'state') {
        refreshGraph();
        refreshSummary();
        checkHealth();
      }
    },
    [onLiveDrift, refreshGraph, refreshSummary, checkHealth],
  );
  const onMessageRef = useRef(onMessage);
  onMessageRef.current = onMessage;
  useEffect(() => {
    const feed = new LiveFeed({
      wsUrl: config.wsUrl,
      token: freshTokenOrSignIn,
      onMessage: (message) => onMessageRef.current(message),
      onStatus: setLive,
    });
    feed.start();
    return () => feed.stop();
  }, [config]);

  // --- selection, synchronised between graph, table and URL
  const selectDrift = useCallback(
    (drift: Drift | null) => {
      navigate((s) => ({ ...s, drift: drift?.id ?? null, node: drift ? nodeIdOf(drift) : s.node }));
      if (drift)
        setNewIds((ids) => {
          if (!ids.has(drift.id)) return ids;
          const next = new Set(ids);
          next.delete(drift.id);
          return next;
        });
    },
    [navigate],
  );
  /**
   * A node chosen in the graph. A click (or Enter) filters the table to its resource, visibly (a
   * chip), and opens its latest open drift; the graph's search only selects and centres it.
   */
  const selectNode = useCallback(
    (node: GraphNode | null, how: 'open' | 'locate' = 'open') => {
      const latestDrift = node && how === 'open' ? nodeDrifts.get(node.id) : undefined;
      navigate((s) => ({
        ...s,
        node: node?.id ?? null,
        drift: latestDrift?.id ?? null,
        page: how === 'open' ? 1 : s.page,
        filters:
          how === 'open'
            ? { ...s.filters, resource: node ? (node.address ?? node.resourceId ?? '') : '' }
            : s.filters,
      }));
    },
    [navigate, nodeDrifts],
  );
  const setFilters = useCallback(
    (filters: UrlState['filters'], replace?: boolean) =>
      navigate((s) => ({ ...s, filters, page: 1 }), { replace }),
    [navigate],
  );
  const onStatusChanged = useCallback(
    (drift: Drift) => {
      updateRow(drift);
      refreshSummary();
      refreshGraph();
    },
    [updateRow, refreshSummary, refreshGraph],
  );

  // --- who acts: the signed-in user in AWS; locally a name asked once and kept in this browser
  const cognito = config.auth?.type === 'cognito';
  const [actor, setActor] = useState<string | null>(() => (cognito ? null : storedActor()));
  const [askingActor, setAskingActor] = useState<{ resolve: (name: string | null) => void } | null>(null);
  const askActor = useCallback(
    () => new Promise<string | null>((resolve) => setAskingActor({ resolve })),
    [],
  );
  const actingAs = useCallback(async (): Promise<string | undefined | null> => {
    if (cognito) return currentUser();
    const known = storedActor();
    if (known) return known;
    return askActor();
  }, [cognito, askActor]);
  const finishAsking = (name: string | null) => {
    if (name) {
      storeActor(name);
      setActor(name);
    }
    askingActor?.resolve(name);
    setAskingActor(null);
  };

  // --- bulk triage: ticked rows, or every drift that matches the filters
  /** "Select all that match": every matching drift, fetched when chosen (null: ticked rows only). */
  const [allMatching, setAllMatching] = useState<readonly Drift[] | null>(null);
  const [collecting, setCollecting] = useState(false);
  const [bulkProgress, setBulkProgress] = useState<BulkProgress | null>(null);
  const [bulkMessage, setBulkMessage] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: other filters, other drifts
  useEffect(() => {
    setChecked(new Set());
    setAllMatching(null);
  }, [queryKey]);
  const onCheck = useCallback((ids: readonly string[], on: boolean) => {
    setAllMatching(null);
    setBulkMessage(null);
    setChecked((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);
  const selectAllMatching = useCallback(async () => {
    const found: Drift[] = [];
    setCollecting(true);
    try {
      const query = JSON.parse(queryKey) as Record<string, string>;
      let cursor: string | null = null;
      do {
        const result = await api.drifts({
          ...query,
          limit: String(MAX_LIMIT),
          ...(cursor ? { cursor } : {}),
        });
        found.push(...result.items);
        cursor = result.nextCursor;
      } while (cursor);
      setAllMatching(found);
    } catch (err) {
      setBulkMessage(onApiError(err));
    } finally {
      setCollecting(false);
    }
  }, [api, queryKey, onApiError]);
  const bulkAct = useCallback(
    async (action: 'acknowledge' | 'resolve', comment: string) => {
      const by = await actingAs();
      if (by === null) return;
      setBulkMessage(null);
      try {
        // Only what the action changes: acknowledge open drifts, resolve what is not resolved yet.
        const ids = allMatching
          ? allMatching
              .filter((d) => (action === 'acknowledge' ? d.status === 'open' : d.status !== 'resolved'))
              .map((d) => d.id)
          : [...checked];
        setBulkProgress({ action, total: ids.length, finished: 0 });
        const body = { by, comment: comment.trim() || undefined };
        const result = await runBounded(ids, (id) => api.changeStatus(id, action, body), {
          concurrency: BULK_CONCURRENCY,
          onProgress: (finished) => setBulkProgress({ action, total: ids.length, finished }),
        });
        const verb = action === 'acknowledge' ? 'acknowledged' : 'resolved';
        const failed = result.failed.length
          ? `; ${result.failed.length} failed: ${result.failed[0].message}`
          : '';
        setBulkMessage(`${result.done.length} drift${result.done.length === 1 ? '' : 's'} ${verb}${failed}`);
        setChecked(new Set(result.failed.map((item) => item.id)));
        setAllMatching(null);
      } catch (err) {
        setBulkMessage(onApiError(err));
      } finally {
        setBulkProgress(null);
        reloadTable();
      }
    },
    [actingAs, allMatching, checked, api, onApiError, reloadTable],
  );
  const closeDetail = useCallback(() => {
    const id = latest.current.url.drift;
    navigate((s) => ({ ...s, drift: null }));
    // Back to the row the detail came from, for keyboard users.
    if (id)
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>(`tr[data-drift-id="${CSS.escape(id)}"]`)?.focus(),
      );
  }, [navigate]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && latest.current.url.drift) closeDetail();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closeDetail]);

  const types = useMemo(() => [...new Set(graph?.nodes.map((node) => node.type) ?? [])].sort(), [graph]);
  // A phone has no room for both: the split view is the table, the graph is one tap away.
  const narrow = useMedia(PHONE_QUERY);
  const view = narrow && url.view === 'split' ? 'table' : url.view;
  const showGraph = view !== 'table';
  const showTable = view !== 'graph';
  const skipToTable = () => {
    if (!showTable) navigate((s) => ({ ...s, view: narrow ? 'table' : 'split' }));
    requestAnimationFrame(() => {
      const target =
        document.querySelector<HTMLElement>('tbody tr.drift-row') ?? document.getElementById('drift-table');
      target?.focus();
    });
  };
  const pageFullyChecked = page.rows.length > 0 && page.rows.every((row) => checked.has(row.id));

  return (
    <div className="app">
      {/* A button: a #fragment link would change the URL state. */}
      <button type="button" className="skip-link" onClick={skipToTable}>
        Skip to the drift table
      </button>
      <Header
        summary={summary}
        live={live}
        health={health}
        view={url.view}
        narrow={narrow}
        onView={(next) => navigate((s) => ({ ...s, view: next }))}
        onSeverity={(severity) => setFilters({ ...url.filters, severity: [severity], status: ['open'] })}
        onSignOut={config.auth?.type === 'cognito' ? signOut : undefined}
        // The API refuses anyone else (403); locally there is no backfill (tfdrift scan --lookup).
        onBackfill={
          cognito && currentGroups().includes(ADMIN_GROUP) ? (days) => api.backfill(days) : undefined
        }
      />
      <main className={`workspace view-${view}`}>
        {/* The table comes first in the DOM (and so in Tab order); CSS puts the graph on the left. */}
        {showTable && (
          <section className="pane table-pane" aria-label="Drift history">
            <FilterBar filters={url.filters} types={types} onChange={setFilters} />
            <BulkBar
              count={allMatching ? allMatching.length : checked.size}
              allMatching={allMatching !== null}
              matchingTotal={page.total}
              morePages={page.number > 1 || page.nextCursor !== null}
              collecting={collecting}
              pageFullyChecked={pageFullyChecked}
              progress={bulkProgress}
              message={bulkMessage}
              actor={cognito ? null : actor}
              onChangeActor={
                cognito
                  ? undefined
                  : () => {
                      askActor();
                    }
              }
              onSelectAllMatching={selectAllMatching}
              onClear={() => {
                setChecked(new Set());
                setAllMatching(null);
                setBulkMessage(null);
              }}
              onAct={bulkAct}
            />
            {hiddenNew > 0 && (
              <button
                type="button"
                className="notice"
                onClick={() => (url.page === 1 ? reloadTable() : navigate((s) => ({ ...s, page: 1 })))}
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
              newIds={newIds}
              selectedId={url.drift}
              selectedNode={url.node}
              sort={url.sort}
              order={url.order}
              loading={loading}
              narrow={narrow}
              checked={checked}
              onCheck={onCheck}
              onSort={(sort, order) => navigate((s) => ({ ...s, sort, order, page: 1 }))}
              onSelect={selectDrift}
            />
            <div className="pager">
              <span className="pager-info" data-testid="pager-info">
                {page.total !== undefined
                  ? `${page.total} drift${page.total === 1 ? '' : 's'}`
                  : `${page.rows.length} shown`}
                {page.number > 1 || page.nextCursor ? ` · page ${page.number}` : ''}
              </span>
              <button
                type="button"
                disabled={url.page <= 1 || loading}
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
          </section>
        )}
        {showGraph && (
          <section className="pane graph-pane" aria-label="Resource graph">
            <GraphView
              graph={graph}
              error={graphError}
              selectedNode={url.node}
              latest={nodeDrifts}
              onSelectNode={selectNode}
            />
          </section>
        )}
        {url.drift && (
          <DetailPanel
            api={api}
            id={url.drift}
            live={liveDrift}
            consoleRegion={config.consoleRegion}
            onClose={closeDetail}
            onSelect={selectDrift}
            onChanged={onStatusChanged}
            actingAs={actingAs}
          />
        )}
      </main>
      {needToken && (
        <TokenPrompt
          onSubmit={(token) => {
            setToken(token);
            setNeedToken(false);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      {askingActor && <ActorPrompt initial={actor ?? ''} onDone={finishAsking} />}
    </div>
  );
}
