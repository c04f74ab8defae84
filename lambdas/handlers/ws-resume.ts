// WebSocket `resume` route: `{"action": "resume", "since": cursor}`, sent by the client once its
// connection is open (API Gateway cannot send anything during $connect). Answers on the connection
// with the hello and the replay of every drift change after `since`, then puts the connection on the
// broadcast's feed (docs/api.md).

import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { ApiGatewaySender, managementClient } from '../adapters/aws/apigw-sender.js';
import { DynamoConnections } from '../adapters/aws/dynamo-connections.js';
import { DynamoDriftStore } from '../adapters/aws/dynamo-drift-store.js';
import { InputError } from '../core/errors.js';
import { parseResumeRequest, resumeConnection } from '../services/resume-service.js';
import { dynamoDocumentClient } from './runtime/clients.js';
import { requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';
import { functionLogger } from './runtime/powertools-logger.js';

const doc = dynamoDocumentClient();
const feed = new DynamoDriftStore(doc, { tableName: requireEnv(FUNCTION_ENV.driftsTable) });
const connections = new DynamoConnections(doc, { tableName: requireEnv(FUNCTION_ENV.connectionsTable) });
const sender = new ApiGatewaySender(managementClient(requireEnv(FUNCTION_ENV.wsEndpoint)));
const logger = functionLogger();

export async function handler(
  event: APIGatewayProxyWebsocketEventV2,
  context?: Context,
): Promise<APIGatewayProxyResultV2> {
  if (context) logger.addContext(context);
  const connectionId = event.requestContext.connectionId;
  let since: number | undefined;
  try {
    since = parseResumeRequest(event.body);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The message is the client's: say why it was refused, never echo it.
    logger.warn('resume refused', { connectionId, reason: error.message });
    return {
      statusCode: 400,
      body: JSON.stringify({ error: { code: 'bad_request', message: error.message } }),
    };
  }
  const result = await resumeConnection({ feed, sender, connections }, connectionId, since);
  logger.info('live feed resumed', { connectionId, since, ...result });
  return { statusCode: 200 };
}
