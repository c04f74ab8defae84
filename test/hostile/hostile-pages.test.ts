// A hostile web page in the user's own browser: the local server listens on loopback, and the
// browser happily sends that page's requests to it. Each probe is what such a page can make a
// browser send (a no-preflight cross-origin POST, a DNS-rebound Host, a cross-origin WebSocket);
// each is refused, and the same request from the server's own origin still works.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Drift } from '../../lambdas/core/types.js';
import { type RunningServer, startServer } from '../../lambdas/local/server.js';
import { fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';
import { rawRequest } from '../support/raw-http.js';

const EVIL = 'https://evil.example';
const TOKEN = 'tfdrift-hostile-pages-token-8e1f';
const silent = { info() {}, warn() {}, error() {} };
let server: RunningServer;
let guarded: RunningServer;
let alerts = '';

beforeAll(async () => {
  [server, guarded] = await Promise.all([
    startServer({
      port: 0,
      dataDir: null,
      statePaths: [fixturePath(STATE_NAME)],
      logger: silent,
      alertsOut: {
        write: (chunk: unknown) => {
          alerts += String(chunk);
          return true;
        },
      } as never,
    }),
    startServer({
      port: 0,
      dataDir: null,
      token: TOKEN,
      statePaths: [fixturePath(STATE_NAME)],
      logger: silent,
      alertsOut: { write: () => true } as never,
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), guarded?.close()]);
});

const JSON_TYPE = { 'content-type': 'application/json' };
const sameOrigin = () => ({ origin: server.url });
const postEvent = (n: number, headers: Record<string, string>) =>
  rawRequest(server.url, 'POST', '/api/v1/events', headers, JSON.stringify(suspendEvent(n)));

async function driftIds(): Promise<string[]> {
  const res = await rawRequest(server.url, 'GET', '/api/v1/drifts?limit=500');
  return (JSON.parse(res.text) as { items: Drift[] }).items.map((d) => d.event.id);
}

/** Opens a WebSocket with the given headers: the HTTP status of the refusal, or 101 and the first message. */
function upgrade(base: string, headers: Record<string, string>): Promise<{ status: number; first?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.on('message', (data) => {
      resolve({ status: 101, first: JSON.parse(String(data)).type });
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

describe('a cross-origin page posting events', () => {
  it('is refused for a text/plain POST from https://evil.example, and no drift or alert is made', async () => {
    const alertsBefore = alerts;
    const res = await postEvent(101, { origin: EVIL, 'content-type': 'text/plain;charset=UTF-8' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error.code).toBe('forbidden_origin');
    expect(await driftIds()).not.toContain(suspendEvent(101).eventID);
    expect(alerts).toBe(alertsBefore);
  });

  it('is refused from a foreign origin even with a JSON content type (a preflight would not save it)', async () => {
    const res = await postEvent(102, { origin: EVIL, ...JSON_TYPE });
    expect(res.status).toBe(403);
    expect(await driftIds()).not.toContain(suspendEvent(102).eventID);
  });

  it.each([
    ['an opaque origin (sandboxed frame, file:)', 'null'],
    ['the same host on another port', 'http://127.0.0.1:1'],
    ['a look-alike host', 'http://127.0.0.1.evil.example'],
  ])('is refused from %s', async (_name, origin) => {
    const res = await postEvent(103, { origin, ...JSON_TYPE });
    expect(res.status).toBe(403);
  });

  it('is refused without an Origin when the browser says the request is cross-site', async () => {
    const res = await postEvent(104, { 'sec-fetch-site': 'cross-site', ...JSON_TYPE });
    expect(res.status).toBe(403);
    expect(await driftIds()).not.toContain(suspendEvent(104).eventID);
  });

  it('refuses a write whose body is not declared as JSON, even from the same origin', async () => {
    for (const type of [
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]) {
      const res = await postEvent(105, { ...sameOrigin(), 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(JSON.parse(res.text).error.code).toBe('unsupported_media_type');
    }
    const untyped = await postEvent(105, sameOrigin());
    expect(untyped.status).toBe(415);
    expect(await driftIds()).not.toContain(suspendEvent(105).eventID);
  });

  it('accepts the same JSON POST from its own origin, from no origin (curl, scripts) and as application/*+json', async () => {
    const own = await postEvent(106, { ...sameOrigin(), 'content-type': 'application/json; charset=utf-8' });
    const scripted = await postEvent(107, JSON_TYPE);
    const vendor = await postEvent(108, { 'content-type': 'application/vnd.tfdrift+json' });
    const fetched = await postEvent(109, { 'sec-fetch-site': 'same-origin', ...sameOrigin(), ...JSON_TYPE });
    expect([own.status, scripted.status, vendor.status, fetched.status]).toEqual([200, 200, 200, 200]);
    expect(await driftIds()).toEqual(
      expect.arrayContaining([106, 107, 108, 109].map((n) => suspendEvent(n).eventID)),
    );
  });
});

describe('a cross-origin page changing a drift', () => {
  let id: string;
  beforeAll(async () => {
    const made = await postEvent(120, JSON_TYPE);
    id = (JSON.parse(made.text) as { findings: { id: string }[] }).findings[0].id;
  });

  it('cannot resolve or acknowledge a real drift', async () => {
    for (const action of ['resolve', 'acknowledge']) {
      const res = await rawRequest(
        server.url,
        'POST',
        `/api/v1/drifts/${id}/${action}`,
        { origin: EVIL, ...JSON_TYPE },
        JSON.stringify({ by: 'mallory' }),
      );
      expect(res.status, action).toBe(403);
    }
    const detail = JSON.parse((await rawRequest(server.url, 'GET', `/api/v1/drifts/${id}`)).text) as Drift;
    expect(detail.status).toBe('open');
    expect(detail.statusChangedBy).not.toBe('mallory');
  });

  it('is no different from the dashboard on its own origin, which can', async () => {
    const made = await postEvent(121, JSON_TYPE);
    const own = (JSON.parse(made.text) as { findings: { id: string }[] }).findings[0].id;
    const res = await rawRequest(
      server.url,
      'POST',
      `/api/v1/drifts/${own}/resolve`,
      { ...sameOrigin(), ...JSON_TYPE },
      JSON.stringify({ by: 'alice' }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'resolved', statusChangedBy: 'alice' });
  });
});

describe('DNS rebinding (a hostile name resolving to 127.0.0.1)', () => {
  it.each([
    ['the drift API', '/api/v1/drifts'],
    ['the state', '/api/v1/state'],
    ['the health details', '/health'],
    ['the dashboard', '/'],
  ])('gets no answer from %s with Host: evil.example', async (_name, path) => {
    const res = await rawRequest(server.url, 'GET', path, { host: `evil.example:${server.port}` });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error.code).toBe('forbidden_host');
    expect(res.text).not.toContain('aws_s3_bucket');
  });

  it('refuses a rebound WebSocket too', async () => {
    expect(await upgrade(server.url, { host: `evil.example:${server.port}` })).toEqual({ status: 403 });
  });

  it.each([
    ['127.0.0.1', () => `127.0.0.1:${server.port}`],
    ['localhost', () => `localhost:${server.port}`],
    ['[::1]', () => `[::1]:${server.port}`],
    ['LOCALHOST in capitals', () => `LOCALHOST:${server.port}`],
  ])('answers a loopback server reached as %s', async (_name, host) => {
    const res = await rawRequest(server.url, 'GET', '/api/v1/summary', { host: host() });
    expect(res.status).toBe(200);
  });

  it('answers only the names it was told to with --allow-host', async () => {
    const named = await startServer({
      port: 0,
      dataDir: null,
      logger: silent,
      allowHosts: ['tfdrift.internal'],
    });
    try {
      const allowed = await rawRequest(named.url, 'GET', '/api/v1/summary', {
        host: `tfdrift.internal:${named.port}`,
      });
      const other = await rawRequest(named.url, 'GET', '/api/v1/summary', {
        host: `tfdrift.evil:${named.port}`,
      });
      expect([allowed.status, other.status]).toEqual([200, 403]);
    } finally {
      await named.close();
    }
  });
});

describe('a cross-origin WebSocket', () => {
  it('is refused before any drift is replayed', async () => {
    expect(await upgrade(server.url, { origin: EVIL })).toEqual({ status: 403 });
  });

  it('is accepted from its own origin and from a client with no origin', async () => {
    expect(await upgrade(server.url, sameOrigin())).toEqual({ status: 101, first: 'hello' });
    expect(await upgrade(server.url, {})).toEqual({ status: 101, first: 'hello' });
  });
});

describe('configured origins', () => {
  it('accepts a write and a WebSocket from an origin given with allowOrigins, and no other', async () => {
    const proxied = await startServer({
      port: 0,
      dataDir: null,
      statePaths: [fixturePath(STATE_NAME)],
      logger: silent,
      alertsOut: { write: () => true } as never,
      allowOrigins: ['https://drift.example.com'],
    });
    try {
      const body = JSON.stringify(suspendEvent(130));
      const ok = await rawRequest(
        proxied.url,
        'POST',
        '/api/v1/events',
        { origin: 'https://drift.example.com', ...JSON_TYPE },
        body,
      );
      const bad = await rawRequest(
        proxied.url,
        'POST',
        '/api/v1/events',
        { origin: EVIL, ...JSON_TYPE },
        body,
      );
      expect([ok.status, bad.status]).toEqual([200, 403]);
      expect(await upgrade(proxied.url, { origin: 'https://drift.example.com' })).toEqual({
        status: 101,
        first: 'hello',
      });
      expect(await upgrade(proxied.url, { origin: EVIL })).toEqual({ status: 403 });
    } finally {
      await proxied.close();
    }
  });
});

describe('with a token', () => {
  it('tells an unauthenticated /health only up or down, and the token holder the details', async () => {
    const anonymous = await rawRequest(guarded.url, 'GET', '/health');
    expect(anonymous.status).toBe(200);
    expect(JSON.parse(anonymous.text)).toEqual({ status: 'ok' });
    const holder = await rawRequest(guarded.url, 'GET', '/health', { authorization: `Bearer ${TOKEN}` });
    expect(holder.status).toBe(200);
    expect(JSON.parse(holder.text)).toMatchObject({ status: 'ok', stateFiles: 1, resources: 15 });
  });

  it('does not tell an unauthenticated caller why it is degraded (state paths stay private)', async () => {
    const degraded = await startServer({
      port: 0,
      dataDir: null,
      token: TOKEN,
      statePaths: ['/secret/place/prod.tfstate'],
      logger: silent,
    });
    try {
      const anonymous = await rawRequest(degraded.url, 'GET', '/health');
      expect(anonymous.status).toBe(503);
      expect(JSON.parse(anonymous.text)).toEqual({ status: 'degraded' });
      const holder = await rawRequest(degraded.url, 'GET', '/health', { authorization: `Bearer ${TOKEN}` });
      expect(holder.status).toBe(503);
      expect(holder.text).toContain('/secret/place/prod.tfstate');
    } finally {
      await degraded.close();
    }
  });

  /**
   * Sends the headers of a 50 MB upload, then keeps writing until the server closes the
   * connection. A server that reads the whole body before closing lets all 50 MB through.
   */
  function hugeUpload(base: string, headers: string): Promise<{ status: string; written: number }> {
    const { port } = new URL(base);
    const total = 50 * 1024 * 1024;
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let written = 0;
      let answer = '';
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        socket.destroy();
        resolve({ status: answer.split('\r\n')[0], written });
      };
      const pump = () => {
        while (!done && written < total) {
          written += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      socket.on('data', (data) => {
        answer += String(data);
      });
      socket.on('error', finish);
      socket.on('close', finish);
      socket.on('connect', () => {
        socket.write(
          `POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}Content-Length: ${total}\r\n\r\n`,
        );
        pump();
      });
    });
  }

  it.each([
    ['without the token', () => guarded, ''],
    ['from a foreign origin', () => server, `Origin: ${EVIL}\r\nContent-Type: application/json\r\n`],
    ['as text/plain', () => server, 'Content-Type: text/plain\r\n'],
  ])(
    'answers a refused 50 MB upload %s and closes without reading the rest',
    async (_name, target, headers) => {
      const result = await hugeUpload(target().url, headers);
      expect(result.status).toMatch(/^HTTP\/1\.1 (401|403|415) /);
      expect(result.written).toBeLessThan(16 * 1024 * 1024);
    },
  );
});

describe('binding beyond loopback without a token', () => {
  it.each([['0.0.0.0'], ['::'], ['[::]'], ['::ffff:0.0.0.0'], ['192.168.1.10'], ['10.0.0.5'], ['0']])(
    'is refused for %s',
    async (host) => {
      await expect(startServer({ port: 0, host, dataDir: null, logger: silent })).rejects.toThrow(
        /refusing to listen on .* without a token/,
      );
    },
  );

  it.each([['127.0.0.1'], ['localhost'], ['::1']])('is allowed on the loopback address %s', async (host) => {
    const local = await startServer({ port: 0, host, dataDir: null, logger: silent });
    try {
      expect((await rawRequest(local.url, 'GET', '/api/v1/summary')).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
