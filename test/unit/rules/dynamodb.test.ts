// rules/dynamodb.yaml: AWS documentation and cloudtrail-watcher records from the corpus, doc-shaped
// records (test/fixtures/rules/dynamodb/events.doc-shaped.json) for the rest.

import { describe, expect, it } from 'vitest';
import { corpusRecord, run, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('dynamodb', 'dynamodb.amazonaws.com');
const ddbDoc = (n: number) =>
  corpusRecord(`awsdocs-amazon-dynamodb-developer-guide/doc_source/understanding-ddb-log-entries__${n}.json`);
const ARN = 'arn:aws:dynamodb:us-east-1:111122223333';
const table = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_dynamodb_table',
  attributes: {
    id: name,
    name,
    arn: `${ARN}:table/${name}`,
    billing_mode: 'PROVISIONED',
    read_capacity: 10,
    write_capacity: 10,
    tags: {},
    ...extra,
  },
});
const res = (type: string, attributes: Record<string, unknown>) => ({ type, attributes });
const KINESIS_ID = 'orders,arn:aws:kinesis:us-east-1:111122223333:stream/orders-cdc';

const cases: RuleCase[] = [
  {
    rule: 'dynamodb.table.update',
    record: ddbDoc(1),
    state: [table('Music')],
    kind: 'modified',
    severity: 'medium',
    changes: { read_capacity: 25, write_capacity: 25 },
    unchanged: [table('Music', { read_capacity: 25, write_capacity: 25 })],
  },
  {
    rule: 'dynamodb.table.create',
    record: corpusRecord('cloudtrail-watcher/test/services/samples/dynamodb_CreateTable.json'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_dynamodb_table',
    severity: 'low',
  },
  {
    rule: 'dynamodb.table.delete',
    record: ddbDoc(2),
    state: [table('Music')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'dynamodb.table.ttl',
    record: doc.UpdateTimeToLive,
    state: [table('orders', { ttl: [{ enabled: false, attribute_name: '' }] })],
    kind: 'modified',
    severity: 'medium',
    changes: { 'ttl[0].enabled': true, 'ttl[0].attribute_name': 'expires_at' },
    unchanged: [table('orders', { ttl: [{ enabled: true, attribute_name: 'expires_at' }] })],
  },
  {
    rule: 'dynamodb.table.point-in-time-recovery',
    record: doc.UpdateContinuousBackups,
    state: [table('orders', { point_in_time_recovery: [{ enabled: true }] })],
    kind: 'modified',
    severity: 'high',
    changes: { 'point_in_time_recovery[0].enabled': false },
  },
  {
    rule: 'dynamodb.global-table.update',
    record: doc.UpdateGlobalTable,
    state: [res('aws_dynamodb_global_table', { id: 'orders', name: 'orders' })],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'dynamodb.global-table.create',
    record: doc.CreateGlobalTable,
    state: [],
    kind: 'unmanaged',
    type: 'aws_dynamodb_global_table',
    severity: 'low',
  },
  {
    rule: 'dynamodb.kinesis-streaming.enable',
    record: doc.EnableKinesisStreamingDestination,
    state: [],
    kind: 'unmanaged',
    type: 'aws_dynamodb_kinesis_streaming_destination',
    severity: 'low',
  },
  {
    rule: 'dynamodb.kinesis-streaming.disable',
    record: doc.DisableKinesisStreamingDestination,
    state: [res('aws_dynamodb_kinesis_streaming_destination', { id: KINESIS_ID })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'dynamodb.resource-policy.put',
    record: doc.PutResourcePolicy,
    state: [
      res('aws_dynamodb_resource_policy', {
        id: `${ARN}:table/orders`,
        resource_arn: `${ARN}:table/orders`,
        policy: '{"Version":"2012-10-17","Statement":[]}',
      }),
    ],
    kind: 'modified',
    severity: 'critical',
  },
  {
    rule: 'dynamodb.resource-policy.delete',
    record: doc.DeleteResourcePolicy,
    state: [
      res('aws_dynamodb_resource_policy', { id: `${ARN}:table/orders`, resource_arn: `${ARN}:table/orders` }),
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'dynamodb.tags.add',
    record: doc.TagResource,
    state: [table('orders', { tags: { env: 'dev' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': 'prod' },
  },
  {
    rule: 'dynamodb.tags.remove',
    record: doc.UntagResource,
    state: [table('orders', { tags: { 'cost-center': '42' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.cost-center': null },
  },
];

describe('rules/dynamodb.yaml', () => {
  ruleCases('rules/dynamodb.yaml', cases);

  it('has no rule for item writes (data plane)', () => {
    for (const n of [4, 6, 8, 9])
      expect(run(ddbDoc(n), stateOf(table('Music'))).outcome).toMatchObject({
        result: 'ignored',
        reason: 'no-rule',
      });
  });
});
