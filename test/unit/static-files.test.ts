// serveStatic behind a real HTTP server: which files it serves, with which headers, what it says when
// the dashboard is not built, and what it leaves to its caller (false: no such file here).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_BUILT_TEXT, SECURITY_HEADERS, serveStatic } from '../../lambdas/local/static-files.js';

const outside = mkdtempSync(join(tmpdir(), 'tfdrift-static-'));
const built = join(outside, 'built');
const unbuilt = join(outside, 'unbuilt');
let server: Server;
let base = '';
/** The Content-Type each served extension must get (nosniff makes the browser trust it). */
const TYPES_EXPECTED: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
/** What serveStatic returned, per request path. */
const returned = new Map<string, boolean>();

beforeAll(async () => {
  mkdirSync(join(built, 'assets'), { recursive: true });
  mkdirSync(unbuilt);
  writeFileSync(join(outside, 'secret.txt'), 'outside the web root');
  writeFileSync(join(built, 'index.html'), '<!doctype html><title>tfdrift</title>');
  writeFileSync(join(built, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(built, 'assets', 'data.bin'), Buffer.from([0, 1, 2]));
  writeFileSync(join(built, 'assets', 'STYLE.CSS'), 'body{}');
  for (const ext of Object.keys(TYPES_EXPECTED)) writeFileSync(join(built, 'assets', `file${ext}`), 'x');
  server = createServer(async (req, res) => {
    // The raw path (a URL would read a leading // as a host).
    const [pathname, query = ''] = (req.url ?? '/').split('?');
    const root = query === 'root=unbuilt' ? unbuilt : built;
    const served = await serveStatic(root, pathname, res, req.method === 'HEAD');
    returned.set(`${req.method} ${pathname}`, served);
    if (!served) {
      res.writeHead(404, { 'x-not-served': 'yes' });
      res.end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
  rmSync(outside, { recursive: true, force: true });
});

describe('serveStatic', () => {
  it('serves a file with its type, its length, no-cache and every security header', async () => {
    const res = await fetch(`${base}/assets/app.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log(1)');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-length')).toBe('14');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(res.headers.get(name), name).toBe(value);
    expect(returned.get('GET /assets/app.js')).toBe(true);
  });

  it('sends the security headers that keep the page unframed, unsniffed and script-locked', () => {
    expect(SECURITY_HEADERS['x-frame-options']).toBe('DENY');
    expect(SECURITY_HEADERS['x-content-type-options']).toBe('nosniff');
    expect(SECURITY_HEADERS['referrer-policy']).toBe('no-referrer');
    expect(SECURITY_HEADERS['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(SECURITY_HEADERS['content-security-policy']).toContain("script-src 'self'");
    expect(SECURITY_HEADERS['content-security-policy']).toContain("object-src 'none'");
  });

  it('serves index.html at /, and an unknown extension as octet-stream, an upper-case one by its type', async () => {
    const index = await fetch(`${base}/`);
    expect([index.status, await index.text()]).toEqual([200, '<!doctype html><title>tfdrift</title>']);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const bin = await fetch(`${base}/assets/data.bin`);
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2]));
    expect((await fetch(`${base}/assets/STYLE.CSS`)).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  it.each(Object.entries(TYPES_EXPECTED))('serves %s as %s', async (ext, type) => {
    const res = await fetch(`${base}/assets/file${ext}`);
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, type, 'x']);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(`${base}/assets/app.js`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('14');
    expect(await res.text()).toBe('');
    expect(returned.get('HEAD /assets/app.js')).toBe(true);
  });

  it('takes any number of leading slashes as the web root', async () => {
    const res = await fetch(`${base}//assets/app.js`);
    expect([res.status, await res.text()]).toEqual([200, 'console.log(1)']);
    const more = await fetch(`${base}///assets/app.js`);
    expect(more.status).toBe(200);
  });

  it.each([
    ['a path out of the web root', '/..%2Fsecret.txt'],
    ['a deeper path out of it', '/assets/..%2F..%2Fsecret.txt'],
    ['a malformed escape', '/assets/%E0%A4%A'],
    ['a NUL byte', '/assets/app.js%00.html'],
    ['a missing file', '/nope.js'],
    ['a folder', '/assets'],
  ])('leaves %s to the caller (false, nothing written)', async (_name, path) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-not-served')).toBe('yes');
    expect(await res.text()).toBe('');
    expect(returned.get(`GET ${path}`)).toBe(false);
  });

  it('says how to build the dashboard when it is not built, with the security headers, and handles it', async () => {
    const res = await fetch(`${base}/anything.js?root=unbuilt`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe(SECURITY_HEADERS['content-security-policy']);
    const text = await res.text();
    expect(text).toBe(NOT_BUILT_TEXT);
    expect(text).toContain('The dashboard is not built yet. Build it with `npm run build:web`');
    expect(text).toContain('The API is available under /api/v1/ and the live feed at /ws.');
    expect(returned.get('GET /anything.js')).toBe(true);
    const head = await fetch(`${base}/?root=unbuilt`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([503, '']);
  });
});
