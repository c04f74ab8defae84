// The services publish drift events through the DriftEvents port (dynalite store, the real detector):
// one Drift Detected per new drift (none on redelivery), one Drift Status Changed when a state
// reload settles a drift or a user acknowledges it, and a publisher that fails never stops detection.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { DynamoEventLog } from '../../lambdas/adapters/aws/dynamo-event-log.js';
import { startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { LocalStateFiles } from '../../lambdas/adapters/local/state-files.js';
import { parseConfig } from '../../lambdas/core/config.js';
import type { DriftEvent } from '../../lambdas/core/drift-events.js';
import type { DriftEvents } from '../../lambdas/ports.js';
import { createDetectService } from '../../lambdas/services/detect-service.js';
import { createQueryApi } from '../../lambdas/services/query-api.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';
import { fixtureText, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(driftEvents: DriftEvents) {
  const dynamo = await startLocalDynamo();
  cleanups.push(() => dynamo.close());
  const dir = mkdtempSync(join(tmpdir(), 'tfdrift-events-'));
  const stateFile = join(dir, 'app.tfstate');
  writeFileSync(stateFile, fixtureText(STATE_NAME));
  const logs: string[] = [];
  const logger = {
    info: () => undefined,
    warn: (m: string) => void logs.push(`warn ${m}`),
    error: (m: string, f?: object) => void logs.push(`error ${m} ${JSON.stringify(f)}`),
  };
  const store = new DynamoDriftStore(dynamo.doc);
  const state = createStateProvider(new LocalStateFiles([dir]), { logger });
  const clock = { now: () => new Date('2026-02-01T12:00:00.000Z') };
  const dashboardUrl = () => 'https://drift.example';
  const detect = createDetectService({
    rules: loadRulesFromDir(),
    state,
    drifts: store,
    alerts: store,
    reverts: store,
    notifier: { notify: async () => undefined },
    driftEvents,
    dashboardUrl,
    events: new DynamoEventLog(dynamo.doc),
    config: parseConfig(undefined),
    clock,
    logger,
  });
  const api = createQueryApi({
    store,
    counters: store,
    state,
    events: new DynamoEventLog(dynamo.doc),
    clock,
    logger,
    driftEvents,
    dashboardUrl,
  });
  return { detect, api, stateFile, logs, store };
}

const post = (path: string, body: unknown) =>
  ({
    rawPath: `/api/v1${path}`,
    requestContext: { http: { method: 'POST' } },
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('drift events from the services', () => {
  it('publishes Drift Detected once, and Drift Status Changed on acknowledge and on a settling state reload', async () => {
    const published: DriftEvent[] = [];
    const site = await setup({ publish: async (e) => void published.push(e) });

    const first = await site.detect.handle([suspendEvent(1)]);
    await site.detect.handle([suspendEvent(1)]); // redelivered
    expect(first.created).toBe(1);
    expect(published.map((e) => e['detail-type'])).toEqual(['Drift Detected']);
    const id = published[0].detail.id;
    expect(published[0].detail.url).toBe(`https://drift.example/#drift=${encodeURIComponent(id)}`);

    const ack = await site.api(
      post(`/drifts/${encodeURIComponent(id)}/acknowledge`, { by: 'carol', comment: 'on it' }),
    );
    expect(ack.statusCode).toBe(200);
    await site.api(post(`/drifts/${encodeURIComponent(id)}/acknowledge`, { by: 'carol' })); // no change of status
    expect(published.map((e) => e.detail.statusChange)).toEqual([
      // (before the second drift)
      undefined,
      {
        previous: 'open',
        status: 'acknowledged',
        by: 'carol',
        comment: 'on it',
        at: '2026-02-01T12:00:00.000Z',
      },
    ]);

    // Another drift of the same value, left open; then terraform apply -refresh-only: the state now
    // holds Suspended, so the open drift is over (the acknowledged one stays as carol left it).
    await site.detect.handle([suspendEvent(3)]);
    const other = published[2].detail.id;
    const state = JSON.parse(readFileSync(site.stateFile, 'utf8'));
    for (const resource of state.resources) {
      if (resource.type === 'aws_s3_bucket_versioning')
        resource.instances[0].attributes.versioning_configuration[0].status = 'Suspended';
    }
    state.serial += 1;
    writeFileSync(site.stateFile, JSON.stringify(state));
    const resolved = await site.detect.reloadState();
    expect(resolved.map((d) => d.id)).toEqual([other]);
    expect(published.map((e) => [e['detail-type'], e.detail.id])).toEqual([
      ['Drift Detected', id],
      ['Drift Status Changed', id],
      ['Drift Detected', other],
      ['Drift Status Changed', other],
    ]);
    expect(published[3]).toMatchObject({
      time: '2026-02-01T12:00:00.000Z',
      detail: { status: 'resolved', statusChange: { previous: 'open', status: 'resolved', by: 'tfdrift' } },
    });
    expect(published[3].detail.statusChange?.comment).toMatch(/versioning_configuration\[0\]\.status/);
  });

  it('stores and reports the drift when the publisher fails, and logs why', async () => {
    const site = await setup({
      publish: async () => {
        throw new Error('bus unreachable');
      },
    });
    const result = await site.detect.handle([suspendEvent(2)]);
    expect([result.created, result.errors, result.alertsFailed]).toEqual([1, [], 0]);
    expect((await site.store.listOpen()).map((d) => d.event.id)).toEqual([suspendEvent(2).eventID]);
    expect(
      site.logs.some((l) => l.startsWith('error drift event not published') && l.includes('bus unreachable')),
    ).toBe(true);
  });
});
