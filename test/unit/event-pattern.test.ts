// The EventBridge matcher against the examples of the Amazon EventBridge user guide ("Event
// patterns", "Content filtering in Amazon EventBridge event patterns", "Comparison operators",
// "Arrays in event patterns", "Matching null values and empty strings"; awsdocs/amazon-eventbridge-
// user-guide, CC-BY-SA-4.0 / MIT-0 samples). Patterns are the documented ones; the events are the
// documented ones where the guide gives one, otherwise the smallest event the text describes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import {
  type EventPattern,
  matchesPattern,
  validatePattern,
  wildcardMatch,
} from '../../lambdas/core/event-pattern.js';

const ec2Termination = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const autoScalingLaunch = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const macieAlert = {
  version: '0',
  id: '3e355723-fca9-4de3-9fd7-154c289d6b59',
  'detail-type': 'Macie Alert',
  source: 'aws.macie',
  account: '123456789012',
  time: '2017-04-24T22:28:49Z',
  region: 'us-east-1',
  resources: [
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id',
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
  ],
  detail: {
    'notification-type': 'ALERT_CREATED',
    name: 'Scanning bucket policies',
    tags: ['Custom_Alert', 'Insider'],
    'risk-score': 80,
    trigger: { 'alert-type': 'basic', risk: 8 },
  },
};

const detail = (d: Record<string, unknown>) => ({ source: 'aws.test', detail: d });
const match = (pattern: EventPattern, event: unknown) => {
  expect(validatePattern(pattern)).toEqual([]);
  return matchesPattern(pattern, event);
};

describe('exact values, AND, OR, nesting (Event patterns page)', () => {
  it('matches the instance-termination example and not other states or sources', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    expect(match(pattern, ec2Termination)).toBe(true);
    expect(match(pattern, { ...ec2Termination, detail: { state: 'running' } })).toBe(false);
    expect(match(pattern, { ...ec2Termination, source: 'aws.fargate' })).toBe(false);
    expect(match(pattern, { ...ec2Termination, detail: undefined })).toBe(false);
  });

  it('treats the values listed for a field as alternatives', () => {
    const pattern = { source: ['aws.ec2', 'aws.fargate'] };
    expect(match(pattern, ec2Termination)).toBe(true);
    expect(match(pattern, { source: 'aws.fargate' })).toBe(true);
    expect(match(pattern, { source: 'aws.s3' })).toBe(false);
  });

  it('matches numbers by value and nested objects (Macie example: risk-score 80, trigger risk 8)', () => {
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    expect(match(pattern, macieAlert)).toBe(true);
    expect(match(pattern, { ...macieAlert, detail: { ...macieAlert.detail, 'risk-score': 79 } })).toBe(false);
    expect(match(pattern, { ...macieAlert, detail: { ...macieAlert.detail, 'risk-score': '80' } })).toBe(
      false,
    );
  });

  it('matches null and the empty string, which are not interchangeable (null values page)', () => {
    expect(match({ detail: { responseElements: [null] } }, autoScalingLaunch)).toBe(true);
    expect(match({ detail: { eventVersion: [''] } }, autoScalingLaunch)).toBe(true);
    expect(match({ detail: { eventVersion: [null] } }, autoScalingLaunch)).toBe(false);
    expect(match({ detail: { responseElements: [''] } }, autoScalingLaunch)).toBe(false);
  });

  it('matches booleans exactly', () => {
    expect(match({ detail: { readOnly: [false] } }, detail({ readOnly: false }))).toBe(true);
    expect(match({ detail: { readOnly: [false] } }, detail({ readOnly: true }))).toBe(false);
    expect(match({ detail: { readOnly: [false] } }, detail({ readOnly: 'false' }))).toBe(false);
  });
});

describe('arrays in events (Arrays page)', () => {
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  it('matches when the pattern list and the event array intersect', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(match(pattern, event)).toBe(true);
    expect(match(pattern, { resources: [event.resources[0]] })).toBe(false);
    expect(match(pattern, { resources: [] })).toBe(false);
  });

  it('matches a nested pattern against any object in an event array, within one element', () => {
    const event = detail({
      items: [
        { name: 'a', size: 1 },
        { name: 'b', size: 2 },
      ],
    });
    expect(match({ detail: { items: { name: ['b'], size: [2] } } }, event)).toBe(true);
    expect(match({ detail: { items: { name: ['a'], size: [2] } } }, event)).toBe(false);
  });
});

describe('prefix and suffix (Content filtering page)', () => {
  it('prefix matches the start of a string value', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(match(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(match(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
    expect(match({ Region: [{ prefix: 'us-' }] }, { Region: 'us-east-1' })).toBe(true);
    expect(match({ Region: [{ prefix: 'us-' }] }, { Region: 'eu-west-1' })).toBe(false);
  });

  it('prefix with equals-ignore-case matches EventB, EVENTB, eventb', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const s of ['EventBridge', 'EVENTBRIDGE', 'eventbus'])
      expect(match(pattern, detail({ service: s }))).toBe(true);
    expect(match(pattern, detail({ service: 'Event Bridge' }))).toBe(false);
  });

  it('suffix matches the end of a string value (FileName .png)', () => {
    const pattern = { FileName: [{ suffix: '.png' }] };
    expect(match(pattern, { FileName: 'image.png' })).toBe(true);
    expect(match(pattern, { FileName: 'image.PNG' })).toBe(false);
    expect(match(pattern, { FileName: 'image.png.txt' })).toBe(false);
  });

  it('suffix with equals-ignore-case also matches .PNG', () => {
    const pattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(match(pattern, detail({ FileName: 'photo.PNG' }))).toBe(true);
    expect(match(pattern, detail({ FileName: 'photo.jpg' }))).toBe(false);
  });

  it('prefix and suffix never match non-strings', () => {
    expect(match({ n: [{ prefix: '1' }] }, { n: 123 })).toBe(false);
    expect(match({ n: [{ suffix: '3' }] }, { n: 123 })).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches "alice" whatever the case (Comparison operators: Name is Alice)', () => {
    const pattern = { Name: [{ 'equals-ignore-case': 'alice' }] };
    expect(match(pattern, { Name: 'Alice' })).toBe(true);
    expect(match(pattern, { Name: 'ALICE' })).toBe(true);
    expect(match(pattern, { Name: 'Alicia' })).toBe(false);
  });
});

describe('anything-but (Content filtering page)', () => {
  it('with a string', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(match(pattern, detail({ state: 'running' }))).toBe(true);
    expect(match(pattern, detail({ state: 'initializing' }))).toBe(false);
    // The field must be present: anything-but does not match absence.
    expect(match(pattern, detail({}))).toBe(false);
  });

  it('with a number', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(match(pattern, detail({ 'x-limit': 124 }))).toBe(true);
    expect(match(pattern, detail({ 'x-limit': 123 }))).toBe(false);
  });

  it('with a list of strings', () => {
    const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(match(pattern, detail({ state: 'running' }))).toBe(true);
    expect(match(pattern, detail({ state: 'stopped' }))).toBe(false);
    expect(match(pattern, detail({ state: 'overloaded' }))).toBe(false);
  });

  it('with a list of numbers', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(match(pattern, detail({ 'x-limit': 150 }))).toBe(true);
    expect(match(pattern, detail({ 'x-limit': 200 }))).toBe(false);
  });

  it('with a prefix (state not starting with "init"; Region not in the US)', () => {
    const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(match(pattern, detail({ state: 'running' }))).toBe(true);
    expect(match(pattern, detail({ state: 'initializing' }))).toBe(false);
    const region = { Region: [{ 'anything-but': { prefix: 'us-' } }] };
    expect(match(region, { Region: 'eu-west-1' })).toBe(true);
    expect(match(region, { Region: 'us-east-1' })).toBe(false);
  });

  it('with a suffix (FileName not ending in .png)', () => {
    const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(match(pattern, { FileName: 'notes.txt' })).toBe(true);
    expect(match(pattern, { FileName: 'image.png' })).toBe(false);
  });

  it('with equals-ignore-case (not "initializing" in any casing)', () => {
    const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(match(pattern, { state: 'running' })).toBe(true);
    expect(match(pattern, { state: 'INITIALIZING' })).toBe(false);
    const list = { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped', 'overloaded'] } }] };
    expect(match(list, { state: 'Stopped' })).toBe(false);
    expect(match(list, { state: 'pending' })).toBe(true);
  });

  it('with a wildcard (FilePath not including /lib/)', () => {
    const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(match(pattern, { FilePath: '/usr/bin/env' })).toBe(true);
    expect(match(pattern, { FilePath: '/usr/lib/libc.so' })).toBe(false);
  });
});

describe('numeric (Content filtering page)', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };
  it('matches only when every field is in its range', () => {
    expect(match(pattern, detail({ 'c-count': 5, 'd-count': 9.5, 'x-limit': 301.8 }))).toBe(true);
    expect(match(pattern, detail({ 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 }))).toBe(false);
    expect(match(pattern, detail({ 'c-count': 6, 'd-count': 9, 'x-limit': 301.8 }))).toBe(false);
    expect(match(pattern, detail({ 'c-count': 1, 'd-count': 10, 'x-limit': 301.8 }))).toBe(false);
    expect(match(pattern, detail({ 'c-count': 1, 'd-count': 1, 'x-limit': 302 }))).toBe(false);
  });

  it('does not match numbers written as strings', () => {
    expect(match({ Price: [{ numeric: ['=', 100] }] }, { Price: 100 })).toBe(true);
    expect(match({ Price: [{ numeric: ['=', 100] }] }, { Price: '100' })).toBe(false);
    expect(match({ Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 })).toBe(true);
    expect(match({ Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 10 })).toBe(false);
  });
});

describe('cidr (IP address matching)', () => {
  it('matches 10.0.0.0/24 and nothing outside it', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(match(pattern, detail({ sourceIPAddress: '10.0.0.255' }))).toBe(true);
    expect(match(pattern, detail({ sourceIPAddress: '10.0.0.0' }))).toBe(true);
    expect(match(pattern, detail({ sourceIPAddress: '10.0.1.0' }))).toBe(false);
    expect(match(pattern, detail({ sourceIPAddress: 'AWS Internal' }))).toBe(false);
    expect(match(pattern, detail({ sourceIPAddress: 'ec2.amazonaws.com' }))).toBe(false);
  });

  it('matches IPv6 blocks (incl. compressed and IPv4-embedded forms)', () => {
    const pattern = { sourceIPAddress: [{ cidr: '2001:db8::/32' }] };
    expect(match(pattern, { sourceIPAddress: '2001:db8:85a3::8a2e:370:7334' })).toBe(true);
    expect(match(pattern, { sourceIPAddress: '2001:db9::1' })).toBe(false);
    expect(match(pattern, { sourceIPAddress: '10.0.0.1' })).toBe(false);
    expect(match({ ip: [{ cidr: '::ffff:10.0.0.0/120' }] }, { ip: '::ffff:10.0.0.7' })).toBe(true);
    expect(match({ ip: [{ cidr: '10.1.0.0/16' }] }, { ip: '10.1.200.3' })).toBe(true);
    expect(match({ ip: [{ cidr: '10.1.0.0/15' }] }, { ip: '10.0.200.3' })).toBe(true);
    expect(match({ ip: [{ cidr: '10.1.0.0/15' }] }, { ip: '10.2.0.1' })).toBe(false);
  });
});

describe('exists (Exists matching)', () => {
  const stateEvent = {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '123456789012',
    time: '2015-11-11T21:29:54Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
    detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
  };
  const noState = {
    'detail-type': ['EC2 Instance State-change Notification'],
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
    detail: { 'c-count': { c1: 100 } },
  };
  it('exists: true needs the leaf field', () => {
    const pattern = { detail: { state: [{ exists: true }] } };
    expect(match(pattern, stateEvent)).toBe(true);
    expect(match(pattern, noState)).toBe(false);
  });
  it('exists: false needs it absent (ProductName does not exist); works only on leaves', () => {
    const pattern = { detail: { state: [{ exists: false }] } };
    expect(match(pattern, noState)).toBe(true);
    expect(match(pattern, stateEvent)).toBe(false);
    expect(match(pattern, { source: 'no detail at all' })).toBe(true);
    // An intermediate node is not a leaf: exists: true does not see it.
    expect(match({ detail: { 'c-count': [{ exists: true }] } }, noState)).toBe(false);
  });
  it('the generated CloudTrail pattern drops failed calls with errorCode exists:false', () => {
    const pattern = { detail: { errorCode: [{ exists: false }] } };
    expect(match(pattern, detail({ eventName: 'RunInstances' }))).toBe(true);
    expect(match(pattern, detail({ eventName: 'RunInstances', errorCode: 'AccessDenied' }))).toBe(false);
  });
});

describe('wildcard', () => {
  it('matches * across any characters (EventBusArn example)', () => {
    const pattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expect(match(pattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' })).toBe(
      true,
    );
    expect(match(pattern, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' })).toBe(
      false,
    );
  });
  it('dir/*.png matches files below dir and nothing else', () => {
    const pattern = { FileName: [{ wildcard: 'dir/*.png' }] };
    expect(match(pattern, { FileName: 'dir/image.png' })).toBe(true);
    expect(match(pattern, { FileName: 'dir/sub/image.png' })).toBe(true);
    expect(match(pattern, { FileName: 'dir/image.jpg' })).toBe(false);
    expect(match(pattern, { FileName: 'other/image.png' })).toBe(false);
  });
  it('escapes: \\* is a literal star', () => {
    expect(wildcardMatch('a\\*b', 'a*b')).toBe(true);
    expect(wildcardMatch('a\\*b', 'axb')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('a*a', 'a')).toBe(false);
    expect(wildcardMatch('a*b*c', 'aXbYc')).toBe(true);
    expect(wildcardMatch('a*b*c', 'aXcYb')).toBe(false);
  });
});

describe('$or', () => {
  it('matches when any alternative does (numeric $or example)', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(match(pattern, detail({ 'c-count': 3 }))).toBe(true);
    expect(match(pattern, detail({ 'd-count': 1 }))).toBe(true);
    expect(match(pattern, detail({ 'x-limit': 301.8 }))).toBe(true);
    expect(match(pattern, detail({ 'c-count': 9, 'd-count': 99 }))).toBe(false);
  });
  it('combines with sibling fields (source AND (metricName OR namespace))', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(match(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(match(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(match(pattern, { source: 'aws.cloudwatch', metricName: 'DiskIO', namespace: 'AWS/RDS' })).toBe(
      false,
    );
    expect(match(pattern, { source: 'aws.ec2', metricName: 'ReadLatency' })).toBe(false);
  });
});

describe('a real CloudTrail envelope (cloud-custodian test data, Apache-2.0)', () => {
  const envelope = JSON.parse(
    readFileSync(
      join(
        import.meta.dirname,
        '../fixtures/cloudtrail/cloud-custodian-event-cloud-trail-create-bucket.json',
      ),
      'utf8',
    ),
  );
  it('the shape of the generated rule patterns matches it and rejects other calls', () => {
    const record = normaliseRecord(envelope.detail);
    const pattern = {
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: [record.source], eventName: [record.name], errorCode: [{ exists: false }] },
    };
    expect(match(pattern, envelope)).toBe(true);
    expect(match({ ...pattern, detail: { ...pattern.detail, eventName: ['DeleteBucket'] } }, envelope)).toBe(
      false,
    );
  });
});

describe('validatePattern', () => {
  it('accepts every documented form', () => {
    expect(
      validatePattern({
        source: ['aws.ec2', 1, true, null],
        detail: {
          a: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'x' } }, { suffix: 'y' }],
          b: [
            { 'anything-but': ['a', 'b'] },
            { 'anything-but': { wildcard: ['*x*'] } },
            { 'anything-but': 3 },
          ],
          c: [
            { numeric: ['>=', 0, '<', 10] },
            { exists: false },
            { cidr: '10.0.0.0/8' },
            { 'equals-ignore-case': 'q' },
          ],
          $or: [{ d: ['1'] }, { e: [{ wildcard: 'a*b' }] }],
        },
      }),
    ).toEqual([]);
  });

  it('names each problem and where it is', () => {
    expect(validatePattern([])).toEqual(['pattern must be a JSON object']);
    expect(validatePattern({})).toEqual(['pattern: empty objects are not allowed']);
    expect(validatePattern({ source: 'aws.ec2' })).toEqual([
      'source: must be an array of values or a nested object, got string "aws.ec2"',
    ]);
    expect(validatePattern({ source: [] })).toEqual(['source: empty arrays are not allowed']);
    expect(validatePattern({ detail: { x: [{ contains: 'a' }] } })).toEqual([
      'detail.x[0]: unknown operator "contains"',
    ]);
    expect(validatePattern({ x: [{ prefix: 'a', suffix: 'b' }] })).toEqual([
      'x[0]: an operator object must have exactly one key, got 2',
    ]);
    expect(validatePattern({ x: [{ numeric: ['<', 10, '>', 0] }] })[0]).toMatch(/lower bound/);
    expect(validatePattern({ x: [{ numeric: ['>', 10, '<', 0] }] })[0]).toMatch(/below its upper bound/);
    expect(validatePattern({ x: [{ numeric: ['~', 1] }] })[0]).toMatch(/is not one of/);
    expect(validatePattern({ x: [{ numeric: ['>', '1'] }] })[0]).toMatch(/must be a number/);
    expect(validatePattern({ x: [{ cidr: '10.0.0.0' }] })[0]).toMatch(/CIDR/);
    expect(validatePattern({ x: [{ cidr: '10.0.0.300/8' }] })[0]).toMatch(/CIDR/);
    expect(validatePattern({ x: [{ exists: 'yes' }] })[0]).toMatch(/true or false/);
    expect(validatePattern({ x: [{ wildcard: 'a**b' }] })[0]).toMatch(/consecutive/);
    expect(validatePattern({ x: [{ 'anything-but': ['a', 1] }] })[0]).toMatch(/only strings or only numbers/);
    expect(validatePattern({ x: [{ 'anything-but': { prefix: ['a', 'b'] } }] })[0]).toMatch(/single string/);
    expect(validatePattern({ $or: [{ a: ['1'] }] })).toEqual([
      '$or: must be an array of at least two patterns',
    ]);
  });

  it('an invalid part matches nothing rather than throwing', () => {
    expect(matchesPattern({ x: [{ contains: 'a' }] }, { x: 'abc' })).toBe(false);
    expect(matchesPattern({ x: [{ numeric: ['>'] }] }, { x: 1 })).toBe(false);
    expect(matchesPattern({ x: [{ cidr: 'nonsense' }] }, { x: '10.0.0.1' })).toBe(false);
  });
});
