// rules/securityhub.yaml: Panther's CreateInsight/DeleteInsight records (corpus) and doc-shaped
// records (test/fixtures/rules/securityhub/events.doc-shaped.json). The hub itself is keyed by account.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('securityhub', 'securityhub.amazonaws.com');
const corpusRecord = corpusCopy('securityhub');
const panther = (n: number) =>
  corpusRecord(`panther-analysis/rules/aws_cloudtrail_rules/aws_securityhub_finding_evasion__${n}.json`);

const A = '111122223333';
const hub = (extra = {}) =>
  res('aws_securityhub_account', A, {
    enable_default_standards: false,
    auto_enable_controls: true,
    control_finding_generator: 'STANDARD_CONTROL',
    ...extra,
  });
const CIS = `arn:aws:securityhub:us-east-1:${A}:subscription/cis-aws-foundations-benchmark/v/1.2.0`;
const CTRL = `arn:aws:securityhub:us-east-1:${A}:control/cis-aws-foundations-benchmark/v/1.2.0/1.10`;
const INSIGHT = `arn:aws:securityhub:us-east-1:${A}:insight/${A}/custom/7b3c7c3e-0000-4000-8000-000000000001`;
const PANTHER_INSIGHT =
  'arn:aws:securityhub:us-west-2:0123456789010:insight/custom/f4c4890b-ac6b-4c26-95f9-e62cc46f3055';

const cases: RuleCase[] = [
  created('securityhub.account.enable', doc.EnableSecurityHub, 'aws_securityhub_account'),
  deleted('securityhub.account.disable', doc.DisableSecurityHub, hub(), 'critical'),
  modified(
    'securityhub.account.update',
    doc.UpdateSecurityHubConfiguration,
    hub(),
    'medium',
    { auto_enable_controls: false, control_finding_generator: 'SECURITY_CONTROL' },
    hub({ auto_enable_controls: false, control_finding_generator: 'SECURITY_CONTROL' }),
  ),
  created('securityhub.standards.enable', doc.BatchEnableStandards, 'aws_securityhub_standards_subscription'),
  deleted(
    'securityhub.standards.disable',
    doc.BatchDisableStandards,
    res('aws_securityhub_standards_subscription', CIS, {
      standards_arn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0',
    }),
    'high',
  ),
  modified(
    'securityhub.control.update',
    doc.UpdateStandardsControl,
    res('aws_securityhub_standards_control', CTRL, {
      standards_control_arn: CTRL,
      control_status: 'ENABLED',
      disabled_reason: '',
    }),
    'high',
    { control_status: 'DISABLED', disabled_reason: 'Not applicable' },
  ),
  created('securityhub.insight.create', panther(1), 'aws_securityhub_insight'),
  modified(
    'securityhub.insight.update',
    doc.UpdateInsight,
    res('aws_securityhub_insight', INSIGHT, {
      arn: INSIGHT,
      name: 'Critical findings',
      group_by_attribute: 'ResourceId',
    }),
    'low',
    { name: 'Critical findings (muted)' },
  ),
  deleted(
    'securityhub.insight.delete',
    panther(2),
    res('aws_securityhub_insight', PANTHER_INSIGHT, { arn: PANTHER_INSIGHT, name: 'Test Insight' }),
    'low',
  ),
  deleted(
    'securityhub.product.disable',
    doc.DisableImportFindingsForProduct,
    res(
      'aws_securityhub_product_subscription',
      `arn:aws:securityhub:us-east-1::product/aws/guardduty,arn:aws:securityhub:us-east-1:${A}:product-subscription/aws/guardduty`,
      { arn: `arn:aws:securityhub:us-east-1:${A}:product-subscription/aws/guardduty` },
    ),
  ),
];

describe('rules/securityhub.yaml', () => {
  ruleCases('rules/securityhub.yaml', cases);
});
