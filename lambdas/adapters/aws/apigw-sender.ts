// ConnectionSender over API Gateway's management API: PostToConnection per message. A connection
// API Gateway no longer knows (410 GoneException) answers false so the caller drops it.

import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionSender, LiveMessage } from '../../ports.js';

/**
 * The management API of the WebSocket stage at `stageUrl` (https://{api}.execute-api.{region}.../{stage}).
 * The SDK's own endpoint variable, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI, takes precedence, as
 * it does for every other client (clients.ts): local runs point it at a stand-in of the stage.
 */
export function managementClient(
  stageUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
    endpoint: env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI || stageUrl,
  });
}

/** API Gateway WebSocket limits: 128 KB per message, sent in 32 KB frames (service quotas). */
export const MAX_MESSAGE_BYTES = 128 * 1024;

/**
 * The message as sent: a drift whose JSON is too large loses its raw event first (the dashboard
 * fetches it with GET /drifts/{id}); still too large, only its id, status and summary remain.
 */
export function encodeLiveMessage(message: LiveMessage, maxBytes = MAX_MESSAGE_BYTES): string {
  const text = JSON.stringify(message);
  if (message.type !== 'drift' || Buffer.byteLength(text) <= maxBytes) return text;
  const { rawEvent: _raw, ...withoutRaw } = message.drift;
  const trimmed = JSON.stringify({ ...message, drift: { ...withoutRaw, truncated: true } });
  if (Buffer.byteLength(trimmed) <= maxBytes) return trimmed;
  const d = message.drift;
  return JSON.stringify({
    ...message,
    drift: {
      id: d.id,
      kind: d.kind,
      severity: d.severity,
      status: d.status,
      summary: d.summary.slice(0, 1000),
      truncated: true,
    },
  });
}

function isGone(error: unknown): boolean {
  if (error instanceof GoneException) return true;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
}

export class ApiGatewaySender implements ConnectionSender {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async send(connectionId: string, message: LiveMessage): Promise<boolean> {
    try {
      await this.client.send(
        new PostToConnectionCommand({
          ConnectionId: connectionId,
          Data: Buffer.from(encodeLiveMessage(message)),
        }),
      );
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  }
}
