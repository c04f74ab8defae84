// rules/organizations.yaml: the Organizations guide's CloudTrail examples (corpus) and doc-shaped
// records (test/fixtures/rules/organizations/events.doc-shaped.json). CreatePolicy/DeletePolicy
// share their names with IAM: the eventSource decides.

import { describe, expect, it } from 'vitest';
import { findings, stateOf } from './harness.js';
import { corpusCopy, docRecords, placedAt, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('organizations', 'organizations.amazonaws.com');
const corpusRecord = corpusCopy('organizations');
const guide = (name: string) => corpusRecord(`awsdocs-aws-organizations-docs/doc_source/${name}.json`);

const POLICY = 'p-examplepolicyid111';
const OU = 'ou-examplerootid111-exampleouid111';
const scp = (content: string) => ({
  type: 'aws_organizations_policy',
  attributes: {
    id: POLICY,
    arn: `arn:aws:organizations::111111111111:policy/o-exampleorgid/service_control_policy/${POLICY}`,
    name: 'protect-cloudtrail',
    content,
    tags: {},
  },
});
const DENY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}';
const org = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_organizations_organization',
  attributes: {
    id: 'o-exampleorgid',
    feature_set: 'ALL',
    enabled_policy_types: ['SERVICE_CONTROL_POLICY'],
    aws_service_access_principals: ['guardduty.amazonaws.com'],
    ...extra,
  },
});
const account = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_organizations_account',
  attributes: {
    id,
    name: 'sandbox',
    email: 'sandbox@example.com',
    parent_id: 'ou-examplerootid111-prod',
    tags: {},
    ...extra,
  },
});

const cases: RuleCase[] = [
  {
    rule: 'organizations.policy.create',
    record: doc.CreatePolicy,
    state: [],
    kind: 'unmanaged',
    type: 'aws_organizations_policy',
    severity: 'medium',
  },
  {
    rule: 'organizations.policy.update',
    record: doc.UpdatePolicy,
    state: [scp(DENY)],
    kind: 'modified',
    severity: 'high',
    changes: {
      content: { Statement: [{ Action: ['*'], Effect: 'Allow', Resource: ['*'] }], Version: '2012-10-17' },
    },
    unchanged: [scp('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["*"],"Resource":"*"}}')],
  },
  {
    rule: 'organizations.policy.delete',
    record: doc.DeletePolicy,
    state: [scp(DENY)],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'organizations.policy.attach',
    record: doc.AttachPolicy,
    state: [],
    kind: 'unmanaged',
    type: 'aws_organizations_policy_attachment',
    severity: 'high',
  },
  {
    rule: 'organizations.policy.detach',
    record: doc.DetachPolicy,
    state: [
      {
        type: 'aws_organizations_policy_attachment',
        attributes: { id: `${OU}:${POLICY}`, policy_id: POLICY, target_id: OU },
      },
    ],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'organizations.policy-type.enable',
    record: doc.EnablePolicyType,
    state: [org()],
    kind: 'modified',
    severity: 'medium',
    changes: { enabled_policy_types: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] },
    unchanged: [org({ enabled_policy_types: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] })],
  },
  {
    rule: 'organizations.policy-type.disable',
    record: doc.DisablePolicyType,
    state: [org()],
    kind: 'modified',
    severity: 'critical',
    changes: { enabled_policy_types: [] },
  },
  {
    rule: 'organizations.service-access.enable',
    record: doc.EnableAWSServiceAccess,
    state: [org()],
    kind: 'modified',
    severity: 'medium',
    changes: { aws_service_access_principals: ['guardduty.amazonaws.com', 'ram.amazonaws.com'] },
  },
  {
    rule: 'organizations.service-access.disable',
    record: doc.DisableAWSServiceAccess,
    state: [org()],
    kind: 'modified',
    severity: 'high',
    changes: { aws_service_access_principals: [] },
    unchanged: [org({ aws_service_access_principals: [] })],
  },
  {
    rule: 'organizations.organization.create',
    record: doc.CreateOrganization,
    state: [],
    kind: 'unmanaged',
    type: 'aws_organizations_organization',
    severity: 'medium',
  },
  {
    rule: 'organizations.organization.delete',
    record: doc.DeleteOrganization,
    state: [org()],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'organizations.account.create',
    record: guide('orgs_security_incident-response__3'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_organizations_account',
    severity: 'medium',
  },
  {
    rule: 'organizations.account.close',
    record: guide('orgs_security_incident-response__1'),
    state: [account('555555555555')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'organizations.account.remove',
    record: doc.RemoveAccountFromOrganization,
    state: [account('333333333333')],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'organizations.account.leave',
    record: { ...doc.LeaveOrganization, recipientAccountId: '333333333333' },
    state: [account('333333333333')],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'organizations.account.move',
    record: doc.MoveAccount,
    state: [account('333333333333')],
    kind: 'modified',
    severity: 'high',
    changes: { parent_id: 'ou-examplerootid111-sandbox' },
    unchanged: [account('333333333333', { parent_id: 'ou-examplerootid111-sandbox' })],
  },
  {
    rule: 'organizations.ou.create',
    record: guide('orgs_tutorials_cwe__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_organizations_organizational_unit',
    severity: 'low',
  },
  {
    rule: 'organizations.ou.update',
    record: doc.UpdateOrganizationalUnit,
    state: [
      {
        type: 'aws_organizations_organizational_unit',
        attributes: { id: OU, name: 'Workloads', parent_id: 'r-examplerootid111' },
      },
    ],
    kind: 'modified',
    severity: 'low',
    changes: { name: 'Sandbox' },
  },
  {
    rule: 'organizations.ou.delete',
    record: doc.DeleteOrganizationalUnit,
    state: [{ type: 'aws_organizations_organizational_unit', attributes: { id: OU, name: 'Workloads' } }],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'organizations.delegated-admin.register',
    record: doc.RegisterDelegatedAdministrator,
    state: [],
    kind: 'unmanaged',
    type: 'aws_organizations_delegated_administrator',
    severity: 'high',
  },
  {
    rule: 'organizations.delegated-admin.deregister',
    record: doc.DeregisterDelegatedAdministrator,
    state: [
      {
        type: 'aws_organizations_delegated_administrator',
        attributes: { id: '333333333333/guardduty.amazonaws.com', account_id: '333333333333' },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'organizations.resource-policy.put',
    record: doc.PutResourcePolicy,
    state: [
      {
        type: 'aws_organizations_resource_policy',
        attributes: { id: 'rp-examplepolicy', content: '{"Version":"2012-10-17","Statement":[]}' },
      },
    ],
    kind: 'modified',
    severity: 'high',
  },
  {
    rule: 'organizations.resource-policy.delete',
    record: doc.DeleteResourcePolicy,
    state: [{ type: 'aws_organizations_resource_policy', attributes: { id: 'rp-examplepolicy' } }],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'organizations.tag',
    record: doc.TagResource,
    state: [account('333333333333')],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'finance' },
  },
  {
    rule: 'organizations.untag',
    record: doc.UntagResource,
    state: [account('333333333333', { tags: { owner: 'finance' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
  {
    rule: 'organizations.organization.all-features',
    record: doc.EnableAllFeatures,
    state: [org({ feature_set: 'CONSOLIDATED_BILLING' })],
    kind: 'modified',
    severity: 'medium',
    changes: { feature_set: 'ALL' },
    unchanged: [org()],
  },
];

describe('rules/organizations.yaml', () => {
  ruleCases('rules/organizations.yaml', cases);

  it('keeps IAM DeletePolicy apart from Organizations DeletePolicy', () => {
    const iamCall = {
      ...doc.DeletePolicy,
      eventSource: 'iam.amazonaws.com',
      requestParameters: { policyArn: 'arn:aws:iam::111122223333:policy/x' },
    };
    const state = stateOf(
      ...placedAt(doc.DeletePolicy, [
        scp(DENY),
        {
          type: 'aws_iam_policy',
          attributes: { id: 'arn:aws:iam::111122223333:policy/x', arn: 'arn:aws:iam::111122223333:policy/x' },
        },
      ]),
    );
    expect(findings(iamCall, state).map((f) => [f.ruleId, f.resource.type])).toEqual([
      ['iam.policy.delete', 'aws_iam_policy'],
    ]);
    expect(findings(doc.DeletePolicy, state).map((f) => [f.ruleId, f.resource.type])).toEqual([
      ['organizations.policy.delete', 'aws_organizations_policy'],
    ]);
  });
});
