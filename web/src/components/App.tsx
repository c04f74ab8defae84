import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { Api } from '../api.js';
import { currentGroups, setToken, signOut, startCognitoLogin } from '../auth.js';
import { createQueryClient, describeError, isUnauthorized } from '../data/query-client.js';
import { useDriftParams, useDriftTable } from '../data/use-drift-table.js';
import { useLiveUpdates } from '../data/use-live-feed.js';
import { useOverview } from '../data/use-overview.js';
import { useServerHealth } from '../health.js';
import { applyTheme, storedTheme } from '../lib/preferences.js';
import type { ViewMode } from '../lib/url-state.js';
import { PHONE_QUERY, useMedia } from '../lib/use-media.js';
import { useActor } from '../state/use-actor.js';
import { useNewMarks } from '../state/use-new-marks.js';
import { useSelection } from '../state/use-selection.js';
import { useTriage } from '../state/use-triage.js';
import type { Drift, RuntimeConfig } from '../types.js';
import { type Navigate, useUrlState } from '../use-url-state.js';
import { ActorPrompt } from './ActorPrompt.js';
import { DetailPanel } from './DetailPanel.js';
import { GraphView } from './GraphView.js';
import { Header } from './Header.js';
import { TablePane } from './TablePane.js';
import { TokenPrompt } from './TokenPrompt.js';

/** How long a drift that arrived live is marked new. */
const NEW_MARK_MS = 60_000;

// The theme chosen in the header applies before the first paint.
applyTheme(storedTheme(), false);

/** The dashboard with its query cache, and the way back in when the API refuses the token. */
export function App({ config }: { readonly config: RuntimeConfig }) {
  const [needToken, setNeedToken] = useState(false);
  const signInAgain = useCallback(() => {
    setToken(null);
    if (config.auth?.type === 'cognito') startCognitoLogin(config.auth);
    else setNeedToken(true);
  }, [config]);
  const [client] = useState(() => createQueryClient(signInAgain));
  const prompt = needToken && (
    <TokenPrompt
      onSubmit={(token) => {
        setToken(token);
        setNeedToken(false);
        void client.invalidateQueries();
      }}
    />
  );
  return (
    <QueryClientProvider client={client}>
      <Dashboard config={config} signInAgain={signInAgain} tokenPrompt={prompt} />
    </QueryClientProvider>
  );
}

function Dashboard({
  config,
  signInAgain,
  tokenPrompt,
}: {
  readonly config: RuntimeConfig;
  readonly signInAgain: () => void;
  readonly tokenPrompt: ReactNode;
}) {
  const api = useMemo(() => new Api(config), [config]);
  const client = useQueryClient();
  const [url, navigate] = useUrlState();
  const cognito = config.auth?.type === 'cognito';
  /** An error from a request made here (not a query): signs in again on 401, and says what failed. */
  const reportError = useCallback(
    (err: unknown) => {
      if (isUnauthorized(err)) signInAgain();
      return describeError(err);
    },
    [signInAgain],
  );
  const reloadAll = useCallback(() => void client.invalidateQueries(), [client]);

  const actor = useActor(cognito);
  const marks = useNewMarks(NEW_MARK_MS);
  const overview = useOverview(api, describeError);
  const params = useDriftParams(url);
  const triage = useTriage({
    api,
    params,
    actingAs: actor.actingAs,
    describeError: reportError,
    afterRun: reloadAll,
  });
  const table = useDriftTable({ api, params, url, navigate, describeError, onGone: triage.gone });
  const selection = useSelection({ url, navigate, latestOpen: overview.latestOpen, seen: marks.unmark });
  const { health, check: checkHealth } = useServerHealth();

  const refreshOverview = () => {
    overview.refreshSummary();
    overview.refreshGraph();
  };
  const live = useLiveUpdates({
    config,
    addToTable: table.addLive,
    markNew: marks.mark,
    refresh: refreshOverview,
    checkHealth,
  });
  const onStatusChanged = (drift: Drift) => {
    table.updateRow(drift);
    refreshOverview();
  };

  const types = useMemo(
    () => [...new Set(overview.graph?.nodes.map((node) => node.type) ?? [])].sort(),
    [overview.graph],
  );
  // A phone has no room for both: the split view is the table, the graph is one tap away.
  const narrow = useMedia(PHONE_QUERY);
  const view = narrow && url.view === 'split' ? 'table' : url.view;
  return (
    <div className="app">
      <SkipLink view={view} narrow={narrow} navigate={navigate} />
      <Header
        summary={overview.summary}
        live={live}
        health={health}
        view={url.view}
        narrow={narrow}
        onView={(next) => navigate((s) => ({ ...s, view: next }))}
        onSeverity={(severity) =>
          selection.setFilters({ ...url.filters, severity: [severity], status: ['open'] })
        }
        onSignOut={cognito ? signOut : undefined}
        // Members of the stack's admin group (config.json); the API refuses anyone else (403).
        // Locally there is no backfill (tfdrift scan --lookup).
        onBackfill={
          config.auth?.adminGroup && currentGroups().includes(config.auth.adminGroup)
            ? (days) => api.backfill(days)
            : undefined
        }
      />
      <main className={`workspace view-${view}`}>
        {/* The table comes first in the DOM (and so in Tab order); CSS puts the graph on the left. */}
        {view !== 'graph' && (
          <TablePane
            url={url}
            navigate={navigate}
            page={table.page}
            loading={table.loading}
            error={table.error}
            hiddenNew={table.hiddenNew}
            newIds={marks.newIds}
            types={types}
            narrow={narrow}
            triage={triage}
            actor={cognito ? null : actor}
            setFilters={selection.setFilters}
            onSelect={selection.selectDrift}
            reload={reloadAll}
          />
        )}
        {view !== 'table' && (
          <section className="pane graph-pane" aria-label="Resource graph">
            <GraphView
              graph={overview.graph}
              error={overview.graphError}
              selectedNode={url.node}
              latest={overview.latestOpen}
              onSelectNode={selection.selectNode}
            />
          </section>
        )}
        {url.drift && (
          <DetailPanel
            api={api}
            id={url.drift}
            consoleRegion={config.consoleRegion}
            onClose={selection.closeDetail}
            onSelect={selection.selectDrift}
            onChanged={onStatusChanged}
            actingAs={actor.actingAs}
          />
        )}
      </main>
      {tokenPrompt}
      {actor.asking && <ActorPrompt initial={actor.name ?? ''} onDone={actor.answer} />}
    </div>
  );
}

/** To the drift table from the top, for keyboard users (shows the table first when hidden). */
function SkipLink({
  view,
  narrow,
  navigate,
}: {
  readonly view: ViewMode;
  readonly narrow: boolean;
  readonly navigate: Navigate;
}) {
  const skipToTable = () => {
    if (view === 'graph') navigate((s) => ({ ...s, view: narrow ? 'table' : 'split' }));
    requestAnimationFrame(() => {
      const target =
        document.querySelector<HTMLElement>('tbody tr.drift-row') ?? document.getElementById('drift-table');
      target?.focus();
    });
  };
  // A button: a #fragment link would change the URL state.
  return (
    <button type="button" className="skip-link" onClick={skipToTable}>
      Skip to the drift table
    </button>
  );
}
