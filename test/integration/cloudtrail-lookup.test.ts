// `tfdrift scan --lookup 7d`: CloudTrail event history at the SDK boundary, with LookupEvents answers
// shaped as the service sends them (50 a page, newest first, NextToken, the record as a JSON string
// in CloudTrailEvent): every page read within the window and the rate, throttling retried, the
// records fed to the same scan oldest first, and a call seen in a log file and the history once.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CloudTrailClient,
  type Event as LookupEvent,
  LookupEventsCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CloudTrailLookupOptions,
  lookupEventBatches,
  MIN_REQUEST_GAP_MS,
  parseLookupWindow,
} from '../../lambdas/adapters/aws/cloudtrail-lookup.js';
import type { EventInput } from '../../lambdas/adapters/local/event-files.js';
import { runScan } from '../../lambdas/local/scan.js';
import { fixtureJson, fixturePath, STATE_NAME, SUSPEND_NAME } from '../support/hostile-fixtures.js';

const WINDOW = { start: new Date('2024-01-10T00:00:00Z'), end: new Date('2024-01-17T00:00:00Z') };

/** The fixture's PutBucketVersioning as the n-th call, `minutes` after 10:00, with a status. */
function call(n: number, minutes: number, status = 'Suspended'): Record<string, unknown> {
  const base = fixtureJson(SUSPEND_NAME);
  return {
    ...base,
    eventID: `1ookup00-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventTime: new Date(Date.UTC(2024, 0, 15, 10, minutes)).toISOString().replace('.000', ''),
    requestParameters: {
      ...(base.requestParameters as Record<string, unknown>),
      VersioningConfiguration: { Status: status },
    },
  };
}

/** One Events entry as LookupEvents returns it. */
function lookupEvent(record: Record<string, unknown>): LookupEvent {
  return {
    EventId: record.eventID as string,
    EventName: record.eventName as string,
    ReadOnly: 'false',
    AccessKeyId: 'ASIA-MOCKACCESSKEYID-1',
    EventTime: new Date(record.eventTime as string),
    EventSource: record.eventSource as string,
    Username: 'sample-role-bold-buck',
    Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'tfdrift-falco-test-data-943198b9' }],
    CloudTrailEvent: JSON.stringify(record),
  };
}

const mocks: { restore(): void }[] = [];
afterEach(() => {
  for (const m of mocks.splice(0)) m.restore();
});

/** A fake clock the sleeps advance, so pacing and backoff are measured, not waited for. */
function clock() {
  let now = 1_000_000;
  const slept: number[] = [];
  const requests: number[] = [];
  return {
    slept,
    requests,
    options: {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
    } satisfies Partial<CloudTrailLookupOptions>,
    mark: () => requests.push(now),
  };
}

async function collect(batches: AsyncIterable<EventInput[]>): Promise<EventInput[]> {
  const out: EventInput[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

const idOf = (input: EventInput) => (input.ok ? input.record.eventID : `error: ${input.error}`);

describe('CloudTrail event history (LookupEvents)', () => {
  it('reads every page of write events in the window, 50 a page, at most 2 requests a second, oldest first', async () => {
    const trail = mockClient(CloudTrailClient);
    mocks.push(trail);
    const time = clock();
    const records = Array.from({ length: 51 }, (_, n) => call(n, n)); // 51 calls, one a minute
    const newestFirst = [...records].reverse().map(lookupEvent);
    trail.on(LookupEventsCommand).callsFake((input) => {
      time.mark();
      return input.NextToken === 'page-2'
        ? { Events: newestFirst.slice(50) }
        : { Events: newestFirst.slice(0, 50), NextToken: 'page-2' };
    });
    const client = new CloudTrailClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const got = await collect(lookupEventBatches({ clients: [client], window: WINDOW, ...time.options }));
    const inputs = trail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    for (const input of inputs) {
      expect(input.LookupAttributes).toEqual([{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }]);
      expect([input.StartTime, input.EndTime, input.MaxResults]).toEqual([WINDOW.start, WINDOW.end, 50]);
    }
    expect([inputs[0].NextToken, inputs[1].NextToken]).toEqual([undefined, 'page-2']);
    expect(time.requests[1] - time.requests[0]).toBeGreaterThanOrEqual(MIN_REQUEST_GAP_MS);
    expect(got.map(idOf)).toEqual(records.map((r) => r.eventID));
    expect(got.every((g) => g.ok && g.origin === 'cloudtrail:lookup us-east-1')).toBe(true);
  });

  it('retries a throttled page with growing backoff, and gives up after maxAttempts naming the region', async () => {
    const trail = mockClient(CloudTrailClient);
    mocks.push(trail);
    const time = clock();
    const throttle = () =>
      new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    trail
      .on(LookupEventsCommand)
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .resolvesOnce({ Events: [lookupEvent(call(1, 1))] });
    const client = new CloudTrailClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const got = await collect(
      lookupEventBatches({ clients: [client], window: WINDOW, baseDelayMs: 1000, ...time.options }),
    );
    expect(got.map(idOf)).toEqual([call(1, 1).eventID]);
    expect(trail.commandCalls(LookupEventsCommand)).toHaveLength(3);
    expect(time.slept.filter((ms) => ms >= 1000)).toEqual([1000, 2000]);

    trail.reset();
    trail.on(LookupEventsCommand).rejects(throttle());
    await expect(
      collect(lookupEventBatches({ clients: [client], window: WINDOW, maxAttempts: 3, ...time.options })),
    ).rejects.toThrow('CloudTrail LookupEvents in eu-west-1: Rate exceeded');
    expect(trail.commandCalls(LookupEventsCommand)).toHaveLength(3);

    trail.reset();
    trail
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(
      collect(lookupEventBatches({ clients: [client], window: WINDOW, ...time.options })),
    ).rejects.toThrow('not authorized');
    expect(trail.commandCalls(LookupEventsCommand)).toHaveLength(1); // no retry for what a retry cannot fix
  });

  it('reads each region, merges them in time order, and reports a record that is not JSON without losing the rest', async () => {
    const east = mockClient(CloudTrailClient);
    mocks.push(east);
    const time = clock();
    // aws-sdk-client-mock answers every client instance: the first region asked gets the first answer.
    let calls = 0;
    east.on(LookupEventsCommand).callsFake(() => {
      calls += 1;
      return calls === 1
        ? { Events: [lookupEvent(call(3, 30)), { ...lookupEvent(call(9, 9)), CloudTrailEvent: '{not json' }] }
        : { Events: [lookupEvent(call(2, 20)), lookupEvent(call(1, 10))] };
    });
    const clients = ['us-east-1', 'eu-west-1'].map(
      (region) => new CloudTrailClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    );
    const got = await collect(lookupEventBatches({ clients, window: WINDOW, ...time.options }));
    expect(got.map((g) => (g.ok ? `${g.record.eventID}@${g.origin}` : g.error))).toEqual([
      expect.stringMatching(/^event 1ookup00-0000-4000-8000-000000000009: CloudTrailEvent is not a record/),
      `${call(1, 10).eventID}@cloudtrail:lookup eu-west-1`,
      `${call(2, 20).eventID}@cloudtrail:lookup eu-west-1`,
      `${call(3, 30).eventID}@cloudtrail:lookup us-east-1`,
    ]);
  });

  it('takes a window of hours or days up to CloudTrail’s 90, and refuses anything else', () => {
    const now = new Date('2026-01-08T12:00:00Z');
    expect(parseLookupWindow('7d', now)).toEqual({ start: new Date('2026-01-01T12:00:00Z'), end: now });
    expect(parseLookupWindow('36h', now).start).toEqual(new Date('2026-01-07T00:00:00Z'));
    expect(parseLookupWindow('90d', now).start).toEqual(new Date('2025-10-10T12:00:00Z'));
    expect(() => parseLookupWindow('91d', now)).toThrow('at most 90d');
    expect(() => parseLookupWindow('0h', now)).toThrow('at least 1h');
    expect(() => parseLookupWindow('7 days', now)).toThrow('expected a duration like 7d');
  });
});

describe('tfdrift scan with the event history', () => {
  it('finds drift made before the install, and counts a call in both a log file and the history once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfdrift-lookup-'));
    const logged = call(1, 5);
    writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: [logged] }));
    const history: EventInput[][] = [
      [
        { ok: true, origin: 'cloudtrail:lookup us-east-1', record: logged },
        { ok: true, origin: 'cloudtrail:lookup us-east-1', record: call(2, 6) },
      ],
    ];
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => {
      text += c;
    });
    const code = await runScan({
      state: [fixturePath(STATE_NAME)],
      events: [join(dir, 'trail.json')],
      moreEvents: (async function* () {
        yield* history;
      })(),
      mode: 'per-event',
      format: 'json',
      stdout: out,
      stderr: new PassThrough(),
    });
    const report = JSON.parse(text) as {
      findings: { event: { id: string } }[];
      summary: { events: number; duplicates: number };
    };
    expect(code).toBe(2);
    expect(report.summary).toMatchObject({ events: 2, duplicates: 1 });
    expect(report.findings.map((f) => f.event.id).sort()).toEqual([logged.eventID, call(2, 6).eventID]);
  });

  it('is settled by a later revert in the history (net drift, in time order)', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => {
      text += c;
    });
    // Newest first, as LookupEvents answers: the revert (10:20) before the change (10:10).
    const trail = mockClient(CloudTrailClient);
    mocks.push(trail);
    trail
      .on(LookupEventsCommand)
      .resolves({ Events: [lookupEvent(call(2, 20, 'Enabled')), lookupEvent(call(1, 10))] });
    const client = new CloudTrailClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const code = await runScan({
      state: [fixturePath(STATE_NAME)],
      events: [],
      moreEvents: lookupEventBatches({ clients: [client], window: WINDOW }),
      format: 'json',
      stdout: out,
      stderr: new PassThrough(),
    });
    const report = JSON.parse(text) as { findings: unknown[]; summary: { events: number } };
    expect(report.summary.events).toBe(2);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });
});
