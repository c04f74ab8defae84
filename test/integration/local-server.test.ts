// The local server over real HTTP and WebSocket, against dynalite. Every test starts its own server
// on its own folders and tables (one dynalite serves the file; the restart test has a dynalite of its
// own, persisted on disk) and makes the drifts it needs, so each passes alone and in any order; where a test proves that something did NOT arrive, it sends a marker afterwards and
// asserts the marker is the next thing that arrives.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import { createLogger } from '../../lambdas/local/logger.js';
import { type RunningServer, type ServerOptions, startServer } from '../../lambdas/local/server.js';
import type { LiveMessage } from '../../lambdas/ports.js';
import { connectLive, type LiveClient } from '../support/live-client.js';
import { sharedDynamo } from '../support/shared-dynamo.js';

const freshTables = sharedDynamo();

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
const idOf = (n: number) => variant(n).eventID as string;

/** A server on folders of its own: a state folder, an events folder, a data folder and the S3 rules. */
interface Site {
  server: RunningServer;
  readonly root: string;
  readonly stateFile: string;
  readonly eventsDir: string;
  readonly logLines: string[];
  alertCount(): number;
  alertText(): string;
  restart(): Promise<void>;
  api(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: Record<string, unknown> & { items?: Drift[] } }>;
  post(path: string, body: unknown): ReturnType<Site['api']>;
  live(query?: Record<string, string>): Promise<LiveClient>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** ownDynalite: the server starts its own dynalite, persisted in its data folder (as `tfdrift serve` does). */
async function startSite(extra: { brokenState?: boolean; ownDynalite?: boolean } = {}): Promise<Site> {
  const root = mkdtempSync(join(tmpdir(), 'tfdrift-server-'));
  const stateDir = join(root, 'states');
  const eventsDir = join(root, 'events');
  // The real S3 rules only: these tests drive S3 events and should not depend on other rule files.
  const rulesDir = join(root, 'rules');
  for (const dir of [stateDir, eventsDir, rulesDir]) mkdirSync(dir, { recursive: true });
  copyFileSync(join(import.meta.dirname, '../../rules/s3.yaml'), join(rulesDir, 's3.yaml'));
  const stateFile = join(stateDir, 'app.tfstate');
  copyFileSync(fixture('tfstate/tfdrift-falco-detector.tfstate'), stateFile);
  if (extra.brokenState) copyFileSync(fixture('live/invalid.tfstate'), join(stateDir, 'broken.tfstate'));
  let alerts = '';
  const logLines: string[] = [];
  const dynamo = extra.ownDynalite ? undefined : await freshTables();
  const logs = new PassThrough();
  logs.on('data', (chunk) => logLines.push(...String(chunk).split('\n').filter(Boolean)));
  const options = (): ServerOptions => {
    const out = new PassThrough();
    out.on('data', (chunk) => {
      alerts += String(chunk);
    });
    return {
      port: 0,
      dataDir: join(root, 'data'),
      dynamo,
      statePaths: [stateDir],
      eventPaths: [eventsDir],
      alertsOut: out,
      logger: createLogger('info', logs),
      pollMs: 50,
      rulesDir,
    };
  };
  const clients: LiveClient[] = [];
  const site: Site = {
    server: await startServer(options()),
    root,
    stateFile,
    eventsDir,
    logLines,
    alertCount: () => alerts.split('Drift id:').length - 1,
    alertText: () => alerts,
    async restart() {
      await site.server.close();
      site.server = await startServer(options());
    },
    async api(path, init = {}) {
      const res = await fetch(`${site.server.url}/api/v1${path}`, init);
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown> & { items?: Drift[] },
      };
    },
    post: (path, body) =>
      site.api(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async live(query = {}) {
      const client = await connectLive(site.server.url, query);
      clients.push(client);
      await client.waitFor((m) => m.type === 'hello');
      return client;
    },
  };
  cleanups.push(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await site.server.close();
    rmSync(root, { recursive: true, force: true });
  });
  return site;
}

/** The seven drifts most tests start from: five modified versioning settings, a deletion, an unmanaged bucket. */
async function seedSeven(site: Site): Promise<void> {
  expect((await site.post('/events', [0, 1, 2, 3, 4].map(variant))).body).toMatchObject({ created: 5 });
  expect((await site.post('/events', { Records: [deleteBucket] })).body).toMatchObject({ created: 1 });
  expect((await site.post('/events', createBucket)).body).toMatchObject({ created: 1 });
}

const driftMessages = (client: LiveClient) =>
  client.messages.filter((m): m is Extract<LiveMessage, { type: 'drift' }> => m.type === 'drift');

describe('local server over HTTP and WebSocket', () => {
  it('stays up with a corrupt state file, says so in /health and /api/v1/state, and uses the good one', async () => {
    const site = await startSite({ brokenState: true });
    const health = await fetch(`${site.server.url}/health`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; problems: string[] };
    expect(body.status).toBe('degraded');
    expect(body.problems.join('\n')).toContain('broken.tfstate');
    // The problem names the file once: "state <path>: <why>", not "state <path>: <path>: <why>".
    const problem = body.problems.find((p) => p.includes('broken.tfstate')) ?? '';
    expect(problem).toMatch(/^state \S+broken\.tfstate: /);
    expect(problem.split('broken.tfstate')).toHaveLength(2);
    const state = await site.api('/state');
    expect(state.status).toBe(200);
    expect((state.body.files as { file: string }[]).map((f) => f.file)).toEqual([site.stateFile]);
    expect(state.body.resources).toBe(15);
    expect((state.body.errors as { file: string }[])[0].file).toContain('broken.tfstate');
  });

  it('is healthy with only good state files', async () => {
    const site = await startSite();
    const health = await fetch(`${site.server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', stateFiles: 1, resources: 15 });
  });

  it('turns events into drifts that reach a connected dashboard', async () => {
    const site = await startSite();
    const dashboard = await site.live();
    const result = await site.post('/events', [variant(0), variant(1), variant(2)]);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ processed: 3, created: 3, errors: [] });
    const drifts = await dashboard.waitFor((m) => m.type === 'drift', 3);
    expect(drifts.map((m) => m.type === 'drift' && m.drift.changes[0])).toEqual(
      Array(3).fill({
        attribute: 'versioning_configuration[0].status',
        expected: 'Enabled',
        actual: 'Suspended',
      }),
    );
    expect(site.alertCount()).toBe(3);
    expect(site.alertText()).toContain(`${site.server.url}/#drift=`);
  });

  it('gives a client that connects mid-stream every later drift, and none of the earlier ones', async () => {
    const site = await startSite();
    const early = await site.live();
    await site.post('/events', [variant(0), variant(1), variant(2)]);
    await early.waitFor((m) => m.type === 'drift', 3);
    const late = await site.live();
    await site.post('/events', [variant(3), variant(4)]);
    await site.post('/events', { Records: [deleteBucket] });
    await site.post('/events', createBucket);
    await late.waitFor((m) => m.type === 'drift', 4);
    const seen = driftMessages(late);
    expect(seen.map((m) => m.drift.kind).sort()).toEqual(['deleted', 'modified', 'modified', 'unmanaged']);
    expect(seen.map((m) => m.drift.event.id)).not.toContain(idOf(0));
    await early.waitFor((m) => m.type === 'drift', 7);
    const cursors = driftMessages(early).map((m) => Number(m.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(cursors).size).toBe(7);
  });

  it('adds nothing and alerts nobody for a redelivered event', async () => {
    const site = await startSite();
    const dashboard = await site.live();
    await site.post('/events', [variant(0), variant(1), variant(2)]);
    await dashboard.waitFor((m) => m.type === 'drift', 3);
    const again = await site.post('/events', variant(1));
    expect(again.body).toMatchObject({ processed: 1, created: 0 });
    expect((again.body.findings as unknown[]).length).toBe(1);
    expect(site.alertCount()).toBe(3);
    // A record that is none among good ones: counted as an error, the rest still processed.
    const mixed = await site.post('/events', [
      variant(2),
      { eventVersion: '1.08', eventSource: 's3.amazonaws.com' },
    ]);
    expect(mixed.body).toMatchObject({ processed: 1, created: 0 });
    expect((mixed.body.errors as { message: string }[]).map((e) => e.message)).toEqual([
      expect.stringContaining('missing eventName'),
    ]);
    expect((await site.api('/drifts?limit=500')).body.items).toHaveLength(3);
    // A new event afterwards: the next live message is its drift, so the redeliveries sent none.
    await site.post('/events', variant(9));
    await dashboard.waitFor((m) => m.type === 'drift' && m.drift.event.id === idOf(9));
    expect(driftMessages(dashboard).map((m) => m.drift.event.id)).toEqual([0, 1, 2, 9].map(idOf));
    expect(site.alertCount()).toBe(4);
  });

  it('lists, filters and pages drifts, and explains bad requests', async () => {
    const site = await startSite();
    await seedSeven(site);
    expect((await site.api('/drifts?kind=deleted')).body.items?.map((d) => d.resource.type)).toEqual([
      'aws_s3_bucket',
    ]);
    const unmanaged = (await site.api('/drifts?kind=unmanaged')).body.items!;
    expect(unmanaged.map((d) => [d.resource.id, d.resource.address, d.actor.type])).toEqual([
      ['custodian-create-bucket-v4', null, 'Root'],
    ]);
    const high = (await site.api('/drifts?severity=high&type=aws_s3_bucket_versioning')).body.items!;
    expect(high).toHaveLength(5);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await site.api(`/drifts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items!.length).toBeLessThanOrEqual(3);
      ids.push(...page.body.items!.map((d) => d.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toHaveLength(7);
    const errors = await Promise.all([
      site.api('/drifts?severity=urgent'),
      site.api('/drifts?limit=0'),
      site.api('/drifts?cursor=bogus'),
      site.api('/drifts/d-unknown'),
      site.post('/events', '{"Records": ['),
      site.post('/events', { hello: 'world' }),
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
    const site = await startSite();
    await seedSeven(site);
    const dashboard = await site.live();
    const [target, other] = (await site.api('/drifts?type=aws_s3_bucket_versioning&limit=2')).body.items!;
    const ack = await site.post(`/drifts/${target.id}/acknowledge`, {
      by: 'carol',
      comment: 'change window CHG-7',
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      status: 'acknowledged',
      statusChangedBy: 'carol',
      statusComment: 'change window CHG-7',
    });
    const resolved = await site.post(`/drifts/${other.id}/resolve`, {});
    expect(resolved.body).toMatchObject({ status: 'resolved', statusChangedBy: 'anonymous' });
    const detail = await site.api(`/drifts/${target.id}`);
    expect(detail.body.status).toBe('acknowledged');
    expect((detail.body.rawEvent as { eventID: string }).eventID).toBe(target.event.id);
    expect((detail.body.history as Drift[]).map((d) => d.id)).not.toContain(target.id);
    expect((detail.body.history as Drift[]).length).toBe(4);
    const updates = await dashboard.waitFor((m) => m.type === 'drift', 2);
    expect(updates.map((m) => m.type === 'drift' && [m.drift.id, m.drift.status])).toEqual([
      [target.id, 'acknowledged'],
      [other.id, 'resolved'],
    ]);
    expect((await site.post('/drifts/d-unknown/resolve', {})).status).toBe(404);
    expect((await site.api('/drifts?status=open')).body.items).toHaveLength(5);
    // The status filter still applies when the query is keyed on the resource.
    const address = encodeURIComponent(target.resource.address!);
    expect(other.resource.address).toBe(target.resource.address);
    const ofResource = async (status: string) =>
      (await site.api(`/drifts?resource=${address}${status}`)).body.items!.map((d) => d.id).sort();
    const openOfResource = await ofResource('&status=open');
    expect(openOfResource).toHaveLength(3);
    expect(openOfResource).not.toContain(target.id);
    expect(openOfResource).not.toContain(other.id);
    expect(await ofResource('&status=resolved')).toEqual([other.id]);
    expect(await ofResource('&status=acknowledged,resolved')).toEqual([target.id, other.id].sort());
    expect(await ofResource('')).toHaveLength(5);
  });

  it('replays every change missed while disconnected when a client resumes with since', async () => {
    const site = await startSite();
    const first = await site.live();
    await site.post('/events', [variant(0), variant(1)]);
    await first.waitFor((m) => m.type === 'drift', 2);
    const cursor = first.lastCursor()!;
    await first.close();
    await site.post('/events', [variant(5), variant(6)]);
    const resumed = await site.live({ since: cursor });
    expect(resumed.messages[0]).toEqual({ type: 'hello', cursor });
    await site.post('/events', variant(7));
    await resumed.waitFor((m) => m.type === 'drift' && m.drift.event.id === idOf(7));
    // The missed two, in order, then the live one: nothing from before the cursor, nothing twice.
    expect(driftMessages(resumed).map((m) => m.drift.event.id)).toEqual([5, 6, 7].map(idOf));
  });

  it('follows an events folder as new log files appear', async () => {
    const site = await startSite();
    const dashboard = await site.live();
    await site.post('/events', variant(5));
    writeFileSync(join(site.eventsDir, 'trail-001.json'), JSON.stringify({ Records: [variant(8)] }));
    await dashboard.waitFor((m) => m.type === 'drift' && m.drift.event.id === idOf(8), 1, 5000);
    // The event log is written once the whole file is processed, just after the drift went out.
    await expect
      .poll(async () =>
        ((await site.api('/events?limit=5')).body.items as unknown as { eventId: string }[]).map(
          (e) => e.eventId,
        ),
      )
      .toEqual([8, 5].map(idOf));
  });

  it('re-evaluates open drifts when the state file changes', async () => {
    const site = await startSite();
    await seedSeven(site);
    const dashboard = await site.live();
    const [kept] = (await site.api('/drifts?type=aws_s3_bucket_versioning&limit=1')).body.items!;
    await site.post(`/drifts/${kept.id}/acknowledge`, { by: 'carol' });
    const state = JSON.parse(readFileSync(site.stateFile, 'utf8'));
    for (const resource of state.resources) {
      if (resource.type === 'aws_s3_bucket_versioning') {
        resource.instances[0].attributes.versioning_configuration[0].status = 'Suspended';
      }
    }
    state.serial += 1;
    writeFileSync(site.stateFile, JSON.stringify(state));
    await dashboard.waitFor((m) => m.type === 'state', 1, 5000);
    const open = (await site.api('/drifts?status=open&type=aws_s3_bucket_versioning')).body.items!;
    expect(open).toEqual([]);
    const resolved = (await site.api('/drifts?status=resolved&type=aws_s3_bucket_versioning&limit=100')).body
      .items!;
    expect(resolved.filter((d) => d.statusChangedBy === 'tfdrift').length).toBe(4);
    expect(resolved.find((d) => d.statusChangedBy === 'tfdrift')?.statusComment).toContain(
      'versioning_configuration[0].status',
    );
    // The acknowledged drift stays as the person left it; drifts the new state does not settle stay open.
    expect((await site.api('/drifts?status=acknowledged')).body.items?.map((d) => d.id)).toEqual([kept.id]);
    expect((await site.api('/drifts?status=open')).body.items?.map((d) => d.kind).sort()).toEqual([
      'deleted',
      'unmanaged',
    ]);
  });

  it('refuses bodies over the limit with 413', async () => {
    const site = await startSite();
    const big = JSON.stringify({ Records: [{ ...variant(9), padding: 'x'.repeat(1024 * 1024) }] });
    const res = await site.post('/events', big);
    expect(res.status).toBe(413);
    expect((res.body.error as { code: string }).code).toBe('payload_too_large');
    expect((await site.api('/drifts')).body.items).toEqual([]);
  });

  it('keeps every drift across a restart, does not read an events file twice, and resumes a dashboard', async () => {
    const site = await startSite({ ownDynalite: true });
    const dashboard = await site.live();
    writeFileSync(join(site.eventsDir, 'trail-001.json'), JSON.stringify({ Records: [variant(8)] }));
    await dashboard.waitFor((m) => m.type === 'drift' && m.drift.event.id === idOf(8), 1, 5000);
    await seedSeven(site);
    await site.post(`/drifts/${driftMessages(dashboard)[0].drift.id}/resolve`, { by: 'dave' });
    await dashboard.waitFor((m) => m.type === 'drift', 9);
    const before = (await site.api('/drifts?limit=500')).body.items!;
    const cursor = dashboard.lastCursor()!;
    await dashboard.close();
    const readsBefore = site.logLines.filter((line) => line.includes('trail-001.json')).length;
    expect(readsBefore).toBe(1);

    await site.restart();

    const after = (await site.api('/drifts?limit=500')).body.items!;
    expect(after.map((d) => [d.id, d.status])).toEqual(before.map((d) => [d.id, d.status]));
    expect(after).toHaveLength(8);
    // Once the files present at start are read, the one read before the restart was not read again.
    await site.server.eventsReady;
    expect(site.logLines.filter((line) => line.includes('trail-001.json'))).toHaveLength(1);
    // A dashboard that was connected before the restart resumes from its cursor.
    const deletion = { ...deleteBucket, eventID: '6795ef5c-7777-4444-8888-000000000010' };
    expect((await site.post('/events', deletion)).body).toMatchObject({ created: 1 });
    const resumed = await site.live({ since: cursor });
    const replayed = await resumed.waitFor((m) => m.type === 'drift');
    expect(replayed.map((m) => m.type === 'drift' && m.drift.event.id)).toEqual([deletion.eventID]);
    expect(Number(replayed[0].type === 'drift' && replayed[0].cursor)).toBeGreaterThan(Number(cursor));
  });
});

describe('local server dashboard files', () => {
  it('serves config.json and the built dashboard with a strict CSP, and says how to build it when missing', async () => {
    // The web root sits next to a file it must never serve.
    const outside = mkdtempSync(join(tmpdir(), 'tfdrift-web-'));
    const web = join(outside, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), 'not for the browser');
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>tfdrift</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    const site = await startServer({
      port: 0,
      dataDir: null,
      dynamo: await freshTables(),
      webRoot: web,
      logger: createLogger('silent'),
    });
    cleanups.push(async () => {
      await site.close();
      rmSync(outside, { recursive: true, force: true });
    });
    const config = await fetch(`${site.url}/config.json`);
    expect(await config.json()).toEqual({ apiBase: '/api/v1', wsUrl: '/ws', auth: null });
    const index = await fetch(`${site.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toBe('<!doctype html><title>tfdrift</title>');
    expect(index.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const script = await fetch(`${site.url}/assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    // Paths that resolve outside the web root, to a file that exists there.
    for (const path of ['/..%2Fsecret.txt', '/assets/..%2F..%2Fsecret.txt']) {
      const escaped = await fetch(`${site.url}${path}`);
      expect(escaped.status, path).toBe(404);
      expect(await escaped.text(), path).not.toContain('not for the browser');
    }
    expect((await fetch(`${site.url}/nope.js`)).status).toBe(404);
    rmSync(join(web, 'index.html'));
    const missing = await fetch(`${site.url}/`);
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('npm run build:web');
  });
});

describe('local server access control', () => {
  it('refuses to bind beyond loopback without a token', async () => {
    await expect(
      startServer({ port: 0, host: '0.0.0.0', dataDir: null, logger: createLogger('silent') }),
    ).rejects.toThrow(/without a token/);
  });

  it('answers 401 without the token, on the API and the WebSocket', async () => {
    const guarded = await startServer({
      port: 0,
      dataDir: null,
      dynamo: await freshTables(),
      token: 's3cret-token',
      logger: createLogger('silent'),
    });
    cleanups.push(() => guarded.close());
    expect((await fetch(`${guarded.url}/api/v1/drifts`)).status).toBe(401);
    const wrong = await fetch(`${guarded.url}/api/v1/drifts`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${guarded.url}/api/v1/drifts`, {
      headers: { authorization: 'Bearer s3cret-token' },
    });
    expect(right.status).toBe(200);
    const health = await fetch(`${guarded.url}/health`);
    expect(health.status).toBe(503); // open, and honest: no state given; the details need the token
    expect(await health.json()).toEqual({ status: 'degraded' });
    await expect(connectLive(guarded.url)).rejects.toThrow(/401/);
    const live = await connectLive(guarded.url, { token: 's3cret-token' });
    await live.waitFor((m) => m.type === 'hello');
    await live.close();
    expect(guarded.openUrl).toBe(`${guarded.url}/#token=s3cret-token`);
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
      dynamo: await freshTables(),
      statePaths: [join(dir, 'app.tfstate')],
      eventPaths: ['-'],
      stdin,
      alertsOut: new PassThrough(),
      logger: createLogger('silent'),
    });
    cleanups.push(async () => {
      stdin.end();
      await piped.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const live = await connectLive(piped.url);
    cleanups.push(() => live.close());
    await live.waitFor((m) => m.type === 'hello');
    stdin.write(`${JSON.stringify(variant(20))}\nnot json\n${JSON.stringify(deleteBucket)}\n`);
    const drifts = await live.waitFor((m) => m.type === 'drift', 2);
    expect(drifts.map((m) => m.type === 'drift' && m.drift.kind)).toEqual(['modified', 'deleted']);
  });
});
