// The live-feed functions: $connect / $disconnect against dynalite, the broadcast function on a
// DynamoDB stream record and the resume route replaying the drifts table's changes (API Gateway's
// management API mocked at the SDK boundary: one connection gone), and the $connect authorizer
// verifying Cognito-shaped JWTs signed with a local RSA key.

import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayRequestAuthorizerEvent, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeLiveMessage, MAX_MESSAGE_BYTES } from '../../lambdas/adapters/aws/apigw-sender.js';
import { toItem } from '../../lambdas/adapters/aws/drift-item.js';
import { DynamoConnections } from '../../lambdas/adapters/aws/dynamo-connections.js';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { REPLAY_PAGE } from '../../lambdas/services/resume-service.js';
import { sampleDrift } from '../support/drift-samples.js';
import { type HandlerWorld, startHandlerWorld } from './handlers-env.js';

const management = mockClient(ApiGatewayManagementApiClient);
let world: HandlerWorld;
let connections: DynamoConnections;
let handlers: {
  connect: typeof import('../../lambdas/handlers/ws-connect.js');
  disconnect: typeof import('../../lambdas/handlers/ws-disconnect.js');
  broadcast: typeof import('../../lambdas/handlers/broadcast.js');
  resume: typeof import('../../lambdas/handlers/ws-resume.js');
  authorizer: typeof import('../../lambdas/handlers/ws-authorizer.js');
};

beforeAll(async () => {
  world = await startHandlerWorld();
  connections = new DynamoConnections(world.dynamo.doc, { tableName: process.env.CONNECTIONS_TABLE });
  handlers = {
    connect: await import('../../lambdas/handlers/ws-connect.js'),
    disconnect: await import('../../lambdas/handlers/ws-disconnect.js'),
    broadcast: await import('../../lambdas/handlers/broadcast.js'),
    resume: await import('../../lambdas/handlers/ws-resume.js'),
    authorizer: await import('../../lambdas/handlers/ws-authorizer.js'),
  };
}, 60_000);
afterAll(async () => {
  management.restore();
  await world?.stop();
});

function wsEvent(eventType: 'CONNECT' | 'DISCONNECT' | 'MESSAGE', connectionId: string, body?: string) {
  return {
    requestContext: {
      routeKey: { CONNECT: '$connect', DISCONNECT: '$disconnect', MESSAGE: 'resume' }[eventType],
      eventType,
      extendedRequestId: 'ext-1',
      requestTime: '25/Nov/2026:09:00:00 +0000',
      messageDirection: 'IN',
      stage: 'live',
      connectedAt: 1795597200000,
      requestTimeEpoch: 1795597200000,
      requestId: 'req-1',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      connectionId,
      apiId: 'abc123',
      authorizer: eventType === 'CONNECT' ? { principalId: 'user-sub-1', sub: 'user-sub-1' } : undefined,
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

/** The messages the functions posted to one connection, in order. */
function postedTo(connectionId: string): Record<string, unknown>[] {
  return management
    .commandCalls(PostToConnectionCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.ConnectionId === connectionId)
    .map((input) => JSON.parse(Buffer.from(input.Data as Uint8Array).toString('utf8')));
}

describe('$connect, resume and $disconnect', () => {
  it('registers a connection with its user, puts it on the feed once resumed, and forgets it again', async () => {
    // Prepare
    management.on(PostToConnectionCommand).resolves({});
    const item = async () =>
      (
        await world.dynamo.doc.send(
          new GetCommand({ TableName: process.env.CONNECTIONS_TABLE, Key: { connectionId: 'conn-a=' } }),
        )
      ).Item;
    // Act
    await handlers.connect.handler(wsEvent('CONNECT', 'conn-a=') as never);
    const pending = { item: await item(), listed: await connections.list() };
    await handlers.resume.handler(
      wsEvent('MESSAGE', 'conn-a=', JSON.stringify({ action: 'resume' })) as never,
    );
    const resumed = await connections.list();
    await handlers.disconnect.handler(wsEvent('DISCONNECT', 'conn-a=') as never);
    // Assess: until its replay is done the broadcast does not reach it.
    expect(pending.item).toMatchObject({ connectionId: 'conn-a=', user: 'user-sub-1' });
    expect(pending.listed).not.toContain('conn-a=');
    expect(resumed).toContain('conn-a=');
    expect(await connections.list()).not.toContain('conn-a=');
    expect(await item()).toBeUndefined();
  });

  it('does not put back on the feed a connection that went away during its resume', async () => {
    // Prepare: a connection API Gateway has already disconnected (no item any more).
    management.on(PostToConnectionCommand).resolves({});
    // Act
    await handlers.resume.handler(
      wsEvent('MESSAGE', 'conn-b=', JSON.stringify({ action: 'resume' })) as never,
    );
    // Assess
    expect(await connections.list()).not.toContain('conn-b=');
  });
});

describe('broadcast', () => {
  it('sends a changed drift to every connection and drops the one API Gateway reports gone', async () => {
    // Prepare
    management.resetHistory();
    await connections.add('live-1=');
    await connections.add('gone-1=');
    management
      .on(PostToConnectionCommand, { ConnectionId: 'gone-1=' })
      .rejects(new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } }));
    management.on(PostToConnectionCommand, { ConnectionId: 'live-1=' }).resolves({});
    const drift = sampleDrift(7);
    const event: DynamoDBStreamEvent = {
      Records: [
        {
          eventID: 'c4ca4238a0b923820dcc509a6f75849b',
          eventName: 'INSERT',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: 'eu-west-1',
          dynamodb: {
            ApproximateCreationDateTime: 1795597200,
            Keys: { id: { S: drift.id } },
            NewImage: marshall(toItem(drift, 42), { removeUndefinedValues: true }) as never,
            SequenceNumber: '111',
            SizeBytes: 2048,
            StreamViewType: 'NEW_IMAGE',
          },
          eventSourceARN:
            'arn:aws:dynamodb:eu-west-1:123456789012:table/tfdrift-drifts/stream/2026-11-25T00:00:00.000',
        },
      ],
    };
    // Act
    const result = await handlers.broadcast.handler(event);
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const sent = management.commandCalls(PostToConnectionCommand).map((c) => c.args[0].input);
    expect(sent.map((s) => s.ConnectionId).sort()).toEqual(['gone-1=', 'live-1=']);
    const message = JSON.parse(Buffer.from(sent[0].Data as Uint8Array).toString('utf8'));
    expect(message).toMatchObject({ type: 'drift', cursor: '42', drift: { id: drift.id, status: 'open' } });
    // Live messages carry no raw event (docs/api.md): the stream image has it, the message does not.
    expect(event.Records[0].dynamodb?.NewImage?.rawEvent).toBeDefined();
    expect(message.drift.rawEvent).toBeUndefined();
    const remaining = await connections.list();
    expect(remaining).toContain('live-1=');
    expect(remaining).not.toContain('gone-1=');
  });

  it('stops at a record that fails: it and every later record are reported, none of the later ones sent', async () => {
    // Prepare: a good change, one whose image is no DynamoDB item, another good change.
    management.resetHistory();
    management.on(PostToConnectionCommand, { ConnectionId: 'order-1=' }).resolves({});
    await connections.add('order-1=');
    const [before, after] = [sampleDrift(21), sampleDrift(23)];
    const record = (sequence: string, image: Record<string, unknown>) => ({
      eventID: `evt-${sequence}`,
      eventName: 'MODIFY' as const,
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: { NewImage: image as never, SequenceNumber: sequence, StreamViewType: 'NEW_IMAGE' as const },
    });
    const event: DynamoDBStreamEvent = {
      Records: [
        record('301', marshall(toItem(before, 61), { removeUndefinedValues: true })),
        record('302', { id: { BAD: 'not a DynamoDB type' } }),
        record('303', marshall(toItem(after, 63), { removeUndefinedValues: true })),
      ],
    };
    // Act
    const result = await handlers.broadcast.handler(event);
    // Assess: Lambda retries from the lowest sequence reported, 302; 303 waits for that retry.
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['302', '303']);
    const sent = postedTo('order-1=').map((m) => (m.drift as { id: string }).id);
    expect(sent).toEqual([before.id]);
    expect(sent).not.toContain(after.id);
    await connections.remove('order-1=');
  });

  it('trims the raw event from a message over the 128 KB WebSocket limit', () => {
    // Prepare
    const drift = { ...sampleDrift(8), rawEvent: { requestParameters: { policy: 'x'.repeat(200_000) } } };
    // Act
    const text = encodeLiveMessage({ type: 'drift', drift, cursor: '9' });
    // Assess
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const message = JSON.parse(text);
    expect(message.drift.rawEvent).toBeUndefined();
    expect(message.drift).toMatchObject({ id: drift.id, truncated: true, changes: drift.changes });
  });
});

describe('resume route', () => {
  it('greets the connection with its cursor and replays every drift changed after it, in change order', async () => {
    // Prepare: four new drifts, then the first acknowledged (its latest change is the newest).
    management.resetHistory();
    management.on(PostToConnectionCommand).resolves({});
    const store = new DynamoDriftStore(world.dynamo.doc, { tableName: process.env.DRIFTS_TABLE });
    const drifts = [101, 102, 103, 104].map((n) => sampleDrift(n));
    const seqs: number[] = [];
    for (const drift of drifts) seqs.push((await store.putNew(drift)) as number);
    const ack = await store.changeStatus(drifts[0].id, {
      status: 'acknowledged',
      at: '2026-11-25T09:05:00Z',
      by: 'alice',
    });
    await handlers.connect.handler(wsEvent('CONNECT', 'resume-1=') as never);
    const since = String(seqs[1]);
    // Act
    const result = await handlers.resume.handler(
      wsEvent('MESSAGE', 'resume-1=', JSON.stringify({ action: 'resume', since })) as never,
    );
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    const messages = postedTo('resume-1=');
    expect(messages[0]).toEqual({ type: 'hello', cursor: since });
    const replayed = messages.slice(1);
    expect(replayed.map((m) => (m.drift as { id: string }).id)).toEqual([
      drifts[2].id,
      drifts[3].id,
      drifts[0].id,
    ]);
    expect(replayed.map((m) => m.cursor)).toEqual([String(seqs[2]), String(seqs[3]), String(ack?.seq)]);
    expect(replayed[2].drift).toMatchObject({ status: 'acknowledged', statusChangedBy: 'alice' });
    expect(
      replayed.every((m) => m.type === 'drift' && (m.drift as { rawEvent?: unknown }).rawEvent === undefined),
    ).toBe(true);
    await handlers.disconnect.handler(wsEvent('DISCONNECT', 'resume-1=') as never);
  });

  it('replays a backlog longer than one page, each change once and in order', async () => {
    // Prepare: more changes than one replay query reads.
    management.resetHistory();
    management.on(PostToConnectionCommand).resolves({});
    const store = new DynamoDriftStore(world.dynamo.doc, { tableName: process.env.DRIFTS_TABLE });
    const since = await store.headSeq();
    const count = REPLAY_PAGE + 30;
    const made: string[] = [];
    for (let n = 0; n < count; n++) {
      const drift = sampleDrift(1000 + n);
      await store.putNew(drift);
      made.push(drift.id);
    }
    // Act
    await handlers.resume.handler(
      wsEvent('MESSAGE', 'resume-5=', JSON.stringify({ action: 'resume', since: String(since) })) as never,
    );
    // Assess
    const replayed = postedTo('resume-5=').slice(1);
    expect(replayed.map((m) => (m.drift as { id: string }).id)).toEqual(made);
    const cursors = replayed.map((m) => Number(m.cursor));
    expect(cursors.every((c, i) => c > since && (i === 0 || c > cursors[i - 1]))).toBe(true);
  }, 60_000);

  it('catches up with a change made while its replay ran, once, after the replay', async () => {
    // Prepare: two changes to replay; a third drift is written while the first is being sent.
    management.resetHistory();
    const store = new DynamoDriftStore(world.dynamo.doc, { tableName: process.env.DRIFTS_TABLE });
    const since = await store.headSeq();
    const [a, b, during] = [201, 202, 203].map((n) => sampleDrift(n));
    await store.putNew(a);
    await store.putNew(b);
    let written = false;
    management.on(PostToConnectionCommand, { ConnectionId: 'resume-6=' }).callsFake(async (input) => {
      const message = JSON.parse(Buffer.from(input.Data as Uint8Array).toString('utf8'));
      if (!written && message.drift?.id === a.id) {
        written = true;
        await store.putNew(during);
      }
      return {};
    });
    await handlers.connect.handler(wsEvent('CONNECT', 'resume-6=') as never);
    // Act
    await handlers.resume.handler(
      wsEvent('MESSAGE', 'resume-6=', JSON.stringify({ action: 'resume', since: String(since) })) as never,
    );
    // Assess
    const ids = postedTo('resume-6=').map((m) => (m.drift as { id?: string } | undefined)?.id ?? m.type);
    expect(ids).toEqual(['hello', a.id, b.id, during.id]);
    expect(await connections.list()).toContain('resume-6=');
    await handlers.disconnect.handler(wsEvent('DISCONNECT', 'resume-6=') as never);
  });

  it('greets a connection that gives no cursor with the current one and replays nothing', async () => {
    // Prepare
    management.resetHistory();
    management.on(PostToConnectionCommand).resolves({});
    const store = new DynamoDriftStore(world.dynamo.doc, { tableName: process.env.DRIFTS_TABLE });
    await store.putNew(sampleDrift(105));
    const head = await store.headSeq();
    await handlers.connect.handler(wsEvent('CONNECT', 'resume-2=') as never);
    // Act
    const result = await handlers.resume.handler(
      wsEvent('MESSAGE', 'resume-2=', JSON.stringify({ action: 'resume' })) as never,
    );
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    expect(head).toBeGreaterThan(0);
    expect(postedTo('resume-2=')).toEqual([{ type: 'hello', cursor: String(head) }]);
    expect(await connections.list()).toContain('resume-2=');
    await handlers.disconnect.handler(wsEvent('DISCONNECT', 'resume-2=') as never);
  });

  it.each([
    ['a cursor that is no number', JSON.stringify({ action: 'resume', since: '12; drop' })],
    ['a negative cursor', JSON.stringify({ action: 'resume', since: -3 })],
    ['a message that is no JSON', 'resume please'],
  ])('refuses %s with a 400 naming the problem, sending nothing', async (_name, body) => {
    // Prepare
    management.resetHistory();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    // Act
    const result = (await handlers.resume.handler(wsEvent('MESSAGE', 'resume-3=', body) as never)) as {
      statusCode: number;
      body: string;
    };
    log.mockRestore();
    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/^resume: /),
    });
    expect(postedTo('resume-3=')).toEqual([]);
  });

  it('stops replaying when API Gateway reports the connection gone', async () => {
    // Prepare
    management.resetHistory();
    management
      .on(PostToConnectionCommand, { ConnectionId: 'resume-4=' })
      .rejects(new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } }));
    // Act
    const result = await handlers.resume.handler(
      wsEvent('MESSAGE', 'resume-4=', JSON.stringify({ action: 'resume', since: '0' })) as never,
    );
    // Assess: the hello was tried, found gone, and nothing else was sent.
    expect(result).toEqual({ statusCode: 200 });
    const tried = management.commandCalls(PostToConnectionCommand).map((c) => c.args[0].input.ConnectionId);
    expect(tried).toEqual(['resume-4=']);
  });
});

describe('$connect authorizer', () => {
  const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${process.env.USER_POOL_ID ?? 'eu-west-1_TfDrift01'}`;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'tfdrift-test-key';

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  function jwt(claims: Record<string, unknown>, key: KeyObject = keys.privateKey): string {
    const head = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64(claims)}`;
    return `${head}.${createSign('RSA-SHA256').update(head).sign(key).toString('base64url')}`;
  }
  const now = () => Math.floor(Date.now() / 1000);
  const idToken = (over: Record<string, unknown> = {}) => ({
    sub: 'a1b2c3d4-5678-90ab-cdef-111111111111',
    iss: issuer,
    aud: process.env.USER_POOL_CLIENT_ID,
    token_use: 'id',
    email: 'alice@example.com',
    auth_time: now() - 60,
    iat: now() - 60,
    exp: now() + 3600,
    ...over,
  });
  const connectEvent = (token?: string): APIGatewayRequestAuthorizerEvent =>
    ({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/live/$connect',
      headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'Sec-WebSocket-Version': '13' },
      queryStringParameters: token === undefined ? {} : { token },
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        connectionId: 'conn-z=',
        apiId: 'abc123',
        stage: 'live',
      },
    }) as never;

  beforeAll(() => {
    // Prepare: the verifier's JWKS cache holds our public key, as if fetched from the pool's jwks.json.
    const jwk = { ...keys.publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    handlers.authorizer.verifier.cacheJwks({ keys: [jwk as never] });
  });

  it('allows a valid ID token of the dashboard client', async () => {
    const result = await handlers.authorizer.handler(connectEvent(jwt(idToken())));
    expect(result.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Resource: connectEvent().methodArn,
    });
    expect(result.principalId).toBe('a1b2c3d4-5678-90ab-cdef-111111111111');
  });

  it.each([
    ['an expired token', () => jwt(idToken({ exp: now() - 10, iat: now() - 4000 }))],
    ['a token signed by another key', () => jwt(idToken(), stranger.privateKey)],
    ['a token for another client', () => jwt(idToken({ aud: 'someotherclient0000000000a' }))],
    [
      'a token from another user pool',
      () => jwt(idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })),
    ],
    ['garbage', () => 'not.a.jwt'],
    ['no token', () => undefined],
  ])('denies %s', async (_name, token) => {
    const result = await handlers.authorizer.handler(connectEvent(token()));
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });
});
