// Drift events onto an EventBridge bus (docs/drift-events.md). PutEvents takes at most 10 entries and
// 256 KB per call (an entry's size: Source, DetailType, Detail and Resources in UTF-8, plus 14 bytes
// for Time); entries it reports as failed (throttling, internal errors) are sent again with backoff.

import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { DriftEvent } from '../../core/drift-events.js';
import type { DriftEvents } from '../../ports.js';

export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BYTES_PER_CALL = 256 * 1024;

export interface EventBridgeDriftEventsOptions {
  /** Bus name or ARN. @default default */
  readonly eventBusName?: string;
  /** Attempts per entry, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, doubled each time. @default 100 ms */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** The size PutEvents counts for one entry. */
export function entrySize(entry: PutEventsRequestEntry): number {
  return (
    (entry.Time ? 14 : 0) +
    utf8(entry.Source ?? '') +
    utf8(entry.DetailType ?? '') +
    utf8(entry.Detail ?? '') +
    (entry.Resources ?? []).reduce((n, r) => n + utf8(r), 0)
  );
}

/** Entries in calls of at most 10 and 256 KB. */
export function batches(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const out: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (
      current.length === MAX_ENTRIES_PER_CALL ||
      (current.length > 0 && bytes + size > MAX_BYTES_PER_CALL)
    ) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export class EventBridgeDriftEvents implements DriftEvents {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly options: EventBridgeDriftEventsOptions = {},
  ) {}

  toEntry(event: DriftEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.options.eventBusName ?? 'default',
      Source: event.source,
      DetailType: event['detail-type'],
      Time: new Date(event.time),
      Resources: [...event.resources],
      Detail: JSON.stringify(event.detail),
    };
  }

  async publish(event: DriftEvent): Promise<void> {
    await this.publishAll([event]);
  }

  /** Puts every event; throws, naming the error codes, when some could not be put after the retries. */
  async publishAll(events: readonly DriftEvent[]): Promise<void> {
    const entries = events.map((e) => this.toEntry(e));
    const tooLarge = entries.filter((e) => entrySize(e) > MAX_BYTES_PER_CALL);
    if (tooLarge.length > 0) throw new Error(`${tooLarge.length} drift event(s) over EventBridge's 256 KB`);
    const maxAttempts = this.options.maxAttempts ?? 4;
    const sleep = this.options.sleep ?? ((ms) => new Promise<void>((ok) => setTimeout(ok, ms)));
    let pending = entries;
    let codes: string[] = [];
    for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) await sleep((this.options.baseDelayMs ?? 100) * 2 ** (attempt - 2));
      const failed: PutEventsRequestEntry[] = [];
      codes = [];
      for (const batch of batches(pending)) {
        const result = await this.client.send(new PutEventsCommand({ Entries: batch }));
        if (!result.FailedEntryCount) continue;
        // Entries answer in request order; a failed one carries an ErrorCode instead of an EventId.
        (result.Entries ?? []).forEach((answer, i) => {
          if (answer.ErrorCode && batch[i]) {
            failed.push(batch[i]);
            codes.push(answer.ErrorCode);
          }
        });
      }
      pending = failed;
    }
    if (pending.length > 0) {
      throw new Error(
        `${pending.length} drift event(s) not put on EventBridge: ${[...new Set(codes)].join(', ')}`,
      );
    }
  }
}
