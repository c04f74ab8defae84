// rules/kinesis.yaml: the Kinesis Data Streams guide's records (corpus) for create/delete/reshard,
// doc-shaped records (test/fixtures/rules/kinesis/) for the rest. Provider v5: id is the stream ARN.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('kinesis', 'kinesis.amazonaws.com');
const guide = (n: number) =>
  corpusRecord(
    `awsdocs-amazon-kinesis-data-streams-developer-guide/doc_source/logging-using-cloudtrail__${n}.json`,
  );
const ARN = 'arn:aws:kinesis:us-east-1:111122223333:stream';
const stream = (name: string, extra = {}) =>
  res('aws_kinesis_stream', `${ARN}/${name}`, {
    name,
    arn: `${ARN}/${name}`,
    shard_count: 4,
    retention_period: 168,
    encryption_type: 'KMS',
    shard_level_metrics: ['IncomingBytes', 'ALL'],
    tags: { env: 'prod' },
    ...extra,
  });
const S = 'orders-stream';

const cases: RuleCase[] = [
  created('kinesis.stream.create', guide(1), 'aws_kinesis_stream'),
  deleted('kinesis.stream.delete', guide(4), stream('GoodStream'), 'high'),
  modified(
    'kinesis.stream.shard-count',
    doc.UpdateShardCount,
    stream(S),
    'medium',
    { shard_count: 8 },
    stream(S, { shard_count: 8 }),
  ),
  modified('kinesis.stream.reshard', guide(5), stream('GoodStream'), 'low', []),
  { ...modified('kinesis.stream.reshard', guide(6), stream('GoodStream'), 'low', []), label: 'merge' },
  modified('kinesis.stream.retention', doc.DecreaseStreamRetentionPeriod, stream(S), 'medium', {
    retention_period: 24,
  }),
  modified(
    'kinesis.stream.encryption-start',
    doc.StartStreamEncryption,
    stream(S, { encryption_type: 'NONE', kms_key_id: '' }),
    'medium',
    {
      encryption_type: 'KMS',
      kms_key_id: 'alias/aws/kinesis',
    },
  ),
  modified(
    'kinesis.stream.encryption-stop',
    doc.StopStreamEncryption,
    stream(S),
    'high',
    { encryption_type: 'NONE' },
    stream(S, { encryption_type: 'NONE' }),
  ),
  modified(
    'kinesis.stream.mode',
    doc.UpdateStreamMode,
    stream(S, { stream_mode_details: [{ stream_mode: 'PROVISIONED' }] }),
    'medium',
    { 'stream_mode_details[0].stream_mode': 'ON_DEMAND' },
  ),
  modified(
    'kinesis.stream.monitoring-enable',
    doc.EnableEnhancedMonitoring,
    stream(S, { shard_level_metrics: [] }),
    'low',
    { shard_level_metrics: ['IncomingBytes'] },
    stream(S),
  ),
  modified('kinesis.stream.monitoring-disable', doc.DisableEnhancedMonitoring, stream(S), 'low', {
    shard_level_metrics: ['IncomingBytes'],
  }),
  created('kinesis.consumer.register', doc.RegisterStreamConsumer, 'aws_kinesis_stream_consumer'),
  deleted(
    'kinesis.consumer.deregister',
    doc.DeregisterStreamConsumer,
    res('aws_kinesis_stream_consumer', `${ARN}/${S}/consumer/analytics:1600000000`, {
      arn: `${ARN}/${S}/consumer/analytics:1600000000`,
    }),
  ),
  modified(
    'kinesis.resource-policy.put',
    doc.PutResourcePolicy,
    res('aws_kinesis_resource_policy', `${ARN}/${S}`, { policy: '{"Version":"2012-10-17","Statement":[]}' }),
    'critical',
    { policy: { Statement: [{ Action: ['kinesis:GetRecords'], Principal: { AWS: ['*'] } }] } },
  ),
  deleted(
    'kinesis.resource-policy.delete',
    doc.DeleteResourcePolicy,
    res('aws_kinesis_resource_policy', `${ARN}/${S}`),
  ),
  modified('kinesis.tags.add', doc.AddTagsToStream, stream(S), 'low', { 'tags.owner': 'ops' }),
  modified('kinesis.tags.remove', doc.RemoveTagsFromStream, stream(S), 'low', { 'tags.env': null }),
];

describe('rules/kinesis.yaml', () => {
  ruleCases('rules/kinesis.yaml', cases);
});
