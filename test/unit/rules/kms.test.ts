// rules/kms.yaml: the AWS KMS developer guide's CloudTrail examples (corpus), plus doc-shaped
// records where the guide has none (test/fixtures/rules/kms/events.doc-shaped.json).

import { describe, expect, it } from 'vitest';
import { run, stateOf } from './harness.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('kms', 'kms.amazonaws.com');
const corpusRecord = corpusCopy('kms');
const guide = (name: string) => corpusRecord(`awsdocs-aws-kms-developer-guide/doc_source/${name}.json`);

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const key = (extra: Record<string, unknown> = {}, id = KEY, region = 'us-west-2') => ({
  type: 'aws_kms_key',
  attributes: {
    id,
    key_id: id,
    arn: `arn:aws:kms:${region}:111122223333:key/${id}`,
    description: '',
    is_enabled: true,
    enable_key_rotation: true,
    rotation_period_in_days: 365,
    tags: {},
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    ...extra,
  },
});
const alias = (target: string) => ({
  type: 'aws_kms_alias',
  attributes: { id: 'alias/my_alias', name: 'alias/my_alias', target_key_id: target },
});

const cases: RuleCase[] = [
  {
    rule: 'kms.key.create',
    record: guide('ct-createkey__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_kms_key',
    severity: 'medium',
  },
  {
    rule: 'kms.key.schedule-deletion',
    record: guide('ct-schedule-key-deletion__1'),
    state: [key()],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'kms.key.schedule-deletion',
    label: 'key named by ARN, external key',
    record: guide('ct-schedule-key-deletion__3'),
    state: [
      {
        type: 'aws_kms_external_key',
        attributes: { id: '0987dcba-09fe-87dc-65ba-ab0987654321', enabled: true },
      },
    ],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'kms.key.cancel-deletion',
    record: guide('ct-cancel-key-deletion__1'),
    state: [key()],
    kind: 'modified',
    severity: 'medium',
    changes: { is_enabled: false },
  },
  {
    rule: 'kms.key.disable',
    record: guide('ct-disablekey__1'),
    state: [key()],
    kind: 'modified',
    severity: 'high',
    changes: { is_enabled: false },
    unchanged: [key({ is_enabled: false })],
  },
  {
    rule: 'kms.key.disable',
    label: 'replica key keeps `enabled`',
    record: guide('ct-disablekey__1'),
    state: [{ type: 'aws_kms_replica_key', attributes: { id: KEY, enabled: true } }],
    kind: 'modified',
    severity: 'high',
    changes: { is_enabled: false },
  },
  {
    rule: 'kms.key.enable',
    record: guide('ct-enablekey__1'),
    state: [key({ is_enabled: false })],
    kind: 'modified',
    severity: 'medium',
    changes: { is_enabled: true },
    unchanged: [key()],
  },
  {
    rule: 'kms.key.enable-rotation',
    record: guide('ct-enablekeyrotation__1'),
    state: [key({ enable_key_rotation: false })],
    kind: 'modified',
    severity: 'low',
    changes: { enable_key_rotation: true },
    unchanged: [key()],
  },
  {
    rule: 'kms.key.disable-rotation',
    record: guide('ct-disable-key-rotation__1'),
    state: [key()],
    kind: 'modified',
    severity: 'high',
    changes: { enable_key_rotation: false },
  },
  {
    rule: 'kms.key.policy',
    record: guide('ct-put-key-policy__1'),
    state: [key()],
    kind: 'modified',
    severity: 'high',
    unchanged: [
      key({
        policy: JSON.stringify({
          Id: 'key-default-1',
          Statement: [
            {
              Action: 'kms:*',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111122223333:root' },
              Resource: '*',
              Sid: 'Enable IAM User Permissions',
            },
          ],
          Version: '2012-10-17',
        }),
      }),
    ],
  },
  {
    rule: 'kms.key.policy',
    label: 'split aws_kms_key_policy',
    record: guide('ct-put-key-policy__1'),
    state: [
      { type: 'aws_kms_key_policy', attributes: { id: KEY, key_id: KEY, policy: '{"Statement":[]}' } },
      key(),
    ],
    kind: 'modified',
    severity: 'high',
    type: 'aws_kms_key_policy',
  },
  {
    rule: 'kms.key.description',
    record: guide('ct-update-key-description__1'),
    state: [key({ description: 'payments' })],
    kind: 'modified',
    severity: 'low',
    changes: { description: 'New key description' },
  },
  {
    rule: 'kms.key.tag',
    record: guide('ct-tagresource__1'),
    state: [key({ tags: { Department: 'Finance' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.Department': 'IT' },
    unchanged: [key({ tags: { Department: 'IT' } })],
  },
  {
    rule: 'kms.key.untag',
    record: guide('ct-untagresource__1'),
    state: [key({ tags: { Dept: 'IT', Owner: 'sec' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.Dept': null },
  },
  {
    rule: 'kms.key.import-material',
    record: guide('ct-importkeymaterial__1'),
    state: [
      {
        type: 'aws_kms_external_key',
        attributes: { id: KEY, enabled: true, valid_to: '2030-01-01T00:00:00Z' },
      },
    ],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'kms.key.delete-imported-material',
    record: doc.DeleteImportedKeyMaterial,
    state: [{ type: 'aws_kms_external_key', attributes: { id: KEY, enabled: true } }],
    kind: 'modified',
    severity: 'critical',
    changes: [],
  },
  {
    rule: 'kms.replica-key.create',
    record: guide('ct-replicate-key__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_kms_replica_key',
    severity: 'medium',
  },
  {
    rule: 'kms.key.primary-region',
    record: guide('ct-update-primary-region__1'),
    state: [key({}, 'mrk-1234abcd12ab34cd56ef1234567890ab')],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'kms.alias.create',
    record: guide('ct-createalias__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_kms_alias',
    severity: 'low',
  },
  {
    rule: 'kms.alias.update',
    record: guide('ct-updatealias__1'),
    state: [alias('0987dcba-09fe-87dc-65ba-ab0987654321')],
    kind: 'modified',
    severity: 'high',
    changes: { target_key_id: KEY },
    unchanged: [alias(`arn:aws:kms:us-west-2:111122223333:key/${KEY}`)],
  },
  {
    rule: 'kms.alias.delete',
    record: guide('ct-deletealias__1'),
    state: [alias(KEY)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'kms.grant.create',
    record: guide('ct-creategrant__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_kms_grant',
    severity: 'medium',
  },
  {
    rule: 'kms.grant.revoke',
    record: guide('ct-revoke-grant__1'),
    state: [
      {
        type: 'aws_kms_grant',
        attributes: {
          id: `${KEY}:abcde1237f76e4ba7987489ac329fbfba6ad343d6f7075dbd1ef191f0120514a`,
          key_id: KEY,
          grant_id: 'abcde1237f76e4ba7987489ac329fbfba6ad343d6f7075dbd1ef191f0120514a',
        },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'kms.custom-key-store.create',
    record: guide('ct-create-keystore__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_kms_custom_key_store',
    severity: 'medium',
  },
  {
    rule: 'kms.custom-key-store.update',
    record: guide('ct-update-keystore__1'),
    state: [
      {
        type: 'aws_kms_custom_key_store',
        attributes: {
          id: 'cks-1234567890abcdef0',
          cloud_hsm_cluster_id: 'cluster-9z87y6xwvut',
          custom_key_store_name: 'ExampleKeyStore',
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { cloud_hsm_cluster_id: 'cluster-1a23b4cdefg' },
  },
  {
    rule: 'kms.custom-key-store.delete',
    record: guide('ct-delete-keystore__1'),
    state: [{ type: 'aws_kms_custom_key_store', attributes: { id: 'cks-1234567890abcdef0' } }],
    kind: 'deleted',
    severity: 'high',
  },
];

describe('rules/kms.yaml', () => {
  ruleCases('rules/kms.yaml', cases);

  it('skips grants that AWS services create for their own use', () => {
    expect(run(doc.CreateGrantByService, stateOf()).outcome).toMatchObject({
      result: 'ignored',
      reason: 'no-rule',
    });
  });

  it('never treats cryptographic calls as drift', () => {
    const decrypt = corpusRecord('awsdocs-aws-kms-developer-guide/doc_source/ct-decrypt-enclave__1.json');
    expect(run(decrypt, stateOf(key())).outcome).toMatchObject({ result: 'ignored' });
  });
});
