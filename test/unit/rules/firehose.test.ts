// rules/firehose.yaml: no Firehose record in the corpus; doc-shaped records
// (test/fixtures/rules/firehose/). Provider v5: id is the delivery stream ARN, found by `name`.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('firehose', 'firehose.amazonaws.com');
const ARN = 'arn:aws:firehose:us-east-1:111122223333:deliverystream/orders-to-s3';
const stream = (extra = {}) =>
  res('aws_kinesis_firehose_delivery_stream', ARN, {
    name: 'orders-to-s3',
    arn: ARN,
    tags: { env: 'prod' },
    ...extra,
  });

const cases: RuleCase[] = [
  created(
    'firehose.delivery-stream.create',
    doc.CreateDeliveryStream,
    'aws_kinesis_firehose_delivery_stream',
  ),
  deleted('firehose.delivery-stream.delete', doc.DeleteDeliveryStream, stream(), 'high'),
  modified('firehose.delivery-stream.update-destination', doc.UpdateDestination, stream(), 'medium', []),
  modified(
    'firehose.delivery-stream.encryption-start',
    doc.StartDeliveryStreamEncryption,
    stream({ server_side_encryption: [{ enabled: false, key_type: 'AWS_OWNED_CMK' }] }),
    'medium',
    {
      'server_side_encryption[0].enabled': true,
    },
  ),
  modified(
    'firehose.delivery-stream.encryption-stop',
    doc.StopDeliveryStreamEncryption,
    stream({ server_side_encryption: [{ enabled: true, key_type: 'AWS_OWNED_CMK' }] }),
    'high',
    {
      'server_side_encryption[0].enabled': false,
    },
  ),
  modified('firehose.tags.add', doc.TagDeliveryStream, stream(), 'low', { 'tags.owner': 'ops' }),
  modified('firehose.tags.remove', doc.UntagDeliveryStream, stream(), 'low', { 'tags.env': null }),
];

describe('rules/firehose.yaml', () => {
  ruleCases('rules/firehose.yaml', cases);
});
