// API Gateway HTTP API (payload v2) → the query-api service of docs/api.md. The JWT authorizer in
// front has already checked the Cognito token. POST /events feeds the detector (it can create and
// resolve drifts), so only members of the Cognito group ADMIN_GROUP may call it; unset, nobody.

import { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { LambdaBackfillStarter } from '../adapters/aws/backfill-invoker.js';
import { adminGroupOnly, createQueryApi } from '../services/query-api.js';
import { createDetectorRuntime } from './runtime/detector.js';
import { optionalEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';

const runtime = createDetectorRuntime();
const backfillFunction = optionalEnv(FUNCTION_ENV.backfillFunction);
const backfill = backfillFunction
  ? new LambdaBackfillStarter(new LambdaClient({}), backfillFunction)
  : undefined;
const api = createQueryApi({
  store: runtime.store,
  counters: runtime.store,
  state: runtime.state,
  stateLoadedAt: () => runtime.state.loadedAt()?.toISOString() ?? null,
  events: runtime.events,
  detect: runtime.detect,
  clock: { now: () => new Date() },
  logger: runtime.logger,
  refuseEventPost: adminGroupOnly(process.env[FUNCTION_ENV.adminGroup] || undefined),
  driftEvents: runtime.driftEvents,
  dashboardUrl: () => runtime.dashboardUrl,
  startBackfill: backfill ? (request) => backfill.start(request) : undefined,
});

export async function handler(
  event: APIGatewayProxyEventV2,
  context?: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (context) runtime.logger.addContext(context);
  return api(event);
}
