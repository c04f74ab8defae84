import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, ApiError } from '../api.js';
import { freshTokenOrSignIn, setToken, signOut, startCognitoLogin } from '../auth.js';
import { useServerHealth } from '../health.js';
import { nodeIdOf } from '../lib/format.js';
import { matchesFilters } from '../lib/live-match.js';
import { driftQuery, type UrlState } from '../lib/url-state.js';
import { LiveFeed, type LiveStatus } from '../live.js';
import type { Drift, Graph, GraphNode, LiveMessage, RuntimeConfig, Summary } from '../types.js';
import { useUrlState } from '../use-url-state.js';
import { DetailPanel } from './DetailPanel.js';
import { DriftTable } from './DriftTable.js';
import { FilterBar } from './FilterBar.js';
import { GraphView } from './GraphView.js';
import { Header } from './Header.js';
import { TokenPrompt } from './TokenPrompt.js';

const PAGE_SIZE = 50;
const NEW_MARK_MS = 60_000;
const MAX_LIVE_ROWS = 500;

interface Page {
  readonly rows: Drift[];
  readonly nextCursor: string | null;
  readonly total?: number;
  /** Cursor of every page up to the current one (null for the first). */
  readonly cursors: (string | null)[];
}

const EMPTY_PAGE: Page = { rows: [], nextCursor: null, cursors: [null] };

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

  // --- the drift table: server-side filters, sort and cursor pagination
  // A string key, so that an unrelated URL change (selection, view) does not reload the table.
  const queryKey = JSON.stringify(driftQuery(url));
  const loadPage = useCallback(
    async (cursors: (string | null)[]) => {
      setLoading(true);
      const cursor = cursors[cursors.length - 1];
      try {
        const query = JSON.parse(queryKey) as Record<string, string>;
        const result = await api.drifts({
          ...query,
          limit: String(PAGE_SIZE),
          ...(cursor ? { cursor } : {}),
        });
        setPage({ rows: result.items, nextCursor: result.nextCursor, total: result.total, cursors });
        setError(null);
        setHiddenNew(0);
      } catch (err) {
        setError(onApiError(err));
      } finally {
        setLoading(false);
      }
    },
    [api, queryKey, onApiError],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey forces a refresh
  useEffect(() => {
    loadPage([null]);
  }, [loadPage, reloadKey]);

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
  }, [loadGraph, loadSummary, reloadKey]);
  const refreshGraph = useDebounced(loadGraph, 400);
  const refreshSummary = useDebounced(loadSummary, 250);

  // --- live feed: merge drifts into the table, mark new ones
  const latest = useRef({ url, page });
  latest.current = { url, page };
  const onLiveDrift = useCallback((drift: Drift) => {
    const { url: current, page: currentPage } = latest.current;
    const known = currentPage.rows.some((row) => row.id === drift.id);
    const onTop = currentPage.cursors.length === 1 && current.sort === 'time' && current.order === 'desc';
    if (known) {
      setPage((p) => ({ ...p, rows: p.rows.map((row) => (row.id === drift.id ? drift : row)) }));
      return;
    }
    if (!matchesFilters(drift, current.filters)) return;
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
  }, []);

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
  const selectNode = useCallback(
    (node: GraphNode | null) => {
      navigate((s) => ({
        ...s,
        node: node?.id ?? null,
        drift: null,
        filters: { ...s.filters, resource: node ? (node.address ?? node.resourceId ?? '') : '' },
      }));
    },
    [navigate],
  );
  const setFilters = useCallback(
    (filters: UrlState['filters'], replace?: boolean) => navigate((s) => ({ ...s, filters }), { replace }),
    [navigate],
  );
  const onStatusChanged = useCallback((drift: Drift) => {
    setPage((p) => ({ ...p, rows: p.rows.map((row) => (row.id === drift.id ? drift : row)) }));
  }, []);
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
  const showGraph = url.view !== 'table';
  const showTable = url.view !== 'graph';

  return (
    <div className="app">
      <Header
        summary={summary}
        live={live}
        health={health}
        view={url.view}
        onView={(view) => navigate((s) => ({ ...s, view }))}
        onSeverity={(severity) => setFilters({ ...url.filters, severity: [severity], status: ['open'] })}
        onSignOut={config.auth?.type === 'cognito' ? signOut : undefined}
      />
      <main className={`workspace view-${url.view}`}>
        {showGraph && (
          <section className="pane graph-pane" aria-label="Resource graph">
            <GraphView graph={graph} error={graphError} selectedNode={url.node} onSelectNode={selectNode} />
          </section>
        )}
        {showTable && (
          <section className="pane table-pane" aria-label="Drift history">
            <FilterBar filters={url.filters} types={types} onChange={setFilters} />
            {hiddenNew > 0 && (
              <button type="button" className="notice" onClick={() => loadPage([null])}>
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
              onSort={(sort, order) => navigate((s) => ({ ...s, sort, order }))}
              onSelect={selectDrift}
            />
            <div className="pager">
              <span className="pager-info">
                {page.total !== undefined
                  ? `${page.total} drift${page.total === 1 ? '' : 's'}`
                  : `${page.rows.length} shown`}
                {page.cursors.length > 1 ? ` · page ${page.cursors.length}` : ''}
              </span>
              <button
                type="button"
                disabled={page.cursors.length <= 1 || loading}
                onClick={() => loadPage(page.cursors.slice(0, -1))}
              >
                ← Newer
              </button>
              <button
                type="button"
                disabled={!page.nextCursor || loading}
                onClick={() => loadPage([...page.cursors, page.nextCursor])}
              >
                Older →
              </button>
            </div>
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
    </div>
  );
}
