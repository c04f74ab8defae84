// The webhook-delivery and chat-delivery functions as Lambda runs them, fed what their EventBridge
// rules hand over: a real HTTP receiver gets each drift event as the same JSON document as on the
// bus, signed with the secret read from Secrets Manager (mocked at the SDK boundary) so that the
// receiver can verify it; the secret itself never travels; a failing receiver makes the invocation
// throw (Lambda retries, then dead-letters); a forged event is dropped. Chat topics get the
// Chatbot custom notification of the drifts their minimum severity reaches.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftDetectedEvent, driftStatusChangedEvent } from '../../lambdas/core/drift-events.js';
import { leakedCanaries } from '../support/canaries.js';
import { sampleDrift } from '../support/drift-samples.js';

const SECRET = 'CANARY-webhook-signing-secret-91c4';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:tfdrift/webhook-AbCdEf';
const CHAT_HIGH = 'arn:aws:sns:eu-west-1:111111111111:chat-high';
const CHAT_LOW = 'arn:aws:sns:eu-west-1:111111111111:chat-low';

interface Received {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

const secrets = mockClient(SecretsManagerClient);
const sns = mockClient(SNSClient);
let server: Server;
let answer = 200;
const received: Received[] = [];
let webhook: typeof import('../../lambdas/handlers/webhook-delivery.js');
let chat: typeof import('../../lambdas/handlers/chat-delivery.js');

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tfdrift?token=t0k`;
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.WEBHOOKS = JSON.stringify([
    { url, secretArn: SECRET_ARN, minSeverity: 'medium' },
    { url, secretArn: SECRET_ARN, minSeverity: 'critical' },
  ]);
  process.env.CHAT_TOPICS = JSON.stringify([
    { topicArn: CHAT_LOW, minSeverity: 'low' },
    { topicArn: CHAT_HIGH, minSeverity: 'high' },
  ]);
  webhook = await import('../../lambdas/handlers/webhook-delivery.js');
  chat = await import('../../lambdas/handlers/chat-delivery.js');
});
afterAll(async () => {
  secrets.restore();
  sns.restore();
  await new Promise((ok) => server.close(ok));
});

/** What EventBridge hands a target: the document plus the fields the bus adds. */
const onTheBus = (doc: object, id = 'eb-7') => ({
  version: '0',
  id,
  account: '111111111111',
  region: 'eu-west-1',
  ...JSON.parse(JSON.stringify(doc)),
});

const verifies = (body: string, signature: string | string[] | undefined, secret: string) => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const got = Buffer.from(String(signature));
  return got.length === expected.length && timingSafeEqual(got, expected);
};

describe('webhook-delivery function', () => {
  it('POSTs the drift event signed with the secret, which the receiver verifies, and never sends the secret', async () => {
    // Prepare
    received.length = 0;
    answer = 204;
    secrets.reset();
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
    const detected = driftDetectedEvent(sampleDrift(3, { severity: 'high' }), {
      dashboardUrl: 'https://d1.example.net',
    });
    const changed = driftStatusChangedEvent(
      { ...sampleDrift(3, { severity: 'high' }), status: 'resolved' },
      { previous: 'open', status: 'resolved', by: 'alice', at: '2026-01-02T00:00:00.000Z' },
    );
    // Act
    const first = await webhook.handler({ webhook: 0, event: onTheBus(detected, 'eb-1') });
    const second = await webhook.handler({ webhook: 0, event: onTheBus(changed, 'eb-2') });
    // Assess
    expect([first, second]).toEqual([
      { delivered: true, status: 204 },
      { delivered: true, status: 204 },
    ]);
    expect(received).toHaveLength(2);
    const [a, b] = received;
    expect(JSON.parse(a.body)).toEqual(JSON.parse(JSON.stringify(detected)));
    expect(Object.keys(JSON.parse(a.body))).toEqual(['source', 'detail-type', 'time', 'resources', 'detail']);
    expect(verifies(a.body, a.headers['x-tfdrift-signature'], SECRET)).toBe(true);
    expect(verifies(a.body, a.headers['x-tfdrift-signature'], 'another-secret')).toBe(false);
    expect(verifies(b.body, b.headers['x-tfdrift-signature'], SECRET)).toBe(true);
    expect([a.headers['x-tfdrift-event'], b.headers['x-tfdrift-event']]).toEqual([
      'Drift Detected',
      'Drift Status Changed',
    ]);
    expect([a.headers['x-tfdrift-delivery'], a.headers['content-type']]).toEqual([
      'eb-1',
      'application/json',
    ]);
    for (const r of received) {
      const all = `${r.body}\n${JSON.stringify(r.headers)}`;
      expect(all).not.toContain(SECRET);
      expect(all).not.toContain(SECRET.slice(-12));
      expect(leakedCanaries(all)).toEqual([]);
    }
    // The secret is read once and cached for the container.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('throws on a failing receiver, naming its host only, so Lambda retries and then dead-letters', async () => {
    // Prepare
    received.length = 0;
    answer = 503;
    const event = onTheBus(driftDetectedEvent(sampleDrift(4, { severity: 'critical' })));
    // Act
    const attempt = webhook.handler({ webhook: 1, event });
    // Assess
    await expect(attempt).rejects.toThrow(/^webhook 127\.0\.0\.1:\d+ answered 503$/);
    expect(received).toHaveLength(1);
    answer = 200;
    await expect(webhook.handler({ webhook: 1, event })).resolves.toEqual({ delivered: true, status: 200 });
  });

  it('drops a forged or foreign event and one below the webhook\u2019s minimum severity, sending nothing', async () => {
    // Prepare
    received.length = 0;
    answer = 200;
    const forged = {
      ...onTheBus(driftDetectedEvent(sampleDrift(5))),
      detail: { id: 'x', summary: '<!channel>' },
    };
    const foreign = { ...onTheBus(driftDetectedEvent(sampleDrift(5))), source: 'acme.billing' };
    const medium = onTheBus(driftDetectedEvent(sampleDrift(6, { severity: 'medium' })));
    // Act
    const results = [
      await webhook.handler({ webhook: 0, event: forged }),
      await webhook.handler({ webhook: 0, event: foreign }),
      await webhook.handler({ webhook: 1, event: medium }),
    ];
    // Assess
    expect(results.map((r) => r.delivered)).toEqual([false, false, false]);
    expect(results.map((r) => ('reason' in r ? r.reason : ''))).toEqual([
      'not a tfdrift drift event: detail.kind',
      'not a tfdrift drift event: source is not tfdrift',
      'below minSeverity',
    ]);
    expect(received).toHaveLength(0);
    await expect(webhook.handler({ webhook: 7, event: medium })).rejects.toThrow(
      'no webhook 7 is configured',
    );
  });

  it('fails the invocation, without the secret in the message, when the secret cannot be read', async () => {
    // Prepare: a fresh container would read again; this one's cache holds the value, so use the
    // adapter directly with a failing client.
    const { SecretsManagerSecrets } = await import('../../lambdas/adapters/aws/secrets-manager.js');
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: SECRET });
    const reader = new SecretsManagerSecrets(new SecretsManagerClient({}));
    // Act / Assess: the failure is not cached; the next read succeeds.
    await expect(reader.value(SECRET_ARN)).rejects.toThrow(
      `secret ${SECRET_ARN} could not be read: AccessDeniedException`,
    );
    await expect(reader.value(SECRET_ARN)).resolves.toBe(SECRET);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('chat-delivery function', () => {
  it('publishes the Chatbot custom notification to each chat topic the drift\u2019s severity reaches', async () => {
    // Prepare
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const hostile = { ...sampleDrift(8, { severity: 'medium', actor: '<!channel> mallory' }) };
    // Act
    const medium = await chat.handler(
      onTheBus(driftDetectedEvent(hostile, { dashboardUrl: 'https://d1.example.net' })),
    );
    const critical = await chat.handler(
      onTheBus(driftDetectedEvent(sampleDrift(9, { severity: 'critical' }))),
    );
    const change = await chat.handler(
      onTheBus(
        driftStatusChangedEvent(sampleDrift(9, { severity: 'critical' }), {
          previous: 'open',
          status: 'acknowledged',
          by: 'bob',
          at: '2026-01-02T00:00:00.000Z',
        }),
      ),
    );
    // Assess
    expect([medium, critical]).toEqual([
      { delivered: true, topics: 1 },
      { delivered: true, topics: 2 },
    ]);
    expect(change).toEqual({ delivered: false, reason: 'not a new drift' });
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.TopicArn)).toEqual([CHAT_LOW, CHAT_LOW, CHAT_HIGH]);
    const note = JSON.parse(String(calls[0].Message));
    expect(note).toMatchObject({
      version: '1.0',
      source: 'custom',
      id: 'drift-0008',
      content: { textType: 'client-markdown' },
    });
    expect(note.content.title).toContain('&lt;!channel&gt; mallory');
    expect(JSON.stringify(note)).not.toContain('<!channel>');
    expect(note.content.nextSteps[0]).toBe(
      'Open the drift in tfdrift: https://d1.example.net/#drift=drift-0008',
    );
  });
});
