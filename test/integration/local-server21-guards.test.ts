// The local server's own wiring, one server per test (on tables of its own in the file's dynalite), so
// a mutation test that changes how the server is put together is seen by every test that starts one:
// which requests reach the API and which are refused (Host, Origin, token, content type, body size),
// in which order, with which headers; the WebSocket upgrade's refusals; /health's details; the URLs it
// reports; what closing it stops.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../lambdas/local/logger.js';
import { type RunningServer, type ServerOptions, startServer } from '../../lambdas/local/server.js';
import { fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';
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

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw HTTP request: the test sets every header (Host and Origin included). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += String(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const errorOf = (answer: Answer) =>
  (JSON.parse(answer.text) as { error: { code: string; message: string } }).error;
const JSON_TYPE = { 'content-type': 'application/json' };
const postEvent = (base: string, n: number, headers: Record<string, string> = JSON_TYPE) =>
  send(base, 'POST', '/api/v1/events', headers, JSON.stringify(suspendEvent(n)));

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
const wsUrl = (server: RunningServer, query = '') => `${server.url.replace('http', 'ws')}/ws${query}`;

describe('which requests reach the API', () => {
  it('answers only the hosts it is reachable as, on the API and /health alike', async () => {
    const server = await serve({ allowHosts: ['tfdrift.internal'] });
    const port = String(server.port);
    const answers = await Promise.all(
      [`127.0.0.1:${port}`, `localhost:${port}`, `tfdrift.internal:${port}`, `evil.example:${port}`].map(
        (host) => send(server.url, 'GET', '/api/v1/summary', { host }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 403]);
    const rebound = await send(server.url, 'GET', '/health', { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(errorOf(rebound).code).toBe('forbidden_host');
    expect(rebound.headers.connection).toBe('close');
  });

  it('takes writes from its own origin and a configured one, reads from anywhere, and no foreign write', async () => {
    const server = await serve({ allowOrigins: ['HTTPS://Drift.Example.com:443/'] });
    const own = await postEvent(server.url, 1, { ...JSON_TYPE, origin: server.url });
    const configured = await postEvent(server.url, 2, { ...JSON_TYPE, origin: 'https://drift.example.com' });
    const foreign = await postEvent(server.url, 3, { ...JSON_TYPE, origin: EVIL });
    const foreignRead = await send(server.url, 'GET', '/api/v1/drifts', { origin: EVIL });
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
    const read = await send(server.url, 'GET', '/api/v1/drifts', { authorization: 'Bearer guards-token-2' });
    const inQuery = await send(server.url, 'GET', '/api/v1/drifts?token=guards-token-2');
    const otherScheme = await send(server.url, 'GET', '/api/v1/drifts', {
      authorization: 'Token guards-token-2',
    });
    expect([read.status, inQuery.status, otherScheme.status]).toEqual([200, 401, 401]);
  });

  it('asks no token of anyone when the token given is empty', async () => {
    const server = await serve({ token: '' });
    const read = await send(server.url, 'GET', '/api/v1/drifts');
    expect(read.status).toBe(200);
    expect(server.openUrl).toBe(server.url);
    expect((await upgrade(wsUrl(server))).status).toBe(101);
  });

  it('answers the API with the security headers, and HEAD with the headers alone', async () => {
    const server = await serve();
    const get = await send(server.url, 'GET', '/api/v1/summary');
    const head = await send(server.url, 'HEAD', '/api/v1/summary');
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
    const big = await send(
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
    const api = await send(server.url, 'GET', '/api');
    const apiLike = await send(server.url, 'GET', '/apis');
    expect(api.headers['content-type']).toContain('application/json');
    expect(apiLike.status).toBe(404);
    expect(errorOf(apiLike)).toEqual({ code: 'not_found', message: 'no such file: /apis' });
    const longPath = `/${'a'.repeat(300)}`;
    expect(errorOf(await send(server.url, 'GET', longPath)).message).toBe(
      `no such file: ${longPath.slice(0, 200)}`,
    );
    const posted = await send(server.url, 'POST', '/index.html', JSON_TYPE, '{}');
    expect(posted.status).toBe(404);
    expect(errorOf(posted).message).toBe('no such endpoint: POST /index.html');
    expect(posted.headers['x-frame-options']).toBe('DENY');
  });

  it('serves config.json to anyone who reaches it, with no data and the security headers', async () => {
    const server = await serve({ token: 'guards-token-3' });
    const config = await send(server.url, 'GET', '/config.json');
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
    const server = await serve({ dynamo });
    expect((await postEvent(server.url, 1)).status).toBe(200);
    await dynamo.doc.send(new DeleteTableCommand({ TableName: dynamo.tables.drifts }));
    const closed = await new Promise<{ code: number; reason: string; types: string[] }>((resolve) => {
      const types: string[] = [];
      const ws = new WebSocket(wsUrl(server, '?since=0'));
      ws.on('message', (data) => types.push((JSON.parse(String(data)) as { type: string }).type));
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason), types }));
    });
    expect(closed).toEqual({ code: 1011, reason: 'replay failed', types: ['hello'] });
  });
});

describe('/health', () => {
  it('tells the token holder the details and anyone else only the status', async () => {
    const server = await serve({ token: 'guards-health-token', demo: true });
    const open = await send(server.url, 'GET', '/health');
    const holder = await send(server.url, 'GET', '/health', { authorization: 'Bearer guards-health-token' });
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
  });

  it('is degraded, and says why, with no state given, with a state folder holding none, and without its store', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tfdrift-guards-empty-'));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    // A store whose drift table does not exist: the server starts, and says so.
    const { doc, tables } = await freshTables();
    const [none, noFiles, storeless] = await Promise.all([
      serve({ statePaths: [] }),
      serve({ statePaths: [empty] }),
      serve({ dynamo: { doc, tables: { ...tables, drifts: `${tables.drifts}-missing` } } }),
    ]);
    const answers = await Promise.all([none, noFiles, storeless].map((s) => send(s.url, 'GET', '/health')));
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
    const health = await send(server.url, 'GET', '/health');
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
  });

  it('is reached at 127.0.0.1 when bound to every interface', async () => {
    const server = await serve({ host: '0.0.0.0', token: 'guards-wide-token' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const answer = await send(server.url, 'GET', '/api/v1/summary', {
      authorization: 'Bearer guards-wide-token',
    });
    expect(answer.status).toBe(200);
  });

  it('links each console alert to the drift on the dashboard it serves', async () => {
    const server = await serve();
    expect((await postEvent(server.url, 1)).status).toBe(200);
    const id = (
      JSON.parse((await send(server.url, 'GET', '/api/v1/drifts')).text) as { items: { id: string }[] }
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
    expect((await send(second.url, 'GET', '/api/v1/summary')).status).toBe(200);
  });

  it('closes once however often asked, ends live connections and answers no more', async () => {
    const server = await serve();
    const ws = new WebSocket(wsUrl(server));
    await new Promise((resolve) => ws.once('message', resolve));
    const ended = new Promise<boolean>((resolve) => ws.once('close', () => resolve(true)));
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    expect(await ended).toBe(true);
    await expect(send(server.url, 'GET', '/health')).rejects.toThrow(/ECONNREFUSED/);
  });
});
