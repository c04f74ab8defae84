// rules/efs.yaml (elasticfilesystem.amazonaws.com): corpus records (AWS EFS guide, cloud-custodian) for
// tags and mount targets, doc-shaped records (test/fixtures/rules/efs/) for the rest.

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, run, stateOf } from './harness.js';
import { docRecords, placedAt, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('efs', 'elasticfilesystem.amazonaws.com');
const guide = (n: number) =>
  corpusRecord(`awsdocs-amazon-efs-user-guide/doc_source/logging-using-cloudtrail__${n}.json`);
const custodian = (name: string) => corpusRecord(`cloud-custodian/tests/data/cwe/${name}.json`);
const FS = 'fs-0123456789abcdef0';
const fs = (id: string, extra = {}) =>
  res('aws_efs_file_system', id, {
    arn: `arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/${id}`,
    throughput_mode: 'bursting',
    tags: { env: 'prod' },
    ...extra,
  });

const cases: RuleCase[] = [
  created('efs.file-system.create', doc.CreateFileSystem, 'aws_efs_file_system', 'medium'),
  deleted('efs.file-system.delete', doc.DeleteFileSystem, fs(FS), 'high'),
  modified(
    'efs.file-system.update',
    doc.UpdateFileSystem,
    fs(FS, { provisioned_throughput_in_mibps: 0 }),
    'medium',
    { throughput_mode: 'provisioned', provisioned_throughput_in_mibps: 512 },
  ),
  modified(
    'efs.file-system.lifecycle',
    doc.PutLifecycleConfiguration,
    fs(FS, { lifecycle_policy: [{ transition_to_ia: 'AFTER_30_DAYS' }] }),
    'low',
    {
      'lifecycle_policy[0].transition_to_ia': 'AFTER_1_DAY',
    },
  ),
  modified(
    'efs.file-system-policy.put',
    doc.PutFileSystemPolicy,
    res('aws_efs_file_system_policy', FS, {
      file_system_id: FS,
      policy: '{"Version":"2012-10-17","Statement":[]}',
    }),
    'critical',
    { policy: { Statement: [{ Action: ['elasticfilesystem:ClientMount'], Principal: { AWS: ['*'] } }] } },
  ),
  deleted('efs.file-system-policy.delete', doc.DeleteFileSystemPolicy, res('aws_efs_file_system_policy', FS)),
  modified(
    'efs.backup-policy.put',
    doc.PutBackupPolicy,
    res('aws_efs_backup_policy', FS, { backup_policy: [{ status: 'ENABLED' }] }),
    'high',
    { 'backup_policy[0].status': 'DISABLED' },
  ),
  created(
    'efs.mount-target.create',
    custodian('event-cloud-trail-create-efs-mount-target'),
    'aws_efs_mount_target',
  ),
  deleted(
    'efs.mount-target.delete',
    doc.DeleteMountTarget,
    res('aws_efs_mount_target', 'fsmt-07e238762319765b9'),
  ),
  modified(
    'efs.mount-target.security-groups',
    custodian('event-cloud-trail-update-efs-mount-target-security-group'),
    res('aws_efs_mount_target', 'fsmt-07e238762319765b9', { security_groups: ['sg-0aaaaaaa'] }),
    'medium',
    { security_groups: ['sg-6c7fa917'] },
    res('aws_efs_mount_target', 'fsmt-07e238762319765b9', { security_groups: ['sg-6c7fa917'] }),
  ),
  created('efs.access-point.create', doc.CreateAccessPoint, 'aws_efs_access_point'),
  deleted(
    'efs.access-point.delete',
    doc.DeleteAccessPoint,
    res('aws_efs_access_point', 'fsap-0aaaaaaaaaaaaaaaa'),
  ),
  created('efs.replication.create', doc.CreateReplicationConfiguration, 'aws_efs_replication_configuration'),
  deleted(
    'efs.replication.delete',
    doc.DeleteReplicationConfiguration,
    res('aws_efs_replication_configuration', FS),
  ),
  modified(
    'efs.legacy.tags.add',
    guide(1),
    fs('fs-00112233'),
    'low',
    { 'tags.TagName': 'AnotherNewTag' },
    fs('fs-00112233', { tags: { TagName: 'AnotherNewTag' } }),
  ),
  modified(
    'efs.legacy.tags.remove',
    { ...guide(2), requestParameters: { fileSystemId: 'fs-00112233', tagKeys: ['env'] } },
    fs('fs-00112233'),
    'low',
    { 'tags.env': null },
  ),
  modified(
    'efs.tags.add',
    doc.TagResource,
    res('aws_efs_access_point', 'fsap-0aaaaaaaaaaaaaaaa', { tags: {} }),
    'low',
    { 'tags.owner': 'ops' },
  ),
  modified('efs.tags.remove', doc.UntagResource, fs(FS), 'low', { 'tags.env': null }),
];

describe('rules/efs.yaml', () => {
  ruleCases('rules/efs.yaml', cases);

  it('sees no change when DeleteTags names no key (the AWS guide example)', () => {
    expect(run(guide(2), stateOf(...placedAt(guide(2), [fs('fs-00112233')]))).outcome).toMatchObject({
      result: 'ignored',
      reason: 'no-change',
    });
  });
});
