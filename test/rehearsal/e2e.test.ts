// Deploy rehearsal, end to end on the synthesized artefacts (issue 11): the `realistic` profile's
// central stack run on this machine as its template describes it (support/local-deployment.ts) —
// tables from the template's definitions on dynalite, state on s3rver, each function's synthesized
// bundle with the template's environment, events routed by the template's rule patterns, the drifts
// table's stream filtered by the template's event-source-mapping filter into the broadcast function,
// the WebSocket API and SNS topic as stand-ins built from the template.
// Each test delivers its own copy of a real CloudTrail record (its own eventID), so tests do not
// depend on each other's drifts; the state file is restored by the test that changes it.

import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LiveFeed } from '../../web/src/live.js';
import { fixtureJson, fixtureText } from '../integration/handlers-env.js';
import { type SynthesizedProfile, synthesizeProfile } from './assembly.js';
import { profile } from './profiles.js';
import {
  type BusEvent,
  type BusRule,
  cloudTrailEvent,
  defaultBusRules,
  objectCreatedEvent,
  targetsOf,
} from './support/event-bus.js';
import type { LambdaProcess } from './support/lambda-process.js';
import { deployLocally, type LocalDeployment } from './support/local-deployment.js';
import { TemplateNames } from './support/template-names.js';

process.env.AWS_REGION ??= 'eu-west-1';
process.env.CDK_DEFAULT_REGION ??= 'eu-west-1';

const STATE_TEXT = fixtureText('tfstate/tfdrift-falco-detector.tfstate');
/** A real CloudTrail record: versioning of a Terraform-managed bucket suspended in the console. */
const SUSPEND = fixtureJson('live/s3-suspend-versioning.json');

let synth: SynthesizedProfile;
let world: LocalDeployment;
let stateBucket: string;
let stateKey: string;
let drifts: string;
let topicArn: string;
/** The default-bus rules of the forwarder stack of FORWARDED_REGION, and the bus they should reach. */
let forwarderRules: BusRule[];
let centralBus: string;
// The sample bucket lives in us-east-1 (its state says so): its calls are recorded there, and the
// realistic profile's central region is eu-west-1, so they reach the detector through a forwarder.
const FORWARDED_REGION = 'us-east-1';

/** The `realistic` profile's first state location, with a key its prefixes cover. */
function stateLocation(sources: string): { bucket: string; key: string } {
  const [first] = JSON.parse(sources) as { bucket: string; prefixes: string[] }[];
  const prefix = first.prefixes.find((p) => p.endsWith('/')) as string;
  return { bucket: first.bucket, key: `${prefix}detector.tfstate` };
}

beforeAll(async () => {
  synth = synthesizeProfile(profile('realistic'));
  const central = synth.stacks.find((s) => s.stackName === 'Tfdrift');
  if (!central) throw new Error('no central stack');
  const detectId = [...central.functionAssets.keys()].find((id) => id.startsWith('Detect')) as string;
  const sources = (
    central.template.Resources[detectId].Properties as { Environment: { Variables: Record<string, string> } }
  ).Environment.Variables.STATE_SOURCES;
  ({ bucket: stateBucket, key: stateKey } = stateLocation(sources));
  const objects: Record<string, Record<string, string>> = {};
  for (const { bucket } of JSON.parse(sources) as { bucket: string }[]) objects[bucket] = {};
  objects[stateBucket][stateKey] = STATE_TEXT;
  world = await deployLocally(central, { objects });
  const forwarder = synth.stacks.find((s) => s.region === FORWARDED_REGION);
  if (!forwarder) throw new Error(`no forwarder stack in ${FORWARDED_REGION}`);
  forwarderRules = defaultBusRules(
    new TemplateNames(forwarder.template, {
      account: forwarder.account,
      region: forwarder.region,
      stackName: forwarder.stackName,
    }),
  );
  centralBus = `arn:aws:events:${central.region}:${central.account}:event-bus/default`;
  const driftsId = world.names.ofType('AWS::DynamoDB::Table').find((id) => id.includes('Drifts')) as string;
  drifts = world.tableName(driftsId);
  // The topic the detect function alerts through (its TOPIC_ARN, resolved).
  topicArn = world.names.properties<{ Environment: { Variables: { TOPIC_ARN: string } } }>(detectId)
    .Environment.Variables.TOPIC_ARN;
}, 120_000);

afterAll(async () => {
  if (process.env.REHEARSAL_LOGS) {
    for (const [id, fn] of world.functions)
      for (const line of fn.logs) if (/warn|error/i.test(line)) console.log(id, line);
  }
  await world?.stop();
  synth?.cleanup();
});

/** The fixture record as a fresh CloudTrail event (its own eventID), in its EventBridge envelope. */
function freshEvent(region = String(SUSPEND.awsRegion)): { event: BusEvent; eventId: string } {
  const eventId = randomUUID();
  return {
    event: cloudTrailEvent({ ...SUSPEND, eventID: eventId, awsRegion: region }, randomUUID()),
    eventId,
  };
}

/** Drift items of the drifts table (the raw table: what any reader of it would see). */
async function driftItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await world.dynamo.client.send(
      new ScanCommand({ TableName: drifts, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.filter((item) => item.gAll === 'drift');
}

async function driftsOfEvent(eventId: string) {
  return (await driftItems()).filter((item) => JSON.parse(String(item.body)).event.id === eventId);
}

// The dashboard's Cognito identity: RS256 tokens whose public key the authorizer's verifier holds as
// if fetched from the pool's jwks.json (aws-jwt-verify's cacheJwks, the stand-in for Cognito).
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'rehearsal-key-1';

function idToken(key = signingKey.privateKey): string {
  const poolId = world.names.ref(world.names.ofType('AWS::Cognito::UserPool')[0]);
  const clientId = world.names.ref(world.names.ofType('AWS::Cognito::UserPoolClient')[0]);
  const now = Math.floor(Date.now() / 1000);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${b64({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${b64({
    sub: '7d2f9a10-1111-4222-8333-444455556666',
    iss: `https://cognito-idp.${world.stack.region}.amazonaws.com/${poolId}`,
    aud: clientId,
    token_use: 'id',
    email: 'alice@example.com',
    auth_time: now - 30,
    iat: now - 30,
    exp: now + 3600,
  })}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key).toString('base64url')}`;
}

interface LiveClient {
  readonly ws: WebSocket;
  /** The client's TCP port (how the test finds its connection id in the stand-in). */
  readonly port?: number;
  readonly messages: Record<string, unknown>[];
  /** Resolves with the first message (already received or yet to come) that `accept` accepts. */
  waitFor(accept: (m: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

/** Opens the live feed as the dashboard does; resolves once open, or rejects with the HTTP status. */
function openFeed(query: Record<string, string>): Promise<LiveClient> {
  const url = `${world.webSocket.url}/live?${new URLSearchParams(query)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Record<string, unknown>[] = [];
    const waiters: (() => void)[] = [];
    let port: number | undefined;
    ws.once('upgrade', (res) => {
      port = res.socket.localPort;
    });
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const wake of waiters.splice(0)) wake();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => {
      const client: LiveClient = {
        ws,
        port,
        messages,
        waitFor: (accept, what) =>
          new Promise((found, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`no ${what} within 5 s; got ${JSON.stringify(messages)}`)),
              5000,
            );
            const check = () => {
              const hit = messages.find(accept);
              if (hit) {
                clearTimeout(timer);
                found(hit);
              } else waiters.push(check);
            };
            check();
          }),
      };
      openClients.add(client);
      ws.once('close', () => openClients.delete(client));
      resolve(client);
    });
  });
}

/**
 * Sends the resume message as the dashboard does once open; resolves with the hello after the resume
 * function has answered (replay sent, connection on the broadcast's feed).
 */
async function resume(client: LiveClient, since?: string): Promise<Record<string, unknown>> {
  const id = world.webSocket.connectionIdOf(client.port as number) as string;
  const answered = world.webSocket.whenAnswered(id);
  client.ws.send(JSON.stringify({ action: 'resume', ...(since === undefined ? {} : { since }) }));
  expect(await answered).toEqual({ statusCode: 200 });
  return client.waitFor((m) => m.type === 'hello', 'hello');
}

/** Clients a test opened and has not closed (a failed test leaves them open). */
const openClients = new Set<LiveClient>();

afterEach(async () => {
  for (const client of openClients) await closeFeed(client);
});

async function closeFeed(client: LiveClient): Promise<void> {
  const id = client.port === undefined ? undefined : world.webSocket.connectionIdOf(client.port);
  const gone = id ? world.webSocket.whenDisconnected(id) : Promise.resolve();
  client.ws.close();
  await gone;
}

beforeAll(async () => {
  const authorizerId = world.webSocket.routes.get('$connect')?.authorizer?.functionId;
  const authorizer = authorizerId && world.functions.get(authorizerId);
  if (!authorizer) throw new Error('the $connect route has no authorizer function');
  const jwk = { ...signingKey.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  await authorizer.call('verifier', 'cacheJwks', { keys: [jwk] });
});

describe('a CloudTrail write reaching the central stack', () => {
  it('is routed by exactly one rule to the detect function and makes one drift, however often it is delivered', async () => {
    // Prepare
    const { event, eventId } = freshEvent();
    // Act
    const first = await world.deliver(event);
    const again = await world.deliver(event);
    // Assess
    expect(first.deliveries).toHaveLength(1);
    expect(first.deliveries[0].functionId).toMatch(/^DetectFunction/);
    expect(first.results).toEqual([{ kind: 'cloudtrail', drifts: 1 }]);
    expect(again.results).toEqual([{ kind: 'cloudtrail', drifts: 0 }]);
    const stored = await driftsOfEvent(eventId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      status: 'open',
      severity: 'high',
      resourceKey: expect.stringContaining('aws_s3_bucket_versioning'),
    });
  });

  it('alerts the addresses whose filter policy takes its severity, once', async () => {
    // Prepare
    const { event } = freshEvent();
    const before = world.sns.deliveries.length;
    // Act
    await world.deliver(event);
    await world.deliver(event);
    // Assess: a high drift reaches platform (medium and up) and oncall (high and up), not security
    // (critical only); the redelivery alerts nobody again.
    const alerts = world.sns.deliveries.slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].topicArn).toBe(topicArn);
    expect(alerts[0].message).toContain('tfdrift-falco-test-data-943198b9');
    expect(alerts[0].subject).toMatch(/high/i);
    expect(alerts[0].attributes.severity).toEqual({ DataType: 'String', StringValue: 'high' });
    expect(alerts[0].deliveredTo.sort()).toEqual(['email:oncall@example.com', 'email:platform@example.com']);
  });

  it('is put once on the private drift bus as Drift Detected, where each channel\u2019s rule takes it by severity', async () => {
    // Prepare
    const { event, eventId } = freshEvent();
    const before = world.eventBridge.puts.length;
    // Act
    await world.deliver(event);
    await world.deliver(event);
    // Assess: one event (the redelivery puts none), on the bus the stack created.
    const [drift] = await driftsOfEvent(eventId);
    const puts = world.eventBridge.puts.slice(before);
    expect(puts.map((p) => [p.event.source, p.event['detail-type'], p.event.detail.id])).toEqual([
      ['tfdrift', 'Drift Detected', drift.id],
    ]);
    expect(puts[0].busName).toBe(world.names.ref(world.names.ofType('AWS::Events::EventBus')[0]));
    expect(puts[0].event.detail).toMatchObject({ severity: 'high', status: 'open' });
    expect(JSON.stringify(puts[0].event.detail)).not.toContain('rawEvent');
    // A high drift: the copy, chat (teams from medium), PagerDuty (from high), both webhooks, Security Hub.
    expect(puts[0].rules.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'ChannelsChatRule',
      'ChannelsCopyRule',
      'ChannelsPagerDutyTriggerHigh',
      'ChannelsSecurityHubRule',
      'ChannelsWebhook1',
      'ChannelsWebhook2',
    ]);
  });

  it('is dropped by the rule patterns when forged: same record, put on the bus with a source not aws.* (defect 10)', () => {
    // Prepare: anyone allowed to PutEvents can copy a record into an event of their own source;
    // EventBridge reserves aws.* sources for AWS services.
    const { event } = freshEvent();
    const forged = { ...event, source: 'acme.fake' };
    // Act
    const genuine = world.deliveriesFor(event);
    const forgedDeliveries = world.deliveriesFor(forged);
    const forgedForwarded = targetsOf(forwarderRules, { ...forged, region: FORWARDED_REGION });
    // Assess
    expect(genuine).toHaveLength(1);
    expect({ central: forgedDeliveries, forwarded: forgedForwarded }).toEqual({ central: [], forwarded: [] });
  });
});

describe(`a write in a forwarded region (${FORWARDED_REGION})`, () => {
  it('reaches the central bus through the forwarder stack, and makes its drift there', async () => {
    // Prepare
    const { event, eventId } = freshEvent(FORWARDED_REGION);
    // Act: the forwarder region's bus sends it on; EventBridge keeps the envelope across regions.
    const forwardedTo = targetsOf(forwarderRules, event);
    const central = await world.deliver(event);
    // Assess
    expect(forwardedTo).toEqual([centralBus]);
    expect(central.results).toEqual([{ kind: 'cloudtrail', drifts: 1 }]);
    expect(await driftsOfEvent(eventId)).toHaveLength(1);
  });

  it('of a Terraform state file reaches the central bus through the forwarder stack (defect 11)', () => {
    // Prepare: the state bucket's Object Created notifications go to the bucket region's default bus.
    const event = objectCreatedEvent(stateBucket, stateKey, STATE_TEXT.length, 'e0f1', {
      account: world.stack.account,
      region: FORWARDED_REGION,
    });
    // Act
    const forwardedTo = targetsOf(forwarderRules, event);
    const central = world.deliveriesFor(event);
    // Assess: the central rules take it once it is there; the forwarder must bring it.
    expect(central.map((d) => d.functionId)).toEqual([expect.stringMatching(/^DetectFunction/)]);
    expect(forwardedTo).toEqual([centralBus]);
  });
});

describe('the tables the template defines', () => {
  it('expire what the functions write by the attribute each table names for TTL, in epoch seconds', async () => {
    // Prepare: a drift, its processed event, and an open live-feed connection.
    const client = await openFeed({ token: idToken() });
    const { event, eventId } = freshEvent();
    await world.deliver(event);
    const now = Date.now() / 1000;
    // Act
    const tables = world.names.ofType('AWS::DynamoDB::Table').map((id) => {
      const p = world.names.properties<{
        TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
      }>(id);
      return { id, name: world.tableName(id), ttl: p.TimeToLiveSpecification };
    });
    const written = await Promise.all(
      tables.map(async (t) => {
        const out = await world.dynamo.client.send(
          new ScanCommand({ TableName: t.name, ConsistentRead: true }),
        );
        const items = (out.Items ?? []).map((item) => unmarshall(item));
        // The drifts table's bookkeeping items (change counter, alert claims) are not drifts.
        const mine = t.id.includes('Drifts') ? items.filter((i) => i.gAll === 'drift') : items;
        return { ...t, items: mine };
      }),
    );
    await closeFeed(client);
    // Assess
    expect(tables.map((t) => t.id).sort()).toEqual([
      expect.stringMatching(/^StoreConnections/),
      expect.stringMatching(/^StoreDrifts/),
      expect.stringMatching(/^StoreEvents/),
    ]);
    for (const table of written) {
      expect(table.ttl, table.id).toMatchObject({ Enabled: true, AttributeName: expect.any(String) });
      expect(table.items.length, `${table.id} holds what the functions wrote`).toBeGreaterThan(0);
      for (const item of table.items) {
        const expires = item[table.ttl?.AttributeName as string];
        expect(typeof expires, `${table.id}.${table.ttl?.AttributeName}`).toBe('number');
        expect(expires).toBeGreaterThan(now);
        expect(expires).toBeLessThan(now + 400 * 86_400);
      }
    }
    expect(
      written
        .find((t) => t.id.startsWith('StoreDrifts'))
        ?.items.some((i) => String(i.body).includes(eventId)),
    ).toBe(true);
  });
});

describe('the drift counts', () => {
  /** GET /api/v1/summary through the query function, as API Gateway invokes it after the JWT authorizer. */
  async function summary(): Promise<{ total: number; open: Record<string, number> }> {
    const queryId = [...world.functions.keys()].find((id) => id.startsWith('QueryFunction')) as string;
    const path = '/api/v1/summary';
    const response = (await (world.functions.get(queryId) as LambdaProcess).invoke({
      version: '2.0',
      routeKey: 'ANY /api/{proxy+}',
      rawPath: path,
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'rehearsal' },
        authorizer: { jwt: { claims: { sub: 'alice', email: 'alice@example.com' }, scopes: null } },
      },
    })) as { statusCode: number; body: string };
    expect(response.statusCode, response.body).toBe(200);
    return JSON.parse(response.body);
  }

  it('lose a drift the table no longer holds (DynamoDB TTL at the end of its retention), and keep the rest', async () => {
    // Prepare: a new open drift, counted, and every change before it handed to the stream's functions.
    const { event, eventId } = freshEvent();
    await world.deliver(event);
    await world.pump();
    const [drift] = await driftsOfEvent(eventId);
    expect(drift?.status).toBe('open');
    const severity = String(drift.severity);
    const before = await summary();
    // Act: the TTL process deletes the drift and the alert claim beside it; the stream carries both.
    for (const id of [String(drift.id), `alert#${drift.id}`]) {
      await world.dynamo.client.send(new DeleteItemCommand({ TableName: drifts, Key: { id: { S: id } } }));
    }
    const pumped = await world.pump();
    const after = await summary();
    // Assess: only the drift's REMOVE passes the mapping's filter, and the counts lose exactly that drift.
    expect(pumped.records.filter((r) => r.eventName === 'REMOVE')).toHaveLength(2);
    expect(pumped.delivered.map((r) => [r.eventName, r.dynamodb?.Keys?.id?.S])).toEqual([
      ['REMOVE', drift.id],
    ]);
    expect(after.total).toBe(before.total - 1);
    expect(after.open).toEqual({ ...before.open, [severity]: before.open[severity] - 1 });
  });
});

describe('operators', () => {
  it('get every alarm notification of the stack by email (defect 5)', () => {
    // Prepare: CloudWatch publishes alarm state changes to the alarm's actions with no message
    // attributes (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-sns-notifications.html).
    const alarms = world.names.ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarmId of alarms) {
      const { AlarmActions = [], AlarmDescription } = world.names.properties<{
        AlarmActions?: string[];
        AlarmDescription?: string;
      }>(alarmId);
      const topics = AlarmActions.filter((arn) => arn.startsWith('arn:aws:sns:'));
      // Act
      const reached = topics.flatMap((arn) => {
        const allowed = world.topicAllowsService(arn, 'cloudwatch.amazonaws.com');
        const delivery = world.sns.publish(
          arn,
          JSON.stringify({ AlarmName: alarmId, NewStateValue: 'ALARM', AlarmDescription }),
          {},
          `ALARM: "${alarmId}" in ${world.stack.region}`,
        );
        return allowed ? delivery.deliveredTo.filter((to) => to.startsWith('email:')) : [];
      });
      // Assess
      expect({ alarm: alarmId, reached }).toEqual({
        alarm: alarmId,
        reached: expect.arrayContaining([expect.any(String)]),
      });
    }
  });
});

describe('the live feed', () => {
  it('refuses a client with a bad token or none, and lets one with a valid token receive the drift', async () => {
    // Prepare
    const authorizations = world.webSocket.authorizations.length;
    const client = await openFeed({ token: idToken() });
    await resume(client);
    // Act
    const refusal = (opening: Promise<LiveClient>) =>
      opening.then(
        async (opened) => {
          await closeFeed(opened);
          return 'opened';
        },
        (error: Error) => error.message,
      );
    const stranger = refusal(openFeed({ token: idToken(strangerKey.privateKey) }));
    const anonymous = refusal(openFeed({}));
    const { event, eventId } = freshEvent();
    await world.deliver(event);
    const pumped = await world.pump();
    // Assess
    expect(await stranger).toBe('refused: 403');
    expect(await anonymous).toBe('refused: 401');
    expect(
      world.webSocket.authorizations
        .slice(authorizations)
        .map((a) => a.allowed)
        .sort(),
    ).toEqual([false, true]);
    const [drift] = await driftsOfEvent(eventId);
    const message = await client.waitFor(
      (m) => m.type === 'drift' && (m.drift as { id: string }).id === drift.id,
      `drift ${drift.id}`,
    );
    expect(message).toMatchObject({ cursor: String(drift.seq), drift: { status: 'open', severity: 'high' } });
    expect((message.drift as { rawEvent?: unknown }).rawEvent).toBeUndefined();
    // The stream also carried the change counter and the alert bookkeeping; the filter kept them out.
    expect(pumped.records.length).toBeGreaterThan(pumped.delivered.length);
    expect(pumped.delivered.every((r) => r.dynamodb?.NewImage?.gAll?.S === 'drift')).toBe(true);
    await closeFeed(client);
  });

  it('forgets a connection API Gateway lost without a $disconnect once posting to it answers 410', async () => {
    // Prepare
    const client = await openFeed({ token: idToken() });
    await resume(client);
    const connectionId = world.webSocket.connectionIdOf(client.port as number) as string;
    const connectionsTable = world.tableName(
      world.names.ofType('AWS::DynamoDB::Table').find((id) => id.includes('Connections')) as string,
    );
    const registered = async () =>
      (
        await world.dynamo.client.send(
          new GetItemCommand({ TableName: connectionsTable, Key: { connectionId: { S: connectionId } } }),
        )
      ).Item !== undefined;
    const wasRegistered = await registered();
    world.webSocket.vanish(connectionId);
    // Act
    const { event } = freshEvent();
    await world.deliver(event);
    const pumped = await world.pump();
    // Assess
    expect(wasRegistered).toBe(true);
    expect(pumped.results).toContainEqual({ batchItemFailures: [] });
    expect(await registered()).toBe(false);
  });

  it('resolves the drift on a state-file write, and a client that resumes with its cursor misses nothing', async () => {
    // Prepare: a client sees a new drift, then goes away.
    const client = await openFeed({ token: idToken() });
    await resume(client);
    const { event, eventId } = freshEvent();
    await world.deliver(event);
    await world.pump();
    const [drift] = await driftsOfEvent(eventId);
    const seen = await client.waitFor((m) => (m.drift as { id?: string })?.id === drift.id, 'the new drift');
    const cursor = String(seen.cursor);
    await closeFeed(client);
    // Act 1: Terraform applies the console change: the state now says versioning is suspended.
    const state = JSON.parse(STATE_TEXT) as {
      serial: number;
      resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
    };
    state.serial += 1;
    const versioning = state.resources.find(
      (r) => r.type === 'aws_s3_bucket_versioning',
    ) as (typeof state.resources)[number];
    versioning.instances[0].attributes.versioning_configuration = [{ mfa_delete: '', status: 'Suspended' }];
    const written = JSON.stringify(state);
    const put = await world.s3.send(
      new PutObjectCommand({ Bucket: stateBucket, Key: stateKey, Body: written }),
    );
    let reload: { deliveries: { functionId: string }[]; results: unknown[] };
    try {
      reload = await world.deliver(
        objectCreatedEvent(
          stateBucket,
          stateKey,
          written.length,
          String(put.ETag).replace(/"/g, ''),
          world.stack,
        ),
      );
    } finally {
      // The fixture state again, for every other test (no drift is re-opened by it).
      await world.s3.send(new PutObjectCommand({ Bucket: stateBucket, Key: stateKey, Body: STATE_TEXT }));
      await world.deliver(
        objectCreatedEvent(stateBucket, stateKey, STATE_TEXT.length, 'restored', world.stack),
      );
    }
    await world.pump();
    // Act 2: the client comes back with its last cursor.
    const back = await openFeed({ token: idToken(), since: cursor });
    const hello = await resume(back, cursor);
    const missed = (await driftItems()).filter((item) => Number(item.seq) > Number(cursor));
    for (const item of missed) {
      await back.waitFor(
        (m) => (m.drift as { id?: string })?.id === item.id && m.cursor === String(item.seq),
        `replay of ${item.id}`,
      );
    }
    // Assess
    expect(reload.deliveries.map((d) => d.functionId)).toEqual([expect.stringMatching(/^DetectFunction/)]);
    expect(reload.results[0]).toMatchObject({ kind: 'state', resolved: expect.any(Number) });
    expect((reload.results[0] as { resolved: number }).resolved).toBeGreaterThanOrEqual(1);
    const [resolved] = await driftsOfEvent(eventId);
    expect(resolved).toMatchObject({ status: 'resolved', statusChangedBy: 'tfdrift' });
    expect(hello).toEqual({ type: 'hello', cursor });
    // The resolution leaves as Drift Status Changed, which resolves the PagerDuty incident.
    const change = world.eventBridge.puts.find(
      (p) => p.event['detail-type'] === 'Drift Status Changed' && p.event.detail.id === drift.id,
    );
    expect(change?.event.detail.statusChange).toMatchObject({ status: 'resolved', by: 'tfdrift' });
    expect(change?.rules.some((id) => id.startsWith('ChannelsPagerDutyResolve'))).toBe(true);
    expect(change?.rules.some((id) => id.startsWith('ChannelsChatRule'))).toBe(false);
    expect(missed.map((item) => item.id)).toContain(drift.id);
    const replayedDrift = back.messages.find((m) => (m.drift as { id?: string })?.id === drift.id);
    expect(replayedDrift?.drift).toMatchObject({ status: 'resolved' });
    expect(
      back.messages.filter((m) => m.type === 'drift').every((m) => Number(m.cursor) > Number(cursor)),
    ).toBe(true);
    await closeFeed(back);
  });

  it("keeps the dashboard's own live client whole across a dropped connection and an outage", async () => {
    // Prepare: the dashboard's LiveFeed (web/src/live.ts) on Node, with ws as its WebSocket.
    const globals = globalThis as unknown as { WebSocket?: unknown; location?: unknown };
    const saved = { WebSocket: globals.WebSocket, location: globals.location };
    // A browser's WebSocket reports a failed handshake as an error event nobody has to handle.
    globals.WebSocket = class BrowserWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        this.on('error', () => undefined);
      }
    };
    globals.location = { href: 'http://127.0.0.1/' };
    const messages: Record<string, unknown>[] = [];
    let wake: () => void = () => undefined;
    const until = async (accept: (m: Record<string, unknown>) => boolean, what: string) => {
      const deadline = Date.now() + 8000;
      while (!messages.some(accept)) {
        if (Date.now() > deadline) throw new Error(`no ${what}; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return messages.find(accept) as Record<string, unknown>;
    };
    const before = new Set(world.webSocket.connections.keys());
    const feed = new LiveFeed({
      wsUrl: `${world.webSocket.url}/live`,
      token: () => idToken(),
      onMessage: (m) => {
        messages.push(m as unknown as Record<string, unknown>);
        wake();
      },
      onStatus: () => undefined,
    });
    try {
      feed.start();
      await until((m) => m.type === 'hello', 'first hello');
      const first = freshEvent();
      await world.deliver(first.event);
      await world.pump();
      const [a] = await driftsOfEvent(first.eventId);
      const seenA = await until((m) => (m.drift as { id?: string })?.id === a.id, 'drift A live');
      // Act: API Gateway drops the connection, and new connections fail for a while; meanwhile a
      // drift is made and broadcast to nobody.
      world.webSocket.unavailable = true;
      const [connectionId] = [...world.webSocket.connections.keys()].filter((id) => !before.has(id));
      const gone = world.webSocket.whenDisconnected(connectionId);
      world.webSocket.drop(connectionId);
      await gone;
      const second = freshEvent();
      await world.deliver(second.event);
      const pumped = await world.pump();
      world.webSocket.unavailable = false;
      const [b] = await driftsOfEvent(second.eventId);
      const replayB = await until((m) => (m.drift as { id?: string })?.id === b.id, 'drift B replayed');
      // Assess
      expect(pumped.delivered.some((r) => r.dynamodb?.NewImage?.id?.S === b.id)).toBe(true);
      const hellos = messages.filter((m) => m.type === 'hello');
      expect(hellos).toHaveLength(2);
      expect(hellos[1]).toEqual({ type: 'hello', cursor: seenA.cursor });
      expect(replayB).toMatchObject({ type: 'drift', cursor: String(b.seq), drift: { status: 'open' } });
      expect(messages.indexOf(replayB)).toBeGreaterThan(messages.indexOf(hellos[1]));
    } finally {
      const open = [...world.webSocket.connections.keys()].filter((id) => !before.has(id));
      const closed = Promise.all(open.map((id) => world.webSocket.whenDisconnected(id)));
      feed.stop();
      await closed;
      globals.WebSocket = saved.WebSocket;
      globals.location = saved.location;
    }
  });
});
