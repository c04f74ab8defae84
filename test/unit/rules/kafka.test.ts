// rules/kafka.yaml: cloudtrail-watcher's CreateClusterV2 record (corpus) and doc-shaped records
// (test/fixtures/rules/kafka/events.doc-shaped.json). MSK ids are ARNs.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('kafka', 'kafka.amazonaws.com');
const corpusRecord = corpusCopy('kafka');
const A = '111122223333';
const CARN = `arn:aws:kafka:us-east-1:${A}:cluster/events/5f2c3d4e-0000-4000-8000-000000000001-1`;
const CONF = `arn:aws:kafka:us-east-1:${A}:configuration/events-config/6a7b8c9d-0000-4000-8000-000000000001-1`;
const cluster = (extra = {}) =>
  res('aws_msk_cluster', CARN, {
    arn: CARN,
    cluster_name: 'events',
    kafka_version: '3.5.1',
    number_of_broker_nodes: 3,
    enhanced_monitoring: 'DEFAULT',
    broker_node_group_info: [
      {
        instance_type: 'kafka.m5.large',
        storage_info: [{ ebs_storage_info: [{ volume_size: 1000 }] }],
        connectivity_info: [{ public_access: [{ type: 'DISABLED' }] }],
      },
    ],
    configuration_info: [{ arn: CONF, revision: 2 }],
    client_authentication: [{ unauthenticated: false }],
    encryption_info: [{ encryption_in_transit: [{ client_broker: 'TLS', in_cluster: true }] }],
    tags: { env: 'prod' },
    ...extra,
  });
const config = () =>
  res('aws_msk_configuration', CONF, { arn: CONF, name: 'events-config', description: 'events' });

const cases: RuleCase[] = [
  created(
    'kafka.cluster.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/kafka_CreateClusterV2.json'),
    'aws_msk_cluster',
    'medium',
  ),
  deleted('kafka.cluster.delete', doc.DeleteCluster, cluster(), 'high'),
  modified(
    'kafka.cluster.broker-count',
    doc.UpdateBrokerCount,
    cluster(),
    'medium',
    { number_of_broker_nodes: 6 },
    cluster({ number_of_broker_nodes: 6 }),
  ),
  modified('kafka.cluster.broker-type', doc.UpdateBrokerType, cluster(), 'medium', {
    'broker_node_group_info[0].instance_type': 'kafka.m5.2xlarge',
  }),
  modified('kafka.cluster.broker-storage', doc.UpdateBrokerStorage, cluster(), 'low', {
    'broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size': 2000,
  }),
  modified('kafka.cluster.version', doc.UpdateClusterKafkaVersion, cluster(), 'medium', {
    kafka_version: '3.6.0',
  }),
  modified('kafka.cluster.configuration', doc.UpdateClusterConfiguration, cluster(), 'medium', {
    'configuration_info[0].revision': 3,
  }),
  modified('kafka.cluster.monitoring', doc.UpdateMonitoring, cluster(), 'low', {
    enhanced_monitoring: 'PER_TOPIC_PER_BROKER',
  }),
  modified('kafka.cluster.security', doc.UpdateSecurity, cluster(), 'high', {
    'client_authentication[0].unauthenticated': true,
    'encryption_info[0].encryption_in_transit[0].client_broker': 'TLS_PLAINTEXT',
  }),
  modified('kafka.cluster.connectivity', doc.UpdateConnectivity, cluster(), 'high', {
    'broker_node_group_info[0].connectivity_info[0].public_access[0].type': 'SERVICE_PROVIDED_EIPS',
  }),
  created('kafka.configuration.create', doc.CreateConfiguration, 'aws_msk_configuration'),
  modified('kafka.configuration.update', doc.UpdateConfiguration, config(), 'medium', {
    description: 'allow topic auto-creation',
  }),
  deleted('kafka.configuration.delete', doc.DeleteConfiguration, config(), 'low'),
  modified('kafka.tags.add', doc.TagResource, cluster(), 'low', { 'tags.owner': 'mallory' }),
  modified('kafka.tags.remove', doc.UntagResource, cluster(), 'low', { 'tags.env': null }),
];

describe('rules/kafka.yaml', () => {
  ruleCases('rules/kafka.yaml', cases);
});
