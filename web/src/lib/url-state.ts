// View, filters and selection live in the URL hash so that links can be shared and
// back/forward works. Auth tokens that arrive in the hash are taken out before this runs.

import { DRIFT_SORT_FIELDS, type DriftSortField } from '../../../lambdas/core/drift-query.js';

export type ViewMode = 'split' | 'graph' | 'table';

export const SORT_KEYS = DRIFT_SORT_FIELDS;
export type SortKey = DriftSortField;

export interface Filters {
  readonly status: readonly string[];
  readonly severity: readonly string[];
  readonly kind: readonly string[];
  readonly type: readonly string[];
  readonly actor: string;
  readonly resource: string;
  readonly from: string;
  readonly to: string;
  readonly q: string;
}

export interface UrlState {
  readonly view: ViewMode;
  readonly filters: Filters;
  readonly sort: SortKey;
  readonly order: 'asc' | 'desc';
  /** Selected drift id (detail panel open). */
  readonly drift: string | null;
  /** Selected graph node id. */
  readonly node: string | null;
  /** Page of the drift table, from 1. */
  readonly page: number;
}

export const EMPTY_FILTERS: Filters = {
  status: [],
  severity: [],
  kind: [],
  type: [],
  actor: '',
  resource: '',
  from: '',
  to: '',
  q: '',
};

/** What the dashboard shows with nothing in the URL: the drifts that still need someone. */
export const DEFAULT_FILTERS: Filters = { ...EMPTY_FILTERS, status: ['open'] };

/** `status=any` in the URL: every status (no status filter), as opposed to the default (open). */
const ANY_STATUS = 'any';

export const DEFAULT_STATE: UrlState = {
  view: 'split',
  filters: DEFAULT_FILTERS,
  sort: 'time',
  order: 'desc',
  drift: null,
  node: null,
  page: 1,
};

const list = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

export function parseHash(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const view = params.get('view');
  const sort = params.get('sort');
  const status = params.get('status');
  const page = Number.parseInt(params.get('page') ?? '', 10);
  return {
    view: view === 'graph' || view === 'table' ? view : 'split',
    sort: (SORT_KEYS as readonly string[]).includes(sort ?? '') ? (sort as SortKey) : 'time',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    drift: params.get('drift'),
    node: params.get('node'),
    page: Number.isSafeInteger(page) && page > 1 ? page : 1,
    filters: {
      status: status === null ? DEFAULT_FILTERS.status : status === ANY_STATUS ? [] : list(status),
      severity: list(params.get('severity')),
      kind: list(params.get('kind')),
      type: list(params.get('type')),
      actor: params.get('actor') ?? '',
      resource: params.get('resource') ?? '',
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      q: params.get('q') ?? '',
    },
  };
}

export function toHash(state: UrlState): string {
  const params = new URLSearchParams();
  if (state.view !== 'split') params.set('view', state.view);
  for (const [key, value] of Object.entries(state.filters)) {
    const text = Array.isArray(value) ? value.join(',') : (value as string);
    if (key === 'status') {
      if (text !== DEFAULT_FILTERS.status.join(',')) params.set(key, text || ANY_STATUS);
    } else if (text) params.set(key, text);
  }
  if (state.page > 1) params.set('page', String(state.page));
  if (state.sort !== 'time') params.set('sort', state.sort);
  if (state.order !== 'desc') params.set('order', state.order);
  if (state.node) params.set('node', state.node);
  if (state.drift) params.set('drift', state.drift);
  const text = params.toString();
  return text ? `#${text}` : '#';
}

/** Query parameters of GET /drifts for these filters and this sort (docs/api.md). */
export function driftQuery(state: UrlState): Record<string, string> {
  return { sort: state.sort, order: state.order, ...filterParams(state.filters) };
}

/** The filters as GET /drifts's query parameters (the empty ones left out). */
export function filterParams(filters: Filters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    const text = Array.isArray(value) ? value.join(',') : (value as string).trim();
    if (!text) continue;
    params[key] = key === 'from' || key === 'to' ? toIso(text) : text;
  }
  return params;
}

/** datetime-local inputs give local time without a zone; the API wants ISO. */
function toIso(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}
