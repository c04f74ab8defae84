// rules/shield.yaml: the WAF/Shield guide's DeleteProtection record (corpus) and doc-shaped records
// (test/fixtures/rules/shield/events.doc-shaped.json).

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('shield', 'shield.amazonaws.com');
const corpusRecord = corpusCopy('shield');
const A = '111122223333';
const PID = 'a1b2c3d4-5104-46eb-bd03-example00001';
const HC = 'arn:aws:route53:::healthcheck/abcd1234-0000-4000-8000-000000000001';
const protection = (id = PID) =>
  res('aws_shield_protection', id, {
    arn: `arn:aws:shield::${A}:protection/${id}`,
    name: 'web-alb',
    tags: { env: 'prod' },
  });
const group = (extra = {}) =>
  res('aws_shield_protection_group', 'web', {
    protection_group_id: 'web',
    protection_group_arn: `arn:aws:shield::${A}:protection-group/web`,
    aggregation: 'SUM',
    pattern: 'ALL',
    resource_type: '',
    tags: {},
    ...extra,
  });

const cases: RuleCase[] = [
  created('shield.protection.create', doc.CreateProtection, 'aws_shield_protection'),
  deleted(
    'shield.protection.delete',
    corpusRecord(
      'awsdocs-aws-waf-and-shield-advanced-developer-guide/doc_source/logging-using-cloudtrail__9.json',
    ),
    protection('12345678-5104-46eb-bd03-agh4j8rh3b6n'),
    'high',
  ),
  created('shield.protection-group.create', doc.CreateProtectionGroup, 'aws_shield_protection_group'),
  modified('shield.protection-group.update', doc.UpdateProtectionGroup, group(), 'medium', {
    aggregation: 'MAX',
    pattern: 'BY_RESOURCE_TYPE',
    resource_type: 'APPLICATION_LOAD_BALANCER',
  }),
  deleted('shield.protection-group.delete', doc.DeleteProtectionGroup, group()),
  created(
    'shield.health-check.associate',
    doc.AssociateHealthCheck,
    'aws_shield_protection_health_check_association',
  ),
  deleted(
    'shield.health-check.disassociate',
    doc.DisassociateHealthCheck,
    res('aws_shield_protection_health_check_association', `${PID}+${HC}`, {
      shield_protection_id: PID,
      health_check_arn: HC,
    }),
  ),
  deleted(
    'shield.drt-role.disassociate',
    doc.DisassociateDRTRole,
    res('aws_shield_drt_access_role_arn_association', `arn:aws:iam::${A}:role/shield-drt`, {
      role_arn: `arn:aws:iam::${A}:role/shield-drt`,
    }),
  ),
  modified('shield.tags.add', doc.TagResource, group(), 'low', { 'tags.owner': 'mallory' }),
  modified('shield.tags.remove', doc.UntagResource, protection(), 'low', { 'tags.env': null }),
];

describe('rules/shield.yaml', () => {
  ruleCases('rules/shield.yaml', cases);
});
