// Deliveries of drift events from the stack's private drift bus (lib/constructs/drift-channels.ts):
// - webhooks: each event POSTed as the same JSON document as on the bus and from `tfdrift serve`
//   (docs/drift-events.md), signed `X-Tfdrift-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
//   with a secret read at run time. A failed POST throws, so Lambda retries, then dead-letters.
// - chat: the Amazon Q Developer in chat applications (AWS Chatbot) custom notification, published to
//   each chat topic whose minimum severity the drift reaches (one topic per minimum severity, each
//   subscribed by the Slack and Teams channels that asked for it).
// An event that is not a well-formed tfdrift drift event is logged and dropped: retrying cannot fix it.

import { signBody } from '../adapters/local/http-delivery.js';
import { chatbotNotification } from '../core/chat-notification.js';
import { DRIFT_DETECTED, type DriftEvent, parseDriftEvent } from '../core/drift-events.js';
import { SEVERITIES, type Severity } from '../core/types.js';
import type { Logger } from '../ports.js';

export interface WebhookTarget {
  readonly url: string;
  readonly secretArn: string;
  readonly minSeverity: Severity;
}

export interface ChatTopic {
  readonly topicArn: string;
  readonly minSeverity: Severity;
}

export interface HttpAnswer {
  readonly status: number;
}

export interface DeliveryDeps {
  readonly secrets: { value(secretArn: string): Promise<string> };
  readonly post: (url: string, body: string, headers: Record<string, string>) => Promise<HttpAnswer>;
  readonly logger: Logger;
  readonly userAgent?: string;
}

export type DeliveryResult =
  | { readonly delivered: true; readonly status?: number; readonly topics?: number }
  | { readonly delivered: false; readonly reason: string };

const reaches = (severity: Severity, min: Severity) =>
  SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(min);

function parsed(raw: unknown, logger: Logger): DriftEvent | string {
  try {
    return parseDriftEvent(raw);
  } catch (error) {
    const reason = (error as Error).message;
    logger.warn('event dropped', { id: (raw as { id?: unknown } | null)?.id, reason });
    return reason;
  }
}

/** The webhook form of the document: the fields `tfdrift serve` posts, in the same order. */
export function webhookBody(event: DriftEvent): string {
  return JSON.stringify({
    source: event.source,
    'detail-type': event['detail-type'],
    time: event.time,
    resources: event.resources,
    detail: event.detail,
  });
}

/** One drift event to one webhook (`input.webhook` indexes the configured list). */
export async function deliverWebhook(
  webhooks: readonly WebhookTarget[],
  input: { readonly webhook?: unknown; readonly event?: unknown },
  deps: DeliveryDeps,
): Promise<DeliveryResult> {
  const target = typeof input.webhook === 'number' ? webhooks[input.webhook] : undefined;
  if (!target) throw new Error(`no webhook ${String(input.webhook)} is configured`);
  const event = parsed(input.event, deps.logger);
  if (typeof event === 'string') return { delivered: false, reason: event };
  if (!reaches(event.detail.severity, target.minSeverity))
    return { delivered: false, reason: 'below minSeverity' };
  const body = webhookBody(event);
  const eventId = (input.event as { id?: unknown }).id;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-tfdrift-event': event['detail-type'],
    // EventBridge's event id: the same on a retry, so a receiver can drop a repeat.
    ...(typeof eventId === 'string' ? { 'x-tfdrift-delivery': eventId } : {}),
    ...(deps.userAgent ? { 'user-agent': deps.userAgent } : {}),
    'x-tfdrift-signature': signBody(body, await deps.secrets.value(target.secretArn)),
  };
  const host = new URL(target.url).host;
  const answer = await deps.post(target.url, body, headers);
  if (answer.status < 200 || answer.status >= 300) {
    // The URL's path and query may hold a token: the log names the host only.
    throw new Error(`webhook ${host} answered ${answer.status}`);
  }
  deps.logger.info('webhook delivered', { host, status: answer.status, drift: event.detail.id });
  return { delivered: true, status: answer.status };
}

/** One `Drift Detected` event to the chat topics its severity reaches. */
export async function publishChat(
  topics: readonly ChatTopic[],
  raw: unknown,
  publish: (topicArn: string, message: string) => Promise<void>,
  logger: Logger,
): Promise<DeliveryResult> {
  const event = parsed(raw, logger);
  if (typeof event === 'string') return { delivered: false, reason: event };
  if (event['detail-type'] !== DRIFT_DETECTED) return { delivered: false, reason: 'not a new drift' };
  const message = JSON.stringify(chatbotNotification(event.detail, event.detail.url));
  const to = topics.filter((t) => reaches(event.detail.severity, t.minSeverity));
  for (const topic of to) await publish(topic.topicArn, message);
  return { delivered: true, topics: to.length };
}
