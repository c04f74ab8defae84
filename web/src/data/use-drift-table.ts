import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Api } from '../api.js';
import { matchesFilters } from '../lib/live-match.js';
import { driftQuery, type UrlState } from '../lib/url-state.js';
import type { Drift } from '../types.js';
import type { Navigate } from '../use-url-state.js';
import { type DriftParams, fetchPage, type Page, queryKeys } from './drift-queries.js';

/** Rows a page may grow to with live drifts on top. */
const MAX_LIVE_ROWS = 500;
const EMPTY_PAGE: Page = { rows: [], nextCursor: null, number: 1 };

/** GET /drifts's query for the URL's filters and sort: the same object while they are the same. */
export function useDriftParams(url: UrlState): DriftParams {
  // A string key, so that an unrelated URL change (selection, view) keeps the same query.
  const paramsKey = JSON.stringify(driftQuery(url));
  return useMemo<DriftParams>(() => JSON.parse(paramsKey), [paramsKey]);
}

export interface DriftTableData {
  /** The page shown: the URL's page once loaded, until then the one before. */
  readonly page: Page;
  readonly loading: boolean;
  readonly error: string | null;
  /** Live drifts that match but belong above this page (another page or sort). */
  readonly hiddenNew: number;
  /** A drift whose status changed: its row follows, or leaves. True when it was on the page. */
  readonly updateRow: (drift: Drift) => boolean;
  /** A drift from the live feed: updated, put on top (true), or counted as hidden. */
  readonly addLive: (drift: Drift) => boolean;
}

/**
 * The drift table's page: server-side filters, sort and cursor pagination, the page number in the
 * URL. Live drifts are merged into the cached page of the current query, so a reload and the live
 * feed agree. `onGone` hears of each row that leaves because its status no longer matches.
 */
export function useDriftTable(options: {
  readonly api: Api;
  readonly params: DriftParams;
  readonly url: UrlState;
  readonly navigate: Navigate;
  readonly describeError: (err: unknown) => string;
  readonly onGone: (id: string) => void;
}): DriftTableData {
  const { api, params, url, navigate, describeError, onGone } = options;
  const client = useQueryClient();
  const key = queryKeys.page(params, url.page);
  const query = useQuery({
    queryKey: key,
    queryFn: () => fetchPage(api, client, params, url.page),
    placeholderData: keepPreviousData,
  });

  // Fewer pages than the link says (drifts were resolved since): back to the first.
  const pastEnd = query.data === null && !query.isPlaceholderData;
  useEffect(() => {
    if (pastEnd) navigate((s) => ({ ...s, page: 1 }), { replace: true });
  }, [pastEnd, navigate]);

  // A failed load keeps the rows of the last one on screen, under the error.
  const lastShown = useRef<Page>(EMPTY_PAGE);
  if (query.data) lastShown.current = query.data;
  const page = query.data ?? lastShown.current;

  const [hiddenNew, setHiddenNew] = useState(0);
  // Each load from the server shows the latest: nothing is hidden above it any more.
  const loaded = query.isSuccess && !query.isFetching;
  useEffect(() => {
    if (loaded) setHiddenNew(0);
  }, [loaded]);

  const latest = useRef({ url, key });
  latest.current = { url, key };
  const updateRow = useCallback(
    (drift: Drift): boolean => {
      const { url: current, key: currentKey } = latest.current;
      const cached = client.getQueryData<Page | null>(currentKey);
      if (!cached?.rows.some((row) => row.id === drift.id)) return false;
      if (matchesFilters(drift, current.filters)) {
        client.setQueryData<Page | null>(currentKey, (p) =>
          p ? { ...p, rows: p.rows.map((row) => (row.id === drift.id ? drift : row)) } : p,
        );
        return true;
      }
      client.setQueryData<Page | null>(currentKey, (p) => {
        if (!p) return p;
        const rows = p.rows.filter((row) => row.id !== drift.id);
        const gone = p.rows.length - rows.length;
        return { ...p, rows, total: p.total === undefined ? undefined : Math.max(0, p.total - gone) };
      });
      onGone(drift.id);
      return true;
    },
    [client, onGone],
  );

  const addLive = useCallback(
    (drift: Drift): boolean => {
      if (updateRow(drift)) return false;
      const { url: current, key: currentKey } = latest.current;
      // A status change of a drift not on this page is not a new drift: no "new" row for it.
      if (drift.statusChangedAt || drift.status !== 'open') return false;
      if (!matchesFilters(drift, current.filters)) return false;
      const onTop = current.page === 1 && current.sort === 'time' && current.order === 'desc';
      if (!onTop) {
        setHiddenNew((n) => n + 1);
        return false;
      }
      client.setQueryData<Page | null>(currentKey, (p) =>
        p
          ? {
              ...p,
              rows: [drift, ...p.rows.filter((row) => row.id !== drift.id)].slice(0, MAX_LIVE_ROWS),
              total: p.total === undefined ? undefined : p.total + 1,
            }
          : p,
      );
      return true;
    },
    [client, updateRow],
  );

  return {
    page,
    loading: query.isFetching,
    error: query.error ? describeError(query.error) : null,
    hiddenNew,
    updateRow,
    addLive,
  };
}
