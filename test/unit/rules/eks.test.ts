// rules/eks.yaml: the corpus has only CreateCluster (cloudtrail-watcher); every other call is a
// doc-shaped record (test/fixtures/rules/eks/events.doc-shaped.json). Composite ids follow provider v5.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('eks', 'eks.amazonaws.com');
const ROLE = 'arn:aws:iam::111122223333:role';
const cluster = (extra = {}) =>
  res('aws_eks_cluster', 'prod', {
    name: 'prod',
    arn: 'arn:aws:eks:us-east-1:111122223333:cluster/prod',
    version: '1.29',
    tags: { env: 'prod' },
    ...extra,
  });
const nodeGroup = (extra = {}) =>
  res('aws_eks_node_group', 'prod:workers', { cluster_name: 'prod', node_group_name: 'workers', ...extra });

const cases: RuleCase[] = [
  modified(
    'eks.cluster.update-config',
    doc.UpdateClusterConfig,
    cluster({
      vpc_config: [{ endpoint_public_access: false, endpoint_private_access: true, public_access_cidrs: [] }],
    }),
    'high',
    { 'vpc_config[0].endpoint_public_access': true, 'vpc_config[0].public_access_cidrs': ['0.0.0.0/0'] },
  ),
  modified(
    'eks.cluster.update-version',
    doc.UpdateClusterVersion,
    cluster(),
    'medium',
    { version: '1.30' },
    cluster({ version: '1.30' }),
  ),
  created(
    'eks.cluster.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/eks_CreateCluster.json'),
    'aws_eks_cluster',
    'medium',
  ),
  deleted('eks.cluster.delete', doc.DeleteCluster, cluster(), 'high'),
  modified(
    'eks.node-group.update-config',
    doc.UpdateNodegroupConfig,
    nodeGroup({ scaling_config: [{ min_size: 1, max_size: 10, desired_size: 3 }] }),
    'medium',
    { 'scaling_config[0].desired_size': 8, 'scaling_config[0].min_size': 0 },
  ),
  modified(
    'eks.node-group.update-version',
    doc.UpdateNodegroupVersion,
    nodeGroup({ version: '1.29' }),
    'medium',
    { version: '1.30' },
  ),
  created('eks.node-group.create', doc.CreateNodegroup, 'aws_eks_node_group'),
  deleted('eks.node-group.delete', doc.DeleteNodegroup, nodeGroup(), 'high'),
  modified(
    'eks.addon.update',
    doc.UpdateAddon,
    res('aws_eks_addon', 'prod:vpc-cni', { addon_version: 'v1.16.0-eksbuild.1' }),
    'medium',
    { addon_version: 'v1.18.1-eksbuild.1' },
  ),
  created('eks.addon.create', doc.CreateAddon, 'aws_eks_addon'),
  deleted('eks.addon.delete', doc.DeleteAddon, res('aws_eks_addon', 'prod:vpc-cni')),
  created('eks.fargate-profile.create', doc.CreateFargateProfile, 'aws_eks_fargate_profile'),
  deleted(
    'eks.fargate-profile.delete',
    doc.DeleteFargateProfile,
    res('aws_eks_fargate_profile', 'prod:batch'),
  ),
  created('eks.access-entry.create', doc.CreateAccessEntry, 'aws_eks_access_entry', 'medium'),
  deleted('eks.access-entry.delete', doc.DeleteAccessEntry, res('aws_eks_access_entry', `prod:${ROLE}/ci`)),
  created(
    'eks.access-policy.associate',
    doc.AssociateAccessPolicy,
    'aws_eks_access_policy_association',
    'high',
  ),
  deleted(
    'eks.access-policy.disassociate',
    doc.DisassociateAccessPolicy,
    res(
      'aws_eks_access_policy_association',
      `prod#${ROLE}/ci#arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`,
    ),
  ),
  created(
    'eks.identity-provider.associate',
    doc.AssociateIdentityProviderConfig,
    'aws_eks_identity_provider_config',
    'medium',
  ),
  deleted(
    'eks.identity-provider.disassociate',
    doc.DisassociateIdentityProviderConfig,
    res('aws_eks_identity_provider_config', 'prod:okta'),
  ),
  modified('eks.tags.add', doc.TagResource, cluster(), 'low', { 'tags.env': 'staging' }),
  modified('eks.tags.remove', doc.UntagResource, cluster(), 'low', { 'tags.env': null }),
];

describe('rules/eks.yaml', () => {
  ruleCases('rules/eks.yaml', cases);
});
