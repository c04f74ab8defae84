// The local server's own wiring, one server per test (on tables of its own in the file's dynalite), so
// a mutation test that changes how the server is put together is seen by every test that starts one:
// which requests reach the API and which are refused (Host, Origin, token, content type, body size),
// in which order, with which headers; the WebSocket upgrade's refusals; /health's details; the URLs it
// reports; what closing it stops.
// Stryker on server.ts runs the files whose tests start their own servers (a server started in
// beforeAll is built before a mutant is switched on):
//   MUTATE_TESTS=test/integration/local-server.test.ts,test/integration/local-server-guards.test.ts,\
//   test/hostile/canary-secrets.test.ts,test/hostile/concurrency.test.ts \
//   nice -n 19 npx stryker run --mutate lambdas/local/server.ts --concurrency 2

import { createHmac } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../lambdas/local/logger.js';
import {
  DEFAULT_WEB_ROOT,
  type RunningServer,
  type ServerOptions,
  startServer,
} from '../../lambdas/local/server.js';
import { fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';
import { connectLive } from '../support/live-client.js';
import { type RawAnswer, rawRequest } from '../support/raw-http.js';
import { sharedDynamo } from '../support/shared-dynamo.js';

const freshTables = sharedDynamo();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EVIL = 'https://evil.example';

/** A server on fresh tables with the state fixture and console alerts kept; closed after the test. */
async function serve(options: ServerOptions = {}): Promise<RunningServer & { alerts(): string }> {
  let alerts = '';
  const out = new PassThrough();
  out.on('data', (chunk) => {
    alerts += String(chunk);
  });
  const server = await startServer({
    port: 0,
    dataDir: null,
    dynamo: await freshTables(),
    statePaths: [fixturePath(STATE_NAME)],
    logger: createLogger('silent'),
    alertsOut: out,
    ...options,
  });
  cleanups.push(() => server.close());
  return { ...server, alerts: () => alerts };
}

const errorOf = (answer: RawAnswer) =>
  (JSON.parse(answer.text) as { error: { code: string; message: string } }).error;
const JSON_TYPE = { 'content-type': 'application/json' };
const postEvent = (base: string, n: number, headers: Record<string, string> = JSON_TYPE) =>
  rawRequest(base, 'POST', '/api/v1/events', headers, JSON.stringify(suspendEvent(n)));

/** Opens a WebSocket: the refusal's HTTP status, or 101 and the first message's type. */
function upgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; first?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.on('message', (data) => {
      resolve({ status: 101, first: (JSON.parse(String(data)) as { type: string }).type });
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}
/** Sends `text` as it is on a new connection: the status line of the answer. */
function sendRaw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.on('data', (chunk) => {
      got += String(chunk);
    });
    socket.on('close', () => resolve(got.split('\r\n')[0]));
    socket.on('error', reject);
  });
}

/** A log stream whose lines land in `lines`. */
function lineSink(lines: string[]): PassThrough {
  const log = new PassThrough();
  log.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  return log;
}
const wsUrl = (server: RunningServer, query = '') => `${server.url.replace('http', 'ws')}/ws${query}`;

describe('which requests reach the API', () => {
  it('answers only the hosts it is reachable as, on the API and /health alike', async () => {
    const server = await serve({ allowHosts: ['tfdrift.internal'] });
    const port = String(server.port);
    const answers = await Promise.all(
      [`127.0.0.1:${port}`, `localhost:${port}`, `tfdrift.internal:${port}`, `evil.example:${port}`].map(
        (host) => rawRequest(server.url, 'GET', '/api/v1/summary', { host }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 403]);
    const rebound = await rawRequest(server.url, 'GET', '/health', { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(errorOf(rebound).code).toBe('forbidden_host');
    expect(rebound.headers.connection).toBe('close');
  });

  it('takes writes from its own origin and a configured one, reads from anywhere, and no foreign write', async () => {
    const server = await serve({ allowOrigins: ['HTTPS://Drift.Example.com:443/'] });
    const own = await postEvent(server.url, 1, { ...JSON_TYPE, origin: server.url });
    const configured = await postEvent(server.url, 2, { ...JSON_TYPE, origin: 'https://drift.example.com' });
    const foreign = await postEvent(server.url, 3, { ...JSON_TYPE, origin: EVIL });
    const foreignRead = await rawRequest(server.url, 'GET', '/api/v1/drifts', { origin: EVIL });
    expect([own.status, configured.status, foreign.status, foreignRead.status]).toEqual([200, 200, 403, 200]);
    expect(errorOf(foreign)).toEqual({
      code: 'forbidden_origin',
      message: expect.stringContaining(`the origin ${EVIL}`),
    });
    expect(foreign.headers.connection).toBe('close');
    const ids = (JSON.parse(foreignRead.text) as { items: { event: { id: string } }[] }).items.map(
      (d) => d.event.id,
    );
    expect(ids.sort()).toEqual([suspendEvent(1).eventID, suspendEvent(2).eventID].sort());
  });

  it('will not start with an allowed origin that is not http(s)://name[:port]', async () => {
    await expect(serve({ allowOrigins: ['https://ok.example', 'ftp://files.example'] })).rejects.toThrow(
      'allowed origin "ftp://files.example": must be http(s)://name[:port]',
    );
  });

  it('refuses a foreign origin before asking for the token, and the token before the content type', async () => {
    const server = await serve({ token: 'guards-token-1' });
    const foreign = await postEvent(server.url, 1, { origin: EVIL, 'content-type': 'text/plain' });
    const noToken = await postEvent(server.url, 2, { 'content-type': 'text/plain' });
    const plain = await postEvent(server.url, 3, {
      'content-type': 'text/plain',
      authorization: 'Bearer guards-token-1',
    });
    // Asked to keep the connection: only refusals close it.
    const json = await postEvent(server.url, 4, {
      ...JSON_TYPE,
      authorization: 'Bearer guards-token-1',
      connection: 'keep-alive',
    });
    expect([foreign, noToken, plain, json].map((a) => a.status)).toEqual([403, 401, 415, 200]);
    expect([foreign, noToken, plain].map((a) => errorOf(a).code)).toEqual([
      'forbidden_origin',
      'unauthorized',
      'unsupported_media_type',
    ]);
    expect(errorOf(noToken).message).toBe('missing or wrong token: send Authorization: Bearer TOKEN');
    expect([foreign, noToken, plain].map((a) => a.headers.connection)).toEqual(['close', 'close', 'close']);
    expect(json.headers.connection).not.toBe('close');
  });

  it('reads without a JSON content type, and takes the token only in the header on the API', async () => {
    const server = await serve({ token: 'guards-token-2' });
    const read = await rawRequest(server.url, 'GET', '/api/v1/drifts', {
      authorization: 'Bearer guards-token-2',
    });
    const inQuery = await rawRequest(server.url, 'GET', '/api/v1/drifts?token=guards-token-2');
    const otherScheme = await rawRequest(server.url, 'GET', '/api/v1/drifts', {
      authorization: 'Token: guards-token-2',
    });
    expect([read.status, inQuery.status, otherScheme.status]).toEqual([200, 401, 401]);
  });

  it('asks no token of anyone when the token given is empty', async () => {
    const server = await serve({ token: '' });
    const read = await rawRequest(server.url, 'GET', '/api/v1/drifts');
    expect(read.status).toBe(200);
    expect(server.openUrl).toBe(server.url);
    expect((await upgrade(wsUrl(server))).status).toBe(101);
  });

  it('answers the API with the security headers, and HEAD with the headers alone', async () => {
    const server = await serve();
    const get = await rawRequest(server.url, 'GET', '/api/v1/summary');
    const head = await rawRequest(server.url, 'HEAD', '/api/v1/summary');
    expect([get.status, head.status]).toEqual([200, 200]);
    expect(JSON.parse(get.text)).toMatchObject({ total: 0 });
    expect(head.text).toBe('');
    for (const answer of [get, head]) {
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['content-type']).toContain('application/json');
    }
  });

  it('refuses a body over the limit with 413 and closes the connection', async () => {
    const server = await serve({ maxBodyBytes: 2048 });
    const big = await rawRequest(
      server.url,
      'POST',
      '/api/v1/events',
      JSON_TYPE,
      JSON.stringify({ Records: [suspendEvent(1, { pad: 'x'.repeat(4096) })] }),
    );
    const small = await postEvent(server.url, 2);
    expect([big.status, small.status]).toEqual([413, 200]);
    expect(errorOf(big).code).toBe('payload_too_large');
    expect(big.headers.connection).toBe('close');
  });

  it('sends /api and /api/... to the API and every other path to the dashboard files', async () => {
    const web = mkdtempSync(join(tmpdir(), 'tfdrift-guards-web-'));
    cleanups.push(() => rmSync(web, { recursive: true, force: true }));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>tfdrift</title>');
    const server = await serve({ webRoot: web });
    const api = await rawRequest(server.url, 'GET', '/api');
    const apiLike = await rawRequest(server.url, 'GET', '/apis');
    expect(api.headers['content-type']).toContain('application/json');
    expect(errorOf(api)).toEqual({ code: 'not_found', message: 'no such endpoint: /api' });
    expect(apiLike.status).toBe(404);
    expect(errorOf(apiLike)).toEqual({ code: 'not_found', message: 'no such file: /apis' });
    const longPath = `/${'a'.repeat(300)}`;
    expect(errorOf(await rawRequest(server.url, 'GET', longPath)).message).toBe(
      `no such file: ${longPath.slice(0, 200)}`,
    );
    const page = await rawRequest(server.url, 'GET', '/index.html');
    const pageHead = await rawRequest(server.url, 'HEAD', '/index.html');
    expect([page.status, pageHead.status]).toEqual([200, 200]);
    expect([page.text, pageHead.text]).toEqual(['<!doctype html><title>tfdrift</title>', '']);
    const posted = await rawRequest(server.url, 'POST', '/index.html', JSON_TYPE, '{}');
    expect(posted.status).toBe(404);
    expect(errorOf(posted)).toEqual({ code: 'not_found', message: 'no such endpoint: POST /index.html' });
    expect(posted.headers['x-frame-options']).toBe('DENY');
  });

  it('serves config.json to anyone who reaches it, with no data and the security headers', async () => {
    const server = await serve({ token: 'guards-token-3' });
    const config = await rawRequest(server.url, 'GET', '/config.json');
    expect(config.status).toBe(200);
    expect(JSON.parse(config.text)).toEqual({ apiBase: '/api/v1', wsUrl: '/ws', auth: null });
    expect(config.headers['x-frame-options']).toBe('DENY');
  });
});

describe('the WebSocket upgrade', () => {
  it('refuses a foreign Host or Origin (403), another path (404), no token (401) and a bad since (400)', async () => {
    const server = await serve({ token: 'guards-ws-token', allowOrigins: ['https://drift.example.com'] });
    const port = String(server.port);
    const good = wsUrl(server, '?token=guards-ws-token');
    const answers = await Promise.all([
      upgrade(good, { host: `evil.example:${port}` }),
      upgrade(good, { origin: EVIL }),
      upgrade(`${server.url.replace('http', 'ws')}/live?token=guards-ws-token`),
      upgrade(wsUrl(server)),
      upgrade(wsUrl(server, '?token=wrong')),
      upgrade(`${good}&since=yesterday`),
      upgrade(good, { origin: 'https://drift.example.com' }),
      upgrade(good, { origin: server.url }),
      upgrade(wsUrl(server), { authorization: 'Bearer guards-ws-token' }),
      upgrade(`${good}&since=0`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([403, 403, 404, 401, 401, 400, 101, 101, 101, 101]);
    expect(answers.filter((a) => a.status === 101).map((a) => a.first)).toEqual([
      'hello',
      'hello',
      'hello',
      'hello',
    ]);
  });

  it('refuses a foreign origin before looking at the path', async () => {
    const server = await serve();
    const answer = await upgrade(`${server.url.replace('http', 'ws')}/elsewhere`, { origin: EVIL });
    expect(answer.status).toBe(403);
    expect((await upgrade(`${server.url.replace('http', 'ws')}/elsewhere`)).status).toBe(404);
  });

  it('closes a connection that sends a message over 64 KiB, and keeps one under it', async () => {
    const server = await serve();
    const closeCode = (size: number) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(wsUrl(server));
        ws.on('message', () => {
          ws.send('x'.repeat(size));
          // A ping answered means the server read the message and kept the connection.
          ws.ping();
        });
        ws.on('pong', () => {
          ws.close();
        });
        ws.on('close', (code) => resolve(code));
        ws.on('error', () => undefined);
      });
    expect(await closeCode(64 * 1024 + 1)).toBe(1009);
    expect(await closeCode(64 * 1024)).toBe(1005);
  });

  it('closes a dashboard with 1011 when its replay cannot be read', async () => {
    const dynamo = await freshTables();
    const lines: string[] = [];
    const server = await serve({ dynamo, logger: createLogger('info', lineSink(lines)) });
    expect((await postEvent(server.url, 1)).status).toBe(200);
    await dynamo.doc.send(new DeleteTableCommand({ TableName: dynamo.tables.drifts }));
    const closed = await new Promise<{ code: number; reason: string; types: string[] }>((resolve) => {
      const types: string[] = [];
      const ws = new WebSocket(wsUrl(server, '?since=0'));
      ws.on('message', (data) => types.push((JSON.parse(String(data)) as { type: string }).type));
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason), types }));
    });
    expect(closed).toEqual({ code: 1011, reason: 'replay failed', types: ['hello'] });
    const logged = lines.filter((line) => line.includes('live feed replay failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/"error":".*(not found|non-existent)/i);
  });
});

describe('/health', () => {
  it('tells the token holder the details and anyone else only the status', async () => {
    const server = await serve({ token: 'guards-health-token', demo: true });
    const open = await rawRequest(server.url, 'GET', '/health');
    const holder = await rawRequest(server.url, 'GET', '/health', {
      authorization: 'Bearer guards-health-token',
    });
    expect([open.status, holder.status]).toEqual([200, 200]);
    expect(JSON.parse(open.text)).toEqual({ status: 'ok' });
    const details = JSON.parse(holder.text) as Record<string, unknown>;
    expect(details).toEqual({
      status: 'ok',
      stateFiles: 1,
      resources: 15,
      loadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      demo: true,
    });
    expect(holder.headers['x-frame-options']).toBe('DENY');
    const state = await rawRequest(server.url, 'GET', '/api/v1/state', {
      authorization: 'Bearer guards-health-token',
    });
    expect(JSON.parse(state.text)).toMatchObject({ loadedAt: details.loadedAt, resources: 15 });
  });

  it('is degraded, and says why, with no state given, with a state folder holding none, and without its store', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tfdrift-guards-empty-'));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    // A store whose drift table does not exist: the server starts, and says so.
    const { doc, tables } = await freshTables();
    const [none, noFiles, storeless] = await Promise.all([
      serve({ statePaths: undefined }),
      serve({ statePaths: [empty] }),
      serve({ dynamo: { doc, tables: { ...tables, drifts: `${tables.drifts}-missing` } } }),
    ]);
    const answers = await Promise.all(
      [none, noFiles, storeless].map((s) => rawRequest(s.url, 'GET', '/health')),
    );
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
    const bodies = answers.map((a) => JSON.parse(a.text) as { status: string; problems: string[] });
    expect(bodies.map((b) => b.status)).toEqual(['degraded', 'degraded', 'degraded']);
    expect(bodies[0].problems).toEqual(['no state given: start with --state PATH']);
    // The folder's error names it once, as "state <folder>: <why>".
    expect(bodies[1].problems).toEqual([
      'no state file loaded',
      `state ${empty}: no *.tfstate or *.tfstate.json files in this folder`,
    ]);
    expect(bodies[2].problems).toEqual([expect.stringMatching(/^drift store: .*(not found|non-existent)/i)]);
    expect(bodies[2]).toMatchObject({ stateFiles: 1, resources: 15 });
    expect(bodies[0]).not.toHaveProperty('demo');
  });
});

describe('the URLs it reports', () => {
  it('names an IPv6 loopback in brackets and carries the token, encoded, in the open URL fragment', async () => {
    const server = await serve({ host: '::1', token: 'a b&c/d' });
    expect(server.url).toBe(`http://[::1]:${server.port}`);
    expect(server.openUrl).toBe(`http://[::1]:${server.port}/#token=a%20b%26c%2Fd`);
    const health = await rawRequest(server.url, 'GET', '/health');
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
  });

  it('is reached at 127.0.0.1 when bound to every interface', async () => {
    const server = await serve({ host: '0.0.0.0', token: 'guards-wide-token' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const answer = await rawRequest(server.url, 'GET', '/api/v1/summary', {
      authorization: 'Bearer guards-wide-token',
    });
    expect(answer.status).toBe(200);
  });

  it('links each console alert to the drift on the dashboard it serves', async () => {
    const server = await serve();
    expect((await postEvent(server.url, 1)).status).toBe(200);
    const id = (
      JSON.parse((await rawRequest(server.url, 'GET', '/api/v1/drifts')).text) as { items: { id: string }[] }
    ).items[0].id;
    expect(server.alerts()).toContain(`${server.url}/#drift=${encodeURIComponent(id)}`);
    // Alerts written to a stream of the caller's are plain text.
    expect(server.alerts()).not.toContain('\u001b[');
  });
});

describe('starting and closing', () => {
  it('gives the port back when it is taken, and leaves its data folder free for the next start', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tfdrift-guards-data-'));
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    const first = await serve();
    await expect(serve({ port: first.port, dataDir: data, dynamo: undefined })).rejects.toThrow(/EADDRINUSE/);
    const second = await serve({ dataDir: data, dynamo: undefined });
    expect(existsSync(join(data, 'dynamodb'))).toBe(true);
    expect((await rawRequest(second.url, 'GET', '/api/v1/summary')).status).toBe(200);
  });

  it('closes once however often asked, ends live connections and answers no more', async () => {
    const server = await serve();
    const ws = new WebSocket(wsUrl(server));
    await new Promise((resolve) => ws.once('message', resolve));
    const ended = new Promise<[number, string]>((resolve) =>
      ws.once('close', (code, reason) => resolve([code, String(reason)])),
    );
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    expect(await ended).toEqual([1001, 'server shutting down']);
    await expect(rawRequest(server.url, 'GET', '/health')).rejects.toThrow(/ECONNREFUSED/);
  });
});

/** An HTTP receiver on loopback that answers 200 and keeps every request; closed after the test. */
async function receiver(
  status = 200,
): Promise<{ url: string; got: { headers: IncomingHttpHeaders; body: string }[] }> {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const http = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += String(chunk);
    });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  cleanups.push(() => new Promise((ok) => http.close(ok)));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`, got };
}

describe('what the server tells others', () => {
  it('posts each new drift to its webhooks, signed, and to Slack with a link to its dashboard', async () => {
    const hook = await receiver();
    const slack = await receiver();
    const server = await serve({
      webhooks: [hook.url],
      webhookSecret: 'guards-secret',
      slackWebhooks: [slack.url],
    });
    expect((await postEvent(server.url, 1)).status).toBe(200);
    await expect.poll(() => [hook.got.length, slack.got.length]).toEqual([1, 1]);
    const [delivery] = hook.got;
    expect(delivery.headers['user-agent']).toBe('tfdrift-webhook');
    expect(delivery.headers['x-tfdrift-signature']).toBe(
      `sha256=${createHmac('sha256', 'guards-secret').update(delivery.body).digest('hex')}`,
    );
    const event = JSON.parse(delivery.body) as { 'detail-type': string; detail: { event: { id: string } } };
    expect(event['detail-type']).toBe('Drift Detected');
    expect(event.detail.event.id).toBe(suspendEvent(1).eventID);
    expect(delivery.body).toContain(`${server.url}/#drift=`);
    expect(slack.got[0].body).toContain(`${server.url}/#drift=`);
    // A status change made through the API goes out too, with the same link.
    const id = (
      JSON.parse((await rawRequest(server.url, 'GET', '/api/v1/drifts')).text) as { items: { id: string }[] }
    ).items[0].id;
    const ack = await rawRequest(
      server.url,
      'POST',
      `/api/v1/drifts/${id}/acknowledge`,
      JSON_TYPE,
      '{"by":"carol"}',
    );
    expect(ack.status).toBe(200);
    await expect.poll(() => hook.got.length).toBe(2);
    const change = JSON.parse(hook.got[1].body) as { 'detail-type': string };
    expect(change['detail-type']).toBe('Drift Status Changed');
    expect(hook.got[1].body).toContain(`${server.url}/#drift=${encodeURIComponent(id)}`);
  });

  it('retries a failing webhook as its delivery options say, and logs giving up', async () => {
    const failing = await receiver(503);
    const lines: string[] = [];
    const server = await serve({
      webhooks: [failing.url],
      delivery: { maxAttempts: 2, baseDelayMs: 5 },
      logger: createLogger('info', lineSink(lines)),
    });
    expect((await postEvent(server.url, 1)).status).toBe(200);
    await expect.poll(() => lines.some((line) => line.includes('delivery failed: giving up'))).toBe(true);
    expect(failing.got).toHaveLength(2);
  });

  it('will not start with a webhook that is not a URL', async () => {
    await expect(serve({ webhooks: ['not a url'] })).rejects.toThrow(/not a URL: "not a url"/);
    await expect(serve({ slackWebhooks: ['ftp://chat.example/x'] })).rejects.toThrow(
      /must be an http\(s\) URL/,
    );
  });

  it('tells live dashboards when the state files change, with their counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfdrift-guards-state-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'app.tfstate');
    copyFileSync(fixturePath(STATE_NAME), stateFile);
    const server = await serve({ statePaths: [dir] });
    const live = await connectLive(server.url);
    cleanups.push(() => live.close());
    await live.waitFor((m) => m.type === 'hello');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { serial: number };
    state.serial += 1;
    writeFileSync(stateFile, JSON.stringify(state));
    writeFileSync(join(dir, 'broken.tfstate'), '{ not json');
    const [message] = await live.waitFor((m) => m.type === 'state' && m.errors === 1, 1, 10_000);
    expect(message).toEqual({
      type: 'state',
      files: 1,
      resources: 15,
      errors: 1,
      at: expect.stringMatching(/^\d{4}-/),
    });
  });

  it('logs what it read from an events folder: where from, how many, new drifts, errors', async () => {
    const events = mkdtempSync(join(tmpdir(), 'tfdrift-guards-events-'));
    cleanups.push(() => rmSync(events, { recursive: true, force: true }));
    mkdirSync(join(events, 'trail'), { recursive: true });
    writeFileSync(
      join(events, 'trail', 'one.json'),
      JSON.stringify({
        Records: [
          suspendEvent(1),
          suspendEvent(2),
          { eventVersion: '1.08', eventSource: 's3.amazonaws.com' },
        ],
      }),
    );
    // A file with no record: nothing to report for it.
    writeFileSync(join(events, 'trail', 'empty.json'), JSON.stringify({ Records: [] }));
    // With no data folder, what was read is remembered nowhere (not in ./.tfdrift of the working folder).
    const memory = join(process.cwd(), '.tfdrift', 'processed-event-files.json');
    const memoryBefore = existsSync(memory) ? readFileSync(memory, 'utf8') : null;
    const lines: string[] = [];
    const server = await serve({
      eventPaths: [events],
      logger: createLogger('info', lineSink(lines)),
      pollMs: 20,
    });
    await server.eventsReady;
    expect(existsSync(memory) ? readFileSync(memory, 'utf8') : null).toBe(memoryBefore);
    const read = lines.filter((line) => line.includes('events read'));
    expect(read).toHaveLength(1);
    const fields = JSON.parse(read[0].slice(read[0].indexOf('{'))) as Record<string, unknown>;
    expect(fields).toEqual({
      origin: expect.stringContaining('one.json'),
      processed: 2,
      newDrifts: 2,
      errors: 0,
    });
  });
});

describe('console alerts on a terminal', () => {
  it('are painted when stdout is a terminal, and plain with NO_COLOR set', async () => {
    const stdout = process.stdout;
    const saved = { write: stdout.write, isTTY: stdout.isTTY, noColor: process.env.NO_COLOR };
    cleanups.push(() => {
      stdout.write = saved.write;
      stdout.isTTY = saved.isTTY;
      if (saved.noColor === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved.noColor;
    });
    // The server decides when it starts: a terminal without NO_COLOR, then one with it.
    stdout.isTTY = true;
    delete process.env.NO_COLOR;
    const painted = await serve({ alertsOut: undefined });
    // Alerts to a stream of the caller's are plain even on a terminal.
    const toStream = await serve();
    process.env.NO_COLOR = '1';
    const plain = await serve({ alertsOut: undefined });
    const alertOf = async (server: RunningServer, n: number) => {
      let written = '';
      stdout.write = ((chunk: unknown) => {
        written += String(chunk);
        return true;
      }) as typeof stdout.write;
      const posted = await postEvent(server.url, n);
      stdout.write = saved.write;
      expect(posted.status).toBe(200);
      return written;
    };
    const coloured = await alertOf(painted, 1);
    const uncoloured = await alertOf(plain, 2);
    expect(coloured).toContain('Drift id:');
    expect(coloured).toContain('\u001b[');
    expect(uncoloured).toContain('Drift id:');
    expect(uncoloured).not.toContain('\u001b[');
    expect((await postEvent(toStream.url, 3)).status).toBe(200);
    expect(toStream.alerts()).toContain('Drift id:');
    expect(toStream.alerts()).not.toContain('\u001b[');
  });
});

describe('requests no URL can be made of, and faults', () => {
  it('answers a request target such as // with 400, on HTTP and on the WebSocket upgrade, and stays up', async () => {
    const server = await serve();
    const host = `Host: 127.0.0.1:${server.port}`;
    const plain = await sendRaw(server.port, `GET // HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`);
    const upgraded = await sendRaw(
      server.port,
      `GET // HTTP/1.1\r\n${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect([plain, upgraded]).toEqual(['HTTP/1.1 400 Bad Request', 'HTTP/1.1 400 Bad Request']);
    const body = await rawRequest(server.url, 'GET', '//', {});
    expect(errorOf(body)).toEqual({
      code: 'bad_request',
      message: expect.stringContaining('malformed request target'),
    });
    expect(body.headers.connection).toBe('close');
    expect((await rawRequest(server.url, 'GET', '/api/v1/summary')).status).toBe(200);
  });

  it('answers 500 and logs the failure when a dashboard file cannot be read', async () => {
    // A file the kernel refuses to read: Linux's /proc/self/mem (a regular file; reading it fails with EIO).
    const web = mkdtempSync(join(tmpdir(), 'tfdrift-guards-web-'));
    cleanups.push(() => rmSync(web, { recursive: true, force: true }));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>tfdrift</title>');
    symlinkSync('/proc/self/mem', join(web, 'unreadable.js'));
    const lines: string[] = [];
    const server = await serve({ webRoot: web, logger: createLogger('info', lineSink(lines)) });
    const answer = await rawRequest(server.url, 'GET', '/unreadable.js?v=1');
    expect(answer.status).toBe(500);
    expect(errorOf(answer)).toEqual({ code: 'internal', message: 'internal error (see the server log)' });
    const failed = lines.filter((line) => line.includes('request failed'));
    expect(failed).toHaveLength(1);
    const fields = JSON.parse(failed[0].slice(failed[0].indexOf('{'))) as { url: string; error: string };
    expect(fields.url).toBe('/unreadable.js?v=1');
    expect(fields.error).toMatch(/^Error: EIO[^\n]*\n\s+at /);
  });

  it('logs a request whose body the client stopped sending, and answers it no 413', async () => {
    const lines: string[] = [];
    const server = await serve({ maxBodyBytes: 4096, logger: createLogger('info', lineSink(lines)) });
    // Half of a declared 100 bytes, then the client goes.
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          `POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Records": [`,
          () => setImmediate(() => socket.destroy()),
        );
      });
      socket.on('close', () => resolve());
    });
    await expect.poll(() => lines.filter((line) => line.includes('request failed')).length).toBe(1);
    expect(lines.find((line) => line.includes('request failed'))).toContain('"url":"/api/v1/events"');
  });

  it('logs a state reload that fails, and goes on serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfdrift-guards-state-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'app.tfstate');
    copyFileSync(fixturePath(STATE_NAME), stateFile);
    // The drift table is missing: re-evaluating the open drifts after the reload fails.
    const { doc, tables } = await freshTables();
    const lines: string[] = [];
    const server = await serve({
      statePaths: [dir],
      dynamo: { doc, tables: { ...tables, drifts: `${tables.drifts}-missing` } },
      logger: createLogger('info', lineSink(lines)),
    });
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { serial: number };
    state.serial += 1;
    writeFileSync(stateFile, JSON.stringify(state));
    await expect
      .poll(() => lines.filter((line) => line.includes('state reload failed')), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/"error":".*(not found|non-existent)/i)]);
    expect((await rawRequest(server.url, 'GET', '/config.json')).status).toBe(200);
  });
});

describe('closing with work under way', () => {
  it('cuts off an upload still coming instead of waiting for it', async () => {
    const server = await serve();
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    const cut = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // "100 Continue" says the server has the request's head and waits for its body.
    const continued = new Promise<string>((resolve) =>
      socket.once('data', (chunk) => resolve(String(chunk))),
    );
    socket.write(
      `POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(await continued).toMatch(/^HTTP\/1\.1 100 Continue/);
    socket.write('{"Records": [');
    await server.close();
    await cut;
    expect(socket.destroyed).toBe(true);
  });

  it('writes the events it processed before it stops, so a restart lists them', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tfdrift-guards-data-'));
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    const first = await serve({ dataDir: data, dynamo: undefined });
    expect((await postEvent(first.url, 1)).status).toBe(200);
    await first.close();
    const second = await serve({ dataDir: data, dynamo: undefined });
    const events = JSON.parse((await rawRequest(second.url, 'GET', '/api/v1/events')).text) as {
      items: { eventId: string }[];
    };
    expect(events.items.map((e) => e.eventId)).toEqual([suspendEvent(1).eventID]);
  });

  it('gives webhook deliveries still waiting a grace period, then logs what it abandons', async () => {
    const got: string[] = [];
    const silentReceiver = createServer((req) => {
      req.on('data', () => undefined);
      req.on('end', () => got.push(req.url ?? ''));
    });
    await new Promise<void>((ok) => silentReceiver.listen(0, '127.0.0.1', ok));
    cleanups.push(() => {
      silentReceiver.closeAllConnections();
      return new Promise((ok) => silentReceiver.close(ok));
    });
    const lines: string[] = [];
    const server = await serve({
      webhooks: [`http://127.0.0.1:${(silentReceiver.address() as AddressInfo).port}/hook`],
      webhookSecret: 'guards-secret',
      logger: createLogger('info', lineSink(lines)),
    });
    expect((await postEvent(server.url, 1)).status).toBe(200);
    expect((await postEvent(server.url, 2)).status).toBe(200);
    // The first delivery is under way (and never answered); the second waits behind it.
    await expect.poll(() => got.length).toBe(1);
    await server.close();
    const abandoned = lines.filter((line) => line.includes('deliveries abandoned at shutdown'));
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]).toContain('"count":1');
  });
});

describe('the dashboard it serves by default', () => {
  it('is the web/dist build of this checkout', () => {
    expect(DEFAULT_WEB_ROOT).toBe(join(import.meta.dirname, '../../web/dist'));
  });
});
