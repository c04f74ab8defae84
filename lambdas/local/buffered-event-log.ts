// The processed-events log on one machine, written behind: events are collected for a moment and
// written in batches, so a burst of events costs a few batch writes instead of one write each.
// Reads flush first, so GET /api/v1/events always includes everything processed before it.

import type { ProcessedEvent } from '../core/types.js';
import type { EventLog, Logger } from '../ports.js';

/** Kept while the store is unreachable; beyond this the oldest are dropped (and logged). */
const MAX_PENDING = 10_000;

export class BufferedEventLog implements EventLog {
  private pending: ProcessedEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: EventLog,
    private readonly logger: Logger,
    private readonly delayMs = 100,
  ) {}

  async record(events: readonly ProcessedEvent[]): Promise<void> {
    this.pending.push(...events);
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING);
      this.logger.warn('event log: dropped oldest unwritten entries', { count: dropped.length });
    }
    this.timer ??= setTimeout(() => {
      void this.flush();
    }, this.delayMs);
  }

  async recent(limit: number): Promise<ProcessedEvent[]> {
    await this.flush();
    return this.inner.recent(limit);
  }

  /** Writes everything collected so far (one flush at a time, in order). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(async () => {
      const batch = this.pending;
      if (batch.length === 0) return;
      this.pending = [];
      try {
        await this.inner.record(batch);
      } catch (error) {
        // Kept for the next flush: the log loses nothing while the store hiccups.
        this.pending = [...batch, ...this.pending];
        this.logger.error('event log write failed; will retry', { error: (error as Error).message });
        this.timer ??= setTimeout(() => void this.flush(), 1000);
      }
    });
    return this.flushing;
  }
}
