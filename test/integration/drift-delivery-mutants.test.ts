// Webhook and chat delivery (lambdas/services/drift-delivery.ts) behaviours a mutation run found
// untested (npx stryker run --mutate lambdas/services/drift-delivery.ts): which webhook an input
// names, the headers a receiver gets, which answers count as delivered, and what is logged. A real
// HTTP receiver gets each POST through fetch, as the webhook-delivery function sends it.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { driftDetectedEvent } from '../../lambdas/core/drift-events.js';
import { type DeliveryDeps, deliverWebhook, publishChat } from '../../lambdas/services/drift-delivery.js';
import { sampleDrift } from '../support/drift-samples.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:hook-AbCdEf';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((ok) => s.close(ok));
});

/** A receiver answering `status`; returns its URL and what it received. */
async function receiver(status: number) {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.headers);
      res.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=t0k`;
  return { url, received };
}

/** The webhook-delivery function's POST (fetch, no redirects followed). */
async function post(url: string, body: string, headers: Record<string, string>) {
  const answer = await fetch(url, { method: 'POST', body, headers, redirect: 'manual' });
  await answer.body?.cancel();
  return { status: answer.status };
}

function deps(over: Partial<DeliveryDeps> = {}) {
  const lines: string[] = [];
  const log = (level: string) => (m: string, f?: object) =>
    void lines.push(`${level} ${m} ${JSON.stringify(f ?? {})}`);
  return {
    lines,
    deps: {
      secrets: { value: async (arn: string) => (arn === SECRET_ARN ? 'hook-secret' : 'other') },
      post,
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
      ...over,
    } satisfies DeliveryDeps,
  };
}

const onTheBus = (id: unknown = 'eb-1', severity: 'medium' | 'high' = 'high') => ({
  version: '0',
  id,
  account: '111111111111',
  region: 'eu-west-1',
  ...JSON.parse(JSON.stringify(driftDetectedEvent(sampleDrift(3, { severity })))),
});

describe('deliverWebhook', () => {
  it('sends the user agent it is given and the delivery id only when the bus gave a string id', async () => {
    const hook = await receiver(200);
    const targets = [{ url: hook.url, secretArn: SECRET_ARN, minSeverity: 'low' as const }];
    const { deps: withAgent } = deps({ userAgent: 'tfdrift-webhook/1' });
    await deliverWebhook(targets, { webhook: 0, event: onTheBus('eb-9') }, withAgent);
    const { deps: plain } = deps();
    await deliverWebhook(targets, { webhook: 0, event: onTheBus(7) }, plain);
    expect(hook.received.map((h) => [h['user-agent'], h['x-tfdrift-delivery']])).toEqual([
      ['tfdrift-webhook/1', 'eb-9'],
      ['node', undefined],
    ]);
  });

  it('logs a delivery by host, status and drift, never the URL’s path or query', async () => {
    const hook = await receiver(202);
    const { deps: d, lines } = deps();
    const result = await deliverWebhook(
      [{ url: hook.url, secretArn: SECRET_ARN, minSeverity: 'medium' }],
      { webhook: 0, event: onTheBus('eb-2', 'medium') },
      d,
    );
    expect(result).toEqual({ delivered: true, status: 202 });
    const host = new URL(hook.url).host;
    expect(lines).toEqual([`info webhook delivered {"host":"${host}","status":202,"drift":"drift-0003"}`]);
  });

  it('counts 2xx only as delivered: a 300 or an informational answer throws', async () => {
    const hook = await receiver(300);
    const targets = [{ url: hook.url, secretArn: SECRET_ARN, minSeverity: 'low' as const }];
    const host = new URL(hook.url).host;
    await expect(deliverWebhook(targets, { webhook: 0, event: onTheBus() }, deps().deps)).rejects.toThrow(
      `webhook ${host} answered 300`,
    );
    const informational = deps({ post: async () => ({ status: 199 }) }).deps;
    await expect(deliverWebhook(targets, { webhook: 0, event: onTheBus() }, informational)).rejects.toThrow(
      `webhook ${host} answered 199`,
    );
    const ok = await receiver(299);
    const last = [{ url: ok.url, secretArn: SECRET_ARN, minSeverity: 'low' as const }];
    expect(await deliverWebhook(last, { webhook: 0, event: onTheBus() }, deps().deps)).toEqual({
      delivered: true,
      status: 299,
    });
  });

  it('takes the webhook by its index only, never by a string that looks like one', async () => {
    const hook = await receiver(200);
    const targets = [{ url: hook.url, secretArn: SECRET_ARN, minSeverity: 'low' as const }];
    await expect(deliverWebhook(targets, { webhook: '0', event: onTheBus() }, deps().deps)).rejects.toThrow(
      'no webhook 0 is configured',
    );
    expect(hook.received).toEqual([]);
  });

  it('drops and logs an event that is no drift event, with its id, and one that is not even an object', async () => {
    const hook = await receiver(200);
    const targets = [{ url: hook.url, secretArn: SECRET_ARN, minSeverity: 'low' as const }];
    const { deps: d, lines } = deps();
    const forged = { ...onTheBus('eb-forged'), source: 'acme.billing' };
    expect(await deliverWebhook(targets, { webhook: 0, event: forged }, d)).toEqual({
      delivered: false,
      reason: 'not a tfdrift drift event: source is not tfdrift',
    });
    const nothing = await deliverWebhook(targets, { webhook: 0, event: null }, d);
    expect(nothing.delivered).toBe(false);
    expect(lines[0]).toBe(
      'warn event dropped {"id":"eb-forged","reason":"not a tfdrift drift event: source is not tfdrift"}',
    );
    expect(lines[1]).toMatch(/^warn event dropped \{"reason":"not a tfdrift drift event/);
    expect(hook.received).toEqual([]);
  });
});

describe('publishChat', () => {
  it('drops an event that is no drift event, publishing nothing', async () => {
    const published: string[] = [];
    const { deps: d } = deps();
    const result = await publishChat(
      [{ topicArn: 'arn:aws:sns:eu-west-1:1:chat', minSeverity: 'low' }],
      { ...onTheBus(), source: 'acme.billing' },
      async (topic) => void published.push(topic),
      d.logger,
    );
    expect(result).toEqual({ delivered: false, reason: 'not a tfdrift drift event: source is not tfdrift' });
    expect(published).toEqual([]);
  });
});
