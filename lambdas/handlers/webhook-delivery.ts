// EventBridge rule (one per configured webhook, on the stack's drift bus) → a signed POST of the
// drift event. EventBridge API destinations cannot compute an HMAC of the body, hence this function.
// The rule's input is `{"webhook": <index in WEBHOOKS>, "event": <the event>}`. A failure throws:
// Lambda retries the asynchronous invocation, then sends it to the dead-letter queue (alarmed).

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { SecretsManagerSecrets } from '../adapters/aws/secrets-manager.js';
import { type DeliveryResult, deliverWebhook, type WebhookTarget } from '../services/drift-delivery.js';
import { jsonEnv, numberEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';
import { functionLogger } from './runtime/powertools-logger.js';

const webhooks = jsonEnv<WebhookTarget[]>(FUNCTION_ENV.webhooks);
const timeoutMs = numberEnv(FUNCTION_ENV.webhookTimeoutSeconds, 10) * 1000;
const secrets = new SecretsManagerSecrets(new SecretsManagerClient({}));
const logger = functionLogger();

async function post(url: string, body: string, headers: Record<string, string>) {
  const answer = await fetch(url, {
    method: 'POST',
    body,
    headers,
    redirect: 'manual', // a redirect could carry the signed body elsewhere
    signal: AbortSignal.timeout(timeoutMs),
  });
  await answer.body?.cancel();
  return { status: answer.status };
}

export async function handler(
  input: { webhook?: unknown; event?: unknown },
  context?: Context,
): Promise<DeliveryResult> {
  if (context) logger.addContext(context);
  return deliverWebhook(webhooks, input, { secrets, post, logger, userAgent: 'tfdrift-webhook/1' });
}
