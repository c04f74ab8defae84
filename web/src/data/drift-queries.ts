// The dashboard's server data, as TanStack Query keys and fetchers. A page of the drift table is
// keyed on GET /drifts's query (the parameters lambdas/core/drift-query.ts parses) and its page
// number, so a response can only ever fill the entry it was asked for: one that arrives late, for
// filters the user has since left, lands in that old entry and never in the table on screen.

import type { QueryClient } from '@tanstack/react-query';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../lambdas/core/drift-query.js';
import type { Api } from '../api.js';
import { nodeIdOf } from '../lib/format.js';
import type { Drift, DriftDetail } from '../types.js';

/** Rows of the drift table per page: the API's default page. */
export const PAGE_SIZE = DEFAULT_PAGE_SIZE;

/** GET /drifts's query parameters (sort, order and filters; no limit or cursor). */
export type DriftParams = Readonly<Record<string, string>>;

export interface Page {
  readonly rows: readonly Drift[];
  readonly nextCursor: string | null;
  readonly total?: number;
  /** 1-based page number (the URL's `page`). */
  readonly number: number;
}

export const queryKeys = {
  /** Everything read from GET /drifts. */
  drifts: ['drifts'] as const,
  page: (params: DriftParams, number: number) => ['drifts', 'page', params, number] as const,
  /** The latest open drift of each resource (what a graph node shows and opens). */
  latestOpen: ['drifts', 'latest-open'] as const,
  /** One drift with its event and history (GET /drifts/{id}). */
  detail: (id: string) => ['drift', id] as const,
  graph: ['graph'] as const,
  summary: ['summary'] as const,
};

/**
 * The cursor of page `number` (null for the first; undefined when there are fewer pages). The
 * page before it, when cached, has it; a link straight to page N walks the N-1 pages before it in
 * as few requests as the API allows.
 */
async function cursorOf(
  api: Api,
  client: QueryClient,
  params: DriftParams,
  number: number,
): Promise<string | null | undefined> {
  if (number <= 1) return null;
  const before = client.getQueryData<Page | null>(queryKeys.page(params, number - 1));
  if (before?.nextCursor) return before.nextCursor;
  let cursor: string | null = null;
  let remaining = (number - 1) * PAGE_SIZE;
  while (remaining > 0) {
    const limit = Math.min(MAX_PAGE_SIZE, remaining);
    const result = await api.drifts({ ...params, limit: String(limit), ...(cursor ? { cursor } : {}) });
    cursor = result.nextCursor;
    remaining -= limit;
    if (!cursor) return undefined;
  }
  return cursor;
}

/** Page `number` of the drifts matching `params`; null when there are fewer pages than that. */
export async function fetchPage(
  api: Api,
  client: QueryClient,
  params: DriftParams,
  number: number,
): Promise<Page | null> {
  const cursor = await cursorOf(api, client, params, number);
  if (cursor === undefined) return null;
  const result = await api.drifts({ ...params, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
  return { rows: result.items, nextCursor: result.nextCursor, total: result.total, number };
}

/** Every drift matching `params`, page after page of the largest size. */
export async function fetchAllMatching(api: Api, params: DriftParams): Promise<Drift[]> {
  const found: Drift[] = [];
  let cursor: string | null = null;
  do {
    const result = await api.drifts({
      ...params,
      limit: String(MAX_PAGE_SIZE),
      ...(cursor ? { cursor } : {}),
    });
    found.push(...result.items);
    cursor = result.nextCursor;
  } while (cursor);
  return found;
}

/** The latest open drift of each graph node, from the newest open drifts. */
export async function fetchLatestOpen(api: Api): Promise<ReadonlyMap<string, Drift>> {
  const result = await api.drifts({
    status: 'open',
    sort: 'time',
    order: 'desc',
    limit: String(MAX_PAGE_SIZE),
  });
  const latestByNode = new Map<string, Drift>();
  for (const drift of result.items)
    if (!latestByNode.has(nodeIdOf(drift))) latestByNode.set(nodeIdOf(drift), drift);
  return latestByNode;
}

/** A status change replaces the who/when/why of the last one; a field it omits is gone. */
export function withStatus<T extends Drift>(drift: T, updated: Drift): T {
  return {
    ...drift,
    ...updated,
    statusChangedAt: updated.statusChangedAt,
    statusChangedBy: updated.statusChangedBy,
    statusComment: updated.statusComment,
  };
}

/**
 * A drift changed (here, or elsewhere and heard live): its cached detail follows, keeping the
 * event and history it was read with.
 */
export function updateCachedDetail(client: QueryClient, updated: Drift): void {
  client.setQueryData<DriftDetail>(queryKeys.detail(updated.id), (detail) =>
    detail
      ? {
          ...withStatus(detail, updated),
          rawEvent: detail.rawEvent ?? updated.rawEvent,
          history: detail.history,
        }
      : detail,
  );
}
