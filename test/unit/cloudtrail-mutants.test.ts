// Finding and normalising CloudTrail records (lambdas/core/cloudtrail.ts): behaviours a mutation run
// found untested (npx stryker run --mutate lambdas/core/cloudtrail.ts). Each test checks both sides.

import { describe, expect, it } from 'vitest';
import {
  eventDuplicateKey,
  extractEach,
  extractRecords,
  isReadOnlyName,
  isTerraformUserAgent,
  normaliseRecord,
  recordProblem,
} from '../../lambdas/core/cloudtrail.js';

const good = (extra: Record<string, unknown> = {}) => ({
  eventID: 'e-1',
  eventTime: '2026-01-01T00:00:00Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'RunInstances',
  awsRegion: 'eu-west-1',
  recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice' },
  ...extra,
});

describe('extractEach', () => {
  it('finds records in a log file and names the position of a bad one', () => {
    const bad = { eventID: 'b-1', eventSource: 'ec2.amazonaws.com' };
    expect(extractEach({ Records: [good(), bad] })).toEqual([
      { record: good() },
      { error: 'Records[1]: not a CloudTrail record (eventID "b-1"): missing eventName' },
    ]);
  });

  it('names nested positions through arrays, and the prefix given', () => {
    const items = extractEach([good(), [{ Records: [{ eventName: 'X' }] }]]);
    expect(items).toEqual([
      { record: good() },
      { error: '[1][0].Records[0]: not a CloudTrail record: missing eventSource' },
    ]);
    expect(extractEach(5, 'file.json')).toEqual([
      { error: 'file.json: not a CloudTrail record: expected a JSON object, got number 5' },
    ]);
  });

  it('gives up on documents nested more than 16 deep, with one error', () => {
    let deep: unknown = good();
    for (let i = 0; i < 16; i++) deep = [deep];
    expect(extractEach(deep)).toEqual([{ record: good() }]);
    expect(extractEach([deep], 'f')).toEqual([
      {
        error: `f${'[0]'.repeat(17)}: nested too deeply to be CloudTrail input`,
      },
    ]);
  });

  it('reads nothing from a digest file, and a record that has Records too is a record', () => {
    expect(extractEach({ digestStartTime: 't', logFiles: [] })).toEqual([]);
    expect(extractEach({ digestStartTime: 't' })).toEqual([
      { error: 'not a CloudTrail record: missing eventName/eventSource' },
    ]);
    const odd = good({ Records: [] });
    expect(extractEach(odd)).toEqual([{ record: odd }]);
  });

  it('unwraps an EventBridge envelope, and says what its detail lacks', () => {
    expect(
      extractEach({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: good() }),
    ).toEqual([{ record: good() }]);
    expect(extractEach({ source: 'aws.ec2', detail: good() })).toEqual([{ record: good() }]);
    expect(extractEach({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, 'f')).toEqual([
      {
        error:
          'f: EventBridge event (detail-type "Scheduled Event") does not carry a CloudTrail record in detail: missing eventName/eventSource',
      },
    ]);
    expect(extractEach({ source: 'aws.events', detail: {} })).toEqual([
      {
        error:
          'EventBridge event does not carry a CloudTrail record in detail: missing eventName/eventSource',
      },
    ]);
    // Not an envelope: no detail-type or source beside detail.
    expect(extractEach({ detail: good() })).toEqual([
      { error: 'not a CloudTrail record: missing eventName/eventSource' },
    ]);
  });
});

describe('recordProblem', () => {
  it('says what is wrong with a value in a short, safe form', () => {
    expect(recordProblem(null)).toBe('expected a JSON object, got null');
    expect(recordProblem([1])).toBe('expected a JSON object, got an array');
    expect(recordProblem('x'.repeat(81))).toBe(`expected a JSON object, got "${'x'.repeat(80)}…"`);
    expect(recordProblem('x'.repeat(80))).toBe(`expected a JSON object, got "${'x'.repeat(80)}"`);
    expect(recordProblem({ eventSource: 's' })).toBe('missing eventName');
    expect(recordProblem({ eventName: '', eventSource: 's' })).toBe(
      'eventName must be a non-empty string, got ""',
    );
    expect(recordProblem({ eventName: 'X', eventSource: {} })).toBe(
      'eventSource must be a non-empty string, got an object',
    );
    expect(recordProblem({ eventName: 'X', eventSource: '' })).toBe(
      'eventSource must be a non-empty string, got ""',
    );
    expect(recordProblem({ eventName: 'X', eventSource: 'aws:s3' })).toBe(
      'eventSource "aws:s3" is an AWS event notification (S3/SQS/SNS/...), not a CloudTrail record',
    );
    expect(recordProblem(good())).toBeNull();
  });
});

describe('normaliseRecord', () => {
  it('an Insights record is named after the call it observes and is read-only', () => {
    const insight = {
      eventType: 'AwsCloudTrailInsight',
      eventID: 'i-1',
      insightDetails: { eventName: 'PutObject', eventSource: 's3.amazonaws.com' },
    };
    const event = normaliseRecord(insight);
    expect([event.name, event.source, event.readOnly]).toEqual(['PutObject', 's3.amazonaws.com', true]);
    const withName = normaliseRecord({ ...insight, eventName: 'PutObject', eventSource: 's3.amazonaws.com' });
    expect(withName.readOnly).toBe(false);
  });

  it('readOnly given as text decides; otherwise the verb of the name does', () => {
    expect(normaliseRecord(good({ eventName: 'GetObject', readOnly: 'FALSE' })).readOnly).toBe(false);
    expect(normaliseRecord(good({ eventName: 'PutObject', readOnly: 'True' })).readOnly).toBe(true);
    expect(normaliseRecord(good({ eventName: 'GetObject', readOnly: 'maybe' })).readOnly).toBe(true);
    expect(normaliseRecord(good({ eventName: 'PutObject', readOnly: 'maybe' })).readOnly).toBe(false);
  });

  it('fills missing fields: a stable synthetic id, the caller’s account, empty time and region', () => {
    const {
      eventID: _id,
      recipientAccountId: _acct,
      eventTime: _t,
      awsRegion: _r,
      ...bare
    } = good({
      userIdentity: { type: 'IAMUser', accountId: '444455556666', userName: 'alice' },
    });
    const a = normaliseRecord(bare);
    expect(a.id).toMatch(/^synthetic-[0-9a-f]+$/);
    expect(normaliseRecord({ ...bare }).id).toBe(a.id);
    expect(normaliseRecord({ ...bare, requestParameters: { x: 1 } }).id).not.toBe(a.id);
    expect([a.account, a.time, a.region, a.eventType]).toEqual(['444455556666', '', '', '']);
    expect(normaliseRecord({ ...bare, userIdentity: {} }).account).toBe('');
  });

  it('coerces numeric fields to text and drops empty or non-finite ones', () => {
    const event = normaliseRecord(
      good({ eventID: 42, errorCode: '', errorMessage: Number.NaN, eventVersion: 1.08 }),
    );
    expect([event.id, event.errorCode, event.errorMessage, event.eventVersion]).toEqual([
      '42',
      null,
      null,
      '1.08',
    ]);
    expect(normaliseRecord(good({ requestParameters: [1], responseElements: 'x' })).request).toBeNull();
    expect(
      normaliseRecord(good({ requestParameters: { a: 1 }, responseElements: { b: 2 } })).response,
    ).toEqual({ b: 2 });
  });
});

describe('isReadOnlyName', () => {
  it('takes a read verb only as a whole word at the start', () => {
    for (const name of [
      'GetObject',
      'Get',
      'Describe2Things',
      'ListBuckets',
      'Sign',
      'BatchGetItem',
      'GenerateDataKey',
    ])
      expect([name, isReadOnlyName(name)]).toEqual([name, true]);
    for (const name of ['Getaway', 'SignUp', 'PutObject', 'ForgetDevice', 'Listen', 'ReGet'])
      expect([name, isReadOnlyName(name)]).toEqual([name, false]);
  });
});

describe('actors', () => {
  const actorOf = (userIdentity: unknown, extra: Record<string, unknown> = {}) =>
    normaliseRecord(good({ userIdentity, ...extra })).actor;

  it('a session ARN with a role path gives the role name and session; a trailing slash names nothing', () => {
    const actor = actorOf({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/team/app-role/alice@example.com',
    });
    expect([actor.name, actor.roleArn]).toEqual([
      'alice@example.com',
      'arn:aws:iam::111122223333:role/app-role',
    ]);
    expect(actorOf({ type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/' }).name).toBeNull();
    expect(actorOf({ type: 'AssumedRole', principalId: 'AROAEXAMPLE:bob' }).name).toBe('bob');
    expect(actorOf({ type: 'AssumedRole', principalId: 'AROAEXAMPLE' }).name).toBeNull();
  });

  it('joins a user agent given as a list, keeping only its strings', () => {
    expect(
      actorOf({ type: 'IAMUser', userName: 'a' }, { userAgent: ['aws-cli/2.0', 5, 'Python/3'] }).userAgent,
    ).toBe('aws-cli/2.0 Python/3');
  });

  it('tells the channel from the user agent, console flags, source address and invoker', () => {
    const channel = (extra: Record<string, unknown>, type = 'IAMUser') =>
      actorOf({ type, userName: 'a', ...(extra.invokedBy ? { invokedBy: extra.invokedBy } : {}) }, extra)
        .channel;
    expect(channel({ userAgent: 'Terraform/1.9.0' })).toBe('terraform');
    expect(channel({ sessionCredentialFromConsole: 'true' })).toBe('console');
    expect(channel({ sessionCredentialFromConsole: 'false' })).toBe('unknown');
    expect(channel({ eventType: 'AwsConsoleAction' })).toBe('console');
    expect(channel({ userAgent: 'AWS Internal Console' })).toBe('console');
    expect(channel({ sourceIPAddress: 'lambda.amazonaws.com' })).toBe('service');
    expect(channel({ sourceIPAddress: '203.0.113.9' })).toBe('unknown');
    expect(channel({ userAgent: 'aws-cli/2.15.0 Python/3.11' })).toBe('cli');
    expect(channel({ userAgent: 'myaws-cli/2.0' })).toBe('unknown');
    expect(channel({ userAgent: 'Boto3/1.34.0 md/Botocore#1.34.0' })).toBe('sdk');
    expect(channel({ invokedBy: 'cloudformation.amazonaws.com' })).toBe('service');
  });
});

describe('eventDuplicateKey', () => {
  it('compares the request only for calls that can drift', () => {
    const a = good({ requestParameters: { size: 1 } });
    const b = good({ requestParameters: { size: 2 } });
    expect(eventDuplicateKey(a, 'e-1', true)).not.toBe(eventDuplicateKey(b, 'e-1', true));
    expect(eventDuplicateKey(a, 'e-1', false)).toBe(eventDuplicateKey(b, 'e-1', false));
    expect(eventDuplicateKey(good(), 'e-1', true)).toBe(
      eventDuplicateKey(good({ requestParameters: null }), 'e-1', true),
    );
    expect(eventDuplicateKey(good({ errorCode: 'Denied' }), 'e-1', false)).not.toBe(
      eventDuplicateKey(good(), 'e-1', false),
    );
    expect(eventDuplicateKey(good(), 'e-2', false)).not.toBe(eventDuplicateKey(good(), 'e-1', false));
  });
});

describe('more record shapes', () => {
  it('a record is a record even with digest or envelope fields beside its eventName', () => {
    const digestLike = good({ digestStartTime: 't', logFiles: [] });
    expect(extractEach(digestLike)).toEqual([{ record: digestLike }]);
    const envelopeLike = good({ source: 'aws.ec2', detail: {} });
    expect(extractEach(envelopeLike)).toEqual([{ record: envelopeLike }]);
    const sourceOnly = { eventSource: 'ec2.amazonaws.com', source: 'aws.ec2', detail: good() };
    expect(extractEach(sourceOnly)).toEqual([{ error: 'not a CloudTrail record: missing eventName' }]);
  });

  it('an envelope names its detail-type only when it is text', () => {
    expect(extractEach({ 'detail-type': 5, source: 'aws.events', detail: {} })).toEqual([
      {
        error:
          'EventBridge event does not carry a CloudTrail record in detail: missing eventName/eventSource',
      },
    ]);
  });

  it('extractRecords returns the records, or throws naming the first bad part', () => {
    expect(extractRecords([good(), { Records: [good()] }])).toEqual([good(), good()]);
    expect(() => extractRecords([good(), { eventSource: 's' }])).toThrowError(
      '[1]: not a CloudTrail record: missing eventName',
    );
    expect(() => normaliseRecord({ eventSource: 's' })).toThrowError(
      'not a CloudTrail record: missing eventName',
    );
  });

  it('insightDetails count only on an Insights record', () => {
    const notInsight = {
      eventType: 'AwsApiCall',
      insightDetails: { eventName: 'PutObject', eventSource: 's3.amazonaws.com' },
    };
    expect(recordProblem(notInsight)).toBe('missing eventName/eventSource');
    expect(recordProblem({ eventName: 5, eventSource: 's' })).toBe(
      'eventName must be a non-empty string, got number 5',
    );
  });
});

describe('more actors', () => {
  const actorOf = (userIdentity: unknown, extra: Record<string, unknown> = {}) =>
    normaliseRecord(good({ userIdentity, ...extra })).actor;

  it('an empty type is Unknown; each type takes its name from its own fields', () => {
    expect(actorOf({ type: '' }).type).toBe('Unknown');
    expect(actorOf({ type: 'IAMUser', invokedBy: 'svc.amazonaws.com' }).name).toBeNull();
    expect(actorOf({ type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::1:user/path/alice2' }).name).toBe(
      'alice',
    );
    expect(actorOf({ type: 'IAMUser', arn: 'arn:aws:iam::1:root' }).name).toBeNull();
    expect(
      actorOf({
        type: 'FederatedUser',
        arn: 'fed',
        sessionContext: { sessionIssuer: { userName: 'issuer' } },
      }).name,
    ).toBe('issuer');
    expect(
      actorOf({ type: 'AWSService', arn: 'arn:aws:iam::1:role/x', invokedBy: 'svc.amazonaws.com' }).name,
    ).toBe('svc.amazonaws.com');
    expect(actorOf({ type: 'Other', arn: 'no-slash', invokedBy: 'svc', principalId: 'p' }).name).toBe('svc');
    expect(actorOf({ type: 'Other', userName: 'u', arn: 'arn:x/y' }).name).toBe('u');
    expect(actorOf({ type: 'Other', principalId: 'p' }).name).toBe('p');
  });

  it('parses only a whole assumed-role session ARN', () => {
    expect(actorOf({ type: 'AssumedRole', arn: 'xarn:aws:sts::1:assumed-role/r/s' }).name).toBeNull();
    expect(actorOf({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s/' }).name).toBeNull();
    expect(actorOf({ type: 'AssumedRole' }).name).toBeNull();
  });

  it('an SSO role is known by the issuer’s role name', () => {
    const sso = (issuer: Record<string, unknown>) =>
      actorOf({ type: 'AssumedRole', sessionContext: { sessionIssuer: issuer } }).sso;
    expect(sso({ userName: 'AWSReservedSSO_Admin_1', arn: 'arn:aws:iam::1:role/other' })).toBe(true);
    expect(sso({ userName: 'Admin', arn: 'arn:aws:iam::1:role/AWSReservedSSO_Admin_1' })).toBe(false);
    expect(sso({ arn: 'arn:aws:iam::1:role/AWSReservedSSO_Admin_1' })).toBe(true);
  });

  it('more channels: a console flag, an AWS service, addresses and product tokens', () => {
    const channel = (userIdentity: Record<string, unknown>, extra: Record<string, unknown>) =>
      actorOf(userIdentity, extra).channel;
    const alice = { type: 'IAMUser', userName: 'a' };
    expect(channel(alice, { sessionCredentialFromConsole: true })).toBe('console');
    expect(channel({ type: 'AWSService' }, {})).toBe('service');
    expect(channel(alice, { sourceIPAddress: 'lambda.amazonaws.com.example.net' })).toBe('unknown');
    expect(channel(alice, { userAgent: 'console.ec2.amazonaws.com' })).toBe('console');
    expect(channel(alice, { userAgent: 'AWS Internal ConsoleX' })).toBe('unknown');
    expect(channel(alice, { userAgent: 'AWS-CLI/2.0' })).toBe('cli');
  });

  it('takes OpenTofu and provider tokens only with a version', () => {
    for (const ua of [
      'OpenTofu/1.6.0',
      'tofu/1.6.0',
      'terraform-provider-aws/5.31.0',
      'terraform-provider-aws/dev',
    ])
      expect([ua, isTerraformUserAgent(ua)]).toEqual([ua, true]);
    for (const ua of ['OpenTofu/x', 'tofu/x', 'terraform-provider-aws/x', 'terraform-provider-aws/devel'])
      expect([ua, isTerraformUserAgent(ua)]).toEqual([ua, false]);
  });
});

describe('envelopes and names, at the edges', () => {
  it('an envelope with a detail-type and no source is unwrapped; a record with eventName only is not one', () => {
    expect(extractEach({ 'detail-type': 'AWS API Call via CloudTrail', detail: good() })).toEqual([
      { record: good() },
    ]);
    expect(extractEach({ eventName: 'X', source: 'aws.ec2', detail: good() })).toEqual([
      { error: 'not a CloudTrail record: missing eventSource' },
    ]);
  });

  it('a user ARN that is only "/name" still names the user', () => {
    const actor = normaliseRecord(good({ userIdentity: { type: 'IAMUser', arn: '/bob' } })).actor;
    expect(actor.name).toBe('bob');
  });
});

describe('what the record says first', () => {
  it("takes a boolean readOnly flag over the event name's verb", () => {
    const record = (readOnly: unknown, eventName: string) =>
      normaliseRecord({ eventID: 'e-1', eventSource: 's3.amazonaws.com', eventName, readOnly });
    expect(record(true, 'PutBucketPolicy').readOnly).toBe(true);
    expect(record(false, 'GetBucketPolicy').readOnly).toBe(false);
    expect(record(undefined, 'GetBucketPolicy').readOnly).toBe(true);
  });

  it('names the console only from a user agent that starts with "AWS … Console"', () => {
    const channel = (userAgent: string) =>
      normaliseRecord({
        eventID: 'e-1',
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketPolicy',
        userIdentity: { type: 'IAMUser' },
        userAgent,
      }).actor.channel;
    expect(channel('AWS Internal Console')).toBe('console');
    expect(channel('my-tool (AWS Internal Console)')).toBe('unknown');
  });
});
