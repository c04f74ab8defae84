// The query-api function as API Gateway's HTTP API invokes it behind the Cognito JWT authorizer:
// POST /api/v1/events feeds the detector (it can create drifts and fake reverts), so only members of
// the ADMIN_GROUP may call it, and with no group configured nobody may; acknowledging and resolving
// stay open to every signed-in user, recorded under the token's name, never the body's.
// DynamoDB (dynalite) and S3 (s3rver) for real, SNS mocked at the SDK boundary.

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimGroups } from '../../lambdas/services/query-api.js';
import { fixtureJson, type HandlerWorld, startHandlerWorld } from './handlers-env.js';

const ADMIN_GROUP = 'tfdrift-admins';
const sns = mockClient(SNSClient);
const lambda = mockClient(LambdaClient);
const BACKFILL_FUNCTION = 'Tfdrift-BackfillFunction-AbC123';
let world: HandlerWorld;
let query: typeof import('../../lambdas/handlers/query-api.js');

const suspend = fixtureJson('live/s3-suspend-versioning.json');

/** A payload v2 event with the claims the JWT authorizer passes (HTTP APIs flatten arrays to "[a b]"). */
function httpEvent(
  method: string,
  path: string,
  claims: Record<string, unknown> | undefined,
  body?: unknown,
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: 'Bearer eyJ...', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      requestId: 'req-1',
      routeKey: 'ANY /api/{proxy+}',
      stage: '$default',
      time: '25/Nov/2026:09:00:00 +0000',
      timeEpoch: 1795597200000,
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
  } as APIGatewayProxyEventV2;
}

const alice = { sub: 'a1', email: 'alice@example.com', 'cognito:username': 'alice', token_use: 'id' };
const admin = { ...alice, 'cognito:groups': `[ops ${ADMIN_GROUP}]` };

async function driftCount(): Promise<number> {
  const page = await query.handler(httpEvent('GET', '/api/v1/drifts', alice));
  return (JSON.parse(String(page.body)) as { items: unknown[] }).items.length;
}

beforeAll(async () => {
  world = await startHandlerWorld();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  process.env.ADMIN_GROUP = ADMIN_GROUP;
  process.env.BACKFILL_FUNCTION = BACKFILL_FUNCTION;
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  vi.resetModules();
  query = await import('../../lambdas/handlers/query-api.js');
}, 60_000);
afterAll(async () => {
  delete process.env.ADMIN_GROUP;
  delete process.env.BACKFILL_FUNCTION;
  sns.restore();
  lambda.restore();
  await world?.stop();
});

describe('query-api handler: POST /api/v1/events', () => {
  it('refuses a signed-in user outside the admin group, and stores nothing', async () => {
    // Prepare: look-alike group names are not the group.
    const callers = [
      alice,
      { ...alice, 'cognito:groups': '[ops]' },
      { ...alice, 'cognito:groups': `[${ADMIN_GROUP}-readonly]` },
      { ...alice, 'cognito:groups': `x${ADMIN_GROUP}` },
    ];
    const before = await driftCount();
    const alerts = sns.commandCalls(PublishCommand).length;
    // Act
    const responses = await Promise.all(
      callers.map((claims) => query.handler(httpEvent('POST', '/api/v1/events', claims, suspend))),
    );
    // Assess
    for (const response of responses) {
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(String(response.body))).toEqual({
        error: { code: 'forbidden', message: 'POST /events is limited to the admin group' },
      });
    }
    expect(await driftCount()).toBe(before);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(alerts);
  });

  it('accepts a member of the admin group, as HTTP APIs pass the groups claim', async () => {
    // Prepare: an event of its own, so the drift is new whatever ran before.
    const before = await driftCount();
    const record = { ...suspend, eventID: '5f1e0c4a-7b2d-4e8f-9a61-3c2b1d0e9f01' };
    // Act
    const response = await query.handler(httpEvent('POST', '/api/v1/events', admin, record));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toMatchObject({ processed: 1, created: 1 });
    expect(await driftCount()).toBe(before + 1);
  });

  it('is off for everyone when no admin group is configured', async () => {
    // Prepare: a cold start without ADMIN_GROUP.
    delete process.env.ADMIN_GROUP;
    vi.resetModules();
    const unconfigured = await import('../../lambdas/handlers/query-api.js');
    process.env.ADMIN_GROUP = ADMIN_GROUP;
    // Act
    const response = await unconfigured.handler(httpEvent('POST', '/api/v1/events', admin, suspend));
    // Assess
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(String(response.body)).error.message).toMatch(/off in this deployment/);
  });
});

describe('query-api handler: acknowledge and resolve', () => {
  it('lets any signed-in user acknowledge, recorded under the name in the token, not the body', async () => {
    // Prepare: a drift to act on (posting the same event again adds nothing).
    await query.handler(httpEvent('POST', '/api/v1/events', admin, suspend));
    const page = await query.handler(httpEvent('GET', '/api/v1/drifts', alice));
    const [drift] = (JSON.parse(String(page.body)) as { items: { id: string }[] }).items;
    const bob = { sub: 'b2', 'cognito:username': 'bob', username: 'bob', token_use: 'access' };
    // Act
    const acknowledged = await query.handler(
      httpEvent('POST', `/api/v1/drifts/${encodeURIComponent(drift.id)}/acknowledge`, alice, {
        by: 'mallory',
        comment: 'looking',
      }),
    );
    const resolved = await query.handler(
      httpEvent('POST', `/api/v1/drifts/${encodeURIComponent(drift.id)}/resolve`, bob, { by: 'mallory' }),
    );
    // Assess
    expect(acknowledged.statusCode).toBe(200);
    expect(JSON.parse(String(acknowledged.body))).toMatchObject({
      status: 'acknowledged',
      statusChangedBy: 'alice@example.com',
      statusComment: 'looking',
    });
    expect(resolved.statusCode).toBe(200);
    expect(JSON.parse(String(resolved.body))).toMatchObject({ status: 'resolved', statusChangedBy: 'bob' });
  });
});

describe('query-api handler: POST /api/v1/backfill', () => {
  const invocations = () => lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);

  it('starts the backfill function asynchronously for an admin, with the days asked for', async () => {
    // Prepare
    lambda.resetHistory();
    // Act
    const asked = await query.handler(httpEvent('POST', '/api/v1/backfill', admin, { days: 30 }));
    const plain = await query.handler(httpEvent('POST', '/api/v1/backfill', admin));
    // Assess
    expect([asked.statusCode, plain.statusCode]).toEqual([202, 202]);
    expect(JSON.parse(String(asked.body))).toEqual({ started: true, days: 30 });
    expect(JSON.parse(String(plain.body))).toEqual({ started: true });
    const calls = invocations();
    expect(calls.map((c) => [c.FunctionName, c.InvocationType])).toEqual([
      [BACKFILL_FUNCTION, 'Event'],
      [BACKFILL_FUNCTION, 'Event'],
    ]);
    expect(JSON.parse(new TextDecoder().decode(calls[0].Payload as Uint8Array))).toEqual({
      days: 30,
      reason: 'asked by alice@example.com',
    });
    expect(JSON.parse(new TextDecoder().decode(calls[1].Payload as Uint8Array)).days).toBeUndefined();
  });

  it('refuses a user outside the admin group and a window CloudTrail does not keep, starting nothing', async () => {
    // Prepare
    lambda.resetHistory();
    // Act
    const outsider = await query.handler(httpEvent('POST', '/api/v1/backfill', alice, { days: 7 }));
    const tooLong = await query.handler(httpEvent('POST', '/api/v1/backfill', admin, { days: 91 }));
    const unknown = await query.handler(
      httpEvent('POST', '/api/v1/backfill', admin, { days: 7, regions: ['x'] }),
    );
    // Assess
    expect(outsider.statusCode).toBe(403);
    expect(JSON.parse(String(outsider.body)).error.message).toBe(
      'POST /backfill is limited to the admin group',
    );
    expect(tooLong.statusCode).toBe(400);
    expect(JSON.parse(String(tooLong.body)).error.message).toContain(
      'days: must be a whole number from 1 to 90',
    );
    expect(unknown.statusCode).toBe(400);
    expect(invocations()).toEqual([]);
  });
});

describe('claimGroups', () => {
  it('reads the groups claim in each shape API Gateway passes it', () => {
    expect(claimGroups({ 'cognito:groups': '[ops tfdrift-admins]' })).toEqual(['ops', 'tfdrift-admins']);
    expect(claimGroups({ 'cognito:groups': 'ops,tfdrift-admins' })).toEqual(['ops', 'tfdrift-admins']);
    expect(claimGroups({ 'cognito:groups': ['tfdrift-admins'] })).toEqual(['tfdrift-admins']);
    expect(claimGroups({ 'cognito:groups': 'tfdrift-admins' })).toEqual(['tfdrift-admins']);
    expect(claimGroups({ 'cognito:groups': 7 })).toEqual([]);
    expect(claimGroups({})).toEqual([]);
    expect(claimGroups(undefined)).toEqual([]);
  });
});
