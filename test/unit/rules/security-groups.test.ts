// rules/security-groups.yaml: SG create/delete, inline rule sets (ec2-permissions), split rule
// resources, ModifySecurityGroupRules, and the severity of opening ports to the internet.

import { describe } from 'vitest';
import { fixtureRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const corpus = (name: string) => fixtureRecord(`security-groups/corpus/${name}.json`);
const doc = docRecords('security-groups', 'ec2.amazonaws.com');
// cloudtrail-watcher recorded these through Terraform; the same call made from the console is drift.
const byConsole = (name: string) => ({ ...corpus(name), userAgent: 'console.ec2.amazonaws.com' });

const sg = (id: string, attributes: Record<string, unknown> = {}) => ({
  type: 'aws_security_group',
  attributes: { id, name: `group-${id}`, ingress: [], egress: [], ...attributes },
});
const rule = (protocol: string, from: number, to: number, cidrs: string[], ipv6: string[] = []) => ({
  protocol,
  from_port: from,
  to_port: to,
  cidr_blocks: cidrs,
  ipv6_cidr_blocks: ipv6,
  prefix_list_ids: [],
  security_groups: [],
  self: false,
  description: '',
});

const cases: RuleCase[] = [
  {
    rule: 'security-groups.group.create',
    record: corpus('reflex-aws-ec2-security-group-open-ingress__CreateSecurityGroup__1'),
    state: [],
    type: 'aws_security_group',
    kind: 'unmanaged',
    severity: 'medium',
  },
  {
    rule: 'security-groups.group.delete',
    record: doc.DeleteSecurityGroup,
    state: [sg('sg-0a1b2c3d4e5f60718')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'security-groups.ingress.authorize',
    label: 'SSH to 0.0.0.0/0 is critical',
    record: corpus('panther-analysis__aws_ec2_manual_security_group_changes__4'),
    state: [sg('sg-0d921df5d84f7270a', { ingress: [rule('tcp', 443, 443, ['10.0.0.0/16'])] })],
    kind: 'modified',
    severity: 'critical',
    changes: { ingress: ['tcp|22|22|cidr:0.0.0.0/0', 'tcp|443|443|cidr:10.0.0.0/16'] },
    unchanged: [sg('sg-0d921df5d84f7270a', { ingress: [rule('tcp', 22, 22, ['0.0.0.0/0'])] })],
  },
  {
    rule: 'security-groups.ingress.authorize',
    label: 'legacy top-level form, a /0 in disguise',
    record: corpus('stratus-red-team__aws.exfiltration.ec2-security-group-open-port-22-ingress__1'),
    state: [sg('sg-003dc7f1f1c686164')],
    kind: 'modified',
    severity: 'critical',
    changes: { ingress: ['tcp|22|22|cidr:208.236.235.254/0'] },
  },
  {
    rule: 'security-groups.ingress.authorize',
    label: 'port 55 to 0.0.0.0/0 and ::/0 is high',
    record: corpus('reflex-aws-ec2-security-group-open-ingress__AuthorizeSecurityGroupIngress__1'),
    state: [sg('sg-00000bd0bf00f0000')],
    kind: 'modified',
    severity: 'high',
    changes: { ingress: ['tcp|55|55|cidr:::/0', 'tcp|55|55|cidr:0.0.0.0/0'] },
  },
  {
    rule: 'security-groups.ingress.authorize',
    label: 'ICMP from one address stays medium',
    record: corpus('cloudtrail-lambda__authorize1_success'),
    state: [sg('sg-01234567890abcdef')],
    kind: 'modified',
    severity: 'medium',
    changes: { ingress: ['icmp|-1|-1|cidr:203.0.113.1/32'] },
  },
  {
    rule: 'security-groups.egress.authorize',
    record: doc.AuthorizeSecurityGroupEgress,
    state: [sg('sg-0a1b2c3d4e5f60718', { egress: [rule('-1', 0, 0, ['0.0.0.0/0'])] })],
    kind: 'modified',
    severity: 'medium',
    changes: { egress: ['-1|0|0|cidr:0.0.0.0/0', 'tcp|443|443|cidr:10.0.0.0/8'] },
    unchanged: [sg('sg-0a1b2c3d4e5f60718', { egress: [rule('tcp', 443, 443, ['10.0.0.0/8'])] })],
  },
  {
    rule: 'security-groups.ingress.revoke',
    label: 'inline rule removed',
    record: corpus('cloudtrail-lambda__revoke1_success'),
    state: [sg('sg-01234567890abcdef', { ingress: [rule('tcp', 3306, 3306, ['203.0.113.1/32'])] })],
    kind: 'modified',
    severity: 'medium',
    changes: { ingress: [] },
    unchanged: [sg('sg-01234567890abcdef', { ingress: [rule('tcp', 443, 443, ['203.0.113.1/32'])] })],
  },
  {
    rule: 'security-groups.ingress.revoke',
    label: 'split aws_vpc_security_group_ingress_rule deleted',
    record: byConsole('cloudtrail-watcher__ec2_RevokeSecurityGroupIngress'),
    state: [
      {
        type: 'aws_vpc_security_group_ingress_rule',
        attributes: {
          id: 'sgr-0ab4202bcd11d93d2',
          security_group_id: 'sg-0e79c7acdf4a0225e',
          ip_protocol: 'tcp',
        },
      },
      sg('sg-0e79c7acdf4a0225e', { ingress: [rule('tcp', 22, 22, ['0.0.0.0/0'])] }),
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'security-groups.egress.revoke',
    label: 'legacy aws_security_group_rule deleted',
    record: byConsole('cloudtrail-watcher__ec2_RevokeSecurityGroupEgress'),
    state: [
      {
        type: 'aws_security_group_rule',
        attributes: {
          id: 'sgrule-845917806',
          security_group_rule_id: 'sgr-0842f7411dc6a5a34',
          type: 'egress',
        },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'security-groups.egress.revoke',
    label: 'inline egress removed',
    record: byConsole('cloudtrail-watcher__ec2_RevokeSecurityGroupEgress'),
    state: [sg('sg-0e79c7acdf4a0225e', { egress: [rule('-1', 0, 0, ['0.0.0.0/0'])] })],
    kind: 'modified',
    severity: 'medium',
    changes: { egress: [] },
  },
  {
    rule: 'security-groups.rule.modify',
    record: corpus('cloudtrail-watcher__ec2_ModifySecurityGroupRules'),
    state: [
      {
        type: 'aws_vpc_security_group_ingress_rule',
        attributes: {
          id: 'sgr-0481972caed6e2e1c',
          security_group_id: 'sg-ef6e8186',
          cidr_ipv4: '10.0.0.0/8',
          from_port: 443,
          to_port: 443,
          ip_protocol: 'tcp',
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { cidr_ipv4: '127.0.0.1/32' },
    unchanged: [
      {
        type: 'aws_vpc_security_group_ingress_rule',
        attributes: {
          id: 'sgr-0481972caed6e2e1c',
          cidr_ipv4: '127.0.0.1/32',
          from_port: 443,
          to_port: 443,
          ip_protocol: 'tcp',
        },
      },
    ],
  },
  {
    rule: 'security-groups.rule.describe',
    record: doc.UpdateSecurityGroupRuleDescriptionsIngress,
    state: [sg('sg-0a1b2c3d4e5f60718')],
    kind: 'modified',
    severity: 'low',
    changes: [],
  },
];

describe('security-groups rules', () => {
  ruleCases('rules/security-groups.yaml', cases);
});
