// The backfill's history across accounts (lambdas/adapters/aws/cloudtrail-lookup-accounts.ts) at the
// SDK boundary: STS and CloudTrail mocked with the services' answer shapes, a fake clock for the
// pacing and backoff. Each account and region is paced on its own; throttling that outlasts the
// retries, in a region or on AssumeRole, is recorded for that account and the rest is still read.

import {
  CloudTrailClient,
  type Event as LookupEvent,
  LookupEventsCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MIN_REQUEST_GAP_MS } from '../../lambdas/adapters/aws/cloudtrail-lookup.js';
import {
  type AccountsLookupOptions,
  lookupAccountsHistory,
  OWN_ACCOUNT,
} from '../../lambdas/adapters/aws/cloudtrail-lookup-accounts.js';

const sts = mockClient(STSClient);
const cloudtrail = mockClient(CloudTrailClient);
afterAll(() => {
  sts.restore();
  cloudtrail.restore();
});

const WINDOW = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-08T00:00:00Z') };
const OWN_KEY = 'AKIAOWNFUNCTIONKEY01';
const keyOf = (account: string) => `ASIA${account}`;

/** One write event as LookupEvents returns it (the record as a JSON string). */
function event(id: string, time: string, account: string): LookupEvent {
  const record = {
    eventID: id,
    eventTime: time,
    eventName: 'PutBucketVersioning',
    recipientAccountId: account,
  };
  return {
    EventId: id,
    EventName: 'PutBucketVersioning',
    ReadOnly: 'false',
    EventTime: new Date(time),
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** A fake clock the sleeps advance; every request is noted with the key and region asking. */
function clock() {
  let now = 5_000_000;
  const requests: { key: string; region: string; at: number }[] = [];
  return {
    requests,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

function options(time: ReturnType<typeof clock>, members: string[]): AccountsLookupOptions {
  return {
    window: WINDOW,
    regions: ['us-east-1', 'eu-west-1'],
    memberAccounts: members,
    memberRoleArn: (account) => `arn:aws:iam::${account}:role/tfdrift-backfill-reader`,
    sts: new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: OWN_KEY, secretAccessKey: 's' } }),
    now: time.now,
    sleep: time.sleep,
    maxAttempts: 3,
    baseDelayMs: 1000,
    cloudTrailClient: (region, credentials) =>
      new CloudTrailClient({
        region,
        credentials: credentials ?? { accessKeyId: OWN_KEY, secretAccessKey: 's' },
      }),
  };
}

beforeEach(() => {
  sts.reset();
  cloudtrail.reset();
});

describe('event history of several accounts', () => {
  it('paces each account and region on its own, and merges every account oldest first', async () => {
    // Prepare: two pages in this account's us-east-1, one event in the member's eu-west-1.
    const time = clock();
    sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => ({
      Credentials: {
        AccessKeyId: keyOf(input.RoleArn.split(':')[4]),
        SecretAccessKey: 'member-secret',
        SessionToken: 'member-session',
        Expiration: new Date('2026-01-08T00:15:00Z'),
      },
    }));
    cloudtrail.on(LookupEventsCommand).callsFake(async (input, getClient) => {
      const client = getClient();
      const region = await client.config.region();
      const { accessKeyId } = await client.config.credentials();
      time.requests.push({ key: accessKeyId, region, at: time.now() });
      if (accessKeyId === OWN_KEY && region === 'us-east-1') {
        return input.NextToken
          ? { Events: [event('own-1', '2026-01-02T10:00:00Z', '111111111111')] }
          : { Events: [event('own-3', '2026-01-04T10:00:00Z', '111111111111')], NextToken: 'p2' };
      }
      if (accessKeyId === keyOf('222222222222') && region === 'eu-west-1') {
        return { Events: [event('member-2', '2026-01-03T10:00:00Z', '222222222222')] };
      }
      return { Events: [] };
    });

    // Act
    const history = await lookupAccountsHistory(options(time, ['222222222222']));

    // Assess: oldest first across accounts, each entry labelled with its account.
    expect(history.inputs.map((i) => [i.ok && i.record.eventID, i.account, i.origin])).toEqual([
      ['own-1', OWN_ACCOUNT, 'cloudtrail:lookup us-east-1'],
      ['member-2', '222222222222', 'cloudtrail:lookup 222222222222 eu-west-1'],
      ['own-3', OWN_ACCOUNT, 'cloudtrail:lookup us-east-1'],
    ]);
    expect(history.accounts).toEqual([
      { account: OWN_ACCOUNT, regions: ['us-east-1', 'eu-west-1'], events: 2, failures: [] },
      { account: '222222222222', regions: ['us-east-1', 'eu-west-1'], events: 1, failures: [] },
    ]);
    // Two pages of one account and region are at least MIN_REQUEST_GAP_MS apart.
    const ownEast = time.requests.filter((r) => r.key === OWN_KEY && r.region === 'us-east-1');
    expect(ownEast).toHaveLength(2);
    expect(ownEast[1].at - ownEast[0].at).toBeGreaterThanOrEqual(MIN_REQUEST_GAP_MS);
    expect(time.requests.map((r) => `${r.key} ${r.region}`)).toEqual([
      `${OWN_KEY} us-east-1`,
      `${OWN_KEY} us-east-1`,
      `${OWN_KEY} eu-west-1`,
      `${keyOf('222222222222')} us-east-1`,
      `${keyOf('222222222222')} eu-west-1`,
    ]);
  });

  it('records throttling that outlasts the retries, on a region or on AssumeRole, and reads the rest', async () => {
    // Prepare: STS throttles 333's role; 222's us-east-1 history throttles every attempt.
    const time = clock();
    sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
      const account = input.RoleArn.split(':')[4];
      if (account === '333333333333') {
        throw new STSServiceException({
          name: 'Throttling',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Rate exceeded',
        });
      }
      return { Credentials: { AccessKeyId: keyOf(account), SecretAccessKey: 'x', SessionToken: 'y' } };
    });
    cloudtrail.on(LookupEventsCommand).callsFake(async (_input, getClient) => {
      const client = getClient();
      const region = await client.config.region();
      const { accessKeyId } = await client.config.credentials();
      time.requests.push({ key: accessKeyId, region, at: time.now() });
      if (accessKeyId === keyOf('222222222222') && region === 'us-east-1') {
        throw new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
      }
      return { Events: [event(`${accessKeyId}-${region}`, '2026-01-02T10:00:00Z', '0')] };
    });

    // Act
    const history = await lookupAccountsHistory(
      options(time, ['333333333333', '222222222222', '444444444444']),
    );

    // Assess
    expect(history.accounts.map((a) => [a.account, a.regions, a.events, a.failures])).toEqual([
      [OWN_ACCOUNT, ['us-east-1', 'eu-west-1'], 2, []],
      [
        '333333333333',
        [],
        0,
        ['AssumeRole arn:aws:iam::333333333333:role/tfdrift-backfill-reader: Throttling: Rate exceeded'],
      ],
      ['222222222222', ['eu-west-1'], 1, ['us-east-1: CloudTrail LookupEvents in us-east-1: Rate exceeded']],
      ['444444444444', ['us-east-1', 'eu-west-1'], 2, []],
    ]);
    // The throttled region was asked maxAttempts (3) times, then the next region and account.
    const throttled = time.requests.filter(
      (r) => r.key === keyOf('222222222222') && r.region === 'us-east-1',
    );
    expect(throttled).toHaveLength(3);
    expect(time.requests.some((r) => r.key === keyOf('333333333333'))).toBe(false);
    expect(history.inputs).toHaveLength(5);
  });
});
