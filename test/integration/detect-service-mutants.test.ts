// The detect service (lambdas/services/detect-service.ts) behaviours a mutation run found untested
// (npx stryker run --mutate lambdas/services/detect-service.ts): the counts and outcomes handle()
// reports, bad input named by event id, backfilled drifts, failed alerts and their retry, the live
// message, drift-event links and the re-evaluation log. The real detector, rules and state, and the
// DynamoDB store against dynalite; each test starts its own.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoEventLog } from '../../lambdas/adapters/aws/dynamo-event-log.js';
import { startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { LocalStateFiles } from '../../lambdas/adapters/local/state-files.js';
import { extractEach } from '../../lambdas/core/cloudtrail.js';
import { parseConfig } from '../../lambdas/core/config.js';
import type { DriftEvent } from '../../lambdas/core/drift-events.js';
import { lazyRuleSet, type RuleSet } from '../../lambdas/core/rules.js';
import type { StateIndex } from '../../lambdas/core/state-types.js';
import type { Drift } from '../../lambdas/core/types.js';
import type { LiveMessage, StateProvider } from '../../lambdas/ports.js';
import { bridgeEnvelope, createDetectService } from '../../lambdas/services/detect-service.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';
import { dynamoStores } from '../support/drift-stores.js';
import { fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';

const RULES = loadRulesFromDir();
const NOW = new Date('2026-02-01T12:00:00.000Z');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

interface SiteOptions {
  /** Drift events go nowhere (no publisher configured). */
  noDriftEvents?: boolean;
  /** The publisher throws this. */
  failPublish?: string;
  /** Alerts throw while this is true. */
  failAlerts?: { on: boolean };
  dashboardUrl?: () => string | undefined;
  state?: StateProvider;
  rules?: RuleSet;
  onStateReload?: (index: StateIndex, resolved: readonly Drift[]) => void;
}

async function site(options: SiteOptions = {}) {
  const dynamo = await startLocalDynamo();
  cleanups.push(() => dynamo.close());
  const logs: string[] = [];
  const alerted: string[] = [];
  const live: LiveMessage[] = [];
  const published: DriftEvent[] = [];
  const stores = dynamoStores(dynamo.doc);
  const events = new DynamoEventLog(dynamo.doc);
  const detect = createDetectService({
    rules: options.rules ?? RULES,
    state: options.state ?? createStateProvider(new LocalStateFiles([fixturePath(STATE_NAME)])),
    ...stores,
    onStateReload: options.onStateReload,
    notifier: {
      notify: async (drift: Drift) => {
        if (options.failAlerts?.on) throw new Error('SMTP relay refused');
        alerted.push(drift.id);
      },
    },
    driftEvents: options.noDriftEvents
      ? undefined
      : {
          publish: async (e) => {
            if (options.failPublish) throw new Error(options.failPublish);
            published.push(e);
          },
        },
    dashboardUrl: options.dashboardUrl,
    events,
    publish: (m) => void live.push(m),
    config: parseConfig(undefined),
    clock: { now: () => NOW },
    logger: {
      info: (m, f) => void logs.push(`info ${m} ${JSON.stringify(f ?? {})}`),
      warn: (m, f) => void logs.push(`warn ${m} ${JSON.stringify(f ?? {})}`),
      error: (m, f) => void logs.push(`error ${m} ${JSON.stringify(f ?? {})}`),
    },
  });
  return { detect, logs, alerted, live, published, store: stores.drifts, events };
}

/** A CloudTrail call no rule listens to (an STS read). */
const unwatched = {
  ...suspendEvent(90),
  eventSource: 'sts.amazonaws.com',
  eventName: 'GetCallerIdentity',
  requestParameters: null,
};

describe('what handle() reports', () => {
  it('counts processed, filtered and created events, and records the processed ones', async () => {
    const s = await site();
    const result = await s.detect.handle([suspendEvent(1), unwatched]);
    expect(result.processed).toBe(1);
    expect(result.filtered).toBe(1);
    expect(result.created).toBe(1);
    expect(result.findings).toHaveLength(1);
    expect(result.createdFindings).toEqual(result.findings);
    expect(result.errors).toEqual([]);
    expect(result.alertsFailed).toBe(0);
    expect(result.outcomes.map((o) => [o.eventId, o.outcome.result])).toEqual([
      [suspendEvent(1).eventID, 'drift'],
    ]);
    const recorded = await s.events.recent(10);
    expect(recorded.map((e) => e.eventId)).toEqual([suspendEvent(1).eventID]);

    // Only filtered events: nothing processed, nothing recorded.
    const none = await s.detect.handle([unwatched]);
    expect([none.processed, none.filtered, none.created]).toEqual([0, 1, 0]);
    expect((await s.events.recent(10)).map((e) => e.eventId)).toEqual([suspendEvent(1).eventID]);

    // Redelivered: found again, created nothing.
    const again = await s.detect.handle([suspendEvent(1)]);
    expect([again.processed, again.created, again.findings.length, again.createdFindings]).toEqual([
      1,
      0,
      1,
      [],
    ]);
    // Its alert was sent the first time: the redelivery counts no failed alert.
    expect(again.alertsFailed).toBe(0);
  });

  it('matches the EventBridge source without the amazonaws.com suffix', () => {
    const envelope = bridgeEnvelope({
      id: 'e-1',
      source: 's3.amazonaws.com',
      account: '111111111111',
      time: '2024-01-15T10:00:00Z',
      region: 'us-east-1',
      raw: { a: 1 },
    } as never);
    // Only a trailing .amazonaws.com is dropped.
    expect(bridgeEnvelope({ source: 's3.amazonaws.com.example', raw: {} } as never).source).toBe(
      'aws.s3.amazonaws.com.example',
    );
    expect(envelope).toEqual({
      version: '0',
      id: 'e-1',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.s3',
      account: '111111111111',
      time: '2024-01-15T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { a: 1 },
    });
  });

  it('reports and logs each bad record, and still stores the good ones', async () => {
    const s = await site();
    const result = await s.detect.handle([suspendEvent(3), 'not a record', { eventTime: 5 }]);
    expect([result.processed, result.created]).toEqual([1, 1]);
    expect(result.errors).toHaveLength(2);
    for (const error of result.errors) expect(error.eventId).toBeNull();
    // Each message is the reader's own account of the problem.
    const expected = ['not a record', { eventTime: 5 }].map((doc) => {
      const [item] = extractEach(doc);
      return 'error' in item ? item.error : '';
    });
    expect(result.errors.map((e) => e.message)).toEqual(expected);
    expect(expected.every((m) => m !== '')).toBe(true);
    const warned = s.logs.filter((l) => l.startsWith('warn event not processed'));
    expect(warned).toHaveLength(2);
    expect(warned[0]).toContain(JSON.stringify(result.errors[0].message));
  });
});

describe('a new drift', () => {
  it('is stored open at the clock’s time with its raw event, sent live with its cursor, and alerted once', async () => {
    const s = await site();
    const result = await s.detect.handle([suspendEvent(4)]);
    const id = result.findings[0].id;
    const stored = await s.store.get(id);
    expect(stored).toMatchObject({ status: 'open', detectedAt: NOW.toISOString() });
    expect(stored?.backfilled).toBeUndefined();
    expect((stored?.rawEvent as { eventID?: string } | undefined)?.eventID).toBe(suspendEvent(4).eventID);
    expect(s.live).toHaveLength(1);
    expect(s.live[0]).toMatchObject({ type: 'drift', drift: { id, status: 'open' } });
    expect((s.live[0] as { cursor: string }).cursor).toMatch(/^[1-9]\d*$/);
    expect(s.alerted).toEqual([id]);
    await s.detect.handle([suspendEvent(4)]);
    expect([s.live.length, s.alerted.length]).toEqual([1, 1]);
  });

  it('when backfilled, is marked so, counted as alerted and never alerted by a later live delivery', async () => {
    const s = await site();
    const result = await s.detect.handle([suspendEvent(5)], { backfill: true });
    const id = result.findings[0].id;
    expect(result.findings[0].backfilled).toBe(true);
    expect(result.createdFindings?.[0].backfilled).toBe(true);
    expect((await s.store.get(id))?.backfilled).toBe(true);
    expect(s.alerted).toEqual([]);
    expect(result.alertsFailed).toBe(0);
    await s.detect.handle([suspendEvent(5)]);
    expect(s.alerted).toEqual([]);
    // A drift not backfilled is alerted as usual.
    const live = await s.detect.handle([suspendEvent(6)]);
    expect(live.findings[0].backfilled).toBeUndefined();
    expect(s.alerted).toEqual([live.findings[0].id]);
  });

  it('whose alert fails is stored, counted, logged, and alerted on the next delivery', async () => {
    const failAlerts = { on: true };
    const s = await site({ failAlerts });
    const first = await s.detect.handle([suspendEvent(7)]);
    const id = first.findings[0].id;
    expect([first.created, first.alertsFailed]).toEqual([1, 1]);
    expect(await s.store.get(id)).toMatchObject({ status: 'open' });
    expect(
      s.logs.some(
        (l) =>
          l.startsWith('error alert failed') &&
          l.includes('SMTP relay refused') &&
          l.includes(`"driftId":"${id}"`),
      ),
    ).toBe(true);
    failAlerts.on = false;
    const retry = await s.detect.handle([suspendEvent(7)]);
    expect([retry.created, retry.alertsFailed]).toEqual([0, 0]);
    expect(s.alerted).toEqual([id]);
    await s.detect.handle([suspendEvent(7)]);
    expect(s.alerted).toEqual([id]);
  });

  it('links its drift event to the dashboard only when a dashboard URL is known', async () => {
    const withUrl = await site({ dashboardUrl: () => 'https://drift.example' });
    await withUrl.detect.handle([suspendEvent(8)]);
    expect(withUrl.published[0].detail.url).toBe(
      `https://drift.example/#drift=${encodeURIComponent(withUrl.published[0].detail.id)}`,
    );
    const none = await site({ noDriftEvents: true });
    expect((await none.detect.handle([suspendEvent(8)])).created).toBe(1);
    expect(none.logs.filter((l) => l.startsWith('error'))).toEqual([]);
    const failing = await site({ failPublish: 'bus down' });
    const stored = await failing.detect.handle([suspendEvent(8)]);
    expect(failing.logs).toContain(
      `error drift event not published {"driftId":"${stored.findings[0].id}","detailType":"Drift Detected","error":"bus down"}`,
    );
    const empty = await site({ dashboardUrl: () => '' });
    await empty.detect.handle([suspendEvent(8)]);
    expect(empty.published[0].detail.url).toBeUndefined();
  });
});

describe('re-evaluation', () => {
  it('resolves nothing and logs nothing when the state still disagrees, and logs the count when it agrees', async () => {
    const s = await site();
    await s.detect.handle([suspendEvent(9)]);
    expect(await s.detect.reevaluate()).toEqual([]);
    expect(s.logs.some((l) => l.includes('drifts resolved by state reload'))).toBe(false);
  });
});

const TERRAFORM_UA =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws)';

/** The fixture's state in a folder of its own, which a test can rewrite (versioning Suspended). */
function stateFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'tfdrift-detect-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'app.tfstate');
  writeFileSync(file, readFileSync(fixturePath(STATE_NAME)));
  return {
    dir,
    suspend() {
      const state = JSON.parse(readFileSync(file, 'utf8'));
      state.serial += 1;
      for (const r of state.resources)
        if (r.type === 'aws_s3_bucket_versioning')
          r.instances[0].attributes.versioning_configuration[0].status = 'Suspended';
      writeFileSync(file, JSON.stringify(state));
    },
  };
}

/** The corpus call setting versioning back to the state's value (Enabled): a revert. */
function revertEvent(n: number): Record<string, unknown> {
  const change = suspendEvent(n);
  const params = change.requestParameters as Record<string, unknown>;
  return { ...change, requestParameters: { ...params, VersioningConfiguration: { Status: 'Enabled' } } };
}

describe('reverts', () => {
  it('resolve the earlier drift of the attribute as tfdrift, announced, whichever arrives first', async () => {
    const s = await site();
    const change = await s.detect.handle([suspendEvent(600)]);
    const id = change.findings[0].id;
    await s.detect.handle([revertEvent(660)]);
    expect(await s.store.get(id)).toMatchObject({
      status: 'resolved',
      statusChangedBy: 'tfdrift',
      statusComment: `reverted by PutBucketVersioning (event ${revertEvent(660).eventID}) at 2024-01-15T10:11:00.000Z`,
    });
    expect(s.published.map((e) => [e['detail-type'], e.detail.statusChange?.previous])).toEqual([
      ['Drift Detected', undefined],
      ['Drift Status Changed', 'open'],
    ]);
    // A second revert resolves nothing again and announces nothing: the first one stays the reason.
    await s.detect.handle([revertEvent(700)]);
    expect(s.published).toHaveLength(2);
    expect((await s.store.get(id))?.statusComment).toContain(String(revertEvent(660).eventID));

    // Delivered after the revert that undid it: stored resolved at once.
    await s.detect.handle([revertEvent(900)]);
    const late = await s.detect.handle([suspendEvent(800)]);
    expect(late.created).toBe(1);
    expect(s.published.at(-1)?.detail.statusChange).toMatchObject({ previous: 'open', status: 'resolved' });
    expect(await s.store.get(late.findings[0].id)).toMatchObject({
      status: 'resolved',
      statusComment: `reverted by PutBucketVersioning (event ${revertEvent(900).eventID}) at 2024-01-15T10:15:00.000Z`,
    });
    // A change after the last revert stands, and an older revert leaves it open.
    const after = await s.detect.handle([suspendEvent(1000)]);
    await s.detect.handle([revertEvent(950)]);
    expect((await s.store.get(after.findings[0].id))?.status).toBe('open');
    // A revert with a time that cannot be read resolves nothing.
    await s.detect.handle([{ ...revertEvent(1100), eventTime: 'not a time' }]);
    expect((await s.store.get(after.findings[0].id))?.status).toBe('open');
  });

  it('made at the very time of the change leave it open, whichever arrives first', async () => {
    const s = await site();
    const sameTime = (n: number, id: string) => ({ ...revertEvent(n), eventID: id });
    const change = await s.detect.handle([suspendEvent(300)]);
    await s.detect.handle([sameTime(300, 'revert-same-time-a')]);
    expect((await s.store.get(change.findings[0].id))?.status).toBe('open');
    await s.detect.handle([sameTime(400, 'revert-same-time-b')]);
    const late = await s.detect.handle([suspendEvent(400)]);
    expect((await s.store.get(late.findings[0].id))?.status).toBe('open');
  });

  it('leave an acknowledged drift’s resolution announced with its previous status', async () => {
    const s = await site();
    const change = await s.detect.handle([suspendEvent(10)]);
    const id = change.findings[0].id;
    await s.store.setStatus(id, { status: 'acknowledged', by: 'carol', at: NOW.toISOString() });
    await s.detect.handle([revertEvent(20)]);
    expect((await s.store.get(id))?.status).toBe('resolved');
    expect(s.published[1].detail.statusChange).toMatchObject({
      previous: 'acknowledged',
      status: 'resolved',
    });
  });
});

describe('state changes', () => {
  it('a Terraform call marks a caching provider stale instead of reloading it', async () => {
    const folder = stateFolder();
    const provider = createStateProvider(new LocalStateFiles([folder.dir]));
    const s = await site({ state: provider });
    await s.detect.handle([suspendEvent(1)]);
    const loaded = provider.loadedAt();
    expect(provider.isStale()).toBe(false);
    await s.detect.handle([{ ...suspendEvent(2), userAgent: TERRAFORM_UA }]);
    expect(provider.isStale()).toBe(true);
    expect(provider.loadedAt()).toBe(loaded);
  });

  it('a Terraform call reloads a provider that cannot be marked, and re-evaluates', async () => {
    const folder = stateFolder();
    const caching = createStateProvider(new LocalStateFiles([folder.dir]));
    const plain: StateProvider = { current: () => caching.current(), reload: () => caching.reload() };
    const reloads: [number, string[]][] = [];
    const s = await site({
      state: plain,
      onStateReload: (index, resolved) =>
        void reloads.push([index.resources.length, resolved.map((d) => d.id)]),
    });
    const drift = (await s.detect.handle([suspendEvent(1)])).findings[0].id;
    folder.suspend();
    await s.detect.handle([{ ...suspendEvent(2), userAgent: TERRAFORM_UA }]);
    expect(reloads).toEqual([[15, [drift]]]);
    expect((await s.store.get(drift))?.status).toBe('resolved');
    expect(s.logs).toContain('info drifts resolved by state reload {"count":1}');
  });

  it('logs a reload that fails after a Terraform call, and goes on', async () => {
    const folder = stateFolder();
    const caching = createStateProvider(new LocalStateFiles([folder.dir]));
    const failing: StateProvider = {
      current: () => caching.current(),
      reload: async () => {
        throw new Error('bucket gone');
      },
    };
    const s = await site({ state: failing });
    const result = await s.detect.handle([{ ...suspendEvent(2), userAgent: TERRAFORM_UA }]);
    expect(result.processed).toBe(1);
    expect(s.logs).toContain('error state reload failed {"error":"bucket gone"}');
  });

  it('without notifications, re-evaluates when a batch sees a new state; after one, leaves it to them', async () => {
    const folder = stateFolder();
    const caching = createStateProvider(new LocalStateFiles([folder.dir]));
    let index: StateIndex | undefined;
    const plain: StateProvider = {
      current: async () => index ?? caching.current(),
      reload: () => caching.reload(),
    };
    const reloads: string[][] = [];
    const s = await site({
      state: plain,
      onStateReload: (_i, resolved) => void reloads.push(resolved.map((d) => d.id)),
    });
    const drift = (await s.detect.handle([suspendEvent(1)])).findings[0].id;
    await s.detect.handle([suspendEvent(1)]); // the same state: nothing to re-evaluate
    expect(reloads).toEqual([]);
    folder.suspend();
    index = await caching.reload();
    await s.detect.handle([suspendEvent(3)]);
    expect(reloads).toEqual([[drift]]);
    expect((await s.store.get(drift))?.status).toBe('resolved');

    // Once a state-write notification came (reloadState), a new state seen by a batch is left to them.
    const other = await site({
      state: plain,
      onStateReload: (_i, resolved) => void reloads.push(resolved.map((d) => d.id)),
    });
    index = undefined;
    await other.detect.reloadState();
    expect(reloads).toHaveLength(2);
    folder.suspend();
    index = await caching.reload();
    await other.detect.handle([suspendEvent(4)]);
    expect(reloads).toHaveLength(2);
  });

  it('logs a re-evaluation that fails when a batch sees a new state, and still handles the batch', async () => {
    const folder = stateFolder();
    const caching = createStateProvider(new LocalStateFiles([folder.dir]));
    let index: StateIndex | undefined;
    let reads = 0;
    const plain: StateProvider = {
      // The read after the batch's own one (the re-evaluation's) fails once the state changed.
      current: async () => {
        reads += 1;
        if (index && reads === 2) throw new Error('state unreadable');
        return index ?? caching.current();
      },
      reload: () => caching.reload(),
    };
    const s = await site({ state: plain });
    await s.detect.handle([suspendEvent(1)]);
    folder.suspend();
    index = await caching.reload();
    reads = 0;
    const result = await s.detect.handle([suspendEvent(5)]);
    expect([result.processed, result.errors]).toEqual([1, []]);
    expect(s.logs).toContain('error re-evaluation failed {"error":"state unreadable"}');
  });

  it('re-evaluates without anyone to tell, logging no failure', async () => {
    const folder = stateFolder();
    const caching = createStateProvider(new LocalStateFiles([folder.dir]));
    let index: StateIndex | undefined;
    const plain: StateProvider = {
      current: async () => index ?? caching.current(),
      reload: () => caching.reload(),
    };
    const s = await site({ state: plain });
    const drift = (await s.detect.handle([suspendEvent(1)])).findings[0].id;
    folder.suspend();
    index = await caching.reload();
    await s.detect.handle([suspendEvent(6)]);
    expect((await s.store.get(drift))?.status).toBe('resolved');
    expect(s.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

/** A versioning call at second n setting this configuration, under its own event id. */
function versioningCall(n: number, configuration: Record<string, unknown>, id?: string) {
  const call = suspendEvent(n, id ? { eventID: id } : {});
  const params = call.requestParameters as Record<string, unknown>;
  return { ...call, requestParameters: { ...params, VersioningConfiguration: configuration } };
}
/** Versioning suspended and MFA delete turned on in one call: a drift of two attributes. */
const bothChanged = (n: number) => versioningCall(n, { Status: 'Suspended', MfaDelete: 'Enabled' });
const statusBack = (n: number, id?: string) => versioningCall(n, { Status: 'Enabled' }, id);
const mfaDeleteBack = (n: number, id?: string) => versioningCall(n, { MfaDelete: 'Disabled' }, id);
const revertedBy = (call: Record<string, unknown>) =>
  `reverted by PutBucketVersioning (event ${call.eventID}) at ${new Date(String(call.eventTime)).toISOString()}`;

describe('reverts of some of a drift’s attributes', () => {
  it('resolve a drift of two attributes once both are set back, by the later revert, whichever order they arrive in', async () => {
    const eager = await site();
    const drift = (await eager.detect.handle([bothChanged(100)])).findings[0];
    expect(drift.changes.map((c) => c.attribute)).toEqual([
      'versioning_configuration[0].status',
      'versioning_configuration[0].mfa_delete',
    ]);
    await eager.detect.handle([statusBack(300)]);
    expect((await eager.store.get(drift.id))?.status).toBe('open'); // MFA delete is still on
    await eager.detect.handle([mfaDeleteBack(200)]);
    expect(await eager.store.get(drift.id)).toMatchObject({
      status: 'resolved',
      statusChangedBy: 'tfdrift',
      statusComment: revertedBy(statusBack(300)),
    });

    // The same calls, the drift delivered last: the same outcome.
    const late = await site();
    await late.detect.handle([statusBack(300)]);
    await late.detect.handle([mfaDeleteBack(200)]);
    const stored = (await late.detect.handle([bothChanged(100)])).findings[0];
    expect(await late.store.get(stored.id)).toMatchObject({
      status: 'resolved',
      statusComment: revertedBy(statusBack(300)),
    });
  });

  it('name the later revert whichever attribute it set back', async () => {
    const s = await site();
    await s.detect.handle([statusBack(200), mfaDeleteBack(300)]);
    const drift = (await s.detect.handle([bothChanged(100)])).findings[0];
    expect((await s.store.get(drift.id))?.statusComment).toBe(revertedBy(mfaDeleteBack(300)));
  });

  it('name the first changed attribute’s revert when both came at the same second', async () => {
    const late = await site();
    await late.detect.handle([mfaDeleteBack(250, 'revert-mfa-delete'), statusBack(250, 'revert-status')]);
    const drift = (await late.detect.handle([bothChanged(100)])).findings[0];
    expect((await late.store.get(drift.id))?.statusComment).toBe(
      revertedBy(statusBack(250, 'revert-status')),
    );

    const eager = await site();
    const open = (await eager.detect.handle([bothChanged(100)])).findings[0];
    await eager.detect.handle([statusBack(250, 'revert-status'), mfaDeleteBack(250, 'revert-mfa-delete')]);
    expect((await eager.store.get(open.id))?.statusComment).toBe(
      revertedBy(statusBack(250, 'revert-status')),
    );
  });

  it('leave a drift of another attribute open, and resolve one of the same attribute', async () => {
    const s = await site();
    await s.detect.handle([statusBack(300)]);
    const mfaDelete = (await s.detect.handle([versioningCall(100, { MfaDelete: 'Enabled' })])).findings[0];
    expect(mfaDelete.changes.map((c) => c.attribute)).toEqual(['versioning_configuration[0].mfa_delete']);
    expect((await s.store.get(mfaDelete.id))?.status).toBe('open');
    const status = (await s.detect.handle([suspendEvent(150)])).findings[0];
    expect((await s.store.get(status.id))?.statusComment).toBe(revertedBy(statusBack(300)));
  });

  it('leave a drift someone resolved as they resolved it', async () => {
    const s = await site();
    const id = (await s.detect.handle([suspendEvent(10)])).findings[0].id;
    await s.store.setStatus(id, {
      status: 'resolved',
      by: 'alice',
      comment: 'fixed by hand',
      at: NOW.toISOString(),
    });
    await s.detect.handle([revertEvent(20)]);
    expect(await s.store.get(id)).toMatchObject({
      status: 'resolved',
      statusChangedBy: 'alice',
      statusComment: 'fixed by hand',
    });
    expect(s.published.map((e) => e['detail-type'])).toEqual(['Drift Detected']);
  });

  it('with a time that cannot be read hide no later revert of the attribute', async () => {
    const s = await site();
    await s.detect.handle([{ ...revertEvent(700), eventTime: 'not a time' }]);
    await s.detect.handle([revertEvent(900)]);
    const late = (await s.detect.handle([suspendEvent(800)])).findings[0];
    expect((await s.store.get(late.id))?.statusComment).toBe(revertedBy(revertEvent(900)));
  });

  it('leave a drift whose time cannot be read open, whichever arrives first', async () => {
    const undated = suspendEvent(10, { eventTime: 'yesterday' });
    const eager = await site();
    const id = (await eager.detect.handle([undated])).findings[0].id;
    await eager.detect.handle([revertEvent(20)]);
    expect((await eager.store.get(id))?.status).toBe('open');

    const late = await site();
    await late.detect.handle([revertEvent(20)]);
    const stored = (await late.detect.handle([undated])).findings[0];
    expect((await late.store.get(stored.id))?.status).toBe('open');
    // A drift of the same call with its time is resolved by the same revert.
    const dated = (await late.detect.handle([suspendEvent(11)])).findings[0];
    expect((await late.store.get(dated.id))?.status).toBe('resolved');
  });
});

describe('input that breaks the detector', () => {
  it('a record the event matcher cannot walk is reported by its event id, and the others are stored', async () => {
    // An errorCode nested too deeply to walk (a hostile POST /api/v1/events can send one).
    let deep: unknown = 'AccessDenied';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const s = await site();
    const result = await s.detect.handle([
      suspendEvent(11, { eventID: 'deep-error-code', errorCode: deep }),
      suspendEvent(12, { eventID: 42, errorCode: deep }),
      suspendEvent(13),
    ]);
    expect([result.processed, result.created]).toEqual([1, 1]);
    expect(result.outcomes.map((o) => o.eventId)).toEqual([suspendEvent(13).eventID]);
    // An eventID that is not a string names no event.
    expect(result.errors.map((e) => e.eventId)).toEqual(['deep-error-code', null]);
    for (const error of result.errors)
      expect(error.message).toBe('not a CloudTrail record: nested too deeply to read');
  });

  it('a rule that does not parse fails only its own events, each reported as the detector’s failure', async () => {
    const bundle = readFileSync(join(import.meta.dirname, '../../rules/rules.json'), 'utf8');
    const lines = bundle.split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"id":"s3.bucket-versioning.put"'));
    lines[at] = lines[at].replace('"change":"modify"', '"change":modify');
    const s = await site({ rules: lazyRuleSet(lines.join('\n')) });
    const accessBlock = suspendEvent(31, {
      eventName: 'PutBucketPublicAccessBlock',
      requestParameters: {
        bucketName: 'tfdrift-falco-test-data-943198b9',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: false,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
    });

    const result = await s.detect.handle([suspendEvent(30), accessBlock]);

    expect([result.processed, result.created]).toEqual([2, 1]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['s3.bucket-public-access-block.put']);
    const [failed, drifted] = result.outcomes;
    const session = String((suspendEvent(30).userIdentity as { arn: string }).arn)
      .split('/')
      .pop();
    expect(drifted.actor).toBe(session);
    expect(failed).toEqual({
      eventId: suspendEvent(30).eventID,
      name: 'PutBucketVersioning',
      source: 's3.amazonaws.com',
      time: suspendEvent(30).eventTime,
      actor: session,
      outcome: { result: 'error', error: expect.stringContaining('rule does not parse') },
    });
    const error = (failed.outcome as { error: string }).error;
    expect(error).toMatch(
      new RegExp(`^detector failed: rules/s3\\.yaml \\(bundle line ${at + 1}\\): rule does not parse: `),
    );
    expect(result.errors).toEqual([{ eventId: suspendEvent(30).eventID, message: error }]);
    const recorded = await s.events.recent(10);
    expect(recorded.map((e) => e.eventId).sort()).toEqual(
      [suspendEvent(30).eventID, accessBlock.eventID].sort(),
    );
  });
});
