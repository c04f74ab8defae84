// rules/elasticmapreduce.yaml: cloudtrail-watcher's RunJobFlow record (corpus) and doc-shaped records
// (test/fixtures/rules/elasticmapreduce/events.doc-shaped.json). The cluster's id is the job flow id.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('elasticmapreduce', 'elasticmapreduce.amazonaws.com');
const corpusRecord = corpusCopy('elasticmapreduce');
const J = 'j-3UN6WX5RRO2AG';
const cluster = (extra = {}) =>
  res('aws_emr_cluster', J, {
    name: 'analytics',
    termination_protection: true,
    visible_to_all_users: true,
    tags: { env: 'prod' },
    ...extra,
  });

const cases: RuleCase[] = [
  created(
    'elasticmapreduce.cluster.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/elasticmapreduce_RunJobFlow.json'),
    'aws_emr_cluster',
  ),
  deleted('elasticmapreduce.cluster.terminate', doc.TerminateJobFlows, cluster()),
  modified(
    'elasticmapreduce.cluster.termination-protection',
    doc.SetTerminationProtection,
    cluster(),
    'high',
    { termination_protection: false },
    cluster({ termination_protection: false }),
  ),
  modified('elasticmapreduce.cluster.visibility', doc.SetVisibleToAllUsers, cluster(), 'low', {
    visible_to_all_users: false,
  }),
  modified(
    'elasticmapreduce.instance-group.modify',
    doc.ModifyInstanceGroups,
    res('aws_emr_instance_group', 'ig-1ABCDEFGHIJKL', { cluster_id: J, instance_count: 2 }),
    'low',
    { instance_count: 10 },
    res('aws_emr_instance_group', 'ig-1ABCDEFGHIJKL', { cluster_id: J, instance_count: 10 }),
  ),
  modified(
    'elasticmapreduce.block-public-access.put',
    doc.PutBlockPublicAccessConfiguration,
    res('aws_emr_block_public_access_configuration', 'emr-block-public-access-configuration', {
      block_public_security_group_rules: true,
    }),
    'high',
    { block_public_security_group_rules: false },
  ),
  created(
    'elasticmapreduce.security-configuration.create',
    doc.CreateSecurityConfiguration,
    'aws_emr_security_configuration',
  ),
  deleted(
    'elasticmapreduce.security-configuration.delete',
    doc.DeleteSecurityConfiguration,
    res('aws_emr_security_configuration', 'emr-encryption', { name: 'emr-encryption' }),
  ),
  modified('elasticmapreduce.tags.add', doc.AddTags, cluster(), 'low', { 'tags.owner': 'mallory' }),
  modified('elasticmapreduce.tags.remove', doc.RemoveTags, cluster(), 'low', { 'tags.env': null }),
];

describe('rules/elasticmapreduce.yaml', () => {
  ruleCases('rules/elasticmapreduce.yaml', cases);
});
