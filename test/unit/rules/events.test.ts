// rules/events.yaml: the corpus has PutRule (AWS CloudWatch and EventBridge guides); the rest are
// doc-shaped records (test/fixtures/rules/events/). Rule ids: `name` on the default bus, `bus|name` else.

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, findings, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('events', 'events.amazonaws.com');
const ARN = 'arn:aws:events:us-east-1:111122223333';
const putRule = corpusRecord(
  'awsdocs-amazon-eventbridge-user-guide/doc_source/eb-logging-monitoring__1.json',
);
const rule = (id: string, extra = {}) =>
  res('aws_cloudwatch_event_rule', id, {
    name: id.split('|').pop(),
    arn: `${ARN}:rule/${id}`,
    state: 'ENABLED',
    tags: { env: 'prod' },
    ...extra,
  });
const target = (id: string, arn: string) =>
  res('aws_cloudwatch_event_target', id, { arn, target_id: id.split('-').pop() });

const cases: RuleCase[] = [
  modified(
    'events.rule.put',
    putRule,
    rule('cttest2', { event_pattern: '{"source":["aws.s3"]}', description: '', schedule_expression: '' }),
    'medium',
    { event_pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] } },
    rule('cttest2', {
      event_pattern: '{"detail-type":["EC2 Instance State-change Notification"],"source":["aws.ec2"]}',
      description: '',
      schedule_expression: '',
    }),
  ),
  created('events.rule.put', putRule, 'aws_cloudwatch_event_rule', 'medium', 'rule no state holds'),
  deleted('events.rule.delete', doc.DeleteRule, rule('nightly-job')),
  modified(
    'events.rule.disable',
    doc.DisableRule,
    rule('nightly-job'),
    'medium',
    { state: false },
    rule('nightly-job', { state: 'DISABLED' }),
  ),
  modified(
    'events.rule.disable',
    doc.DisableRule,
    rule('nightly-job', { state: undefined, is_enabled: true }),
    'medium',
    { state: false },
    undefined,
    'provider v4 is_enabled',
  ),
  modified('events.rule.enable', doc.EnableRule, rule('orders|nightly-job', { state: 'DISABLED' }), 'low', {
    state: true,
  }),
  modified(
    'events.target.put',
    doc.PutTargets,
    target('nightly-job-lambda', `${ARN.replace('events', 'lambda')}:function:nightly`),
    'medium',
    {
      arn: 'arn:aws:lambda:us-east-1:111122223333:function:collector',
    },
  ),
  deleted('events.target.remove', doc.RemoveTargets, target('orders-nightly-job-lambda', 'x')),
  created('events.bus.create', doc.CreateEventBus, 'aws_cloudwatch_event_bus'),
  deleted(
    'events.bus.delete',
    doc.DeleteEventBus,
    res('aws_cloudwatch_event_bus', 'orders', { name: 'orders' }),
  ),
  modified(
    'events.bus-policy.put',
    doc.PutPermission,
    res('aws_cloudwatch_event_bus_policy', 'orders', { policy: '{}' }),
    'high',
    [],
  ),
  deleted(
    'events.bus-policy.remove',
    doc.RemovePermission,
    res('aws_cloudwatch_event_permission', 'partner'),
  ),
  created('events.archive.create', doc.CreateArchive, 'aws_cloudwatch_event_archive'),
  modified(
    'events.archive.update',
    doc.UpdateArchive,
    res('aws_cloudwatch_event_archive', 'orders', { retention_days: 30 }),
    'low',
    { retention_days: 1 },
  ),
  deleted('events.archive.delete', doc.DeleteArchive, res('aws_cloudwatch_event_archive', 'orders')),
  created('events.connection.create', doc.CreateConnection, 'aws_cloudwatch_event_connection'),
  modified(
    'events.connection.update',
    doc.UpdateConnection,
    res('aws_cloudwatch_event_connection', 'partner', { authorization_type: 'API_KEY' }),
    'medium',
    { authorization_type: 'BASIC' },
  ),
  deleted(
    'events.connection.delete',
    doc.DeleteConnection,
    res('aws_cloudwatch_event_connection', 'partner'),
  ),
  created('events.api-destination.create', doc.CreateApiDestination, 'aws_cloudwatch_event_api_destination'),
  modified(
    'events.api-destination.update',
    doc.UpdateApiDestination,
    res('aws_cloudwatch_event_api_destination', 'partner', {
      invocation_endpoint: 'https://partner.example.com/hook',
    }),
    'high',
    { invocation_endpoint: 'https://collector.example.net/hook' },
  ),
  deleted(
    'events.api-destination.delete',
    doc.DeleteApiDestination,
    res('aws_cloudwatch_event_api_destination', 'partner'),
  ),
  modified('events.tags.add', doc.TagResource, rule('nightly-job'), 'low', { 'tags.owner': 'ops' }),
  modified('events.tags.remove', doc.UntagResource, rule('nightly-job'), 'low', { 'tags.env': null }),
];

describe('rules/events.yaml', () => {
  ruleCases('rules/events.yaml', cases);

  it('judges each target of PutTargets alone', () => {
    const state = stateOf(
      target('nightly-job-lambda', 'arn:aws:lambda:us-east-1:111122223333:function:nightly'),
    );
    expect(findings(doc.PutTargetsMixed, state).map((f) => [f.kind, f.resource.id])).toEqual([
      ['unmanaged', 'nightly-job-exfil'],
    ]);
  });
});
