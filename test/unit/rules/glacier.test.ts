// rules/glacier.yaml: streamalert's public SetVaultAccessPolicy record (corpus) and doc-shaped
// records (test/fixtures/rules/glacier/events.doc-shaped.json). The vault's id is its name.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('glacier', 'glacier.amazonaws.com');
const corpusRecord = corpusCopy('glacier');
const vault = (name = 'archive', extra = {}) =>
  res('aws_glacier_vault', name, {
    name,
    access_policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789123:role/restore' },
          Action: 'glacier:InitiateJob',
          Resource: `arn:aws:glacier:us-east-1:123456789123:vaults/${name}`,
        },
      ],
    }),
    notification: [],
    tags: { env: 'prod' },
    ...extra,
  });
const lock = () => res('aws_glacier_vault_lock', 'archive', { vault_name: 'archive', complete_lock: false });

const cases: RuleCase[] = [
  created('glacier.vault.create', doc.CreateVault, 'aws_glacier_vault'),
  deleted('glacier.vault.delete', doc.DeleteVault, vault(), 'high'),
  modified(
    'glacier.vault.set-access-policy',
    corpusRecord('streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__4.json'),
    vault('test'),
    'critical',
    { access_policy: { Statement: [{ Action: ['glacier:InitiateJob'], Principal: { AWS: ['*'] } }] } },
  ),
  modified('glacier.vault.delete-access-policy', doc.DeleteVaultAccessPolicy, vault(), 'medium', []),
  modified('glacier.vault.notifications', doc.SetVaultNotifications, vault(), 'low', {
    'notification[0].sns_topic': 'arn:aws:sns:us-east-1:111122223333:other',
  }),
  deleted('glacier.vault-lock.abort', doc.AbortVaultLock, lock(), 'high'),
  created('glacier.vault-lock.initiate', doc.InitiateVaultLock, 'aws_glacier_vault_lock', 'medium'),
  modified(
    'glacier.vault-lock.complete',
    doc.CompleteVaultLock,
    lock(),
    'medium',
    { complete_lock: true },
    res('aws_glacier_vault_lock', 'archive', { vault_name: 'archive', complete_lock: true }),
  ),
  modified('glacier.tags.add', doc.AddTagsToVault, vault(), 'low', { 'tags.owner': 'mallory' }),
  modified('glacier.tags.remove', doc.RemoveTagsFromVault, vault(), 'low', { 'tags.env': null }),
];

describe('rules/glacier.yaml', () => {
  ruleCases('rules/glacier.yaml', cases);
});
