// Secrets canary: a state whose sensitive and secret-named attributes (and secret-named event fields)
// hold unique canary strings. Every way out is run — scan in all formats, the HTTP API, the WebSocket,
// the console and SNS alerts, the logs, what is stored in DynamoDB — and no canary may appear.
// The dashboard DOM is checked in canary-injection.test.ts (one Chromium for both canaries).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventLog } from '../../lambdas/adapters/aws/dynamo-event-log.js';
import { SnsNotifier } from '../../lambdas/adapters/aws/sns-notifier.js';
import { startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { LocalStateFiles } from '../../lambdas/adapters/local/state-files.js';
import { parseConfig } from '../../lambdas/core/config.js';
import { createLogger } from '../../lambdas/local/logger.js';
import { runScan } from '../../lambdas/local/scan.js';
import { type RunningServer, startServer } from '../../lambdas/local/server.js';
import type { LiveMessage } from '../../lambdas/ports.js';
import { createDetectService } from '../../lambdas/services/detect-service.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';
import { startAwsRecorder } from '../support/aws-recorder.js';
import { canaryEvents, canaryState, leakedCanaries } from '../support/canaries.js';
import { dynamoStores } from '../support/drift-stores.js';
import { connectLive } from '../support/live-client.js';

const root = mkdtempSync(join(tmpdir(), 'tfdrift-canary-'));
const stateDir = join(root, 'state');
const eventsFile = join(root, 'events.json');
const EVENTS = canaryEvents();

beforeAll(() => {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'db.tfstate'), canaryState());
  writeFileSync(eventsFile, JSON.stringify({ Records: EVENTS }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A writable that keeps everything written to it. */
function sink(): NodeJS.WritableStream & { text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += String(chunk);
  });
  return Object.assign(stream, { text: () => text });
}

describe('secrets canary', () => {
  it.each(['json', 'table', 'markdown'] as const)(
    'scan --format %s shows the drifts and no canary',
    async (format) => {
      const stdout = sink();
      const stderr = sink();
      const code = await runScan({ state: [stateDir], events: [eventsFile], format, stdout, stderr });
      expect(code).toBe(2);
      const out = stdout.text();
      expect(out).toContain(format === 'markdown' ? 'aws\\_db\\_instance\\.main' : 'aws_db_instance.main');
      expect(out).toContain(format === 'json' ? '"(sensitive)"' : 'sensitive');
      expect(leakedCanaries(out + stderr.text())).toEqual([]);
    },
  );

  it('the local server: API, WebSocket, console alerts, logs and the stored items hold no canary', async () => {
    const alerts = sink();
    const logs = sink();
    const dataDir = join(root, 'data');
    let server: RunningServer | undefined;
    const seen: string[] = [];
    try {
      server = await startServer({
        port: 0,
        dataDir,
        statePaths: [stateDir],
        alertsOut: alerts,
        logger: createLogger('info', logs),
      });
      const live = await connectLive(server.url);
      await live.waitFor((m) => m.type === 'hello');
      const posted = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(EVENTS),
      });
      expect(posted.status).toBe(200);
      seen.push(await posted.text());
      const drifts = await live.waitFor((m) => m.type === 'drift', 4);
      seen.push(JSON.stringify(live.messages));
      // A change of status goes out on the feed too.
      const first = (drifts[0] as Extract<LiveMessage, { type: 'drift' }>).drift.id;
      const ack = await fetch(`${server.url}/api/v1/drifts/${first}/acknowledge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'tester' }),
      });
      seen.push(await ack.text());
      await live.waitFor((m) => m.type === 'drift' && m.drift.status === 'acknowledged');
      for (const path of [
        '/api/v1/drifts?limit=500',
        '/api/v1/graph',
        '/api/v1/state',
        '/api/v1/events',
        '/api/v1/summary',
        '/health',
        '/config.json',
      ]) {
        const res = await fetch(`${server.url}${path}`);
        seen.push(await res.text());
      }
      const list = JSON.parse(seen[seen.length - 7]) as { items: { id: string }[] };
      expect(list.items).toHaveLength(4);
      for (const { id } of list.items) {
        const res = await fetch(`${server.url}/api/v1/drifts/${id}`);
        const text = await res.text();
        expect(text).toContain('rawEvent');
        seen.push(text);
      }
      seen.push(JSON.stringify(live.messages));
      await live.close();
    } finally {
      await server?.close();
    }
    expect(alerts.text().split('Drift id:').length - 1).toBe(4);
    expect(logs.text()).toContain('state loaded');
    // What the server kept on disk, read back through DynamoDB itself.
    const dynamo = await startLocalDynamo({ path: join(dataDir, 'dynamodb') });
    try {
      for (const table of Object.values(dynamo.tables)) {
        const items = await dynamo.client.send(new ScanCommand({ TableName: table }));
        seen.push(JSON.stringify(items.Items));
      }
    } finally {
      await dynamo.close();
    }
    const everything = [...seen, alerts.text(), logs.text()].join('\n');
    expect(everything).toContain('(sensitive)');
    expect(everything).toContain('AKIAEXAMPLECANARY'); // ids are not secrets: the output is real
    expect(leakedCanaries(everything)).toEqual([]);
  });

  it('SNS alerts and the DynamoDB items of the AWS path hold no canary', async () => {
    const recorder = await startAwsRecorder();
    const dynamo = await startLocalDynamo();
    try {
      const logs: string[] = [];
      const logger = {
        info: (m: string, f?: object) => logs.push(m + JSON.stringify(f)),
        warn: (m: string, f?: object) => logs.push(m + JSON.stringify(f)),
        error: (m: string, f?: object) => logs.push(m + JSON.stringify(f)),
      };
      const service = createDetectService({
        rules: loadRulesFromDir(),
        state: createStateProvider(new LocalStateFiles([stateDir]), { logger }),
        ...dynamoStores(dynamo.doc),
        notifier: new SnsNotifier(recorder.sns(), {
          topicArn: 'arn:aws:sns:us-east-1:000000000000:t',
          dashboardUrl: 'https://d.example',
        }),
        events: new DynamoEventLog(dynamo.doc),
        config: parseConfig(undefined),
        clock: { now: () => new Date() },
        logger,
      });
      const result = await service.handle(
        EVENTS.map((detail) => ({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.rds', detail })),
      );
      expect(result.created).toBe(4);
      expect(recorder.published).toHaveLength(4);
      const items = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tables.drifts }));
      const events = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tables.events }));
      const everything = [
        JSON.stringify(recorder.published),
        JSON.stringify(items.Items),
        JSON.stringify(events.Items),
        JSON.stringify(result),
        ...logs,
      ].join('\n');
      expect(everything).toContain('(sensitive)');
      expect(leakedCanaries(everything)).toEqual([]);
    } finally {
      await Promise.all([recorder.close(), dynamo.close()]);
    }
  });
});
