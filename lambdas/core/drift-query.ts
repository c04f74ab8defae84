// The drift query, one definition for every side that filters drifts: GET /drifts parses it here,
// the store (DynamoDB in AWS, dynalite locally) applies matchesQuery to what its keyed reads return
// and sorts columns with compareDrifts, and the dashboard decides with the same functions whether a
// drift that arrives on the live feed belongs in the table it shows.

import { InputError } from './errors.js';
import { compareText } from './text-order.js';
import {
  DRIFT_KINDS,
  DRIFT_STATUSES,
  type Drift,
  type DriftKind,
  type DriftStatus,
  SEVERITIES,
  type Severity,
} from './types.js';

/** Columns the drift list sorts on (the HTTP API's `sort` values and the dashboard's columns). */
export const DRIFT_SORT_FIELDS = [
  'time',
  'severity',
  'kind',
  'address',
  'type',
  'attribute',
  'actor',
  'event',
  'status',
] as const;
export type DriftSortField = (typeof DRIFT_SORT_FIELDS)[number];

export interface DriftQuery {
  readonly status?: readonly DriftStatus[];
  readonly severity?: readonly Severity[];
  readonly kind?: readonly DriftKind[];
  readonly resourceType?: readonly string[];
  /** Substring of actor name or ARN, any case. */
  readonly actor?: string;
  /** Exact resource address or id (what the store's resource indexes are keyed on; not the ARN). */
  readonly resource?: string;
  /** ISO times, inclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Free text, any case, over address, id, ARN, type, attribute names, actor, event name, summary. */
  readonly text?: string;
  readonly sort?: DriftSortField;
  readonly order?: 'asc' | 'desc';
  readonly limit?: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
}

/** GET /drifts's query parameters (docs/api.md). */
export const DRIFT_QUERY_PARAMS = [
  'status',
  'severity',
  'kind',
  'type',
  'actor',
  'resource',
  'from',
  'to',
  'q',
  'sort',
  'order',
  'limit',
  'cursor',
] as const;

/** The largest page GET /drifts hands out, and the one it hands out when none is asked for. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** Throws an InputError naming the first parameter that is not one of `known`. */
export function refuseUnknownParams(
  params: Record<string, string | undefined>,
  known: readonly string[],
): void {
  for (const name of Object.keys(params)) {
    if (!known.includes(name)) {
      throw new InputError(
        `unknown query parameter "${name.slice(0, 40)}"${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      );
    }
  }
}

/** A whole number parameter from `min` to `max`; `fallback` when absent. */
export function wholeNumberParam(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new InputError(`${name}: must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function listParam<T extends string>(
  name: string,
  raw: string | undefined,
  allowed?: readonly T[],
): T[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const values = raw
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const value of values) {
    if (allowed && !allowed.includes(value as T)) {
      throw new InputError(`${name}: unknown value "${value.slice(0, 40)}" (expected ${allowed.join(', ')})`);
    }
  }
  return values as T[];
}

function textParam(name: string, raw: string | undefined, max = 200): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > max) throw new InputError(`${name}: at most ${max} characters`);
  return raw;
}

function timeParam(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new InputError(`${name}: "${raw.slice(0, 40)}" is not an ISO time (e.g. 2026-01-01T00:00:00Z)`);
  }
  return new Date(Date.parse(raw)).toISOString();
}

/** GET /drifts's query parameters as a query; an InputError names the first bad parameter. */
export function parseDriftQuery(params: Record<string, string | undefined>): DriftQuery {
  refuseUnknownParams(params, DRIFT_QUERY_PARAMS);
  const order = params.order;
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new InputError('order: must be asc or desc');
  }
  const sort = params.sort;
  if (sort !== undefined && !DRIFT_SORT_FIELDS.includes(sort as DriftSortField)) {
    throw new InputError(
      `sort: unknown column "${sort.slice(0, 40)}" (expected ${DRIFT_SORT_FIELDS.join(', ')})`,
    );
  }
  const from = timeParam('from', params.from);
  const to = timeParam('to', params.to);
  if (from && to && from > to) throw new InputError('from: must not be after to');
  return {
    status: listParam('status', params.status, DRIFT_STATUSES),
    severity: listParam('severity', params.severity, SEVERITIES),
    kind: listParam('kind', params.kind, DRIFT_KINDS),
    resourceType: listParam('type', params.type),
    actor: textParam('actor', params.actor),
    resource: textParam('resource', params.resource, 2048),
    from,
    to,
    text: textParam('q', params.q),
    sort: sort as DriftSortField | undefined,
    order: order as 'asc' | 'desc' | undefined,
    limit: wholeNumberParam('limit', params.limit, 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
    cursor: textParam('cursor', params.cursor, 4096),
  };
}

/** A time as ISO with milliseconds (so times compare as strings), or null when it is not a time. */
export function isoMs(time: string): string | null {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A drift's place in time order: event time (else detection time), then id, so no two tie. */
export function sortTimeOf(drift: Pick<Drift, 'id' | 'event' | 'detectedAt'>): string {
  return `${isoMs(drift.event.time) ?? isoMs(drift.detectedAt) ?? drift.detectedAt}#${drift.id}`;
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

/** True when the drift passes every filter of the query. */
export function matchesQuery(drift: Drift, q: DriftQuery): boolean {
  if (q.status?.length && !q.status.includes(drift.status)) return false;
  if (q.severity?.length && !q.severity.includes(drift.severity)) return false;
  if (q.kind?.length && !q.kind.includes(drift.kind)) return false;
  if (q.resourceType?.length && !q.resourceType.includes(drift.resource.type)) return false;
  if (q.resource && drift.resource.address !== q.resource && drift.resource.id !== q.resource) return false;
  if (q.actor) {
    const needle = q.actor.toLowerCase();
    if (!lower(drift.actor.name).includes(needle) && !lower(drift.actor.arn).includes(needle)) return false;
  }
  const time = isoMs(drift.event.time) ?? drift.event.time;
  if (q.from && time < (isoMs(q.from) ?? q.from)) return false;
  if (q.to && time > (isoMs(q.to) ?? q.to)) return false;
  if (q.text) {
    const needle = q.text.toLowerCase();
    const haystack = [
      drift.resource.address,
      drift.resource.id,
      drift.resource.arn,
      drift.resource.type,
      drift.actor.name,
      drift.actor.arn,
      drift.event.name,
      drift.summary,
      ...drift.changes.map((c) => c.attribute),
    ];
    if (!haystack.some((s) => lower(s).includes(needle))) return false;
  }
  return true;
}

const severityRank = (d: Drift) => SEVERITIES.indexOf(d.severity);
const columnText: Record<Exclude<DriftSortField, 'time' | 'severity'>, (d: Drift) => string> = {
  kind: (d) => d.kind,
  address: (d) => d.resource.address ?? d.resource.id ?? '',
  type: (d) => d.resource.type,
  attribute: (d) => d.changes[0]?.attribute ?? '',
  actor: (d) => d.actor.name ?? d.actor.arn ?? '',
  event: (d) => d.event.name,
  status: (d) => d.status,
};

/** Comparator for a column; ties fall back to time, newest first, so pages are stable. */
export function compareDrifts(field: DriftSortField, order: 'asc' | 'desc'): (a: Drift, b: Drift) => number {
  const sign = order === 'asc' ? 1 : -1;
  const byTime = (a: Drift, b: Drift) => compareText(sortTimeOf(b), sortTimeOf(a));
  if (field === 'time') return (a, b) => -sign * byTime(a, b);
  const primary =
    field === 'severity'
      ? (a: Drift, b: Drift) => severityRank(a) - severityRank(b)
      : (a: Drift, b: Drift) => compareText(columnText[field](a), columnText[field](b));
  return (a, b) => sign * primary(a, b) || byTime(a, b);
}
