// The backstop function: re-reads the trail's gzipped log files of the last window from S3 (s3rver)
// and feeds them to the detect service; a second run over the same files stores and alerts nothing.
// It reads a bounded number of files at once, and a file it could not read fails the run after the
// others were processed (so the schedule's retries, dead-letter queue and alarm see it).

import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { daysBetween, fileTime, trailLogKeys } from '../../lambdas/handlers/runtime/trail-logs.js';
import { fixtureJson, type HandlerWorld, startHandlerWorld } from './handlers-env.js';

const TRAIL_BUCKET = 'acme-org-trail';
const sns = mockClient(SNSClient);
let world: HandlerWorld;
let backstop: typeof import('../../lambdas/handlers/backstop.js');

const suspend = fixtureJson('live/s3-suspend-versioning.json');
// The file CloudTrail delivered a few minutes after the call, and an older one outside the window.
const inWindow =
  'trail/AWSLogs/111111111111/CloudTrail/us-east-1/2024/01/15/111111111111_CloudTrail_us-east-1_20240115T1050Z_Gx7N2c3tKq1eA9zB.json.gz';
const tooOld =
  'trail/AWSLogs/111111111111/CloudTrail/us-east-1/2024/01/15/111111111111_CloudTrail_us-east-1_20240115T0100Z_Hy8O3d4uLr2fB0aC.json.gz';

/** A log file as CloudTrail delivers it, for account 111111111111 in eu-west-1 at `time` (…THHmmZ). */
function logKey(day: string, time: string, id: string): string {
  return `trail/AWSLogs/111111111111/CloudTrail/eu-west-1/${day.replaceAll('-', '/')}/111111111111_CloudTrail_eu-west-1_${day.replaceAll('-', '')}T${time}Z_${id}.json.gz`;
}

async function putLog(key: string, records: readonly unknown[], raw?: Buffer): Promise<void> {
  const body = raw ?? gzipSync(JSON.stringify({ Records: records }));
  await world.s3.send(new PutObjectCommand({ Bucket: TRAIL_BUCKET, Key: key, Body: body }));
}

/** The suspend-versioning call with an event id of its own (so it is a drift of its own). */
function suspendEvent(n: number) {
  return { ...suspend, eventID: `0b5e${String(n).padStart(4, '0')}-1234-4234-8234-123456789abc` };
}

beforeAll(async () => {
  world = await startHandlerWorld();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  await world.s3.send(new CreateBucketCommand({ Bucket: TRAIL_BUCKET }));
  for (const [key, records] of [
    [inWindow, [suspend]],
    [
      tooOld,
      [{ ...suspend, eventID: '12345678-1234-1234-1234-999999999999', eventTime: '2024-01-15T00:55:00Z' }],
    ],
  ] as const) {
    await putLog(key, records);
  }
  Object.assign(process.env, {
    TRAIL_BUCKET,
    TRAIL_PREFIX: 'trail/',
    TRAIL_ACCOUNTS: '111111111111,222222222222',
    TRAIL_REGIONS: 'eu-west-1,us-east-1',
    BACKSTOP_WINDOW_MINUTES: '75',
  });
  backstop = await import('../../lambdas/handlers/backstop.js');
}, 60_000);
afterAll(async () => {
  sns.restore();
  await world?.stop();
});

describe('backstop handler', () => {
  it('detects drift from the log files of the window, once', async () => {
    // Prepare: other tests alert too (their files are on days of their own).
    const alertsBefore = sns.commandCalls(PublishCommand).length;
    // Act: the scheduled event's time is the end of the window.
    const first = await backstop.handler({ time: '2024-01-15T11:30:00Z' });
    const second = await backstop.handler({ time: '2024-01-15T11:30:00Z' });
    // Assess
    expect(first).toEqual({ files: 1, processed: 1, created: 1, errors: 0 });
    expect(second).toEqual({ files: 1, processed: 1, created: 0, errors: 0 });
    expect(sns.commandCalls(PublishCommand).length - alertsBefore).toBe(1);
  });

  it('reads delivery times from log file names and spans midnight', () => {
    expect(new Date(fileTime(inWindow)!).toISOString()).toBe('2024-01-15T10:50:00.000Z');
    expect(daysBetween(new Date('2024-01-15T23:30:00Z'), new Date('2024-01-16T00:20:00Z'))).toEqual([
      '2024/01/15/',
      '2024/01/16/',
    ]);
  });

  it('discovers the member accounts of an organisation trail', async () => {
    // Prepare: s3rver cannot list common prefixes more than one level deep, so this listing is
    // answered from a key list the way S3 answers it (Delimiter "/" → CommonPrefixes).
    const all = [
      'AWSLogs/o-abc1234567/333333333333/CloudTrail/eu-west-1/2024/01/15/333333333333_CloudTrail_eu-west-1_20240115T1100Z_a.json.gz',
      'AWSLogs/o-abc1234567/444444444444/CloudTrail/eu-west-1/2024/01/15/444444444444_CloudTrail_eu-west-1_20240115T1105Z_b.json.gz',
      'AWSLogs/o-abc1234567/444444444444/CloudTrail/eu-west-1/2024/01/14/444444444444_CloudTrail_eu-west-1_20240114T1105Z_c.json.gz',
    ];
    const s3 = {
      send: async ({ input }: { input: ListObjectsV2CommandInput }) => {
        const under = all.filter((k) => k.startsWith(input.Prefix ?? ''));
        if (!input.Delimiter) return { Contents: under.map((Key) => ({ Key })) };
        const rest = under.map((k) => k.slice((input.Prefix ?? '').length));
        const prefixes = [
          ...new Set(rest.filter((r) => r.includes('/')).map((r) => `${input.Prefix}${r.split('/')[0]}/`)),
        ];
        return { CommonPrefixes: prefixes.map((Prefix) => ({ Prefix })) };
      },
    } as unknown as S3Client;
    // Act
    const keys = await trailLogKeys(
      s3,
      'org-trail',
      { prefix: '', accounts: ['111111111111'], regions: ['eu-west-1'], organizationId: 'o-abc1234567' },
      new Date('2024-01-15T10:30:00Z'),
      new Date('2024-01-15T11:30:00Z'),
    );
    // Assess
    expect(keys).toEqual(all.slice(0, 2));
  });

  it("reads the window's files eight at a time, not one by one", async () => {
    // Prepare: 20 files delivered on a day of their own; count GetObject requests in flight.
    const keys = Array.from({ length: 20 }, (_, i) => logKey('2024-02-20', `11${String(i + 10)}`, `c${i}`));
    for (const [i, key] of keys.entries()) await putLog(key, [suspendEvent(100 + i)]);
    let inFlight = 0;
    let mostInFlight = 0;
    const send = S3Client.prototype.send as unknown as (
      this: S3Client,
      ...args: unknown[]
    ) => Promise<unknown>;
    const spy = vi.spyOn(S3Client.prototype, 'send').mockImplementation(function (
      this: S3Client,
      command: unknown,
      ...rest: unknown[]
    ) {
      if (!(command instanceof GetObjectCommand)) return send.call(this, command, ...rest);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return send.call(this, command, ...rest).finally(() => {
        inFlight -= 1;
      });
    } as never);
    // Act
    const result = await backstop.handler({ time: '2024-02-20T12:00:00Z' }).finally(() => spy.mockRestore());
    // Assess
    expect(result).toEqual({ files: 20, processed: 20, created: 20, errors: 0 });
    expect(mostInFlight).toBe(backstop.READ_CONCURRENCY);
    expect(backstop.READ_CONCURRENCY).toBe(8);
  });

  it('fails the run for a file it could not read, after processing every other file', async () => {
    // Prepare: a truncated file between two good ones, on a day of their own.
    const good = [logKey('2024-03-05', '1101', 'a'), logKey('2024-03-05', '1121', 'c')];
    const broken = logKey('2024-03-05', '1111', 'b');
    await putLog(good[0], [suspendEvent(1)]);
    await putLog(broken, [], gzipSync(JSON.stringify({ Records: [suspendEvent(2)] })).subarray(0, 40));
    await putLog(good[1], [suspendEvent(3)]);
    const alertsBefore = sns.commandCalls(PublishCommand).length;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    // Act
    const run = backstop.handler({ time: '2024-03-05T11:30:00Z' });
    const failure = await run.then(
      () => undefined,
      (error: Error) => error,
    );
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    log.mockRestore();
    // Assess: the run failed naming the file, and the two good files' drifts were stored and alerted.
    expect(failure?.message).toMatch(/^backstop: 1 of 3 trail log files could not be processed/);
    expect(failure?.message).toContain(broken);
    expect(sns.commandCalls(PublishCommand).length - alertsBefore).toBe(2);
    expect(lines.find((l) => l.message === 'backstop run')).toMatchObject({
      files: 3,
      processed: 2,
      created: 2,
      errors: 1,
      failedFiles: 1,
    });
    expect(lines.find((l) => l.message === 'trail log file not processed')).toMatchObject({ key: broken });
  });
});
