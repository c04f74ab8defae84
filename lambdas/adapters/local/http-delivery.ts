// Outgoing HTTP deliveries on one machine (webhooks, Slack incoming webhooks): one queue per
// receiver, so a slow or broken receiver delays only itself and never the detector, which hands a
// body over and goes on. Failures (network, timeout, 429, 5xx) are retried with exponential backoff,
// a bounded number of times; other 4xx answers are final. The queue is bounded too: past its
// length the oldest delivery is dropped, with a logged error, rather than memory growing forever.

import { createHmac, randomUUID } from 'node:crypto';
import { slackMessage } from '../../core/chat-notification.js';
import { type DriftEvent, driftLink } from '../../core/drift-events.js';
import type { Drift } from '../../core/types.js';
import type { DriftEvents, Logger, Notifier } from '../../ports.js';

export interface DeliveryOptions {
  /** Attempts per delivery, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** Wait before the first retry; doubled each time. @default 1000 ms */
  readonly baseDelayMs?: number;
  /** @default 30000 ms */
  readonly maxDelayMs?: number;
  /** Per request. @default 10000 ms */
  readonly timeoutMs?: number;
  /** Deliveries waiting per receiver. @default 1000 */
  readonly maxQueued?: number;
  readonly logger: Logger;
}

interface Delivery {
  readonly id: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** What the logs may show of a receiver: scheme, host and path, never a query (Slack's URL is its secret). */
function shownUrl(url: URL): string {
  return url.pathname.length > 1 ? `${url.origin}/…` : url.origin;
}

export function parseReceiverUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${what}: not a URL: ${JSON.stringify(raw.slice(0, 100))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`${what}: must be an http(s) URL, got ${url.protocol}`);
  return url;
}

/** Deliveries to one receiver, one at a time, in order. */
export class DeliveryQueue {
  private readonly queue: Delivery[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly abort = new AbortController();
  /** Deliveries that reached the receiver (2xx), and those given up. */
  delivered = 0;
  failed = 0;

  constructor(
    readonly url: URL,
    private readonly options: DeliveryOptions,
  ) {}

  /** Queues one POST; returns at once. */
  enqueue(body: string, headers: Record<string, string>): void {
    if (this.closed) return;
    const max = this.options.maxQueued ?? 1000;
    if (this.queue.length >= max) {
      const dropped = this.queue.shift();
      this.failed += 1;
      this.options.logger.error('delivery dropped: queue full', {
        receiver: shownUrl(this.url),
        delivery: dropped?.id,
      });
    }
    this.queue.push({ id: randomUUID(), body, headers });
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when the queue is empty (or after `timeoutMs`). */
  async drain(timeoutMs = 5000): Promise<void> {
    const running = this.running;
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((ok) => (timer = setTimeout(ok, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Stops: waits up to `graceMs` for what is queued, then abandons the rest (logged). */
  async close(graceMs = 2000): Promise<void> {
    await this.drain(graceMs);
    this.closed = true;
    if (this.queue.length > 0) {
      this.options.logger.warn('deliveries abandoned at shutdown', {
        receiver: shownUrl(this.url),
        count: this.queue.length,
      });
      this.failed += this.queue.length;
      this.queue.length = 0;
    }
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    for (let next = this.queue.shift(); next && !this.closed; next = this.queue.shift()) {
      await this.deliver(next);
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const base = this.options.baseDelayMs ?? 1000;
    for (let attempt = 1; attempt <= maxAttempts && !this.closed; attempt += 1) {
      const outcome = await this.attempt(delivery);
      if (outcome === 'ok') {
        this.delivered += 1;
        return;
      }
      if (outcome === 'final' || attempt === maxAttempts) break;
      const delay = Math.min(base * 2 ** (attempt - 1), this.options.maxDelayMs ?? 30_000);
      await this.sleep(delay * (0.8 + Math.random() * 0.4));
    }
    this.failed += 1;
    this.options.logger.error('delivery failed: giving up', {
      receiver: shownUrl(this.url),
      delivery: delivery.id,
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((ok) => {
      const timer = setTimeout(ok, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        ok();
      });
    });
  }

  private async attempt(delivery: Delivery): Promise<'ok' | 'retry' | 'final'> {
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...delivery.headers },
        body: delivery.body,
        redirect: 'error',
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'ok';
      const retry = response.status === 429 || response.status >= 500;
      this.options.logger.warn('delivery refused', {
        receiver: shownUrl(this.url),
        delivery: delivery.id,
        status: response.status,
        retry,
      });
      return retry ? 'retry' : 'final';
    } catch (error) {
      this.options.logger.warn('delivery failed', {
        receiver: shownUrl(this.url),
        delivery: delivery.id,
        error: (error as Error).message,
      });
      return 'retry';
    }
  }
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`: the X-Tfdrift-Signature header. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookOptions extends DeliveryOptions {
  readonly urls: readonly string[];
  /** Signs each body (X-Tfdrift-Signature); without it the header is absent. */
  readonly secret?: string;
  /** Sent as User-Agent. */
  readonly userAgent?: string;
}

/** Drift events POSTed to webhooks (docs/drift-events.md), signed, one queue per URL. */
export class WebhookDriftEvents implements DriftEvents {
  readonly queues: DeliveryQueue[];

  constructor(private readonly options: WebhookOptions) {
    this.queues = options.urls.map((raw) => new DeliveryQueue(parseReceiverUrl(raw, '--webhook'), options));
    if (this.queues.length > 0 && !options.secret) {
      options.logger.warn(
        'webhooks without a secret: deliveries are not signed (pass --webhook-secret or set TFDRIFT_WEBHOOK_SECRET)',
      );
    }
  }

  async publish(event: DriftEvent): Promise<void> {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = {
      'x-tfdrift-event': event['detail-type'],
      'x-tfdrift-delivery': randomUUID(),
      ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
      ...(this.options.secret ? { 'x-tfdrift-signature': signBody(body, this.options.secret) } : {}),
    };
    for (const queue of this.queues) queue.enqueue(body, headers);
  }

  async close(graceMs?: number): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close(graceMs)));
  }
}

export interface SlackWebhookOptions extends DeliveryOptions {
  readonly urls: readonly string[];
  /** Dashboard base URL for the link (a function: known once the server listens). */
  readonly baseUrl?: () => string | undefined;
}

/** New drifts as Slack incoming-webhook messages: the chat notification's content. */
export class SlackWebhookNotifier implements Notifier {
  readonly queues: DeliveryQueue[];

  constructor(private readonly options: SlackWebhookOptions) {
    this.queues = options.urls.map(
      (raw) => new DeliveryQueue(parseReceiverUrl(raw, '--slack-webhook'), options),
    );
  }

  async notify(drift: Drift): Promise<void> {
    const base = this.options.baseUrl?.();
    const body = JSON.stringify(slackMessage(drift, base ? driftLink(base, drift.id) : undefined));
    for (const queue of this.queues) queue.enqueue(body, {});
  }

  async close(graceMs?: number): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close(graceMs)));
  }
}

/** Every notifier gets every drift; one that fails does not keep the others from theirs. */
export function fanOutNotifier(notifiers: readonly Notifier[]): Notifier {
  return {
    async notify(drift) {
      const results = await Promise.allSettled(notifiers.map((n) => n.notify(drift)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0)
        throw new AggregateError(
          failed.map((f) => f.reason),
          'alert failed',
        );
    },
  };
}
