// The detect and query-api functions as Lambda runs them: module-scope clients from the environment,
// DynamoDB (dynalite) and S3 (s3rver) for real, SNS mocked at the SDK boundary.

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  bridgeEvent,
  fixtureJson,
  fixtureText,
  type HandlerWorld,
  objectCreatedEvent,
  STATE_BUCKET,
  STATE_KEY,
  startHandlerWorld,
} from './handlers-env.js';

const sns = mockClient(SNSClient);
let world: HandlerWorld;
let detect: typeof import('../../lambdas/handlers/detect.js');
let query: typeof import('../../lambdas/handlers/query-api.js');

// Every test gets its own servers and cold-started functions (the handlers keep clients and state
// at module scope, as Lambda does), so each passes alone and in any order.
beforeEach(async () => {
  world = await startHandlerWorld();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  vi.resetModules();
  detect = await import('../../lambdas/handlers/detect.js');
  query = await import('../../lambdas/handlers/query-api.js');
}, 60_000);
afterEach(async () => {
  await world?.stop();
});
afterAll(() => {
  sns.restore();
});

const suspend = fixtureJson('live/s3-suspend-versioning.json');

function httpEvent(method: string, path: string, query: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} /api/v1/{proxy+}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: Object.keys(query).length ? query : undefined,
    headers: { authorization: 'Bearer eyJ...', 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      requestId: 'req-1',
      routeKey: `${method} /api/v1/{proxy+}`,
      stage: '$default',
      time: '25/Nov/2026:09:00:00 +0000',
      timeEpoch: 1795597200000,
    },
    isBase64Encoded: false,
  };
}

describe('detect handler', () => {
  it('stores and alerts a drift once, however often EventBridge delivers the event', async () => {
    // Prepare
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const event = bridgeEvent(suspend);
    // Act
    const first = await detect.handler(event as never);
    const again = await detect.handler(event as never);
    const lines = log.mock.calls.map(([line]) => String(line));
    log.mockRestore();
    // Assess
    expect(first).toEqual({ kind: 'cloudtrail', drifts: 1 });
    expect(again).toEqual({ kind: 'cloudtrail', drifts: 0 });
    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    expect(publishes[0].args[0].input).toMatchObject({
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:tfdrift-alerts',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: expect.stringMatching(/^(low|medium|high|critical)$/) },
      },
    });
    // The EMF line of the first invocation: one event, one drift, lag from the record's eventTime.
    const emf = lines.find((line) => line.includes('"CloudWatchMetrics"'))!;
    const metrics = JSON.parse(emf) as Record<string, unknown>;
    expect(metrics).toMatchObject({
      Function: 'tfdrift-test',
      Events: 1,
      Drifts: 1,
      Errors: 0,
      StateErrors: 0,
    });
    expect(metrics.LagMs).toBeGreaterThan(Date.now() - Date.parse('2024-01-15T10:45:24Z') - 60_000);
  });

  it('loads the state it can when one configured location fails as a whole, and counts what it could not load', async () => {
    // Prepare: a second location whose bucket does not exist, so listing it fails
    process.env.STATE_SOURCES = JSON.stringify([
      { bucket: STATE_BUCKET, prefixes: ['prod/'] },
      { bucket: 'tfdrift-no-such-bucket', prefixes: ['prod/'] },
    ]);
    vi.resetModules();
    const detectWithGap = await import('../../lambdas/handlers/detect.js');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    // Act
    const result = await detectWithGap.handler(bridgeEvent(suspend) as never);
    const lines = log.mock.calls.map(([line]) => String(line));
    log.mockRestore();
    // Assess: the drift of the state that loaded is found; the failed location is one state error
    expect(result).toEqual({ kind: 'cloudtrail', drifts: 1 });
    const emf = JSON.parse(lines.find((line) => line.includes('"CloudWatchMetrics"'))!) as Record<
      string,
      unknown
    >;
    expect(emf).toMatchObject({ Drifts: 1, StateErrors: 1 });
  });

  it('answers the dashboard with the stored drift through the query-api handler', async () => {
    // Prepare
    expect(await detect.handler(bridgeEvent(suspend) as never)).toEqual({ kind: 'cloudtrail', drifts: 1 });
    // Act
    const response = await query.handler(httpEvent('GET', '/api/v1/drifts', { limit: '10' }));
    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body)) as {
      items: { event: { id: string }; resource: { id: string } }[];
    };
    expect(body.items).toHaveLength(1);
    expect(body.items[0].event.id).toBe(suspend.eventID);
    expect(body.items[0].resource.id).toBe('tfdrift-falco-test-data-943198b9');
  });

  it('reloads state on an S3 Object Created event and resolves drifts the new state agrees with', async () => {
    // Prepare: a drift is open; then Terraform applied the console change, so state says versioning is off.
    expect(await detect.handler(bridgeEvent(suspend) as never)).toEqual({ kind: 'cloudtrail', drifts: 1 });
    const state = JSON.parse(fixtureText('tfstate/tfdrift-falco-detector.tfstate')) as {
      serial: number;
      resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
    };
    state.serial += 1;
    const versioning = state.resources.find((r) => r.type === 'aws_s3_bucket_versioning')!;
    versioning.instances[0].attributes.versioning_configuration = [{ mfa_delete: '', status: 'Suspended' }];
    await world.putState(JSON.stringify(state));
    // Act
    const result = await detect.handler(objectCreatedEvent(STATE_BUCKET, STATE_KEY) as never);
    // Assess
    expect(result).toEqual({ kind: 'state', drifts: 0, resolved: 1 });
    const open = await query.handler(httpEvent('GET', '/api/v1/drifts', { status: 'open' }));
    expect((JSON.parse(String(open.body)) as { items: unknown[] }).items).toHaveLength(0);
  });

  it('fails a cold start that lacks a variable, naming it', async () => {
    // Prepare
    vi.resetModules();
    const saved = process.env.DRIFTS_TABLE;
    delete process.env.DRIFTS_TABLE;
    // Act + Assess
    await expect(import('../../lambdas/handlers/detect.js')).rejects.toThrow(
      'environment variable DRIFTS_TABLE is not set',
    );
    process.env.DRIFTS_TABLE = saved;
  });
});
