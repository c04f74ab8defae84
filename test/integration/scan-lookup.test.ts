// `tfdrift scan --lookup 7d [--region R ...]` through runScan, CloudTrail mocked at the SDK boundary
// (aws-sdk-client-mock): the window asked for ends now, each region named is read once (the SDK's
// own region when none is), every region's records are scanned, and a history record that is no
// CloudTrail event is one error naming its region while the rest is reported.

import { PassThrough } from 'node:stream';
import { CloudTrailClient, type Event as LookupEvent, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_DRIFT, EXIT_ERROR, runScan } from '../../lambdas/local/scan.js';
import { fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';

const mocks: { restore(): void }[] = [];
afterEach(() => {
  for (const m of mocks.splice(0)) m.restore();
  vi.unstubAllEnvs();
});

/** LookupEvents answering, in each region, one drifting call made there (and, if asked, a broken one). */
function history(broken = false) {
  const trail = mockClient(CloudTrailClient);
  mocks.push(trail);
  const regions: string[] = [];
  trail.on(LookupEventsCommand).callsFake(async (_input, getClient) => {
    const region = await getClient().config.region();
    regions.push(region);
    const n = 1 + regions.length;
    const record = suspendEvent(n, { eventID: `lookup-${region}` });
    const events: LookupEvent[] = [
      {
        EventId: record.eventID as string,
        EventName: 'PutBucketVersioning',
        CloudTrailEvent: JSON.stringify(record),
      },
    ];
    if (broken) events.push({ EventId: `broken-${region}`, EventName: 'PutBucketVersioning' });
    return { Events: events };
  });
  return { trail, regions };
}

async function scanWithLookup(lookup: { window: string; regions: string[] }) {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (c) => {
    stdout += c;
  });
  err.on('data', (c) => {
    stderr += c;
  });
  const code = await runScan({
    state: [fixturePath(STATE_NAME)],
    events: [],
    lookup,
    mode: 'per-event',
    format: 'json',
    stdout: out,
    stderr: err,
  });
  const report = stdout
    ? (JSON.parse(stdout) as {
        findings: { event: { id: string; region: string } }[];
        summary: { events: number };
      })
    : undefined;
  return { code, report, stderr };
}

describe('tfdrift scan --lookup', () => {
  it('reads the SDK region’s history for the window ending now when no region is named', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    const { trail, regions } = history();
    const before = Date.now();

    const { code, report, stderr } = await scanWithLookup({ window: '7d', regions: [] });

    const after = Date.now();
    expect(stderr).toBe('');
    expect(code).toBe(EXIT_DRIFT);
    expect(regions).toEqual(['eu-west-3']);
    expect(report?.findings.map((f) => f.event.id)).toEqual(['lookup-eu-west-3']);
    expect(report?.summary.events).toBe(1);
    const asked = trail.commandCalls(LookupEventsCommand)[0].args[0].input;
    const end = (asked.EndTime as Date).getTime();
    expect(end).toBeGreaterThanOrEqual(before);
    expect(end).toBeLessThanOrEqual(after);
    expect(end - (asked.StartTime as Date).getTime()).toBe(7 * 24 * 3_600_000);
  });

  it('reads each region named once, in its own region, and scans the records of all', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    const { regions } = history();

    const { code, report } = await scanWithLookup({
      window: '36h',
      regions: ['us-west-2', 'ap-south-1', 'us-west-2'],
    });

    expect(code).toBe(EXIT_DRIFT);
    expect([...regions].sort()).toEqual(['ap-south-1', 'us-west-2']);
    expect(report?.findings.map((f) => f.event.id).sort()).toEqual(['lookup-ap-south-1', 'lookup-us-west-2']);
    expect(report?.summary.events).toBe(2);
  });

  it('reports a history entry without its record as an error naming the region, and the rest', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    history(true);

    const { code, report, stderr } = await scanWithLookup({ window: '1d', regions: ['us-west-2'] });

    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toBe(
      'tfdrift: cloudtrail:lookup us-west-2: event broken-us-west-2: no CloudTrailEvent in the answer\n',
    );
    expect(report?.findings.map((f) => f.event.id)).toEqual(['lookup-us-west-2']);
  });

  it('refuses a window it cannot read, with one line and no report', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    const { regions } = history();

    const { code, report, stderr } = await scanWithLookup({ window: 'a week', regions: [] });

    expect(code).toBe(EXIT_ERROR);
    expect(report).toBeUndefined();
    expect(stderr).toBe('tfdrift: --lookup: expected a duration like 7d or 36h, got "a week"\n');
    expect(regions).toEqual([]);
  });
});
