// WebSocket $disconnect: forget the connection (TTL cleans up the ones this never sees).

import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { DynamoConnections } from '../adapters/aws/dynamo-connections.js';
import { dynamoDocumentClient } from './runtime/clients.js';
import { requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';

const connections = new DynamoConnections(dynamoDocumentClient(), {
  tableName: requireEnv(FUNCTION_ENV.connectionsTable),
});

export async function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  await connections.remove(event.requestContext.connectionId);
  return { statusCode: 200 };
}
