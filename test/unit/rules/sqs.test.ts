// rules/sqs.yaml: the AWS SQS guide's records (corpus) cover every call but tagging; a streamalert
// record gives the public-policy case. aws_sqs_queue.id is the queue URL.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('sqs', 'sqs.amazonaws.com');
const guide = (n: number) =>
  corpusRecord(`awsdocs-amazon-sqs-developer-guide/doc_source/sqs-logging-using-cloudtrail__${n}.json`);
const GUIDE_Q = 'https://sqs.us-east-2.amazon.com/123456789012/MyQueue';
const Q = 'https://sqs.us-east-1.amazonaws.com/111122223333/jobs';
const queue = (url: string, extra = {}) =>
  res('aws_sqs_queue', url, {
    url,
    name: url.split('/').pop(),
    visibility_timeout_seconds: 30,
    tags: { env: 'prod' },
    ...extra,
  });
const tmpPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789123:root' },
      Action: 'SQS:SendMessage',
      Resource: 'arn:aws:sqs:us-east-1:123456789123:tmp',
    },
  ],
});

const cases: RuleCase[] = [
  modified(
    'sqs.queue.set-attributes',
    guide(5),
    queue(GUIDE_Q),
    'medium',
    { visibility_timeout_seconds: 100 },
    queue(GUIDE_Q, { visibility_timeout_seconds: 100 }),
  ),
  modified(
    'sqs.queue.set-attributes',
    corpusRecord('streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__5.json'),
    queue('https://sqs.us-east-1.amazonaws.com/123456789123/tmp', { policy: tmpPolicy }),
    'critical',
    { policy: { Statement: [{ Action: ['SQS:SendMessage'], Principal: { AWS: ['*'] } }] } },
    undefined,
    'made public',
  ),
  modified(
    'sqs.queue.set-attributes',
    doc.SetQueueAttributesMany,
    queue(Q, {
      message_retention_seconds: 345600,
      kms_master_key_id: 'alias/aws/sqs',
      redrive_policy:
        '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111122223333:jobs-dlq","maxReceiveCount":3}',
    }),
    'medium',
    {
      message_retention_seconds: 60,
      kms_master_key_id: '',
      redrive_policy: {
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:111122223333:jobs-dlq',
        maxReceiveCount: 10,
      },
    },
    undefined,
    'retention, encryption, redrive',
  ),
  created('sqs.queue.create', guide(2), 'aws_sqs_queue'),
  deleted('sqs.queue.delete', guide(3), queue(GUIDE_Q), 'high'),
  modified('sqs.queue.add-permission', guide(1), queue(GUIDE_Q), 'medium', []),
  modified(
    'sqs.queue.remove-permission',
    guide(4),
    res('aws_sqs_queue_policy', GUIDE_Q, { queue_url: GUIDE_Q, policy: tmpPolicy }),
    'medium',
    [],
    undefined,
    'split aws_sqs_queue_policy',
  ),
  modified('sqs.tags.add', doc.TagQueue, queue(Q), 'low', { 'tags.owner': 'bob' }),
  modified('sqs.tags.remove', doc.UntagQueue, queue(Q), 'low', { 'tags.env': null }),
];

describe('rules/sqs.yaml', () => {
  ruleCases('rules/sqs.yaml', cases);
});
