// rules/secretsmanager.yaml: streamalert/panther PutResourcePolicy records (corpus) and doc-shaped
// records (test/fixtures/rules/secretsmanager/events.doc-shaped.json). Values are never shown.

import { describe, expect, it } from 'vitest';
import { findings, stateOf } from './harness.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('secretsmanager', 'secretsmanager.amazonaws.com');
const corpusRecord = corpusCopy('secretsmanager');

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf';
const secret = (extra: Record<string, unknown> = {}, arn = ARN, name = 'prod/db') => ({
  type: 'aws_secretsmanager_secret',
  attributes: { id: arn, arn, name, description: 'db credentials', kms_key_id: '', tags: {}, ...extra },
});
const version = {
  type: 'aws_secretsmanager_secret_version',
  attributes: {
    id: `${ARN}|v1`,
    arn: ARN,
    secret_id: ARN,
    version_id: 'v1',
    secret_string: 'hunter2',
    version_stages: ['AWSCURRENT'],
  },
  sensitive: ['secret_string'],
};
const rotation = {
  type: 'aws_secretsmanager_secret_rotation',
  attributes: {
    id: ARN,
    secret_id: ARN,
    rotation_lambda_arn: 'arn:aws:lambda:us-east-1:111122223333:function:rotate',
    rotation_rules: [{ automatically_after_days: 30 }],
  },
};
const TEST_ARN = 'arn:aws:secretsmanager:us-east-1:123456789123:secret:test-zeCISw';

const cases: RuleCase[] = [
  {
    rule: 'secretsmanager.secret.create',
    record: doc.CreateSecret,
    state: [],
    kind: 'unmanaged',
    type: 'aws_secretsmanager_secret',
    severity: 'medium',
  },
  {
    rule: 'secretsmanager.secret.delete',
    record: doc.DeleteSecret,
    state: [secret()],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'secretsmanager.secret.delete',
    label: 'secret named by name',
    record: doc.DeleteSecretByName,
    state: [secret()],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'secretsmanager.secret.update',
    record: doc.UpdateSecret,
    state: [secret()],
    kind: 'modified',
    severity: 'medium',
    changes: { kms_key_id: 'alias/other-key' },
    unchanged: [secret({ kms_key_id: 'alias/other-key' })],
  },
  {
    rule: 'secretsmanager.secret-value.put',
    record: doc.PutSecretValue,
    state: [version],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'secretsmanager.secret.policy',
    label: 'public policy, split resource found by the response ARN',
    record: corpusRecord(
      'streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__12.json',
    ),
    state: [
      {
        type: 'aws_secretsmanager_secret_policy',
        attributes: { id: TEST_ARN, secret_arn: TEST_ARN, policy: '{"Version":"2012-10-17","Statement":[]}' },
      },
    ],
    kind: 'modified',
    severity: 'critical',
  },
  {
    rule: 'secretsmanager.secret.policy',
    label: 'inline policy on the secret',
    record: corpusRecord(
      'streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__12.json',
    ),
    state: [secret({ policy: '' }, TEST_ARN, 'test')],
    kind: 'modified',
    severity: 'critical',
  },
  {
    rule: 'secretsmanager.secret.delete-policy',
    record: doc.DeleteResourcePolicy,
    state: [
      { type: 'aws_secretsmanager_secret_policy', attributes: { id: ARN, secret_arn: ARN, policy: '{}' } },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'secretsmanager.secret.rotate',
    record: doc.RotateSecret,
    state: [rotation],
    kind: 'modified',
    severity: 'medium',
    changes: { 'rotation_rules[0].automatically_after_days': 90 },
  },
  {
    rule: 'secretsmanager.secret.cancel-rotation',
    record: doc.CancelRotateSecret,
    state: [rotation],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'secretsmanager.secret.cancel-rotation',
    label: 'inline rotation on the secret',
    record: doc.CancelRotateSecret,
    state: [secret({ rotation_enabled: true })],
    kind: 'modified',
    severity: 'high',
    changes: { rotation_enabled: false },
    unchanged: [secret({ rotation_enabled: false })],
  },
  {
    rule: 'secretsmanager.secret.replicate',
    record: doc.ReplicateSecretToRegions,
    state: [secret()],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'secretsmanager.secret.remove-replicas',
    record: doc.RemoveRegionsFromReplication,
    state: [secret()],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'secretsmanager.secret.tag',
    record: doc.TagResource,
    state: [secret()],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'dba' },
  },
  {
    rule: 'secretsmanager.secret.untag',
    record: doc.UntagResource,
    state: [secret({ tags: { owner: 'dba' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
];

describe('rules/secretsmanager.yaml', () => {
  ruleCases('rules/secretsmanager.yaml', cases);

  it('never shows a secret value, even when a record carries one', () => {
    const record = { ...doc.PutSecretValue, requestParameters: { secretId: ARN, secretString: 'new-value' } };
    const [finding] = findings(record, stateOf(version));
    expect(finding.changes).toEqual([
      { attribute: 'secret_string', expected: '(sensitive)', actual: '(sensitive)' },
    ]);
    expect(JSON.stringify(finding)).not.toMatch(/hunter2|new-value/);
  });
});
