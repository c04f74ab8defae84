// rules/redshift.yaml: cloudtrail-watcher's CreateCluster record (corpus) and doc-shaped records
// (test/fixtures/rules/redshift/events.doc-shaped.json). The cluster's id is its identifier.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('redshift', 'redshift.amazonaws.com');
const corpusRecord = corpusCopy('redshift');
const A = '111122223333';
const cluster = (extra = {}) =>
  res('aws_redshift_cluster', 'warehouse', {
    arn: `arn:aws:redshift:us-east-1:${A}:cluster:warehouse`,
    cluster_identifier: 'warehouse',
    node_type: 'ra3.xlplus',
    number_of_nodes: 2,
    publicly_accessible: false,
    encrypted: true,
    automated_snapshot_retention_period: 7,
    master_password: 'hunter2hunter2',
    tags: { env: 'prod' },
    ...extra,
  });
const logging = () =>
  res('aws_redshift_logging', 'warehouse', {
    cluster_identifier: 'warehouse',
    bucket_name: 'audit-logs',
    s3_key_prefix: 'redshift/',
    log_destination_type: 's3',
  });
const params = (ssl: string) =>
  res('aws_redshift_parameter_group', 'warehouse-params', {
    name: 'warehouse-params',
    family: 'redshift-1.0',
    parameter: [
      { name: 'require_ssl', value: ssl },
      { name: 'enable_user_activity_logging', value: 'true' },
    ],
  });

const cases: RuleCase[] = [
  created(
    'redshift.cluster.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/redshift_CreateCluster.json'),
    'aws_redshift_cluster',
  ),
  modified(
    'redshift.cluster.modify',
    doc.ModifyCluster,
    cluster(),
    'high',
    { publicly_accessible: true, number_of_nodes: 4, automated_snapshot_retention_period: 0 },
    cluster({ publicly_accessible: true, number_of_nodes: 4, automated_snapshot_retention_period: 0 }),
    'made public',
  ),
  modified(
    'redshift.cluster.modify',
    doc.ModifyClusterPassword,
    cluster(),
    'medium',
    [],
    undefined,
    'password',
  ),
  deleted('redshift.cluster.delete', doc.DeleteCluster, cluster(), 'critical'),
  modified('redshift.cluster.iam-roles', doc.ModifyClusterIamRoles, cluster(), 'medium', []),
  deleted('redshift.logging.disable', doc.DisableLogging, logging(), 'high'),
  modified(
    'redshift.logging.disable',
    doc.DisableLogging,
    cluster({ logging: [{ enable: true, bucket_name: 'audit-logs' }] }),
    'high',
    { 'logging[0].enable': false },
    cluster({ logging: [{ enable: false, bucket_name: '' }] }),
    'provider v4 cluster block',
  ),
  modified('redshift.logging.enable', doc.EnableLogging, logging(), 'low', {
    bucket_name: 'other-audit-logs',
  }),
  modified(
    'redshift.parameter-group.modify',
    doc.ModifyClusterParameterGroup,
    params('true'),
    'high',
    { 'parameter.require_ssl': 'false' },
    params('false'),
  ),
  created('redshift.parameter-group.create', doc.CreateClusterParameterGroup, 'aws_redshift_parameter_group'),
  deleted('redshift.parameter-group.delete', doc.DeleteClusterParameterGroup, params('true'), 'low'),
  deleted(
    'redshift.subnet-group.delete',
    doc.DeleteClusterSubnetGroup,
    res('aws_redshift_subnet_group', 'warehouse-subnets', { name: 'warehouse-subnets' }),
    'low',
  ),
  modified('redshift.tags.add', doc.CreateTags, cluster(), 'low', { 'tags.owner': 'mallory' }),
  modified('redshift.tags.remove', doc.DeleteTags, cluster(), 'low', { 'tags.env': null }),
];

describe('rules/redshift.yaml', () => {
  ruleCases('rules/redshift.yaml', cases);
});
