// rules/cloudhsm.yaml: Cloud Custodian's CreateCluster record (corpus) and doc-shaped records
// (test/fixtures/rules/cloudhsm/events.doc-shaped.json).

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cloudhsm', 'cloudhsm.amazonaws.com');
const corpusRecord = corpusCopy('cloudhsm');
const cluster = () =>
  res('aws_cloudhsm_v2_cluster', 'cluster-igklspoyj5v', {
    cluster_id: 'cluster-igklspoyj5v',
    hsm_type: 'hsm1.medium',
    tags: { env: 'prod' },
  });

const cases: RuleCase[] = [
  created(
    'cloudhsm.cluster.create',
    corpusRecord('cloud-custodian/tests/data/cwe/event-cloud-trail-hsm-create-cluster.json'),
    'aws_cloudhsm_v2_cluster',
  ),
  deleted('cloudhsm.cluster.delete', doc.DeleteCluster, cluster(), 'high'),
  modified('cloudhsm.cluster.modify', doc.ModifyCluster, cluster(), 'medium', []),
  created('cloudhsm.hsm.create', doc.CreateHsm, 'aws_cloudhsm_v2_hsm'),
  deleted(
    'cloudhsm.hsm.delete',
    doc.DeleteHsm,
    res('aws_cloudhsm_v2_hsm', 'hsm-ab1cd2ef3gh', {
      hsm_id: 'hsm-ab1cd2ef3gh',
      cluster_id: 'cluster-igklspoyj5v',
    }),
    'high',
  ),
  modified('cloudhsm.tags.add', doc.TagResource, cluster(), 'low', { 'tags.owner': 'mallory' }),
  modified('cloudhsm.tags.remove', doc.UntagResource, cluster(), 'low', { 'tags.env': null }),
];

describe('rules/cloudhsm.yaml', () => {
  ruleCases('rules/cloudhsm.yaml', cases);
});
