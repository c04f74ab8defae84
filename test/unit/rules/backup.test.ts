// rules/backup.yaml: doc-shaped records (test/fixtures/rules/backup/events.doc-shaped.json); the
// corpus has no AWS Backup record. Vaults and their split settings are keyed by the vault name.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('backup', 'backup.amazonaws.com');
const A = '111122223333';
const PLAN = '8a9b0c1d-0000-4000-8000-000000000001';
const vault = () =>
  res('aws_backup_vault', 'prod-vault', {
    name: 'prod-vault',
    arn: `arn:aws:backup:us-east-1:${A}:backup-vault:prod-vault`,
    tags: { env: 'prod' },
  });
const vaultPart = (type: string, extra = {}) =>
  res(type, 'prod-vault', { backup_vault_name: 'prod-vault', ...extra });
const plan = () =>
  res('aws_backup_plan', PLAN, {
    name: 'prod-plan',
    arn: `arn:aws:backup:us-east-1:${A}:backup-plan:${PLAN}`,
  });
const lockConfig = (min: number) =>
  vaultPart('aws_backup_vault_lock_configuration', { min_retention_days: min, max_retention_days: 36500 });

const cases: RuleCase[] = [
  created('backup.vault.create', doc.CreateBackupVault, 'aws_backup_vault'),
  deleted('backup.vault.delete', doc.DeleteBackupVault, vault(), 'high'),
  modified(
    'backup.vault-policy.put',
    doc.PutBackupVaultAccessPolicy,
    vaultPart('aws_backup_vault_policy', {
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'backup:DeleteRecoveryPoint', Resource: '*' },
        ],
      }),
    }),
    'critical',
    { policy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] } }] } },
  ),
  modified(
    'backup.vault-policy.put',
    doc.PutBackupVaultAccessPolicyDeny,
    vaultPart('aws_backup_vault_policy', { policy: '{"Version":"2012-10-17","Statement":[]}' }),
    'medium',
    {
      policy: {
        Statement: [{ Effect: 'Deny', Action: ['backup:DeleteBackupVault', 'backup:DeleteRecoveryPoint'] }],
      },
    },
    undefined,
    'deny-all policy is not public',
  ),
  deleted(
    'backup.vault-policy.delete',
    doc.DeleteBackupVaultAccessPolicy,
    vaultPart('aws_backup_vault_policy'),
    'high',
  ),
  modified(
    'backup.vault-lock.put',
    doc.PutBackupVaultLockConfiguration,
    lockConfig(30),
    'medium',
    { min_retention_days: 1 },
    lockConfig(1),
  ),
  deleted('backup.vault-lock.delete', doc.DeleteBackupVaultLockConfiguration, lockConfig(30), 'high'),
  modified(
    'backup.vault-notifications.put',
    doc.PutBackupVaultNotifications,
    vaultPart('aws_backup_vault_notifications', {
      sns_topic_arn: `arn:aws:sns:us-east-1:${A}:backup-alerts`,
      backup_vault_events: ['BACKUP_JOB_COMPLETED'],
    }),
    'low',
    { sns_topic_arn: `arn:aws:sns:us-east-1:${A}:other` },
  ),
  deleted(
    'backup.vault-notifications.delete',
    doc.DeleteBackupVaultNotifications,
    vaultPart('aws_backup_vault_notifications'),
    'low',
  ),
  created('backup.plan.create', doc.CreateBackupPlan, 'aws_backup_plan'),
  modified('backup.plan.update', doc.UpdateBackupPlan, plan(), 'medium', []),
  deleted('backup.plan.delete', doc.DeleteBackupPlan, plan(), 'high'),
  created('backup.selection.create', doc.CreateBackupSelection, 'aws_backup_selection'),
  deleted(
    'backup.selection.delete',
    doc.DeleteBackupSelection,
    res('aws_backup_selection', 'd0e1f2a3-0000-4000-8000-000000000003', { plan_id: PLAN, name: 'prod' }),
    'high',
  ),
  modified('backup.tags.add', doc.TagResource, vault(), 'low', { 'tags.owner': 'mallory' }),
  modified('backup.tags.remove', doc.UntagResource, vault(), 'low', { 'tags.env': null }),
];

describe('rules/backup.yaml', () => {
  ruleCases('rules/backup.yaml', cases);
});
