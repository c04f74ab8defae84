// rules/elbv2.yaml: application/network load balancers, listeners, rules, target groups and tags.
// Corpus records where they exist, the rest written from the ELBv2 API reference
// (test/fixtures/rules/elbv2/events.doc-shaped.json).

import { describe, expect, it } from 'vitest';
import { created, deleted, modified } from './case-builders.js';
import { findings, fixtureRecord, type StateResourceInput, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const corpus = (name: string) => fixtureRecord(`elbv2/corpus/${name}.json`);
const doc = docRecords('elbv2', 'elasticloadbalancing.amazonaws.com');
const LB = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188';
const LIS =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const RULE =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/73e2d6bc24d8a067';
const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/5678efgh-1234-abcd-efgh-1234567890ab';
const byArn = (type: string, arn: string, attributes: Record<string, unknown> = {}): StateResourceInput => ({
  type,
  attributes: { id: arn, arn, ...attributes },
});
const lb = (attributes: Record<string, unknown> = {}) =>
  byArn('aws_lb', LB, {
    name: 'web',
    enable_deletion_protection: true,
    idle_timeout: 60,
    security_groups: ['sg-0a1b2c3d4e5f60718'],
    subnets: ['subnet-0b1c2d3e4f5a60718'],
    ip_address_type: 'ipv4',
    ...attributes,
  });
const tg = (attributes: Record<string, unknown> = {}) =>
  byArn('aws_lb_target_group', TG, {
    name: 'web',
    deregistration_delay: '300',
    stickiness: [{ enabled: false, type: 'lb_cookie', cookie_duration: 86400 }],
    health_check: [{ path: '/', interval: 30, enabled: true }],
    tags: { Team: 'web' },
    ...attributes,
  });

const cases: RuleCase[] = [
  created(
    'elbv2.load-balancer.create',
    corpus('cloudtrail-watcher__elasticloadbalancing_CreateLoadBalancer_alb'),
    'aws_lb',
    'medium',
  ),
  deleted('elbv2.load-balancer.delete', doc.DeleteLoadBalancer, lb(), 'high'),
  modified(
    'elbv2.load-balancer.attributes',
    doc.ModifyLoadBalancerAttributes,
    lb(),
    'high',
    { enable_deletion_protection: false, idle_timeout: 120 },
    lb({ enable_deletion_protection: false, idle_timeout: 120 }),
  ),
  modified('elbv2.load-balancer.security-groups', doc.SetSecurityGroups, lb(), 'medium', {
    security_groups: ['sg-0ffffffffffff0001'],
  }),
  modified('elbv2.load-balancer.subnets', doc.SetSubnets, lb(), 'medium', {
    subnets: ['subnet-0b1c2d3e4f5a60718', 'subnet-0ffffffffffff0001'],
  }),
  modified('elbv2.load-balancer.ip-address-type', doc.SetIpAddressType, lb(), 'low', {
    ip_address_type: 'dualstack',
  }),
  created('elbv2.listener.create', doc.CreateListener, 'aws_lb_listener', 'medium'),
  modified(
    'elbv2.listener.modify',
    doc.ModifyListener,
    byArn('aws_lb_listener', LIS, {
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    }),
    'high',
    { port: 80, protocol: 'HTTP' },
  ),
  deleted('elbv2.listener.delete', doc.DeleteListener, byArn('aws_alb_listener', LIS, { port: 443 }), 'high'),
  created(
    'elbv2.listener-certificate.add',
    doc.AddListenerCertificates,
    'aws_lb_listener_certificate',
    'low',
  ),
  deleted(
    'elbv2.listener-certificate.remove',
    doc.RemoveListenerCertificates,
    {
      type: 'aws_lb_listener_certificate',
      attributes: { id: `${LIS}_${CERT}`, listener_arn: LIS, certificate_arn: CERT },
    },
    'medium',
  ),
  created('elbv2.rule.create', doc.CreateRule, 'aws_lb_listener_rule', 'medium'),
  modified(
    'elbv2.rule.modify',
    doc.ModifyRule,
    byArn('aws_lb_listener_rule', RULE, { priority: 10 }),
    'medium',
    [],
  ),
  modified(
    'elbv2.rule.priorities',
    doc.SetRulePriorities,
    byArn('aws_lb_listener_rule', RULE, { priority: 10 }),
    'medium',
    [],
  ),
  deleted('elbv2.rule.delete', doc.DeleteRule, byArn('aws_lb_listener_rule', RULE), 'medium'),
  created('elbv2.target-group.create', doc.CreateTargetGroup, 'aws_lb_target_group', 'low'),
  modified('elbv2.target-group.modify', doc.ModifyTargetGroup, tg(), 'medium', {
    'health_check[0].path': '/ping',
    'health_check[0].interval': 10,
  }),
  modified(
    'elbv2.target-group.attributes',
    doc.ModifyTargetGroupAttributes,
    tg(),
    'medium',
    { deregistration_delay: 30, 'stickiness[0].enabled': true },
    tg({ deregistration_delay: '30', stickiness: [{ enabled: true, type: 'lb_cookie' }] }),
  ),
  deleted('elbv2.target-group.delete', doc.DeleteTargetGroup, tg(), 'high'),
  created('elbv2.target.register', doc.RegisterTargets, 'aws_lb_target_group_attachment', 'low'),
  deleted(
    'elbv2.target.deregister',
    doc.DeregisterTargets,
    {
      type: 'aws_lb_target_group_attachment',
      attributes: {
        id: `${TG}-20260101000000000000000001`,
        target_group_arn: TG,
        target_id: 'i-0a1b2c3d4e5f60718',
        port: 80,
      },
    },
    'medium',
  ),
  modified(
    'elbv2.tags.add',
    corpus('cloud-custodian__event-cloud-trail-appelb-add-tags__1'),
    byArn(
      'aws_alb',
      'arn:aws:elasticloadbalancing:us-east-1:123456789123:loadbalancer/app/test/433ae0ba96204181',
      { tags: { Env: 'prod' } },
    ),
    'low',
    { 'tags.WAF': 'Internal' },
  ),
  modified(
    'elbv2.tags.remove',
    doc.RemoveTags,
    tg(),
    'low',
    { 'tags.Team': null },
    tg({ tags: { Env: 'prod' } }),
  ),
];

describe('elbv2 rules', () => {
  ruleCases('rules/elbv2.yaml', cases);

  it('leaves classic-shaped calls of the shared names to the classic rules', () => {
    const classic = fixtureRecord(
      'elb/corpus/cloudtrail-watcher__elasticloadbalancing_CreateLoadBalancer_clb.json',
    );
    const result = findings(classic, stateOf());
    expect(result.map((f) => [f.ruleId, f.resource.type])).toEqual([['elb.load-balancer.create', 'aws_elb']]);
  });
});
