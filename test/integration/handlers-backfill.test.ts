// The backfill function as Lambda runs it: CloudTrail event history (LookupEvents mocked at the SDK
// boundary with answers shaped as the service sends them: 50 a page, newest first, NextToken, the
// record as a JSON string in CloudTrailEvent) read for the window in every watched region, a throttled
// page retried, the records fed to the detect service (DynamoDB through dynalite, state through
// s3rver) oldest first; drifts from history are marked `backfilled` and alerted in one summary; an
// event the live path already turned into a drift (same eventID) makes no second one. Member accounts
// are read through a role assumed with STS (mocked at the SDK boundary too): each account's client
// uses that account's credentials, and an account that cannot be read is recorded while the rest are.

import {
  CloudTrailClient,
  type Event as LookupEvent,
  LookupEventsCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { dynamoDocumentClient } from '../../lambdas/handlers/runtime/clients.js';
import { bridgeEvent, fixtureJson, type HandlerWorld, startHandlerWorld } from './handlers-env.js';

const sns = mockClient(SNSClient);
const cloudtrail = mockClient(CloudTrailClient);
const sts = mockClient(STSClient);
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

// Every test gets its own servers and cold-started functions, so each passes alone and in any order.
beforeEach(async () => {
  world = await startHandlerWorld();
  sns.reset();
  sts.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  vi.resetModules();
  Object.assign(process.env, {
    BACKFILL_REGIONS: 'us-east-1,eu-west-1',
    BACKFILL_DAYS: '7',
    DASHBOARD_URL: 'https://d111.cloudfront.net',
  });
  detect = await import('../../lambdas/handlers/detect.js');
  backfill = await import('../../lambdas/handlers/backfill.js');
}, 60_000);
afterEach(async () => {
  await world?.stop();
});
afterAll(() => {
  sns.restore();
  cloudtrail.restore();
  sts.restore();
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
      accounts: [
        { account: 'this account', regions: ['us-east-1', 'eu-west-1'], events: 3, created: 2, failures: [] },
      ],
    });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0); // no member account configured
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
    // Prepare: a first run over the history.
    answerHistory();
    expect(await backfill.handler({ days: 3 })).toMatchObject({ created: 3, summarised: true });
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

  describe('with member accounts', () => {
    /** The account the fixtures' resources (and their Terraform state) live in. */
    const MEMBER = String(deleteBucket.recipientAccountId);
    const REFUSING = '333333333333';
    const PARTIAL = '444444444444';
    /** A drift made in the member account: the deletion, as its history has it. */
    const memberDelete = { ...deleteBucket, eventID: '22222222-aaaa-4bbb-8ccc-000000000001' };
    const memberKey = (account: string) => `ASIA${account}`;

    /** STS as it answers: credentials for the member, AccessDenied for the refusing account. */
    function answerRoles(): void {
      sts.reset();
      sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
        const account = input.RoleArn.split(':')[4];
        if (account === REFUSING) {
          throw new STSServiceException({
            name: 'AccessDenied',
            $fault: 'client',
            $metadata: { httpStatusCode: 403 },
            message: `User: arn:aws:sts::111111111111:assumed-role/tfdrift-backfill-eu-west-1/backfill is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
          });
        }
        return {
          Credentials: {
            AccessKeyId: memberKey(account),
            SecretAccessKey: 'member-secret',
            SessionToken: 'member-session',
            Expiration: new Date(Date.now() + 900_000),
          },
          AssumedRoleUser: {
            AssumedRoleId: 'AROAEXAMPLE:tfdrift-backfill',
            Arn: `arn:aws:sts::${account}:assumed-role/tfdrift-backfill-reader/tfdrift-backfill`,
          },
        };
      });
    }

    /** History by the credentials asking: the member's deletion in us-east-1; PARTIAL refuses us-east-1. */
    const asked: { key: string; region: string }[] = [];
    function answerMemberHistory(): void {
      cloudtrail.reset();
      asked.length = 0;
      cloudtrail.on(LookupEventsCommand).callsFake(async (_input, getClient) => {
        const client = getClient();
        const region = await client.config.region();
        const { accessKeyId } = await client.config.credentials();
        asked.push({ key: accessKeyId, region });
        if (accessKeyId === memberKey(MEMBER) && region === 'us-east-1')
          return { Events: [lookupEvent(memberDelete)] };
        if (accessKeyId === memberKey(PARTIAL) && region === 'us-east-1') {
          throw Object.assign(new Error('User is not authorized to perform: cloudtrail:LookupEvents'), {
            name: 'AccessDeniedException',
          });
        }
        if (accessKeyId === 'S3RVER' && region === 'us-east-1') return { Events: [lookupEvent(suspend)] };
        return { Events: [] };
      });
    }

    async function coldBackfill(accounts: string[], externalId?: string) {
      vi.resetModules();
      Object.assign(process.env, {
        BACKFILL_MEMBER_ACCOUNTS: accounts.join(','),
        BACKFILL_MEMBER_ROLE_ARN: 'arn:aws:iam::{account}:role/tfdrift-backfill-reader',
      });
      if (externalId) process.env.BACKFILL_EXTERNAL_ID = externalId;
      else delete process.env.BACKFILL_EXTERNAL_ID;
      return import('../../lambdas/handlers/backfill.js');
    }
    afterEach(() => {
      delete process.env.BACKFILL_MEMBER_ACCOUNTS;
      delete process.env.BACKFILL_MEMBER_ROLE_ARN;
      delete process.env.BACKFILL_EXTERNAL_ID;
    });

    it('reads each member account with the credentials of the role assumed there, and counts per account', async () => {
      // Prepare
      answerRoles();
      answerMemberHistory();
      const run = await coldBackfill([MEMBER], 'acme-tfdrift-7f3a');

      // Act
      const result = await run.handler({ days: 2 });

      // Assess: the role of the member account, with the external id, for one run.
      expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
        {
          RoleArn: `arn:aws:iam::${MEMBER}:role/tfdrift-backfill-reader`,
          RoleSessionName: 'tfdrift-backfill',
          DurationSeconds: 900,
          ExternalId: 'acme-tfdrift-7f3a',
        },
      ]);
      // This account with the function's credentials, the member's with the assumed ones, each region.
      expect(asked).toEqual([
        { key: 'S3RVER', region: 'us-east-1' },
        { key: 'S3RVER', region: 'eu-west-1' },
        { key: memberKey(MEMBER), region: 'us-east-1' },
        { key: memberKey(MEMBER), region: 'eu-west-1' },
      ]);
      expect(result.accounts).toEqual([
        { account: 'this account', regions: ['us-east-1', 'eu-west-1'], events: 1, created: 1, failures: [] },
        { account: MEMBER, regions: ['us-east-1', 'eu-west-1'], events: 1, created: 1, failures: [] },
      ]);
      expect(result).toMatchObject({ events: 2, created: 2, errors: 0, summarised: true });
      const store = new DynamoDriftStore(dynamoDocumentClient(), {
        tableName: process.env.DRIFTS_TABLE ?? '',
      });
      const member = (await store.query({ limit: 50 })).items.find(
        (d) => d.event.id === memberDelete.eventID,
      );
      expect(member).toMatchObject({ backfilled: true, event: { account: MEMBER } });
      const sent = publishes();
      expect(sent).toHaveLength(1);
      expect(sent[0].Message).toContain(`(us-east-1, eu-west-1, account ${MEMBER})`);
    }, 30_000);

    it('records an account whose role is refused and a region it may not read, and still reads the rest', async () => {
      // Prepare
      answerRoles();
      answerMemberHistory();
      const run = await coldBackfill([REFUSING, PARTIAL, MEMBER]);

      // Act
      const failed = await run.handler({ days: 2 }).catch((error: unknown) => error);

      // Assess: the run ends in error naming both, after reading and summarising everything else.
      expect(failed).toBeInstanceOf(run.BackfillIncompleteError);
      const { message, result } = failed as InstanceType<typeof run.BackfillIncompleteError>;
      expect(message).toContain(
        `${REFUSING} (AssumeRole arn:aws:iam::${REFUSING}:role/tfdrift-backfill-reader: AccessDenied: User:`,
      );
      expect(message).toContain(
        `${PARTIAL} (us-east-1: CloudTrail LookupEvents in us-east-1: User is not authorized`,
      );
      expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.ExternalId)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(
        result.accounts.map((a) => [a.account, a.regions, a.events, a.created, a.failures.length]),
      ).toEqual([
        ['this account', ['us-east-1', 'eu-west-1'], 1, 1, 0],
        [REFUSING, [], 0, 0, 1],
        [PARTIAL, ['eu-west-1'], 0, 0, 1],
        [MEMBER, ['us-east-1', 'eu-west-1'], 1, 1, 0],
      ]);
      expect(asked.filter((a) => a.key === memberKey(REFUSING))).toEqual([]);
      expect(asked.filter((a) => a.key === memberKey(MEMBER))).toHaveLength(2);
      expect(result).toMatchObject({ events: 2, created: 2, summarised: true });
      expect(publishes()).toHaveLength(1);
    }, 30_000);
  });
});
