// Drift from before tfdrift watched: CloudTrail's event history (LookupEvents, the last 90 days of
// management events) read for a window, write events only, as the records a trail would have
// logged. LookupEvents answers 50 events a page, newest first, and allows 2 requests per second
// per account and region: each region is paced to that, a ThrottlingException is retried with
// backoff, and the records are handed on oldest first, the order the detector expects.

import {
  type CloudTrailClient,
  type Event as LookupEvent,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { EventInput } from '../local/event-files.js';

/** CloudTrail keeps event history for 90 days. */
export const MAX_LOOKUP_DAYS = 90;
export const PAGE_SIZE = 50;
/** LookupEvents' quota: 2 requests per second per account and region. */
export const MIN_REQUEST_GAP_MS = 500;

export interface LookupWindow {
  readonly start: Date;
  readonly end: Date;
}

export interface CloudTrailLookupOptions {
  /** One client per region (each carries its region and the credentials). */
  readonly clients: readonly CloudTrailClient[];
  readonly window: LookupWindow;
  /** Attempts per page when throttled, the first included. @default 6 */
  readonly maxAttempts?: number;
  /** First backoff after a throttle, doubled each time. @default 1000 ms */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Called after each page (progress). */
  readonly onPage?: (region: string, events: number) => void;
}

/** `7d`, `36h`: a window that ends now; at most 90 days (the history CloudTrail keeps). */
export function parseLookupWindow(text: string, now: Date): LookupWindow {
  const match = /^(\d+)([dh])$/.exec(text.trim());
  if (!match)
    throw new Error(`--lookup: expected a duration like 7d or 36h, got ${JSON.stringify(text.slice(0, 40))}`);
  const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1);
  if (hours < 1) throw new Error('--lookup: the window must be at least 1h');
  if (hours > MAX_LOOKUP_DAYS * 24) {
    throw new Error(
      `--lookup: CloudTrail keeps ${MAX_LOOKUP_DAYS} days of event history; ask for at most ${MAX_LOOKUP_DAYS}d`,
    );
  }
  return { start: new Date(now.getTime() - hours * 3_600_000), end: now };
}

function isThrottle(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'ThrottlingException' ||
    e?.Code === 'ThrottlingException' ||
    e?.name === 'TooManyRequestsException' ||
    e?.$metadata?.httpStatusCode === 429
  );
}

function recordOf(event: LookupEvent, origin: string): EventInput {
  if (typeof event.CloudTrailEvent !== 'string') {
    return {
      ok: false,
      origin,
      error: `event ${event.EventId ?? '(no id)'}: no CloudTrailEvent in the answer`,
    };
  }
  try {
    const record = JSON.parse(event.CloudTrailEvent) as unknown;
    if (!record || typeof record !== 'object' || Array.isArray(record)) throw new Error('not a JSON object');
    return { ok: true, origin, record: record as Record<string, unknown> };
  } catch (error) {
    return {
      ok: false,
      origin,
      error: `event ${event.EventId ?? '(no id)'}: CloudTrailEvent is not a record: ${(error as Error).message}`,
    };
  }
}

function timeOf(input: EventInput): number {
  if (!input.ok) return Number.NEGATIVE_INFINITY; // errors first: reported, never reordered away
  const t = Date.parse(String(input.record.eventTime ?? ''));
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** Oldest first: the detector and the net fold read calls in the order they were made. */
export function byEventTime<T extends EventInput>(inputs: T[]): T[] {
  return inputs.sort((a, b) => timeOf(a) - timeOf(b));
}

export type RegionLookupOptions = Omit<CloudTrailLookupOptions, 'clients'> & {
  /** How the region's records are labelled. @default `cloudtrail:lookup <region>` */
  readonly origin?: (region: string) => string;
};

/**
 * Every write event of the window in one client's region (newest first, as LookupEvents answers),
 * its requests at least MIN_REQUEST_GAP_MS apart. Throws, naming the region, when a page cannot be
 * read (a throttle still refused after maxAttempts, or any other error).
 */
export async function lookupRegionEvents(
  client: CloudTrailClient,
  options: RegionLookupOptions,
): Promise<EventInput[]> {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 6;
  const region = await client.config.region();
  const origin = options.origin?.(region) ?? `cloudtrail:lookup ${region}`;
  const found: EventInput[] = [];
  let lastRequest = Number.NEGATIVE_INFINITY;
  let token: string | undefined;
  do {
    let page: LookupEventsCommandOutput;
    for (let attempt = 1; ; attempt += 1) {
      const wait = lastRequest + MIN_REQUEST_GAP_MS - now();
      if (wait > 0) await sleep(wait);
      lastRequest = now();
      try {
        page = await client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }],
            StartTime: options.window.start,
            EndTime: options.window.end,
            MaxResults: PAGE_SIZE,
            NextToken: token,
          }),
        );
        break;
      } catch (error) {
        if (!isThrottle(error) || attempt >= maxAttempts) {
          throw new Error(`CloudTrail LookupEvents in ${region}: ${(error as Error).message}`);
        }
        await sleep((options.baseDelayMs ?? 1000) * 2 ** (attempt - 1));
      }
    }
    for (const event of page.Events ?? []) found.push(recordOf(event, origin));
    options.onPage?.(region, found.length);
    token = page.NextToken;
  } while (token);
  return found;
}

/** Every write event of the window in every region, oldest first, in batches for the scan. */
export async function* lookupEventBatches(
  options: CloudTrailLookupOptions,
  batchSize = 500,
): AsyncGenerator<EventInput[]> {
  const all: EventInput[] = [];
  for (const client of options.clients) all.push(...(await lookupRegionEvents(client, options)));
  byEventTime(all);
  for (let i = 0; i < all.length; i += batchSize) yield all.slice(i, i + batchSize);
}
