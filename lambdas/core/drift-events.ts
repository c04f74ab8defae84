// Drift events (docs/drift-events.md): the one JSON document that leaves tfdrift for each new drift
// and each status change — put on EventBridge (source `tfdrift`), POSTed to webhooks, and read by
// the chat, PagerDuty and Security Hub mappings. Built here, pure, from a drift that the detector
// has already redacted; the raw CloudTrail record never travels (it is large and all hostile).

import {
  DRIFT_KINDS,
  DRIFT_STATUSES,
  type Drift,
  type DriftKind,
  type DriftStatus,
  type Finding,
  SEVERITIES,
  type Severity,
} from './types.js';

export const DRIFT_EVENT_SOURCE = 'tfdrift';
export const DRIFT_DETECTED = 'Drift Detected';
export const DRIFT_STATUS_CHANGED = 'Drift Status Changed';
export type DriftEventType = typeof DRIFT_DETECTED | typeof DRIFT_STATUS_CHANGED;

/**
 * EventBridge refuses entries over 256 KB (Detail, Source, DetailType and Resources together);
 * a detail above this is shrunk (values first) so that one huge policy never loses the event.
 */
export const MAX_DETAIL_BYTES = 200 * 1024;
const MAX_SHRUNK_VALUE = 1024;

/** What a status change was: from which status to which, by whom, when and why. */
export interface StatusChangeDetail {
  readonly previous: DriftStatus;
  readonly status: DriftStatus;
  readonly by: string;
  readonly comment?: string;
  readonly at: string;
}

/** The finding (redacted) and its lifecycle; `statusChange` only on `Drift Status Changed`. */
export type DriftEventDetail = Finding & {
  readonly status: DriftStatus;
  readonly detectedAt: string;
  readonly statusChangedAt?: string;
  readonly statusChangedBy?: string;
  readonly statusComment?: string;
  /** The drift in the dashboard, when its address is known. */
  readonly url?: string;
  readonly statusChange?: StatusChangeDetail;
  /** True when values were cut to keep the event within EventBridge's size limit. */
  readonly truncated?: boolean;
};

/** The document: EventBridge's own envelope fields, as a rule target or a webhook receives them. */
export interface DriftEvent {
  readonly source: typeof DRIFT_EVENT_SOURCE;
  readonly 'detail-type': DriftEventType;
  /** When it happened: detection time, or the time of the status change. */
  readonly time: string;
  /** The resource's ARN when known (EventBridge `resources`). */
  readonly resources: readonly string[];
  readonly detail: DriftEventDetail;
}

export interface DriftEventOptions {
  /** Dashboard base URL, e.g. https://d111.cloudfront.net or http://127.0.0.1:8080. */
  readonly dashboardUrl?: string;
}

/** The dashboard link of a drift: the dashboard reads `#drift=<id>` (web/src/lib/url-state.ts). */
export function driftLink(baseUrl: string, driftId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/#drift=${encodeURIComponent(driftId)}`;
}

function findingDetail(drift: Drift, options: DriftEventOptions): DriftEventDetail {
  const { rawEvent: _raw, ...rest } = drift;
  return {
    ...rest,
    ...(options.dashboardUrl ? { url: driftLink(options.dashboardUrl, drift.id) } : {}),
  };
}

function byteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

function shrinkValue(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_SHRUNK_VALUE ? `${text.slice(0, MAX_SHRUNK_VALUE)}... (truncated)` : value;
}

/** Cuts long values, then the event history and the summary, until the detail fits. */
function withinLimit(detail: DriftEventDetail): DriftEventDetail {
  if (byteLength(detail) <= MAX_DETAIL_BYTES) return detail;
  let shrunk: DriftEventDetail = {
    ...detail,
    truncated: true,
    changes: detail.changes.map((c) => ({
      attribute: String(shrinkValue(c.attribute)),
      expected: shrinkValue(c.expected),
      actual: shrinkValue(c.actual),
    })),
    summary: String(shrinkValue(detail.summary)),
  };
  if (byteLength(shrunk) > MAX_DETAIL_BYTES && shrunk.events) {
    const last = shrunk.events.slice(-20);
    shrunk = { ...shrunk, events: last, actors: (shrunk.actors ?? []).slice(0, 20) };
  }
  if (byteLength(shrunk) > MAX_DETAIL_BYTES) {
    // Only hostile input gets here (e.g. megabyte-long names): keep the identity, drop the rest.
    shrunk = { ...shrunk, changes: [], events: undefined, actors: undefined };
    const { events: _e, actors: _a, ...bare } = shrunk;
    shrunk = bare;
  }
  return shrunk;
}

function envelope(type: DriftEventType, time: string, detail: DriftEventDetail): DriftEvent {
  const arn = detail.resource.arn;
  return {
    source: DRIFT_EVENT_SOURCE,
    'detail-type': type,
    time,
    resources: arn ? [arn] : [],
    detail: withinLimit(detail),
  };
}

/** `Drift Detected`: a new drift, as stored. */
export function driftDetectedEvent(drift: Drift, options: DriftEventOptions = {}): DriftEvent {
  return envelope(DRIFT_DETECTED, drift.detectedAt, findingDetail(drift, options));
}

/** `Drift Status Changed`: `drift` is the drift after the change; `change` says what changed. */
export function driftStatusChangedEvent(
  drift: Drift,
  change: StatusChangeDetail,
  options: DriftEventOptions = {},
): DriftEvent {
  const statusChange: StatusChangeDetail = {
    previous: change.previous,
    status: change.status,
    by: change.by,
    ...(change.comment ? { comment: change.comment } : {}),
    at: change.at,
  };
  return envelope(DRIFT_STATUS_CHANGED, change.at, { ...findingDetail(drift, options), statusChange });
}

/**
 * A drift event as it comes back from a bus (EventBridge adds `version`, `id`, `account`, `region`):
 * checked field by field, since anyone allowed to put events on the bus can put `source: tfdrift`.
 * Throws an Error naming the first field that is wrong.
 */
export function parseDriftEvent(raw: unknown): DriftEvent {
  const fail = (what: string): never => {
    throw new Error(`not a tfdrift drift event: ${what}`);
  };
  const obj = (v: unknown, what: string) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(`${what} is not an object`);
  const str = (v: unknown, what: string) =>
    typeof v === 'string' && v !== '' ? v : fail(`${what} is not a string`);
  const nullable = (v: unknown, what: string) =>
    v === null || typeof v === 'string' ? v : fail(`${what} is not a string or null`);
  const e = obj(raw, 'the event');
  if (e.source !== DRIFT_EVENT_SOURCE) fail('source is not tfdrift');
  const type = e['detail-type'];
  if (type !== DRIFT_DETECTED && type !== DRIFT_STATUS_CHANGED) fail('unknown detail-type');
  const d = obj(e.detail, 'detail');
  str(d.id, 'detail.id');
  if (!DRIFT_KINDS.includes(d.kind as DriftKind)) fail('detail.kind');
  if (!SEVERITIES.includes(d.severity as Severity)) fail('detail.severity');
  if (!DRIFT_STATUSES.includes(d.status as DriftStatus)) fail('detail.status');
  str(d.ruleId, 'detail.ruleId');
  str(d.summary, 'detail.summary');
  str(d.detectedAt, 'detail.detectedAt');
  const r = obj(d.resource, 'detail.resource');
  str(r.type, 'detail.resource.type');
  for (const k of ['address', 'id', 'arn', 'stateFile']) nullable(r[k], `detail.resource.${k}`);
  const a = obj(d.actor, 'detail.actor');
  str(a.type, 'detail.actor.type');
  for (const k of ['arn', 'name']) nullable(a[k], `detail.actor.${k}`);
  const ev = obj(d.event, 'detail.event');
  for (const k of ['id', 'name', 'source', 'time', 'region', 'account']) str(ev[k], `detail.event.${k}`);
  if (!Array.isArray(d.changes)) fail('detail.changes is not a list');
  for (const c of d.changes as unknown[]) str(obj(c, 'a change').attribute, 'a change attribute');
  if (type === DRIFT_STATUS_CHANGED) {
    const s = obj(d.statusChange, 'detail.statusChange');
    if (
      !DRIFT_STATUSES.includes(s.previous as DriftStatus) ||
      !DRIFT_STATUSES.includes(s.status as DriftStatus)
    )
      fail('detail.statusChange status');
    str(s.by, 'detail.statusChange.by');
    str(s.at, 'detail.statusChange.at');
  }
  return {
    source: DRIFT_EVENT_SOURCE,
    'detail-type': type as DriftEventType,
    time: typeof e.time === 'string' ? e.time : str(d.detectedAt, 'detail.detectedAt'),
    resources: Array.isArray(e.resources)
      ? e.resources.filter((x): x is string => typeof x === 'string')
      : [],
    detail: d as unknown as DriftEventDetail,
  };
}
