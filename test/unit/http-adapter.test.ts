// The local server's Node HTTP ↔ API Gateway (v2) adapter (lambdas/local/http-adapter.ts), through a
// real Node HTTP server: the event query-api.ts sees must have the shape API Gateway gives the
// Lambda, a body over the limit is refused without reading on, and JSON answers are complete.
// (npx stryker run --mutate lambdas/local/http-adapter.ts)

import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBody, sendJson, toApiEvent } from '../../lambdas/local/http-adapter.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const servers: { close(cb: () => void): void }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((ok) => s.close(() => ok()));
});

/** Starts a server that runs `handler` per request; returns its port. */
async function serve(handler: Handler): Promise<number> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: Error) => {
      res.writeHead(599).end(`${error.constructor.name}: ${error.message}`);
    });
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return (server.address() as AddressInfo).port;
}

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  /** Written in these chunks (no content-length: chunked transfer encoding). */
  chunks?: string[];
  body?: string;
}

async function send(
  port: number,
  sent: Sent,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: sent.method ?? 'GET', path: sent.path, headers: sent.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (sent.body !== undefined) req.end(sent.body);
    else {
      for (const c of sent.chunks ?? []) req.write(c);
      req.end();
    }
  });
}

/** The event toApiEvent made of one request, as JSON the test can read. */
async function eventOf(sent: Sent, limit = 1024): Promise<APIGatewayProxyEventV2> {
  const port = await serve(async (req, res) => {
    const body = await readBody(req, limit);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    sendJson(res, 200, toApiEvent(req, url, body));
  });
  const answer = await send(port, sent);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as APIGatewayProxyEventV2;
}

describe('toApiEvent', () => {
  it('gives the path, query and headers as API Gateway does (repeated parameters joined by commas)', async () => {
    const event = await eventOf({
      path: '/api/v1/drifts?status=open&severity=high&status=resolved',
      headers: { 'X-Trace': 'abc', 'User-Agent': 'probe/1.0' },
    });
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('$default');
    expect(event.rawPath).toBe('/api/v1/drifts');
    expect(event.rawQueryString).toBe('status=open&severity=high&status=resolved');
    expect(event.queryStringParameters).toEqual({ status: 'open,resolved', severity: 'high' });
    expect(event.headers['x-trace']).toBe('abc');
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('joins a header sent more than once with commas, and leaves the query undefined when there is none', async () => {
    const event = await eventOf({
      path: '/api/v1/summary',
      headers: { 'Set-Cookie': ['a=1', 'b=2'] },
    });
    expect(event.headers['set-cookie']).toBe('a=1,b=2');
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
  });

  it('carries the body base64-encoded', async () => {
    const text = '{"Records":[{"eventName":"PutBucketVersioning","note":"é"}]}';
    const event = await eventOf({
      method: 'POST',
      path: '/api/v1/events',
      headers: { 'Content-Type': 'application/json' },
      body: text,
    });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').toString('utf8')).toBe(text);
  });

  it('fills the request context: method, path, protocol, source address, agent and time', async () => {
    const before = Date.now();
    const event = await eventOf({
      method: 'DELETE',
      path: '/api/v1/x?y=1',
      headers: { 'User-Agent': 'probe/1.0' },
    });
    const after = Date.now();
    const ctx = event.requestContext;
    expect(ctx.http).toEqual({
      method: 'DELETE',
      path: '/api/v1/x',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'probe/1.0',
    });
    expect(ctx).toMatchObject({
      accountId: 'local',
      apiId: 'local',
      domainPrefix: 'local',
      routeKey: '$default',
      stage: '$default',
    });
    expect(ctx.domainName).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(ctx.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(ctx.timeEpoch).toBeLessThanOrEqual(after);
    expect(ctx.time).toBe(new Date(ctx.timeEpoch).toUTCString());
    expect(ctx.requestId).toMatch(new RegExp(`^local-${ctx.timeEpoch}-[0-9a-z]{1,6}$`));
  });

  it('gives each request its own id, and an empty agent when none is sent', async () => {
    const port = await serve(async (req, res) => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      sendJson(res, 200, toApiEvent(req, url, Buffer.alloc(0)).requestContext);
    });
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const ctx = JSON.parse((await send(port, { path: '/' })).body);
      expect(ctx.http.userAgent).toBe('');
      ids.add(ctx.requestId);
    }
    expect(ids.size).toBe(5);
  });
});

describe('readBody', () => {
  it('reads a body of exactly the limit, declared or chunked', async () => {
    const port = await serve(async (req, res) => {
      res.end(`read ${(await readBody(req, 10)).toString('utf8')}`);
    });
    expect((await send(port, { method: 'POST', path: '/', body: '0123456789' })).body).toBe(
      'read 0123456789',
    );
    expect((await send(port, { method: 'POST', path: '/', chunks: ['01234', '56789'] })).body).toBe(
      'read 0123456789',
    );
    expect((await send(port, { method: 'POST', path: '/' })).body).toBe('read ');
  });

  it('refuses a declared length over the limit before reading any of it', async () => {
    let consumed = 0;
    const port = await serve(async (req, res) => {
      req.on('data', (c: Buffer) => {
        consumed += c.length;
      });
      req.pause();
      try {
        await readBody(req, 10);
        res.end('read');
      } catch (error) {
        res.writeHead(413, { connection: 'close' }).end(`${(error as Error).message}; read ${consumed}`);
      }
    });
    const answer = await send(port, { method: 'POST', path: '/', body: '0123456789A' });
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('request body is over the limit of 10 bytes; read 0');
  });

  it('refuses a chunked body once it passes the limit', async () => {
    const port = await serve(async (req, res) => {
      try {
        await readBody(req, 10);
        res.end('read');
      } catch (error) {
        expect(error).toBeInstanceOf(BodyTooLargeError);
        res.writeHead(413, { connection: 'close' }).end(String((error as BodyTooLargeError).limit));
      }
    });
    const answer = await send(port, { method: 'POST', path: '/', chunks: ['012345', '6789A'] });
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('10');
  });
});

describe('sendJson', () => {
  it('sends the JSON with its length, no caching, and the extra headers', async () => {
    const port = await serve(async (_req, res) => {
      sendJson(res, 201, { name: 'é' }, { 'x-extra': 'yes', 'content-type': 'text/html' });
    });
    const answer = await send(port, { path: '/' });
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('{"name":"é"}');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength('{"name":"é"}')));
    expect(answer.headers['x-extra']).toBe('yes');
  });
});
