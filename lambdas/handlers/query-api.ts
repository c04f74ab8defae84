// API Gateway HTTP API (payload v2) → the query-api service of docs/api.md. The JWT authorizer in
// front has already checked the Cognito token.

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createQueryApi } from '../services/query-api.js';
import { createDetectorRuntime } from './runtime/detector.js';

const runtime = createDetectorRuntime();
const api = createQueryApi({
  store: runtime.store,
  state: runtime.state,
  stateLoadedAt: () => runtime.state.loadedAt()?.toISOString() ?? null,
  events: runtime.events,
  detect: runtime.detect,
  clock: { now: () => new Date() },
  logger: runtime.logger,
});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return api(event);
}
