// rules/sns.yaml: corpus records (AWS SNS guide, streamalert) where the corpus has the call,
// doc-shaped records (test/fixtures/rules/sns/) otherwise.

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, findings, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('sns', 'sns.amazonaws.com');
const streamalert = (n: number) =>
  corpusRecord(`streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__${n}.json`);
const guide = (n: number) =>
  corpusRecord(`awsdocs-amazon-sns-developer-guide/doc_source/sns-logging-using-cloudtrail__${n}.json`);
const T = 'arn:aws:sns:us-east-1:111122223333:alerts';
const SUB = `${T}:0b6941c5-2b2c-4b3e-9c8a-EXAMPLE1`;
const topic = (arn: string, extra = {}) =>
  res('aws_sns_topic', arn, { arn, name: arn.split(':').pop(), tags: {}, ...extra });
const ownerOnly = (arn: string) =>
  JSON.stringify({
    Version: '2008-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789123:root' },
        Action: 'SNS:Publish',
        Resource: arn,
      },
    ],
  });
const subscription = (extra = {}) =>
  res('aws_sns_topic_subscription', SUB, { arn: SUB, topic_arn: T, ...extra });

const cases: RuleCase[] = [
  modified(
    'sns.topic.policy',
    streamalert(7),
    topic('arn:aws:sns:us-east-1:123456789123:test', { policy: ownerOnly('x') }),
    'critical',
    {
      policy: {
        Id: '__default_policy_ID',
        Statement: [
          { Sid: '__default_statement_ID', Principal: { AWS: ['*'] } },
          { Sid: '__console_pub_0', Principal: { AWS: ['*'] } },
          { Sid: '__console_sub_0', Principal: { AWS: ['*'] } },
        ],
      },
    },
    undefined,
    'public, topic',
  ),
  modified(
    'sns.topic.policy',
    streamalert(6),
    res('aws_sns_topic_policy', 'arn:aws:sns:us-east-1:123456789123:test', {
      arn: 'arn:aws:sns:us-east-1:123456789123:test',
      policy: ownerOnly('x'),
    }),
    'critical',
    {
      policy: {
        Id: '__default_policy_ID',
        Statement: [{ Sid: '__default_statement_ID', Principal: { AWS: ['*'] } }],
      },
    },
    undefined,
    'public, split aws_sns_topic_policy',
  ),
  modified(
    'sns.topic.kms-master-key-id',
    doc.SetKms,
    topic(T, { kms_master_key_id: 'alias/aws/sns' }),
    'high',
    { kms_master_key_id: '' },
  ),
  modified(
    'sns.topic.display-name',
    doc.SetDisplayName,
    topic(T, { display_name: 'Alerts' }),
    'low',
    { display_name: 'Alerts!' },
    topic(T, { display_name: 'Alerts!' }),
  ),
  modified('sns.topic.delivery-policy', doc.SetDeliveryPolicy, topic(T, { delivery_policy: '' }), 'low', {
    delivery_policy: { http: { defaultHealthyRetryPolicy: { numRetries: 0 } } },
  }),
  modified(
    'sns.topic.tracing-config',
    doc.SetTracingConfig,
    topic(T, { tracing_config: 'PassThrough' }),
    'low',
    { tracing_config: 'Active' },
  ),
  modified(
    'sns.topic.signature-version',
    doc.SetSignatureVersion,
    topic(T, { signature_version: 2 }),
    'low',
    { signature_version: 1 },
  ),
  modified(
    'sns.topic.content-based-deduplication',
    doc.SetContentBasedDeduplication,
    topic(`${T}.fifo`, { content_based_deduplication: false }),
    'low',
    {
      content_based_deduplication: true,
    },
  ),
  created('sns.topic.create', guide(2), 'aws_sns_topic'),
  created('sns.topic.create', streamalert(8), 'aws_sns_topic', 'high', 'created public'),
  deleted('sns.topic.delete', guide(3), topic('arn:aws:sns:us-west-2:123456789012:hello-topic'), 'high'),
  modified('sns.topic.add-permission', doc.AddPermission, topic(T), 'critical', []),
  modified('sns.topic.remove-permission', doc.RemovePermission, topic(T), 'medium', []),
  created('sns.subscription.create', doc.Subscribe, 'aws_sns_topic_subscription', 'medium'),
  deleted('sns.subscription.delete', doc.Unsubscribe, subscription()),
  modified(
    'sns.subscription.set-attributes',
    doc.SetFilterPolicy,
    subscription({ filter_policy: '{"severity": ["critical", "high"]}' }),
    'low',
    {
      filter_policy: { severity: ['critical'] },
    },
  ),
  modified(
    'sns.subscription.raw-delivery',
    doc.SetRawDelivery,
    subscription({ raw_message_delivery: false }),
    'low',
    { raw_message_delivery: true },
  ),
  modified(
    'sns.data-protection-policy.put',
    doc.PutDataProtectionPolicy,
    res('aws_sns_topic_data_protection_policy', T, { arn: T, policy: '' }),
    'medium',
    { policy: { Name: 'p', Statement: [] } },
  ),
  modified('sns.tags.add', doc.TagResource, topic(T), 'low', { 'tags.team': 'sec' }),
  modified('sns.tags.remove', doc.UntagResource, topic(T, { tags: { team: 'x' } }), 'low', {
    'tags.team': null,
  }),
];

describe('rules/sns.yaml', () => {
  ruleCases('rules/sns.yaml', cases);

  it('reports a policy change once when the topic and its split policy are both in state', () => {
    const arn = 'arn:aws:sns:us-east-1:123456789123:test';
    const state = stateOf(
      topic(arn, { policy: ownerOnly('x') }),
      res('aws_sns_topic_policy', arn, { arn, policy: ownerOnly('x') }),
    );
    expect(findings(streamalert(7), state).map((f) => f.resource.type)).toEqual(['aws_sns_topic_policy']);
  });
});
