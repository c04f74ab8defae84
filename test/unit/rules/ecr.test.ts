// rules/ecr.yaml: corpus records (AWS ECR guide, cloudtrail-watcher, panther-analysis, streamalert)
// where the corpus has the call, doc-shaped records (test/fixtures/rules/ecr/) otherwise.

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, run, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('ecr', 'ecr.amazonaws.com');
const ACCOUNT = '111122223333';
const repo = (name: string, extra = {}) =>
  res('aws_ecr_repository', name, {
    name,
    arn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${name}`,
    image_tag_mutability: 'IMMUTABLE',
    tags: {},
    ...extra,
  });
const repoPolicy = (name: string, policy: string) =>
  res('aws_ecr_repository_policy', name, { repository: name, policy });
const ciPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ci',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` },
      Action: 'ecr:BatchGetImage',
    },
  ],
});

const cases: RuleCase[] = [
  created(
    'ecr.repository.create',
    corpusRecord('awsdocs-amazon-ecr-user-guide/doc_source/logging-using-cloudtrail__1.json'),
    'aws_ecr_repository',
  ),
  deleted('ecr.repository.delete', doc.DeleteRepository, repo('api'), 'high'),
  modified(
    'ecr.repository-policy.set',
    corpusRecord('panther-analysis/rules/aws_cloudtrail_rules/aws_resource_made_public__1.json'),
    repoPolicy('community', ciPolicy),
    'critical',
    { policy: { Statement: [{ Sid: 'PublicRead', Principal: { AWS: ['*'] } }] } },
    undefined,
    'public (Principal *)',
  ),
  modified(
    'ecr.repository-policy.set',
    doc.SetRepositoryPolicyPrivate,
    repoPolicy('api', '{"Version":"2012-10-17","Statement":[]}'),
    'medium',
    { policy: { Statement: [{ Sid: 'ci', Principal: { AWS: ['arn:aws:iam::111122223333:role/ci'] } }] } },
    repoPolicy('api', ciPolicy),
  ),
  deleted('ecr.repository-policy.delete', doc.DeleteRepositoryPolicy, repoPolicy('api', ciPolicy)),
  modified(
    'ecr.lifecycle-policy.put',
    doc.PutLifecyclePolicy,
    res('aws_ecr_lifecycle_policy', 'api', { repository: 'api', policy: '{"rules":[]}' }),
    'medium',
    { policy: { rules: [{ rulePriority: 1, action: { type: 'expire' } }] } },
  ),
  deleted(
    'ecr.lifecycle-policy.delete',
    doc.DeleteLifecyclePolicy,
    res('aws_ecr_lifecycle_policy', 'api', { repository: 'api' }),
  ),
  modified(
    'ecr.repository.scanning',
    doc.PutImageScanningConfiguration,
    repo('api', { image_scanning_configuration: [{ scan_on_push: true }] }),
    'medium',
    { 'image_scanning_configuration[0].scan_on_push': false },
  ),
  modified(
    'ecr.repository.tag-mutability',
    doc.PutImageTagMutability,
    repo('api'),
    'high',
    { image_tag_mutability: 'MUTABLE' },
    repo('api', { image_tag_mutability: 'MUTABLE' }),
  ),
  modified(
    'ecr.registry-policy.put',
    doc.PutRegistryPolicy,
    res('aws_ecr_registry_policy', ACCOUNT, { policy: '{"Version":"2012-10-17","Statement":[]}' }),
    'medium',
    { policy: { Statement: [{ Sid: 'ci', Action: ['ecr:BatchGetImage'] }] } },
  ),
  deleted('ecr.registry-policy.delete', doc.DeleteRegistryPolicy, res('aws_ecr_registry_policy', ACCOUNT)),
  modified(
    'ecr.replication.put',
    doc.PutReplicationConfiguration,
    res('aws_ecr_replication_configuration', ACCOUNT, ecrReplication('us-west-2')),
    'medium',
    // The call carries the whole configuration: compared in the provider's block shape.
    {
      replication_configuration: [
        { rule: [{ destination: [{ region: 'eu-west-1', registry_id: '444455556666' }] }] },
      ],
    },
    res('aws_ecr_replication_configuration', ACCOUNT, ecrReplication('eu-west-1')),
  ),
  modified(
    'ecr.registry-scanning.put',
    doc.PutRegistryScanningConfiguration,
    res('aws_ecr_registry_scanning_configuration', ACCOUNT, { scan_type: 'ENHANCED' }),
    'medium',
    { scan_type: 'BASIC' },
  ),
  created('ecr.pull-through-cache.create', doc.CreatePullThroughCacheRule, 'aws_ecr_pull_through_cache_rule'),
  deleted(
    'ecr.pull-through-cache.delete',
    doc.DeletePullThroughCacheRule,
    res('aws_ecr_pull_through_cache_rule', 'docker-hub'),
  ),
  modified('ecr.tags.add', doc.TagResource, repo('api'), 'low', { 'tags.team': 'platform' }),
  modified('ecr.tags.remove', doc.UntagResource, repo('api', { tags: { team: 'x' } }), 'low', {
    'tags.team': null,
  }),
];

describe('rules/ecr.yaml', () => {
  ruleCases('rules/ecr.yaml', cases);

  it('treats image pushes as data, not drift', () => {
    const push = corpusRecord('awsdocs-amazon-ecr-user-guide/doc_source/logging-using-cloudtrail__3.json');
    expect(run(push, stateOf(repo('testrepo'))).outcome).toMatchObject({
      result: 'ignored',
      reason: 'no-rule',
    });
  });
});

/** aws_ecr_replication_configuration as the provider stores it (an empty repository filter list). */
function ecrReplication(region: string) {
  return {
    registry_id: ACCOUNT,
    replication_configuration: [
      { rule: [{ destination: [{ region, registry_id: '444455556666' }], repository_filter: [] }] },
    ],
  };
}
