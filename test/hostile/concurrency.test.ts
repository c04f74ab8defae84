// Concurrency: the same event delivered ten times at once gives one stored drift, one alert and one
// live message — on the AWS path (conditional writes + alert claims in DynamoDB) and on the local
// server. Order: a hand-made revert (the value set back to what the state holds) resolves the drift
// it undoes, whichever of the two arrives first; the final status follows event time.

import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { DynamoEventLog } from '../../lambdas/adapters/aws/dynamo-event-log.js';
import { SnsNotifier } from '../../lambdas/adapters/aws/sns-notifier.js';
import { startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { LocalStateFiles } from '../../lambdas/adapters/local/state-files.js';
import { parseConfig } from '../../lambdas/core/config.js';
import { startServer } from '../../lambdas/local/server.js';
import { createDetectService } from '../../lambdas/services/detect-service.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';
import { startAwsRecorder } from '../support/aws-recorder.js';
import { dynamoStores } from '../support/drift-stores.js';
import { bridgeEnvelopeOf, fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';
import { connectLive } from '../support/live-client.js';

const RULES = loadRulesFromDir();

const silent = { info() {}, warn() {}, error() {} };

/** The corpus PutBucketVersioning setting the state's own value back ("Enabled"): a revert. */
function revertEvent(n: number): Record<string, unknown> {
  const change = suspendEvent(n);
  const params = change.requestParameters as Record<string, unknown>;
  return { ...change, requestParameters: { ...params, VersioningConfiguration: { Status: 'Enabled' } } };
}

function awsDetector(dynamo: Awaited<ReturnType<typeof startLocalDynamo>>) {
  return createDetectService({
    rules: RULES,
    state: createStateProvider(new LocalStateFiles([fixturePath(STATE_NAME)])),
    ...dynamoStores(dynamo.doc),
    notifier: { notify: async () => undefined },
    events: new DynamoEventLog(dynamo.doc),
    config: parseConfig(undefined),
    clock: { now: () => new Date() },
    logger: silent,
  });
}

describe('the same event ten times in parallel', () => {
  it('AWS path: one drift, one SNS alert, whichever delivery wins', async () => {
    const [dynamo, recorder] = await Promise.all([startLocalDynamo(), startAwsRecorder()]);
    try {
      // Ten Lambda containers: each its own service (own state cache), one table, one topic.
      const rules = RULES;
      const services = Array.from({ length: 10 }, () =>
        createDetectService({
          rules,
          state: createStateProvider(new LocalStateFiles([fixturePath(STATE_NAME)])),
          ...dynamoStores(dynamo.doc),
          notifier: new SnsNotifier(recorder.sns(), { topicArn: 'arn:aws:sns:us-east-1:111111111111:t' }),
          events: new DynamoEventLog(dynamo.doc),
          config: parseConfig(undefined),
          clock: { now: () => new Date() },
          logger: silent,
        }),
      );
      const event = bridgeEnvelopeOf(suspendEvent(500));
      const results = await Promise.all(services.map((s) => s.handle([structuredClone(event)])));
      expect(results.reduce((n, r) => n + r.created, 0)).toBe(1);
      expect(
        results.every((r) => r.findings.length === 1 && r.errors.length === 0 && r.alertsFailed === 0),
      ).toBe(true);
      const items = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tables.drifts }));
      const drifts = (items.Items ?? []).filter((i) => i.gAll?.S === 'drift');
      expect(drifts).toHaveLength(1);
      expect(recorder.published).toHaveLength(1);
      expect(recorder.published[0].message).toContain(`Drift id:  ${drifts[0].id.S}`);
    } finally {
      await Promise.all([dynamo.close(), recorder.close()]);
    }
  });

  it('local server: one drift, one console alert, one live message', async () => {
    let alerts = '';
    const server = await startServer({
      port: 0,
      dataDir: null,
      statePaths: [fixturePath(STATE_NAME)],
      logger: silent,
      alertsOut: {
        write: (chunk: string) => {
          alerts += chunk;
          return true;
        },
      } as never,
    });
    try {
      const live = await connectLive(server.url);
      await live.waitFor((m) => m.type === 'hello');
      const body = JSON.stringify(suspendEvent(501));
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${server.url}/api/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          }).then((r) => r.json()),
        ),
      );
      expect(answers.reduce((n, a) => n + (a as { created: number }).created, 0)).toBe(1);
      const list = (await (await fetch(`${server.url}/api/v1/drifts`)).json()) as { items: { id: string }[] };
      expect(list.items).toHaveLength(1);
      const driftId = list.items[0].id;
      // Then a drift of another event, after every answer: the feed sends in order, so once its
      // message is here any duplicate of the first would be too (rather than sleeping and hoping).
      const marker = (await (
        await fetch(`${server.url}/api/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(suspendEvent(502)),
        })
      ).json()) as { findings: { id: string }[] };
      const markerId = marker.findings[0].id;
      await live.waitFor((m) => m.type === 'drift' && m.drift.id === markerId);
      const sent = live.messages.flatMap((m) => (m.type === 'drift' ? [m.drift.id] : []));
      expect(sent).toEqual([driftId, markerId]);
      expect(alerts.split(`Drift id:  ${driftId}`).length - 1).toBe(1);
      expect(alerts.split('Drift id:').length - 1).toBe(2);
      await live.close();
    } finally {
      await server.close();
    }
  });
});

describe('out-of-order delivery of a change and its revert', () => {
  it('resolves the drift whether the revert arrives after or before the change', async () => {
    const dynamo = await startLocalDynamo();
    try {
      const service = awsDetector(dynamo);
      const store = new DynamoDriftStore(dynamo.doc);
      // In order: change at +600 s, revert at +660 s.
      const inOrder = await service.handle([suspendEvent(600)]);
      expect((await store.get(inOrder.findings[0].id))?.status).toBe('open');
      await service.handle([revertEvent(660)]);
      const resolved = await store.get(inOrder.findings[0].id);
      expect(resolved).toMatchObject({ status: 'resolved', statusChangedBy: 'tfdrift' });
      expect(resolved?.statusComment).toBe(
        `reverted by PutBucketVersioning (event ${revertEvent(660).eventID}) at 2024-01-15T10:11:00.000Z`,
      );

      // Out of order: the revert (+900 s) is delivered before the change it undoes (+800 s).
      await service.handle([revertEvent(900)]);
      const late = await service.handle([suspendEvent(800)]);
      expect(late.created).toBe(1);
      expect(await store.get(late.findings[0].id)).toMatchObject({ status: 'resolved' });

      // Control: a change made after the last revert stands, whatever the arrival order.
      const after = await service.handle([suspendEvent(1000)]);
      expect(await store.get(after.findings[0].id)).toMatchObject({ status: 'open' });
      await service.handle([revertEvent(950)]); // older than the change: resolves nothing
      expect(await store.get(after.findings[0].id)).toMatchObject({ status: 'open' });
    } finally {
      await dynamo.close();
    }
  });

  it('the local server shows the final status live', async () => {
    const server = await startServer({
      port: 0,
      dataDir: null,
      statePaths: [fixturePath(STATE_NAME)],
      logger: silent,
      alertsOut: { write: () => true } as never,
    });
    try {
      const live = await connectLive(server.url);
      await live.waitFor((m) => m.type === 'hello');
      const post = (body: unknown) =>
        fetch(`${server.url}/api/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      await post(revertEvent(1200));
      const answer = (await (await post(suspendEvent(1100))).json()) as { findings: { id: string }[] };
      const id = answer.findings[0].id;
      const [last] = await live.waitFor(
        (m) => m.type === 'drift' && m.drift.id === id && m.drift.status === 'resolved',
      );
      expect(last.type === 'drift' && last.drift.statusComment).toMatch(/^reverted by PutBucketVersioning/);
      const stored = (await (await fetch(`${server.url}/api/v1/drifts/${id}`)).json()) as { status: string };
      expect(stored.status).toBe('resolved');
      await live.close();
    } finally {
      await server.close();
    }
  });
});
