// Drift <-> DynamoDB item. The finding travels as a JSON string (`body`), its lifecycle and the
// attributes the indexes need as top-level attributes (see drift-table-design.ts).

import { sortTimeOf } from '../../core/drift-query.js';
import type { Drift, Finding } from '../../core/types.js';
import { DRIFT_ATTR as A, ALL_PARTITION, DEFAULT_RETENTION_DAYS } from './drift-table-design.js';

/** Raw events larger than this are not stored (DynamoDB items are limited to 400 KB). */
const MAX_RAW_EVENT_CHARS = 300_000;

export type DriftItem = Record<string, unknown>;

/** Findings whose JSON is larger have their long strings shortened (attacker-sized user agents, names). */
const MAX_BODY_CHARS = 64_000;
const MAX_STRING_CHARS = 2_000;
/** Key attributes must stay under DynamoDB's key limits (1 KB for a sort key). */
const MAX_KEY_CHARS = 500;

/** A copy of `value` with every string longer than `max` shortened and marked (keeps items under 400 KB). */
export function clipStrings<T>(value: T, max = MAX_STRING_CHARS): T {
  if (typeof value === 'string') {
    return (
      value.length > max ? `${value.slice(0, max)}…(${value.length - max} more characters)` : value
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => clipStrings(v, max)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v, max)])) as T;
  }
  return value;
}

/** JSON of `value`, its long strings shortened when the whole is over `maxChars`. */
export function boundedJson(value: unknown, maxChars = MAX_BODY_CHARS): string {
  const text = JSON.stringify(value);
  return text.length > maxChars ? JSON.stringify(clipStrings(value)) : text;
}

const keyText = (text: string) => (text.length > MAX_KEY_CHARS ? text.slice(0, MAX_KEY_CHARS) : text);

/** The key a resource's history is kept under: its address, or its id when unmanaged. */
export function resourceKeyOf(finding: Pick<Finding, 'resource'>): string {
  const { address, id, type } = finding.resource;
  return address || id || `${type}:unknown`;
}

/** ISO time with milliseconds (so string order is time order); null when unparsable. */
export function toItem(drift: Drift, seq: number, retentionDays = DEFAULT_RETENTION_DAYS): DriftItem {
  const { status, detectedAt, statusChangedAt, statusChangedBy, statusComment, rawEvent, ...finding } = drift;
  let raw = rawEvent === undefined ? undefined : JSON.stringify(rawEvent);
  if (raw && raw.length > MAX_RAW_EVENT_CHARS) {
    raw = JSON.stringify({
      note: `raw event not stored: ${raw.length} characters is over the item size limit`,
    });
  }
  const detectedMs = Date.parse(detectedAt);
  const item: DriftItem = {
    [A.id]: drift.id,
    [A.allPartition]: ALL_PARTITION,
    [A.sortTime]: keyText(sortTimeOf(drift)),
    [A.status]: status,
    [A.severity]: drift.severity,
    [A.kind]: drift.kind,
    [A.resourceType]: keyText(drift.resource.type),
    [A.resourceKey]: keyText(resourceKeyOf(drift)),
    [A.seq]: seq,
    [A.body]: boundedJson(finding),
    [A.detectedAt]: detectedAt,
    [A.expiresAt]:
      Math.floor((Number.isNaN(detectedMs) ? Date.now() : detectedMs) / 1000) + retentionDays * 86_400,
  };
  // Index keys may not be empty strings: a drift without a resource id is simply absent from byResourceId.
  if (drift.resource.id) item[A.resourceId] = keyText(drift.resource.id);
  if (raw !== undefined) item[A.rawEvent] = raw;
  if (statusChangedAt) item[A.statusChangedAt] = statusChangedAt;
  if (statusChangedBy) item[A.statusChangedBy] = statusChangedBy;
  if (statusComment) item[A.statusComment] = statusComment;
  return item;
}

/** The drift an item holds; undefined for items that are not drifts (the counter). */
export function fromItem(item: DriftItem | undefined): Drift | undefined {
  if (!item || typeof item[A.body] !== 'string') return undefined;
  const finding = JSON.parse(item[A.body] as string) as Finding;
  const drift: Drift = {
    ...finding,
    status: item[A.status] as Drift['status'],
    detectedAt: item[A.detectedAt] as string,
    ...(item[A.statusChangedAt] ? { statusChangedAt: item[A.statusChangedAt] as string } : {}),
    ...(item[A.statusChangedBy] ? { statusChangedBy: item[A.statusChangedBy] as string } : {}),
    ...(item[A.statusComment] ? { statusComment: item[A.statusComment] as string } : {}),
    ...(typeof item[A.rawEvent] === 'string' ? { rawEvent: JSON.parse(item[A.rawEvent] as string) } : {}),
  };
  return drift;
}

export function seqOf(item: DriftItem): number {
  return Number(item[A.seq] ?? 0);
}
