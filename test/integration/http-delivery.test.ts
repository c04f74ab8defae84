// Webhook and Slack deliveries against a real HTTP receiver: retries are bounded and only for what a
// retry can fix, a receiver that hangs never holds up the caller, and a full queue drops its oldest.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeliveryQueue,
  fanOutNotifier,
  parseReceiverUrl,
  signBody,
  WebhookDriftEvents,
} from '../../lambdas/adapters/local/http-delivery.js';
import { driftDetectedEvent } from '../../lambdas/core/drift-events.js';
import type { Logger } from '../../lambdas/ports.js';
import { sampleDrift } from '../support/drift-samples.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

/** A receiver answering `answer(n)` to its n-th request; `null` never answers (a hung receiver). */
async function receiver(answer: (n: number) => number | null): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const status = answer(bodies.length);
      bodies.push(body);
      if (status !== null) res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, bodies };
}

const fast = { baseDelayMs: 10, maxDelayMs: 20, timeoutMs: 2000 };

describe('HTTP deliveries', () => {
  it('retries 5xx up to maxAttempts, then gives up with a logged error', async () => {
    const target = await receiver(() => 503);
    const logger = recordingLogger();
    const queue = new DeliveryQueue(new URL(target.url), { ...fast, maxAttempts: 3, logger });
    queue.enqueue('{"n":1}', {});
    await queue.drain();
    expect(target.bodies).toEqual(['{"n":1}', '{"n":1}', '{"n":1}']);
    expect([queue.delivered, queue.failed]).toEqual([0, 1]);
    expect(logger.lines.filter((l) => l.startsWith('error delivery failed: giving up'))).toHaveLength(1);
  });

  it('does not retry a 4xx other than 429, and retries a 429', async () => {
    const refused = await receiver(() => 400);
    const limited = await receiver((n) => (n === 0 ? 429 : 204));
    const logger = recordingLogger();
    const a = new DeliveryQueue(new URL(refused.url), { ...fast, logger });
    const b = new DeliveryQueue(new URL(limited.url), { ...fast, logger });
    a.enqueue('{}', {});
    b.enqueue('{}', {});
    await Promise.all([a.drain(), b.drain()]);
    expect(refused.bodies).toHaveLength(1);
    expect([a.delivered, a.failed]).toEqual([0, 1]);
    expect(limited.bodies).toHaveLength(2);
    expect([b.delivered, b.failed]).toEqual([1, 0]);
  });

  it('hands over at once while the receiver hangs, keeps order, and drops the oldest past maxQueued', async () => {
    const hung = await receiver(() => null);
    const logger = recordingLogger();
    const queue = new DeliveryQueue(new URL(hung.url), { ...fast, timeoutMs: 60_000, maxQueued: 2, logger });
    const started = Date.now();
    for (const n of [1, 2, 3, 4]) queue.enqueue(`{"n":${n}}`, {});
    expect(Date.now() - started).toBeLessThan(100);
    await expect.poll(() => hung.bodies).toEqual(['{"n":1}']); // one in flight, in order
    expect(logger.lines.filter((l) => l.includes('queue full'))).toHaveLength(1); // n=2 dropped
    await queue.close(50);
    expect(
      logger.lines.some((l) => l.includes('deliveries abandoned at shutdown') && l.includes('"count":2')),
    ).toBe(true);
    expect(hung.bodies).toEqual(['{"n":1}']);
  });

  it('signs the exact body and never logs the receiver URL query (where Slack keeps its secret)', async () => {
    const target = await receiver(() => 500);
    const logger = recordingLogger();
    const hooks = new WebhookDriftEvents({
      ...fast,
      maxAttempts: 1,
      urls: [`${target.url}?token=hook-secret-123`],
      secret: 's3cret',
      logger,
    });
    await hooks.publish(driftDetectedEvent(sampleDrift(1)));
    await hooks.queues[0].drain();
    expect(target.bodies).toHaveLength(1);
    expect(signBody(target.bodies[0], 's3cret')).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signBody(target.bodies[0], 's3cret')).not.toBe(signBody(`${target.bodies[0]} `, 's3cret'));
    expect(logger.lines.join('\n')).not.toContain('hook-secret-123');
    expect(logger.lines.join('\n')).toContain('delivery refused');
  });

  it('refuses a receiver that is not an http(s) URL, and warns when webhooks have no secret', () => {
    expect(() => parseReceiverUrl('file:///etc/passwd', '--webhook')).toThrow(/must be an http\(s\) URL/);
    expect(() => parseReceiverUrl('not a url', '--webhook')).toThrow(/not a URL/);
    const logger = recordingLogger();
    new WebhookDriftEvents({ urls: ['http://127.0.0.1:9/x'], logger });
    expect(logger.lines.some((l) => l.startsWith('warn webhooks without a secret'))).toBe(true);
  });

  it('fans a drift out to every notifier, even when one fails', async () => {
    const seen: string[] = [];
    const notifier = fanOutNotifier([
      { notify: async () => Promise.reject(new Error('console gone')) },
      { notify: async (d) => void seen.push(d.id) },
    ]);
    await expect(notifier.notify(sampleDrift(2))).rejects.toThrow('alert failed');
    expect(seen).toEqual(['drift-0002']);
  });
});
