import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import { createLogger } from '../../lambdas/local/logger.js';
import { type RunningServer, type ServerOptions, startServer } from '../../lambdas/local/server.js';
import { connectLive, type LiveClient } from '../support/live-client.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures', name);
const readJson = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as Record<string, unknown>;
const suspend = readJson('live/s3-suspend-versioning.json');
const deleteBucket = readJson('live/s3-delete-bucket.json');
const createBucket = readJson('cloudtrail/cloud-custodian-event-cloud-trail-create-bucket.json'); // EventBridge envelope

/** The corpus record as the n-th distinct call (own event id, one second later each). */
function variant(n: number): Record<string, unknown> {
  return {
    ...suspend,
    eventID: `12345678-1234-1234-1234-${String(n).padStart(12, '0')}`,
    eventTime: new Date(Date.UTC(2024, 0, 15, 10, 45, n)).toISOString().replace('.000', ''),
  };
}

const root = mkdtempSync(join(tmpdir(), 'tfdrift-server-'));
const dataDir = join(root, 'data');
const stateDir = join(root, 'states');
const eventsDir = join(root, 'events');
const stateFile = join(stateDir, 'app.tfstate');
// The real S3 rules only: these tests drive S3 events and should not depend on other rule files.
const rulesDir = join(root, 'rules');
let alerts = new PassThrough();
let alertText = '';
let server: RunningServer;

function options(extra: Partial<ServerOptions> = {}): ServerOptions {
  alerts = new PassThrough();
  alerts.on('data', (chunk) => {
    alertText += String(chunk);
  });
  return {
    port: 0,
    dataDir,
    statePaths: [stateDir],
    eventPaths: [eventsDir],
    alertsOut: alerts,
    logger: createLogger('silent'),
    pollMs: 50,
    rulesDir,
    ...extra,
  };
}

const alertCount = () => alertText.split('Drift id:').length - 1;

async function api(path: string, init: RequestInit = {}, base = server.url) {
  const res = await fetch(`${base}/api/v1${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: Drift[] } };
}

const post = (path: string, body: unknown) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(eventsDir, { recursive: true });
  mkdirSync(rulesDir, { recursive: true });
  copyFileSync(join(import.meta.dirname, '../../rules/s3.yaml'), join(rulesDir, 's3.yaml'));
  copyFileSync(fixture('tfstate/tfdrift-falco-detector.tfstate'), stateFile);
  copyFileSync(fixture('live/invalid.tfstate'), join(stateDir, 'broken.tfstate'));
  server = await startServer(options());
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('local server over HTTP and WebSocket', () => {
  let early: LiveClient;
  let late: LiveClient;

  it('stays up with a corrupt state file, says so in /health and /api/v1/state, and uses the good one', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; problems: string[] };
    expect(body.status).toBe('degraded');
    expect(body.problems.join('\n')).toContain('broken.tfstate');
    const state = await api('/state');
    expect(state.status).toBe(200);
    expect((state.body.files as { file: string }[]).map((f) => f.file)).toEqual([stateFile]);
    expect(state.body.resources).toBe(15);
    expect((state.body.errors as { file: string }[])[0].file).toContain('broken.tfstate');
  });

  it('turns events into drifts that reach a connected dashboard', async () => {
    early = await connectLive(server.url);
    await early.waitFor((m) => m.type === 'hello');
    const result = await post('/events', [variant(0), variant(1), variant(2)]);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ processed: 3, created: 3, errors: [] });
    const drifts = await early.waitFor((m) => m.type === 'drift', 3);
    expect(drifts.map((m) => m.type === 'drift' && m.drift.changes[0])).toEqual(
      Array(3).fill({
        attribute: 'versioning_configuration[0].status',
        expected: 'Enabled',
        actual: 'Suspended',
      }),
    );
    expect(alertCount()).toBe(3);
    expect(alertText).toContain(`${server.url}/#/drift/`);
  });

  it('gives a client that connects mid-stream every later drift', async () => {
    late = await connectLive(server.url);
    await late.waitFor((m) => m.type === 'hello');
    await post('/events', [variant(3), variant(4)]);
    await post('/events', { Records: [deleteBucket] });
    await post('/events', createBucket);
    const seen = await late.waitFor((m) => m.type === 'drift', 4);
    const kinds = seen.map((m) => (m.type === 'drift' ? m.drift.kind : null)).sort();
    expect(kinds).toEqual(['deleted', 'modified', 'modified', 'unmanaged']);
    await early.waitFor((m) => m.type === 'drift', 7);
    const cursors = early.messages
      .filter((m) => m.type === 'drift')
      .map((m) => Number(m.type === 'drift' && m.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
  });

  it('adds nothing and alerts nobody for a redelivered event', async () => {
    const before = early.messages.length;
    const again = await post('/events', variant(1));
    expect(again.body).toMatchObject({ processed: 1, created: 0 });
    expect((again.body.findings as unknown[]).length).toBe(1);
    expect(alertCount()).toBe(7);
    // A record that is none among good ones: counted as an error, the rest still processed.
    const mixed = await post('/events', [
      variant(2),
      { eventVersion: '1.08', eventSource: 's3.amazonaws.com' },
    ]);
    expect(mixed.body).toMatchObject({ processed: 1, created: 0 });
    expect((mixed.body.errors as { message: string }[]).map((e) => e.message)).toEqual([
      expect.stringContaining('missing eventName'),
    ]);
    expect((await api('/drifts?limit=500')).body.items).toHaveLength(7);
    await new Promise((r) => setTimeout(r, 100));
    expect(early.messages.length).toBe(before);
  });

  it('lists, filters and pages drifts, and explains bad requests', async () => {
    expect((await api('/drifts?kind=deleted')).body.items?.map((d) => d.resource.type)).toEqual([
      'aws_s3_bucket',
    ]);
    const unmanaged = (await api('/drifts?kind=unmanaged')).body.items!;
    expect(unmanaged.map((d) => [d.resource.id, d.resource.address, d.actor.type])).toEqual([
      ['custodian-create-bucket-v4', null, 'Root'],
    ]);
    const high = (await api('/drifts?severity=high&type=aws_s3_bucket_versioning')).body.items!;
    expect(high).toHaveLength(5);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(`/drifts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.body.items!.map((d) => d.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toHaveLength(7);
    const errors = await Promise.all([
      api('/drifts?severity=urgent'),
      api('/drifts?limit=0'),
      api('/drifts?cursor=bogus'),
      api('/drifts/d-unknown'),
      post('/events', '{"Records": ['),
      post('/events', { hello: 'world' }),
    ]);
    expect(errors.map((e) => e.status)).toEqual([400, 400, 400, 404, 400, 400]);
    expect(errors.map((e) => (e.body.error as { message: string }).message)).toEqual([
      expect.stringContaining('severity: unknown value "urgent"'),
      expect.stringContaining('limit'),
      expect.stringContaining('invalid cursor'),
      expect.stringContaining('d-unknown'),
      expect.stringContaining('not valid JSON'),
      expect.stringContaining('no CloudTrail record'),
    ]);
  });

  it('acknowledges and resolves with who and why, and tells live clients', async () => {
    const [target, other] = (await api('/drifts?type=aws_s3_bucket_versioning&limit=2')).body.items!;
    const ack = await post(`/drifts/${target.id}/acknowledge`, {
      by: 'carol',
      comment: 'change window CHG-7',
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      status: 'acknowledged',
      statusChangedBy: 'carol',
      statusComment: 'change window CHG-7',
    });
    const resolved = await post(`/drifts/${other.id}/resolve`, {});
    expect(resolved.body).toMatchObject({ status: 'resolved', statusChangedBy: 'anonymous' });
    const detail = await api(`/drifts/${target.id}`);
    expect(detail.body.status).toBe('acknowledged');
    expect((detail.body.rawEvent as { eventID: string }).eventID).toBe(target.event.id);
    expect((detail.body.history as Drift[]).map((d) => d.id)).not.toContain(target.id);
    expect((detail.body.history as Drift[]).length).toBe(4);
    const updates = await late.waitFor((m) => m.type === 'drift' && m.drift.status !== 'open', 2);
    expect(updates.map((m) => m.type === 'drift' && m.drift.id)).toEqual([target.id, other.id]);
    expect((await post('/drifts/d-unknown/resolve', {})).status).toBe(404);
    expect((await api('/drifts?status=open')).body.items).toHaveLength(5);
  });

  it('replays every change missed while disconnected when a client resumes with since', async () => {
    const cursor = late.lastCursor()!;
    await late.close();
    await post('/events', [variant(5), variant(6)]);
    const resumed = await connectLive(server.url, { since: cursor });
    const replayed = await resumed.waitFor((m) => m.type === 'drift', 2);
    expect(replayed.map((m) => m.type === 'drift' && m.drift.event.id)).toEqual([
      variant(5).eventID,
      variant(6).eventID,
    ]);
    expect(resumed.messages[0]).toEqual({ type: 'hello', cursor });
    await post('/events', variant(7));
    await resumed.waitFor((m) => m.type === 'drift', 3);
    await resumed.close();
  });

  it('follows an events folder as new log files appear', async () => {
    writeFileSync(join(eventsDir, 'trail-001.json'), JSON.stringify({ Records: [variant(8)] }));
    await early.waitFor((m) => m.type === 'drift' && m.drift.event.id === variant(8).eventID, 1, 5000);
    // The event log is written once the whole file is processed, just after the drift went out.
    await expect
      .poll(async () =>
        ((await api('/events?limit=5')).body.items as unknown as { eventId: string }[]).map((e) => e.eventId),
      )
      .toEqual([8, 7, 6, 5, 4].map((n) => variant(n).eventID));
  });

  it('re-evaluates open drifts when the state file changes', async () => {
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    for (const resource of state.resources) {
      if (resource.type === 'aws_s3_bucket_versioning') {
        resource.instances[0].attributes.versioning_configuration[0].status = 'Suspended';
      }
    }
    state.serial += 1;
    writeFileSync(stateFile, JSON.stringify(state));
    await early.waitFor((m) => m.type === 'state', 1, 5000);
    const open = (await api('/drifts?status=open&type=aws_s3_bucket_versioning')).body.items!;
    expect(open).toEqual([]);
    const resolved = (await api('/drifts?status=resolved&type=aws_s3_bucket_versioning&limit=100')).body
      .items!;
    expect(resolved.filter((d) => d.statusChangedBy === 'tfdrift').length).toBe(7);
    expect(resolved.find((d) => d.statusChangedBy === 'tfdrift')?.statusComment).toContain(
      'versioning_configuration[0].status',
    );
    // The acknowledged drift stays as the person left it.
    expect((await api('/drifts?status=acknowledged')).body.items).toHaveLength(1);
  });

  it('refuses bodies over the limit with 413', async () => {
    const big = JSON.stringify({ Records: [{ ...variant(9), padding: 'x'.repeat(1024 * 1024) }] });
    const res = await post('/events', big);
    expect(res.status).toBe(413);
    expect((res.body.error as { code: string }).code).toBe('payload_too_large');
  });

  it('keeps every drift across a restart', async () => {
    const before = (await api('/drifts?limit=500')).body.items!;
    const cursor = early.lastCursor()!;
    await early.close();
    await server.close();
    server = await startServer(options());
    const after = (await api('/drifts?limit=500')).body.items!;
    expect(after.map((d) => [d.id, d.status])).toEqual(before.map((d) => [d.id, d.status]));
    expect(after).toHaveLength(11);
    // The events folder is not read twice.
    await new Promise((r) => setTimeout(r, 200));
    expect((await api('/drifts?limit=500')).body.items).toHaveLength(11);
    // A dashboard that was connected before the restart resumes from its cursor.
    // (The state now holds "Suspended", so a new deletion is what still counts as drift.)
    const deletion = { ...deleteBucket, eventID: '6795ef5c-7777-4444-8888-000000000010' };
    expect((await post('/events', deletion)).body).toMatchObject({ created: 1 });
    const resumed = await connectLive(server.url, { since: cursor });
    const replayed = await resumed.waitFor((m) => m.type === 'drift');
    expect(replayed.map((m) => m.type === 'drift' && m.drift.event.id)).toEqual([deletion.eventID]);
    expect(Number(replayed[0].type === 'drift' && replayed[0].cursor)).toBeGreaterThan(Number(cursor));
    await resumed.close();
  });
});

describe('local server dashboard files', () => {
  it('serves config.json and the built dashboard with a strict CSP, and says how to build it when missing', async () => {
    const web = mkdtempSync(join(tmpdir(), 'tfdrift-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>tfdrift</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    const site = await startServer({
      port: 0,
      dataDir: null,
      rulesDir,
      webRoot: web,
      logger: createLogger('silent'),
    });
    try {
      const config = await fetch(`${site.url}/config.json`);
      expect(await config.json()).toEqual({ apiBase: '/api/v1', wsUrl: '/ws', auth: null });
      const index = await fetch(`${site.url}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-security-policy')).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
      expect(index.headers.get('x-content-type-options')).toBe('nosniff');
      expect(index.headers.get('referrer-policy')).toBe('no-referrer');
      expect((await fetch(`${site.url}/assets/app.js`)).headers.get('content-type')).toBe(
        'text/javascript; charset=utf-8',
      );
      expect((await fetch(`${site.url}/assets/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
      expect((await fetch(`${site.url}/nope.js`)).status).toBe(404);
      rmSync(join(web, 'index.html'));
      const missing = await fetch(`${site.url}/`);
      expect(missing.status).toBe(503);
      expect(await missing.text()).toContain('npm run build:web');
    } finally {
      await site.close();
      rmSync(web, { recursive: true, force: true });
    }
  });
});

describe('local server access control', () => {
  it('refuses to bind beyond loopback without a token', async () => {
    await expect(
      startServer({ port: 0, host: '0.0.0.0', dataDir: null, rulesDir, logger: createLogger('silent') }),
    ).rejects.toThrow(/without a token/);
  });

  it('answers 401 without the token, on the API and the WebSocket', async () => {
    const guarded = await startServer({
      port: 0,
      dataDir: null,
      rulesDir,
      token: 's3cret-token',
      logger: createLogger('silent'),
    });
    try {
      expect((await fetch(`${guarded.url}/api/v1/drifts`)).status).toBe(401);
      const wrong = await fetch(`${guarded.url}/api/v1/drifts`, {
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.url}/api/v1/drifts`, {
        headers: { authorization: 'Bearer s3cret-token' },
      });
      expect(right.status).toBe(200);
      expect((await fetch(`${guarded.url}/health`)).status).toBe(503); // open, and honest: no state given
      await expect(connectLive(guarded.url)).rejects.toThrow(/401/);
      const live = await connectLive(guarded.url, { token: 's3cret-token' });
      await live.waitFor((m) => m.type === 'hello');
      await live.close();
      expect(guarded.openUrl).toBe(`${guarded.url}/#token=s3cret-token`);
    } finally {
      await guarded.close();
    }
  });
});

describe('local server events from stdin', () => {
  it('turns JSON lines on stdin into drifts as they arrive', async () => {
    const stdin = new PassThrough();
    const dir = mkdtempSync(join(tmpdir(), 'tfdrift-stdin-'));
    copyFileSync(fixture('tfstate/tfdrift-falco-detector.tfstate'), join(dir, 'app.tfstate'));
    const piped = await startServer({
      port: 0,
      dataDir: null,
      rulesDir,
      statePaths: [join(dir, 'app.tfstate')],
      eventPaths: ['-'],
      stdin,
      alertsOut: new PassThrough(),
      logger: createLogger('silent'),
    });
    try {
      const live = await connectLive(piped.url);
      stdin.write(`${JSON.stringify(variant(20))}\nnot json\n${JSON.stringify(deleteBucket)}\n`);
      const drifts = await live.waitFor((m) => m.type === 'drift', 2);
      expect(drifts.map((m) => m.type === 'drift' && m.drift.kind)).toEqual(['modified', 'deleted']);
      await live.close();
    } finally {
      stdin.end();
      await piped.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
