// rules/dax.yaml: the DynamoDB guide's DAX CreateCluster record (corpus) and doc-shaped records
// (test/fixtures/rules/dax/events.doc-shaped.json). Cluster and group ids are their names.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('dax', 'dax.amazonaws.com');
const corpusRecord = corpusCopy('dax');
const A = '111122223333';
const cluster = (extra = {}) =>
  res('aws_dax_cluster', 'daxcluster', {
    arn: `arn:aws:dax:us-west-2:${A}:cache/daxcluster`,
    cluster_name: 'daxcluster',
    replication_factor: 3,
    maintenance_window: 'thu:13:00-thu:14:00',
    notification_topic_arn: '',
    tags: { env: 'prod' },
    ...extra,
  });
const params = (ttl: string) =>
  res('aws_dax_parameter_group', 'dax-params', {
    name: 'dax-params',
    parameters: [
      { name: 'query-ttl-millis', value: ttl },
      { name: 'record-ttl-millis', value: '300000' },
    ],
  });
const subnets = () =>
  res('aws_dax_subnet_group', 'dax-subnets', {
    name: 'dax-subnets',
    subnet_ids: ['subnet-0aaa', 'subnet-0bbb'],
  });

const cases: RuleCase[] = [
  created(
    'dax.cluster.create',
    corpusRecord('awsdocs-amazon-dynamodb-developer-guide/doc_source/understanding-ddb-log-entries__3.json'),
    'aws_dax_cluster',
  ),
  modified('dax.cluster.update', doc.UpdateCluster, cluster(), 'medium', {
    maintenance_window: 'sun:03:00-sun:04:00',
    notification_topic_arn: `arn:aws:sns:us-west-2:${A}:other`,
  }),
  modified(
    'dax.cluster.replication-factor',
    doc.IncreaseReplicationFactor,
    cluster(),
    'medium',
    { replication_factor: 5 },
    cluster({ replication_factor: 5 }),
  ),
  deleted('dax.cluster.delete', doc.DeleteCluster, cluster()),
  modified(
    'dax.parameter-group.update',
    doc.UpdateParameterGroup,
    params('300000'),
    'low',
    { 'parameters.query-ttl-millis': '600000' },
    params('600000'),
  ),
  created('dax.parameter-group.create', doc.CreateParameterGroup, 'aws_dax_parameter_group'),
  deleted('dax.parameter-group.delete', doc.DeleteParameterGroup, params('300000'), 'low'),
  created('dax.subnet-group.create', doc.CreateSubnetGroup, 'aws_dax_subnet_group'),
  modified('dax.subnet-group.update', doc.UpdateSubnetGroup, subnets(), 'medium', {
    subnet_ids: ['subnet-0aaa', 'subnet-0ccc'],
  }),
  deleted('dax.subnet-group.delete', doc.DeleteSubnetGroup, subnets(), 'low'),
  modified('dax.tags.add', doc.TagResource, cluster(), 'low', { 'tags.owner': 'mallory' }),
  modified('dax.tags.remove', doc.UntagResource, cluster(), 'low', { 'tags.env': null }),
];

describe('rules/dax.yaml', () => {
  ruleCases('rules/dax.yaml', cases);
});
