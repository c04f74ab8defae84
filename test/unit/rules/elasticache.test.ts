// rules/elasticache.yaml: the ElastiCache guide's records and cloudtrail-watcher samples (corpus) for
// clusters and replication groups, doc-shaped records (test/fixtures/rules/elasticache/) for the rest.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('elasticache', 'elasticache.amazonaws.com');
const RG_ARN = 'arn:aws:elasticache:us-east-1:111122223333:replicationgroup:orders-redis';
const group = (extra = {}) =>
  res('aws_elasticache_replication_group', 'orders-redis', {
    replication_group_id: 'orders-redis',
    arn: RG_ARN,
    snapshot_retention_limit: 7,
    auth_token: 's3cret-token',
    tags: { env: 'prod' },
    ...extra,
  });
const named = (type: string, id: string, extra = {}) => res(type, id, { name: id, ...extra });

const cases: RuleCase[] = [
  modified(
    'elasticache.cluster.modify',
    corpusRecord('awsdocs-amazon-elasticache-docs/doc_source/memcache/logging-using-cloudtrail__3.json'),
    res('aws_elasticache_cluster', 'test-memcached', { cluster_id: 'test-memcached', num_cache_nodes: 2 }),
    'medium',
    { num_cache_nodes: 3 },
    res('aws_elasticache_cluster', 'test-memcached', { cluster_id: 'test-memcached', num_cache_nodes: 3 }),
  ),
  created(
    'elasticache.cluster.create',
    corpusRecord('awsdocs-amazon-elasticache-docs/doc_source/redis/logging-using-cloudtrail__1.json'),
    'aws_elasticache_cluster',
  ),
  deleted(
    'elasticache.cluster.delete',
    doc.DeleteCacheCluster,
    res('aws_elasticache_cluster', 'sessions'),
    'high',
  ),
  modified('elasticache.replication-group.modify', doc.ModifyReplicationGroup, group(), 'high', {
    snapshot_retention_limit: 0,
    auth_token: '(sensitive)',
  }),
  modified(
    'elasticache.replication-group.shards',
    doc.ModifyReplicationGroupShardConfiguration,
    group({ num_node_groups: 2 }),
    'medium',
    { num_node_groups: 4 },
  ),
  modified(
    'elasticache.replication-group.replicas',
    doc.IncreaseReplicaCount,
    group({ replicas_per_node_group: 1 }),
    'medium',
    { replicas_per_node_group: 3 },
  ),
  created(
    'elasticache.replication-group.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/elasticache_CreateReplicationGroup.json'),
    'aws_elasticache_replication_group',
  ),
  deleted('elasticache.replication-group.delete', doc.DeleteReplicationGroup, group(), 'high'),
  modified(
    'elasticache.parameter-group.modify',
    doc.ModifyCacheParameterGroup,
    named('aws_elasticache_parameter_group', 'orders-redis7', {
      parameter: [{ name: 'maxmemory-policy', value: 'allkeys-lru' }],
    }),
    'medium',
    { 'parameter.maxmemory-policy': 'noeviction' },
    named('aws_elasticache_parameter_group', 'orders-redis7', {
      parameter: [{ name: 'maxmemory-policy', value: 'noeviction' }],
    }),
  ),
  modified(
    'elasticache.parameter-group.reset',
    doc.ResetCacheParameterGroup,
    named('aws_elasticache_parameter_group', 'orders-redis7'),
    'medium',
    [],
  ),
  created(
    'elasticache.parameter-group.create',
    doc.CreateCacheParameterGroup,
    'aws_elasticache_parameter_group',
  ),
  deleted(
    'elasticache.parameter-group.delete',
    doc.DeleteCacheParameterGroup,
    named('aws_elasticache_parameter_group', 'orders-redis7'),
  ),
  modified(
    'elasticache.subnet-group.modify',
    doc.ModifyCacheSubnetGroup,
    named('aws_elasticache_subnet_group', 'orders', { subnet_ids: ['subnet-0aaa', 'subnet-0bbb'] }),
    'medium',
    {
      subnet_ids: ['subnet-0aaa'],
    },
  ),
  created('elasticache.subnet-group.create', doc.CreateCacheSubnetGroup, 'aws_elasticache_subnet_group'),
  deleted(
    'elasticache.subnet-group.delete',
    doc.DeleteCacheSubnetGroup,
    named('aws_elasticache_subnet_group', 'orders'),
  ),
  modified(
    'elasticache.user.modify',
    doc.ModifyUser,
    res('aws_elasticache_user', 'app', {
      user_id: 'app',
      access_string: 'on ~app:* +@read',
      no_password_required: false,
    }),
    'high',
    {
      access_string: 'on ~* +@all',
      no_password_required: true,
    },
  ),
  created('elasticache.user.create', doc.CreateUser, 'aws_elasticache_user', 'medium'),
  deleted('elasticache.user.delete', doc.DeleteUser, res('aws_elasticache_user', 'app')),
  modified(
    'elasticache.user-group.modify',
    doc.ModifyUserGroup,
    res('aws_elasticache_user_group', 'orders', { user_ids: ['default', 'app'] }),
    'medium',
    {
      user_ids: ['app', 'backdoor', 'default'],
    },
  ),
  created('elasticache.user-group.create', doc.CreateUserGroup, 'aws_elasticache_user_group'),
  deleted('elasticache.user-group.delete', doc.DeleteUserGroup, res('aws_elasticache_user_group', 'orders')),
  modified('elasticache.tags.add', doc.AddTagsToResource, group(), 'low', { 'tags.owner': 'ops' }),
  modified('elasticache.tags.remove', doc.RemoveTagsFromResource, group(), 'low', { 'tags.env': null }),
];

describe('rules/elasticache.yaml', () => {
  ruleCases('rules/elasticache.yaml', cases);
});
