// The backfill function as Lambda runs it: CloudTrail event history (LookupEvents mocked at the SDK
// boundary with answers shaped as the service sends them: 50 a page, newest first, NextToken, the
// record as a JSON string in CloudTrailEvent) read for the window in every watched region, a throttled
// page retried, the records fed to the detect service (DynamoDB through dynalite, state through
// s3rver) oldest first; drifts from history are marked `backfilled` and alerted in one summary; an
// event the live path already turned into a drift (same eventID) makes no second one.

import {
  CloudTrailClient,
  type Event as LookupEvent,
  LookupEventsCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { dynamoDocumentClient } from '../../lambdas/handlers/runtime/clients.js';
import { bridgeEvent, fixtureJson, type HandlerWorld, startHandlerWorld } from './handlers-env.js';

const sns = mockClient(SNSClient);
const cloudtrail = mockClient(CloudTrailClient);
let world: HandlerWorld;
let detect: typeof import('../../lambdas/handlers/detect.js');
let backfill: typeof import('../../lambdas/handlers/backfill.js');

const suspend = fixtureJson('live/s3-suspend-versioning.json');
const deleteBucket = fixtureJson('live/s3-delete-bucket.json');
/** The same call as `suspend` an hour earlier, with its own eventID (a drift of its own). */
const earlierSuspend = {
  ...suspend,
  eventID: '12345678-1234-1234-1234-000000000042',
  eventTime: '2024-01-15T09:45:23Z',
};

/** One Events entry as LookupEvents returns it. */
function lookupEvent(record: Record<string, unknown>): LookupEvent {
  return {
    EventId: record.eventID as string,
    EventName: record.eventName as string,
    ReadOnly: 'false',
    AccessKeyId: 'ASIAMOCKACCESSKEYID01',
    EventTime: new Date(record.eventTime as string),
    EventSource: record.eventSource as string,
    Username: 'sample-role',
    Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'tfdrift-falco-test-data-943198b9' }],
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** us-east-1 answers two pages (newest first) after one throttle; eu-west-1 has no write events. */
function answerHistory(): void {
  cloudtrail.reset();
  let throttled = false;
  cloudtrail.on(LookupEventsCommand).callsFake(async (input, getClient) => {
    const region = await getClient().config.region();
    if (region !== 'us-east-1') return { Events: [] };
    if (!throttled) {
      throttled = true;
      throw new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    }
    if (input.NextToken === undefined) {
      return { Events: [lookupEvent(suspend), lookupEvent(earlierSuspend)], NextToken: 'page-2' };
    }
    return { Events: [lookupEvent(deleteBucket)] };
  });
}

const publishes = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

beforeAll(async () => {
  world = await startHandlerWorld();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  Object.assign(process.env, {
    BACKFILL_REGIONS: 'us-east-1,eu-west-1',
    BACKFILL_DAYS: '7',
    DASHBOARD_URL: 'https://d111.cloudfront.net',
  });
  detect = await import('../../lambdas/handlers/detect.js');
  backfill = await import('../../lambdas/handlers/backfill.js');
}, 60_000);
afterAll(async () => {
  sns.restore();
  cloudtrail.restore();
  await world?.stop();
});

describe('backfill function', () => {
  it('finds drift in the history once, marks it backfilled and sends one summary; the live drift stays as it was', async () => {
    // Prepare: the live path has already seen `suspend`.
    answerHistory();
    await detect.handler(bridgeEvent(suspend) as EventBridgeEvent<string, unknown>);
    const liveAlerts = publishes().length;
    expect(liveAlerts).toBe(1);
    const started = Date.now();

    // Act
    const result = await backfill.handler({ reason: 'first deploy' });

    // Assess: two new drifts (the earlier call and the deletion), none for the call seen live.
    expect(result).toEqual({
      days: 7,
      regions: ['us-east-1', 'eu-west-1'],
      events: 3,
      created: 2,
      errors: 0,
      summarised: true,
    });
    const store = new DynamoDriftStore(dynamoDocumentClient(), { tableName: process.env.DRIFTS_TABLE ?? '' });
    const all = (await store.query({ limit: 50 })).items;
    const byEvent = new Map(all.map((d) => [d.event.id, d]));
    expect([...byEvent.keys()].sort()).toEqual(
      [suspend.eventID, earlierSuspend.eventID, deleteBucket.eventID].sort() as string[],
    );
    expect(byEvent.get(suspend.eventID as string)?.backfilled).toBeUndefined();
    expect(byEvent.get(earlierSuspend.eventID as string)?.backfilled).toBe(true);
    expect(byEvent.get(deleteBucket.eventID as string)?.backfilled).toBe(true);
    // One summary instead of a mail per drift, filtered like an alert of its highest severity.
    const sent = publishes().slice(liveAlerts);
    expect(sent).toHaveLength(1);
    expect(sent[0].Subject).toBe('[tfdrift] Backfill: 2 drifts from the last 7 days');
    expect(sent[0].Message).toContain('tfdrift read 3 write events of the last 7 days');
    expect(sent[0].Message).toContain('Dashboard: https://d111.cloudfront.net/');
    const severities = [
      byEvent.get(earlierSuspend.eventID as string),
      byEvent.get(deleteBucket.eventID as string),
    ].map((d) => d?.severity);
    expect(severities).toContain(sent[0].MessageAttributes?.severity?.StringValue);
    // The window and the filter LookupEvents was asked for, in both regions, every page.
    const asked = cloudtrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(asked).toHaveLength(4); // throttled, page 1, page 2 (us-east-1), one page (eu-west-1)
    for (const input of asked) {
      expect(input.LookupAttributes).toEqual([{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }]);
      expect(input.MaxResults).toBe(50);
      const span = (input.EndTime as Date).getTime() - (input.StartTime as Date).getTime();
      expect(span).toBe(7 * 86_400_000);
      expect(Math.abs((input.EndTime as Date).getTime() - started)).toBeLessThan(60_000);
    }
    expect(asked.map((i) => i.NextToken)).toEqual([undefined, undefined, 'page-2', undefined]);
  }, 30_000);

  it('adds nothing and sends nothing when run again over the same history', async () => {
    // Prepare
    answerHistory();
    const before = publishes().length;
    // Act
    const result = await backfill.handler({ days: 3 });
    // Assess
    expect(result).toMatchObject({ days: 3, events: 3, created: 0, summarised: false });
    expect(publishes()).toHaveLength(before);
  }, 30_000);

  it('refuses a window CloudTrail does not keep, reading nothing', async () => {
    cloudtrail.reset();
    for (const days of [0, 91, 2.5, '7', -1]) {
      await expect(backfill.handler({ days })).rejects.toThrow(
        `backfill: days must be a whole number from 1 to 90, got ${JSON.stringify(days)}`,
      );
    }
    expect(cloudtrail.commandCalls(LookupEventsCommand)).toHaveLength(0);
  });
});
