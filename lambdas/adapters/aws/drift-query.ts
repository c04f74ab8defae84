// The parts of a drift query that need no database: the filter every returned drift must pass, the
// column comparators for non-time sorts, and the opaque cursor format (base64url JSON).

import { InputError } from '../../core/errors.js';
import { type Drift, SEVERITIES } from '../../core/types.js';
import type { DriftQuery, DriftSortField } from '../../ports.js';
import { isoMs, sortTimeOf } from './drift-item.js';

export interface TimeCursor {
  /** Time-ordered page: the sortTime of the last drift handed out (exclusive bound). */
  readonly k: string;
}
export interface OffsetCursor {
  /** Column-sorted page: offset into the sorted window, and the sort it belongs to. */
  readonly o: number;
  readonly s: string;
}
export type Cursor = TimeCursor | OffsetCursor;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('invalid cursor: pass back the nextCursor of a previous page unchanged');
  }
  const v = value as Record<string, unknown>;
  if (v && typeof v === 'object' && typeof v.k === 'string') return { k: v.k };
  if (
    v &&
    typeof v === 'object' &&
    Number.isInteger(v.o) &&
    (v.o as number) >= 0 &&
    typeof v.s === 'string'
  ) {
    return { o: v.o as number, s: v.s };
  }
  throw new InputError('invalid cursor: pass back the nextCursor of a previous page unchanged');
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

const rank = (d: Drift) => SEVERITIES.indexOf(d.severity);
const text: Record<Exclude<DriftSortField, 'time' | 'severity'>, (d: Drift) => string> = {
  kind: (d) => d.kind,
  address: (d) => d.resource.address ?? d.resource.id ?? '',
  type: (d) => d.resource.type,
  attribute: (d) => d.changes[0]?.attribute ?? '',
  actor: (d) => d.actor.name ?? d.actor.arn ?? '',
  event: (d) => d.event.name,
  status: (d) => d.status,
};

/** Comparator for a column; ties fall back to time, newest first, so pages are stable. */
export function comparator(field: DriftSortField, order: 'asc' | 'desc'): (a: Drift, b: Drift) => number {
  const sign = order === 'asc' ? 1 : -1;
  const byTime = (a: Drift, b: Drift) => sortTimeOf(b).localeCompare(sortTimeOf(a));
  if (field === 'time') return (a, b) => -sign * byTime(a, b);
  const primary =
    field === 'severity'
      ? (a: Drift, b: Drift) => rank(a) - rank(b)
      : (a: Drift, b: Drift) => text[field](a).localeCompare(text[field](b));
  return (a, b) => sign * primary(a, b) || byTime(a, b);
}
