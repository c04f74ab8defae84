// rules/sqs.yaml: the AWS SQS guide's records (corpus) cover every call but tagging; a streamalert
// record gives the public-policy case. aws_sqs_queue.id is the queue URL.

import { describe, expect, it } from 'vitest';
import { NORMALISERS } from '../../../lambdas/core/values.js';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, findings, stateOf } from './harness.js';
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

const TMP_Q = 'https://sqs.us-east-1.amazonaws.com/123456789123/tmp';
const FIFO_Q = 'https://sqs.us-east-1.amazonaws.com/111122223333/jobs.fifo';
const queuePolicy = (url: string, policy: string) =>
  res('aws_sqs_queue_policy', url, { queue_url: url, policy });
/** The policy the doc-shaped SetQueueAttributes call sets, as text (the state keeps it so). */
const jobsPolicy = (
  doc.SetQueueAttributesPolicyAndTimeout.requestParameters as { attributes: { Policy: string } }
).attributes.Policy;
const NORMALISED_JOBS_POLICY = {
  Statement: [
    {
      Action: ['sqs:SendMessage'],
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::444455556666:root'] },
      Resource: ['arn:aws:sqs:us-east-1:111122223333:jobs'],
      Sid: 'jobs-from-orders',
    },
  ],
  Version: '2012-10-17',
};

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
    'sqs.queue.set-policy',
    corpusRecord('streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__5.json'),
    queue(TMP_Q, { policy: tmpPolicy }),
    'critical',
    { policy: { Statement: [{ Action: ['SQS:SendMessage'], Principal: { AWS: ['*'] } }] } },
    undefined,
    'made public, no split policy: the queue inline policy',
  ),
  {
    rule: 'sqs.queue.set-policy',
    label: 'made public, split aws_sqs_queue_policy in state: it is named, not the queue',
    record: corpusRecord('streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__5.json'),
    // Provider v4+: the queue keeps a computed copy of the split resource's policy.
    state: [queue(TMP_Q, { policy: tmpPolicy }), queuePolicy(TMP_Q, tmpPolicy)],
    kind: 'modified',
    severity: 'critical',
    type: 'aws_sqs_queue_policy',
    changes: { policy: { Statement: [{ Action: ['SQS:SendMessage'], Principal: { AWS: ['*'] } }] } },
  },
  {
    rule: 'sqs.queue.set-policy',
    label: 'policy removed, split policy',
    record: doc.SetQueueAttributesPolicyRemoved,
    state: [queue(Q, { policy: jobsPolicy }), queuePolicy(Q, jobsPolicy)],
    kind: 'modified',
    severity: 'medium',
    type: 'aws_sqs_queue_policy',
    changes: { policy: null },
    unchanged: [queue(Q), queuePolicy(Q, '')],
  },
  modified(
    'sqs.queue.set-policy',
    doc.SetQueueAttributesPolicyAndTimeout,
    queuePolicy(Q, tmpPolicy),
    'medium',
    { policy: NORMALISED_JOBS_POLICY },
    queuePolicy(Q, jobsPolicy),
    'split policy only in state (the queue is another state)',
  ),
  {
    rule: 'sqs.queue.set-policy',
    label: 'policy logged as an object (Panther record shape), split policy',
    record: {
      ...corpusRecord('panther-analysis/rules/aws_cloudtrail_rules/aws_resource_made_public__11.json'),
      // The record names no queue; the queue it would name, in the record's account and region.
      requestParameters: {
        ...(corpusRecord('panther-analysis/rules/aws_cloudtrail_rules/aws_resource_made_public__11.json')
          .requestParameters as Record<string, unknown>),
        queueUrl: Q,
      },
    },
    state: [queue(Q), queuePolicy(Q, jobsPolicy)],
    kind: 'modified',
    severity: 'critical',
    type: 'aws_sqs_queue_policy',
    changes: {
      policy: {
        Statement: [
          { Action: ['sqs:*'], Principal: { AWS: ['*'] } },
          { Action: ['sqs:SendMessage'], Principal: { AWS: ['*'] } },
        ],
      },
    },
  },
  modified(
    'sqs.queue.set-attributes',
    doc.SetQueueAttributesFifoThroughput,
    queue(FIFO_Q, { fifo_queue: true, fifo_throughput_limit: 'perQueue', deduplication_scope: 'queue' }),
    'medium',
    { fifo_throughput_limit: 'perMessageGroupId', deduplication_scope: 'messageGroup' },
    queue(FIFO_Q, {
      fifo_queue: true,
      fifo_throughput_limit: 'perMessageGroupId',
      deduplication_scope: 'messageGroup',
    }),
    'FIFO high throughput',
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

  it('one call setting the policy and a timeout: the policy on the split resource, the timeout on the queue', () => {
    // Prepare: provider v4+ state, the queue (with its computed policy copy) and the split policy.
    const state = stateOf(queue(Q, { policy: tmpPolicy }), queuePolicy(Q, tmpPolicy));

    // Act
    const found = findings(doc.SetQueueAttributesPolicyAndTimeout, state);

    // Assess: two findings, each naming its own resource, with both sides of its change.
    const byType = Object.fromEntries(found.map((f) => [f.resource.type, f]));
    expect(Object.keys(byType).sort()).toEqual(['aws_sqs_queue', 'aws_sqs_queue_policy']);
    expect(byType.aws_sqs_queue_policy.ruleId).toBe('sqs.queue.set-policy');
    expect(byType.aws_sqs_queue_policy.changes).toEqual([
      { attribute: 'policy', expected: NORMALISERS['iam-policy'](tmpPolicy), actual: NORMALISED_JOBS_POLICY },
    ]);
    expect(byType.aws_sqs_queue.ruleId).toBe('sqs.queue.set-attributes');
    expect(byType.aws_sqs_queue.changes).toEqual([
      { attribute: 'visibility_timeout_seconds', expected: 30, actual: 120 },
    ]);
  });
});
