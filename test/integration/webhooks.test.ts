// `tfdrift serve --webhook URL --webhook URL --slack-webhook URL` as a user runs it (a child process),
// with real HTTP receivers in the test: every new drift and status change arrives at each webhook as
// the drift event of docs/drift-events.md, signed with the secret; a receiver that fails first gets
// the same delivery again; Slack gets the chat text; and no secret canary is in any body.

import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { DriftEvent } from '../../lambdas/core/drift-events.js';
import { canaryEvents, canaryState, leakedCanaries } from '../support/canaries.js';
import { fixtureText, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';

const ROOT = join(import.meta.dirname, '../..');
const SECRET = 'whsec-test-7d1e';
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-webhooks-'));
const running: { child?: ChildProcess; servers: Server[] } = { servers: [] };
afterAll(async () => {
  running.child?.kill('SIGTERM');
  for (const server of running.servers) server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const readSchema = (name: string) => JSON.parse(readFileSync(join(ROOT, 'docs', name), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addSchema(readSchema('finding.schema.json'));
const validate = ajv.compile(readSchema('drift-event.schema.json'));

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  readonly status: number;
}

/** An HTTP receiver that answers `statusFor(n)` to its n-th request (from 0) and keeps every request. */
async function receiver(statusFor: (n: number) => number): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statusFor(got.length);
      got.push({ headers: req.headers, raw: Buffer.concat(chunks), status });
      res.writeHead(status).end();
    });
  });
  running.servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?team=ops`, got };
}

function startServe(args: string[]): Promise<{ url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(ROOT, 'bin/tfdrift.ts'), 'serve', '--port', '0', ...args],
    {
      cwd: tmp,
      env: { ...process.env, NO_COLOR: '1', TFDRIFT_WEBHOOK_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.child = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /tfdrift serving on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, output: () => output });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${output}`)));
  });
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The corpus PutBucketVersioning setting the state's own value back ("Enabled"): a revert. */
function revertEvent(n: number): Record<string, unknown> {
  const change = suspendEvent(n);
  const params = change.requestParameters as Record<string, unknown>;
  return { ...change, requestParameters: { ...params, VersioningConfiguration: { Status: 'Enabled' } } };
}

const delivered = (got: Received[]) => got.filter((r) => r.status === 200);

describe('tfdrift serve --webhook / --slack-webhook', () => {
  it('POSTs each new drift and status change, signed, retried after a 500, with no secret in any body', async () => {
    // Prepare: two webhooks (the first fails its first request) and a Slack receiver.
    const flaky = await receiver((n) => (n === 0 ? 500 : 200));
    const steady = await receiver(() => 200);
    const slack = await receiver(() => 200);
    const stateDir = join(tmp, 'states');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, 'db.tfstate'), canaryState());
    writeFileSync(join(stateDir, 'app.tfstate'), fixtureText(STATE_NAME));
    const serve = await startServe([
      '--state',
      stateDir,
      '--data',
      join(tmp, 'data'),
      '--webhook',
      flaky.url,
      '--webhook',
      steady.url,
      '--slack-webhook',
      slack.url,
    ]);

    // Act: four drifts with secrets around them, one S3 drift and its revert, one acknowledgement.
    const api = `${serve.url}/api/v1`;
    const first = await post(`${api}/events`, [...canaryEvents(), suspendEvent(1)]);
    expect(await first.json()).toMatchObject({ created: 5, errors: [] });
    expect((await (await post(`${api}/events`, revertEvent(2))).json()) as object).toMatchObject({
      created: 0,
    });
    const { items } = (await (await fetch(`${api}/drifts?status=open&limit=10`)).json()) as {
      items: { id: string }[];
    };
    const acknowledged = items[0].id;
    const ack = await post(`${api}/drifts/${encodeURIComponent(acknowledged)}/acknowledge`, {
      by: 'tester',
      comment: 'ticket OPS-12',
    });
    expect(ack.status).toBe(200);

    // Assess: 5 detected + 2 status changes at each webhook; the flaky one saw one more request.
    await expect.poll(() => delivered(steady.got).length, { timeout: 20_000 }).toBe(7);
    await expect.poll(() => delivered(flaky.got).length, { timeout: 20_000 }).toBe(7);
    await expect.poll(() => slack.got.length, { timeout: 20_000 }).toBe(5);
    expect(flaky.got).toHaveLength(8);
    expect(flaky.got[0].status).toBe(500);
    // The retry is the same delivery: same body, same delivery id, same signature.
    expect(flaky.got[1].raw.equals(flaky.got[0].raw)).toBe(true);
    expect(flaky.got[1].headers['x-tfdrift-delivery']).toBe(flaky.got[0].headers['x-tfdrift-delivery']);

    for (const { headers, raw } of [...flaky.got, ...steady.got]) {
      const expected = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      const given = String(headers['x-tfdrift-signature']);
      expect(
        given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected)),
      ).toBe(true);
      expect(headers['content-type']).toBe('application/json');
      const doc = JSON.parse(raw.toString('utf8')) as DriftEvent;
      expect(validate(doc) ? '' : JSON.stringify(validate.errors)).toBe('');
      expect(headers['x-tfdrift-event']).toBe(doc['detail-type']);
    }
    const docs = delivered(steady.got).map((r) => JSON.parse(r.raw.toString('utf8')) as DriftEvent);
    expect(docs.filter((d) => d['detail-type'] === 'Drift Detected')).toHaveLength(5);
    const changes = docs.filter((d) => d['detail-type'] === 'Drift Status Changed').map((d) => d.detail);
    expect(changes.map((d) => d.statusChange).sort((a, b) => a!.by.localeCompare(b!.by))).toEqual([
      {
        previous: 'open',
        status: 'acknowledged',
        by: 'tester',
        comment: 'ticket OPS-12',
        at: expect.any(String),
      },
      {
        previous: 'open',
        status: 'resolved',
        by: 'tfdrift',
        comment: expect.stringMatching(/^reverted by PutBucketVersioning/),
        at: expect.any(String),
      },
    ]);
    expect(changes.find((d) => d.statusChange?.by === 'tester')?.id).toBe(acknowledged);
    for (const d of docs) expect(d.detail.url).toBe(`${serve.url}/#drift=${encodeURIComponent(d.detail.id)}`);
    // The signature is over these exact bytes: another secret does not produce it.
    const sample = steady.got[0];
    expect(sample.headers['x-tfdrift-signature']).not.toBe(
      `sha256=${createHmac('sha256', 'another').update(sample.raw).digest('hex')}`,
    );

    const texts = slack.got.map((r) => (JSON.parse(r.raw.toString('utf8')) as { text: string }).text);
    expect(texts.every((t) => t.includes(`${serve.url}/#drift=`))).toBe(true);
    expect(texts.some((t) => t.includes('`Enabled` → `Suspended`'))).toBe(true);
    expect(slack.got.every((r) => r.headers['x-tfdrift-signature'] === undefined)).toBe(true);

    const everything = [...flaky.got, ...steady.got, ...slack.got]
      .map((r) => r.raw.toString('utf8'))
      .join('\n');
    expect(everything).toContain('(sensitive)');
    expect(leakedCanaries(everything + serve.output())).toEqual([]);
  }, 120_000);
});
