// rules/logs.yaml: the corpus has only CreateExportTask/CreateLogStream (not drift, see
// rules/not-drift/logs.yaml), so every rule runs on doc-shaped records (test/fixtures/rules/logs/).

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, run, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('logs', 'logs.amazonaws.com');
const LG = '/aws/lambda/orders';
const group = (extra = {}) =>
  res('aws_cloudwatch_log_group', LG, {
    name: LG,
    arn: `arn:aws:logs:us-east-1:111122223333:log-group:${LG}`,
    retention_in_days: 30,
    kms_key_id: '',
    tags: { env: 'prod' },
    ...extra,
  });
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const cases: RuleCase[] = [
  created('logs.log-group.create', doc.CreateLogGroup, 'aws_cloudwatch_log_group'),
  deleted('logs.log-group.delete', doc.DeleteLogGroup, group(), 'high'),
  modified(
    'logs.log-group.retention',
    doc.PutRetentionPolicy,
    group(),
    'medium',
    { retention_in_days: 1 },
    group({ retention_in_days: 1 }),
  ),
  modified(
    'logs.log-group.retention-delete',
    doc.DeleteRetentionPolicy,
    group(),
    'low',
    { retention_in_days: 0 },
    group({ retention_in_days: 0 }),
  ),
  modified('logs.log-group.kms', doc.AssociateKmsKey, group(), 'medium', { kms_key_id: KEY }),
  modified(
    'logs.log-group.kms-remove',
    doc.DisassociateKmsKey,
    group({ kms_key_id: KEY }),
    'high',
    { kms_key_id: '' },
    group(),
  ),
  deleted(
    'logs.log-stream.delete',
    doc.DeleteLogStream,
    res('aws_cloudwatch_log_stream', 'audit-stream', { log_group_name: '/app/audit' }),
  ),
  modified(
    'logs.metric-filter.put',
    doc.PutMetricFilter,
    res('aws_cloudwatch_log_metric_filter', 'root-login', {
      log_group_name: 'cloudtrail',
      pattern: '{ $.userIdentity.type = "Root" }',
    }),
    'low',
    {
      pattern: '{ $.userIdentity.type = "Nobody" }',
    },
  ),
  deleted(
    'logs.metric-filter.delete',
    doc.DeleteMetricFilter,
    res('aws_cloudwatch_log_metric_filter', 'root-login'),
    'high',
  ),
  modified(
    'logs.subscription-filter.put',
    doc.PutSubscriptionFilter,
    res('aws_cloudwatch_log_subscription_filter', 'cwlsf-1234567890', {
      name: 'to-siem',
      destination_arn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/siem',
      filter_pattern: '',
    }),
    'medium',
    { destination_arn: 'arn:aws:logs:us-east-1:444455556666:destination:elsewhere' },
  ),
  deleted(
    'logs.subscription-filter.delete',
    doc.DeleteSubscriptionFilter,
    res('aws_cloudwatch_log_subscription_filter', 'cwlsf-1234567890', { name: 'to-siem' }),
    'high',
  ),
  modified(
    'logs.resource-policy.put',
    doc.PutResourcePolicy,
    res('aws_cloudwatch_log_resource_policy', 'route53-query-logs', {
      policy_document: '{"Version":"2012-10-17","Statement":[]}',
    }),
    'high',
    { policy_document: { Statement: [{ Action: ['logs:PutLogEvents'], Principal: { AWS: ['*'] } }] } },
  ),
  deleted(
    'logs.resource-policy.delete',
    doc.DeleteResourcePolicy,
    res('aws_cloudwatch_log_resource_policy', 'route53-query-logs'),
  ),
  modified(
    'logs.destination.put',
    doc.PutDestination,
    res('aws_cloudwatch_log_destination', 'central', {
      target_arn: 'arn:aws:kinesis:us-east-1:111122223333:stream/central',
      role_arn: 'arn:aws:iam::111122223333:role/cwl',
    }),
    'low',
    {
      target_arn: 'arn:aws:kinesis:us-east-1:111122223333:stream/other',
    },
  ),
  deleted('logs.destination.delete', doc.DeleteDestination, res('aws_cloudwatch_log_destination', 'central')),
  modified(
    'logs.destination-policy.put',
    doc.PutDestinationPolicy,
    res('aws_cloudwatch_log_destination_policy', 'central', {
      access_policy: '{"Version":"2012-10-17","Statement":[]}',
    }),
    'medium',
    {
      access_policy: {
        Statement: [{ Action: ['logs:PutSubscriptionFilter'], Principal: { AWS: ['444455556666'] } }],
      },
    },
  ),
  modified(
    'logs.data-protection.put',
    doc.PutDataProtectionPolicy,
    res('aws_cloudwatch_log_data_protection_policy', LG, { log_group_name: LG, policy_document: '{}' }),
    'medium',
    { policy_document: { Name: 'p', Statement: [] } },
  ),
  deleted(
    'logs.data-protection.delete',
    doc.DeleteDataProtectionPolicy,
    res('aws_cloudwatch_log_data_protection_policy', LG, { log_group_name: LG }),
    'high',
  ),
  modified('logs.tags.add-legacy', doc.TagLogGroup, group(), 'low', { 'tags.team': 'ops' }),
  modified('logs.tags.remove-legacy', doc.UntagLogGroup, group(), 'low', { 'tags.env': null }),
  modified('logs.tags.add', doc.TagResource, group(), 'low', { 'tags.team': 'ops' }),
  modified('logs.tags.remove', doc.UntagResource, group(), 'low', { 'tags.env': null }),
];

describe('rules/logs.yaml', () => {
  ruleCases('rules/logs.yaml', cases);

  it('treats log streams written by services and export tasks as not drift', () => {
    const stream = corpusRecord('panther-analysis/rules/aws_cloudtrail_rules/aws_unused_region__3.json');
    const exportTask = corpusRecord(
      'awsdocs-amazon-cloudwatch-logs-user-guide/doc_source/logging_cw_api_calls_cwl__1.json',
    );
    for (const record of [stream, exportTask])
      expect(run(record, stateOf(group())).outcome).toMatchObject({ result: 'ignored', reason: 'no-rule' });
  });
});
