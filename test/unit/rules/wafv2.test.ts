// rules/wafv2.yaml: the WAF guide's CloudTrail examples and panther's DisassociateWebACL (corpus),
// plus doc-shaped records (test/fixtures/rules/wafv2/events.doc-shaped.json).

import { describe } from 'vitest';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('wafv2', 'wafv2.amazonaws.com');
const corpusRecord = corpusCopy('wafv2');
const guide = (n: number) =>
  corpusRecord(
    `awsdocs-aws-waf-and-shield-advanced-developer-guide/doc_source/logging-using-cloudtrail__${n}.json`,
  );

const ACL_ID = 'ebbcb976-8d59-4d20-8ca8-4ab2f6b7c07b';
const ACL_ARN = `arn:aws:wafv2:us-east-1:111122223333:regional/webacl/app-acl/${ACL_ID}`;
const ALB = 'arn:aws:elasticloadbalancing:us-west-2:012345678910:loadbalancer/app/web/84dc5457e450dba5';
const acl = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_wafv2_web_acl',
  attributes: { id: ACL_ID, arn: ACL_ARN, name: 'foo', scope: 'CLOUDFRONT', tags: {}, ...extra },
});
const IPSET = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const ipSet = (addresses: string[]) => ({
  type: 'aws_wafv2_ip_set',
  attributes: { id: IPSET, name: 'allowed', addresses, description: '' },
});
const simple = (type: string, id: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id, ...extra },
});

const cases: RuleCase[] = [
  {
    rule: 'wafv2.web-acl.create',
    record: guide(1),
    state: [],
    kind: 'unmanaged',
    type: 'aws_wafv2_web_acl',
    severity: 'low',
  },
  {
    rule: 'wafv2.web-acl.update',
    record: guide(3),
    state: [acl()],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  { rule: 'wafv2.web-acl.delete', record: guide(4), state: [acl()], kind: 'deleted', severity: 'high' },
  {
    rule: 'wafv2.web-acl.associate',
    record: doc.AssociateWebACL,
    state: [],
    kind: 'unmanaged',
    type: 'aws_wafv2_web_acl_association',
    severity: 'medium',
  },
  {
    rule: 'wafv2.web-acl.disassociate',
    record: corpusRecord('panther-analysis/rules/aws_cloudtrail_rules/aws_waf_disassociation__1.json'),
    state: [
      simple('aws_wafv2_web_acl_association', `${ACL_ARN},${ALB}`, {
        web_acl_arn: ACL_ARN,
        resource_arn: ALB,
      }),
    ],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'wafv2.logging.put',
    record: doc.PutLoggingConfiguration,
    state: [
      simple('aws_wafv2_web_acl_logging_configuration', ACL_ARN, {
        log_destination_configs: ['arn:aws:firehose:us-east-1:111122223333:deliverystream/aws-waf-logs-main'],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: {
      log_destination_configs: ['arn:aws:firehose:us-east-1:111122223333:deliverystream/aws-waf-logs-other'],
    },
  },
  {
    rule: 'wafv2.logging.delete',
    record: doc.DeleteLoggingConfiguration,
    state: [simple('aws_wafv2_web_acl_logging_configuration', ACL_ARN)],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'wafv2.rule-group.create',
    record: doc.CreateRuleGroup,
    state: [],
    kind: 'unmanaged',
    type: 'aws_wafv2_rule_group',
    severity: 'low',
  },
  {
    rule: 'wafv2.rule-group.update',
    record: doc.UpdateRuleGroup,
    state: [simple('aws_wafv2_rule_group', 'c1d2e3f4-5678-90ab-cdef-EXAMPLE22222')],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'wafv2.rule-group.delete',
    record: doc.DeleteRuleGroup,
    state: [simple('aws_wafv2_rule_group', 'c1d2e3f4-5678-90ab-cdef-EXAMPLE22222')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'wafv2.ip-set.create',
    record: doc.CreateIPSet,
    state: [],
    kind: 'unmanaged',
    type: 'aws_wafv2_ip_set',
    severity: 'low',
  },
  {
    rule: 'wafv2.ip-set.update',
    record: doc.UpdateIPSet,
    state: [ipSet(['203.0.113.0/24'])],
    kind: 'modified',
    severity: 'high',
    changes: { addresses: ['0.0.0.0/1', '128.0.0.0/1'] },
    unchanged: [ipSet(['128.0.0.0/1', '0.0.0.0/1'])],
  },
  {
    rule: 'wafv2.ip-set.delete',
    record: doc.DeleteIPSet,
    state: [ipSet([])],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'wafv2.regex-pattern-set.create',
    record: doc.CreateRegexPatternSet,
    state: [],
    kind: 'unmanaged',
    type: 'aws_wafv2_regex_pattern_set',
    severity: 'low',
  },
  {
    rule: 'wafv2.regex-pattern-set.update',
    record: doc.UpdateRegexPatternSet,
    state: [simple('aws_wafv2_regex_pattern_set', 'd1e2f3a4-5678-90ab-cdef-EXAMPLE33333')],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'wafv2.regex-pattern-set.delete',
    record: doc.DeleteRegexPatternSet,
    state: [simple('aws_wafv2_regex_pattern_set', 'd1e2f3a4-5678-90ab-cdef-EXAMPLE33333')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'wafv2.tag',
    record: doc.TagResource,
    state: [acl()],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'edge' },
  },
  {
    rule: 'wafv2.untag',
    record: doc.UntagResource,
    state: [acl({ tags: { owner: 'edge' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
];

describe('rules/wafv2.yaml', () => ruleCases('rules/wafv2.yaml', cases));
