// rules/guardduty.yaml: streamalert's UpdateDetector records (corpus) and doc-shaped records
// (test/fixtures/rules/guardduty/events.doc-shaped.json).

import { describe } from 'vitest';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('guardduty', 'guardduty.amazonaws.com');
const corpusRecord = corpusCopy('guardduty');
const streamalert = (n: number) =>
  corpusRecord(`streamalert/rules/community/cloudwatch_events/cloudtrail_critical_api_calls__${n}.json`);

const DET = '12abc34d567e8fa901bc2d34eexample';
const detector = (id = DET, extra: Record<string, unknown> = {}) => ({
  type: 'aws_guardduty_detector',
  attributes: {
    id,
    arn: `arn:aws:guardduty:us-east-1:111122223333:detector/${id}`,
    enable: true,
    finding_publishing_frequency: 'FIFTEEN_MINUTES',
    tags: {},
    ...extra,
  },
});
const child = (type: string, id: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id, detector_id: DET, ...extra },
});
const IPSET = `${DET}:0cb0141ab9fbde177613ab9436example`;
const INTEL = `${DET}:20b0d3c4e5f6a7b8c9d0e1f2a3example`;
const DEST = `${DET}:a4b1c2d3e4f5a6b7c8d9e0f1a2example`;
const member = (account: string) =>
  child('aws_guardduty_member', `${DET}:${account}`, { account_id: account });

const cases: RuleCase[] = [
  {
    rule: 'guardduty.detector.create',
    record: doc.CreateDetector,
    state: [],
    kind: 'unmanaged',
    type: 'aws_guardduty_detector',
    severity: 'low',
  },
  {
    rule: 'guardduty.detector.delete',
    record: doc.DeleteDetector,
    state: [detector()],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'guardduty.detector.update',
    label: 'suspended',
    record: streamalert(10),
    state: [detector('...')],
    kind: 'modified',
    severity: 'high',
    changes: { enable: false },
    unchanged: [detector('...', { enable: false })],
  },
  {
    rule: 'guardduty.detector.update',
    label: 'publishing frequency',
    record: doc.UpdateDetectorFrequency,
    state: [detector()],
    kind: 'modified',
    severity: 'medium',
    changes: { finding_publishing_frequency: 'SIX_HOURS' },
  },
  {
    rule: 'guardduty.filter.create',
    record: doc.CreateFilter,
    state: [],
    kind: 'unmanaged',
    type: 'aws_guardduty_filter',
    severity: 'high',
  },
  {
    rule: 'guardduty.filter.update',
    record: doc.UpdateFilter,
    state: [child('aws_guardduty_filter', `${DET}_hide-recon`, { name: 'hide-recon', action: 'NOOP' })],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'guardduty.filter.delete',
    record: doc.DeleteFilter,
    state: [child('aws_guardduty_filter', `${DET}_hide-recon`)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'guardduty.ipset.create',
    record: doc.CreateIPSet,
    state: [],
    kind: 'unmanaged',
    type: 'aws_guardduty_ipset',
    severity: 'high',
  },
  {
    rule: 'guardduty.ipset.update',
    record: doc.UpdateIPSet,
    state: [
      child('aws_guardduty_ipset', IPSET, {
        activate: true,
        location: 's3://lists/trusted.txt',
        name: 'office',
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { location: 's3://attacker/trusted.txt' },
  },
  {
    rule: 'guardduty.ipset.delete',
    record: doc.DeleteIPSet,
    state: [child('aws_guardduty_ipset', IPSET)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'guardduty.threatintelset.create',
    record: doc.CreateThreatIntelSet,
    state: [],
    kind: 'unmanaged',
    type: 'aws_guardduty_threatintelset',
    severity: 'medium',
  },
  {
    rule: 'guardduty.threatintelset.update',
    record: doc.UpdateThreatIntelSet,
    state: [child('aws_guardduty_threatintelset', INTEL, { activate: true })],
    kind: 'modified',
    severity: 'high',
    changes: { activate: false },
    unchanged: [child('aws_guardduty_threatintelset', INTEL, { activate: false })],
  },
  {
    rule: 'guardduty.threatintelset.delete',
    record: doc.DeleteThreatIntelSet,
    state: [child('aws_guardduty_threatintelset', INTEL)],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'guardduty.publishing-destination.create',
    record: doc.CreatePublishingDestination,
    state: [],
    kind: 'unmanaged',
    type: 'aws_guardduty_publishing_destination',
    severity: 'low',
  },
  {
    rule: 'guardduty.publishing-destination.update',
    record: doc.UpdatePublishingDestination,
    state: [
      child('aws_guardduty_publishing_destination', DEST, {
        destination_arn: 'arn:aws:s3:::findings-archive',
        kms_key_arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { destination_arn: 'arn:aws:s3:::other-bucket' },
  },
  {
    rule: 'guardduty.publishing-destination.delete',
    record: doc.DeletePublishingDestination,
    state: [child('aws_guardduty_publishing_destination', DEST)],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'guardduty.member.create',
    record: doc.CreateMembers,
    state: [],
    kind: 'unmanaged',
    type: 'aws_guardduty_member',
    severity: 'low',
  },
  {
    rule: 'guardduty.member.delete',
    label: 'two accounts, one finding each',
    record: doc.DeleteMembers,
    state: [member('444455556666'), member('777788889999')],
    kind: 'deleted',
    severity: 'high',
    count: 2,
  },
  {
    rule: 'guardduty.invite-accepter.accept',
    record: doc.AcceptAdministratorInvitation,
    state: [
      {
        type: 'aws_guardduty_invite_accepter',
        attributes: { id: DET, detector_id: DET, master_account_id: '111111111111' },
      },
    ],
    kind: 'modified',
    severity: 'low',
    changes: { master_account_id: '999988887777' },
  },
  {
    rule: 'guardduty.invite-accepter.leave',
    record: doc.DisassociateFromAdministratorAccount,
    state: [
      {
        type: 'aws_guardduty_invite_accepter',
        attributes: { id: DET, detector_id: DET, master_account_id: '999988887777' },
      },
    ],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'guardduty.organization-admin.enable',
    record: doc.EnableOrganizationAdminAccount,
    state: [],
    kind: 'unmanaged',
    type: 'aws_guardduty_organization_admin_account',
    severity: 'medium',
  },
  {
    rule: 'guardduty.organization-admin.disable',
    record: doc.DisableOrganizationAdminAccount,
    state: [
      {
        type: 'aws_guardduty_organization_admin_account',
        attributes: { id: '444455556666', admin_account_id: '444455556666' },
      },
    ],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'guardduty.organization-configuration.update',
    record: doc.UpdateOrganizationConfiguration,
    state: [
      {
        type: 'aws_guardduty_organization_configuration',
        attributes: { id: DET, detector_id: DET, auto_enable_organization_members: 'ALL' },
      },
    ],
    kind: 'modified',
    severity: 'high',
    changes: { auto_enable_organization_members: 'NONE' },
  },
  {
    rule: 'guardduty.tag',
    record: doc.TagResource,
    state: [detector()],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'secops' },
  },
  {
    rule: 'guardduty.untag',
    record: doc.UntagResource,
    state: [detector(DET, { tags: { owner: 'secops' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
];

describe('rules/guardduty.yaml', () => ruleCases('rules/guardduty.yaml', cases));
