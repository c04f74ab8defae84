// WebSocket $connect (after the authorizer accepted the token): remember the connection, off the
// feed until its resume message has been answered (ws-resume.ts), so that its replay comes first.

import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { DynamoConnections } from '../adapters/aws/dynamo-connections.js';
import { dynamoDocumentClient } from './runtime/clients.js';
import { requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';

const connections = new DynamoConnections(dynamoDocumentClient(), {
  tableName: requireEnv(FUNCTION_ENV.connectionsTable),
});

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: { authorizer?: { principalId?: string; sub?: string } };
};

export async function handler(event: ConnectEvent): Promise<APIGatewayProxyResultV2> {
  const user = event.requestContext.authorizer?.sub ?? event.requestContext.authorizer?.principalId;
  await connections.addPending(event.requestContext.connectionId, user ? { user: String(user) } : {});
  return { statusCode: 200 };
}
