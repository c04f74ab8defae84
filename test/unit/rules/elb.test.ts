// rules/elb.yaml: the Classic Load Balancer. Its calls share eventSource and some names with ELBv2
// (rules/elbv2.yaml); the last cases check that a v2-shaped call never reaches a classic rule.

import { describe, expect, it } from 'vitest';
import { modified, res } from './case-builders.js';
import { findings, fixtureRecord, type StateResourceInput, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const corpus = (name: string) => fixtureRecord(`elb/corpus/${name}.json`);
const doc = docRecords('elb', 'elasticloadbalancing.amazonaws.com');
const L = 'legacy-elb';
const elb = (attributes: Record<string, unknown> = {}): StateResourceInput => ({
  type: 'aws_elb',
  attributes: {
    id: L,
    name: L,
    arn: `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/${L}`,
    security_groups: ['sg-0a1b2c3d4e5f60718'],
    subnets: ['subnet-0b1c2d3e4f5a60718'],
    availability_zones: ['us-east-1a'],
    instances: ['i-0a1b2c3d4e5f60718'],
    access_logs: [{ enabled: true, bucket: 'elb-logs', bucket_prefix: '', interval: 60 }],
    health_check: [
      { target: 'TCP:80', interval: 30, timeout: 5, healthy_threshold: 10, unhealthy_threshold: 2 },
    ],
    tags: { Team: 'web' },
    ...attributes,
  },
});

const cases: RuleCase[] = [
  {
    rule: 'elb.load-balancer.create',
    record: corpus('cloudtrail-watcher__elasticloadbalancing_CreateLoadBalancer_clb'),
    state: [],
    type: 'aws_elb',
    kind: 'unmanaged',
    severity: 'medium',
  },
  {
    rule: 'elb.load-balancer.delete',
    record: doc.DeleteLoadBalancer,
    state: [elb()],
    kind: 'deleted',
    severity: 'high',
  },
  modified('elb.load-balancer.attributes', doc.ModifyLoadBalancerAttributes, elb(), 'high', {
    'access_logs[0].enabled': false,
  }),
  modified('elb.load-balancer.health-check', doc.ConfigureHealthCheck, elb(), 'medium', {
    'health_check[0].target': 'HTTP:80/health',
    'health_check[0].healthy_threshold': 3,
  }),
  modified('elb.load-balancer.listeners', doc.CreateLoadBalancerListeners, elb(), 'medium', []),
  modified(
    'elb.load-balancer.security-groups',
    doc.ApplySecurityGroupsToLoadBalancer,
    elb(),
    'medium',
    {
      security_groups: ['sg-0a1b2c3d4e5f60718', 'sg-0ffffffffffff0001'],
    },
    elb({ security_groups: ['sg-0ffffffffffff0001', 'sg-0a1b2c3d4e5f60718'] }),
  ),
  modified('elb.load-balancer.attach-subnets', doc.AttachLoadBalancerToSubnets, elb(), 'medium', {
    subnets: ['subnet-0b1c2d3e4f5a60718', 'subnet-0ffffffffffff0001'],
  }),
  modified(
    'elb.load-balancer.detach-subnets',
    doc.DetachLoadBalancerFromSubnets,
    elb({ subnets: ['subnet-0b1c2d3e4f5a60718', 'subnet-0ffffffffffff0001'] }),
    'medium',
    {
      subnets: ['subnet-0b1c2d3e4f5a60718'],
    },
  ),
  modified('elb.load-balancer.enable-zones', doc.EnableAvailabilityZonesForLoadBalancer, elb(), 'low', {
    availability_zones: ['us-east-1a', 'us-east-1c'],
  }),
  modified('elb.load-balancer.disable-zones', doc.DisableAvailabilityZonesForLoadBalancer, elb(), 'medium', {
    availability_zones: [],
  }),
  modified(
    'elb.instances.register',
    corpus('awsdocs-aws-certificate-user-guide__ct-related__2'),
    { type: 'aws_elb', attributes: { id: 'LinuxTest', name: 'LinuxTest', instances: [] } },
    'medium',
    { instances: ['i-c67f4e78'] },
    { type: 'aws_elb', attributes: { id: 'LinuxTest', name: 'LinuxTest', instances: ['i-c67f4e78'] } },
  ),
  {
    rule: 'elb.instances.deregister',
    record: doc.DeregisterInstancesFromLoadBalancer,
    state: [
      res('aws_elb_attachment', 'legacy-elb-20260101000000000000000001', {
        elb: L,
        instance: 'i-0a1b2c3d4e5f60718',
      }),
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'elb.policy.create',
    record: corpus('cloud-custodian__event-cloud-trail-create-load-balancer-policy'),
    state: [],
    type: 'aws_load_balancer_policy',
    kind: 'unmanaged',
    severity: 'high',
  },
  {
    rule: 'elb.policy.delete',
    record: doc.DeleteLoadBalancerPolicy,
    state: [
      res('aws_load_balancer_policy', `${L}:tls-policy`, {
        load_balancer_name: L,
        policy_name: 'tls-policy',
      }),
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'elb.policy.lb-cookie-stickiness-create',
    record: doc.CreateLBCookieStickinessPolicy,
    state: [],
    type: 'aws_lb_cookie_stickiness_policy',
    kind: 'unmanaged',
    severity: 'low',
  },
  {
    rule: 'elb.policy.app-cookie-stickiness-create',
    record: doc.CreateAppCookieStickinessPolicy,
    state: [],
    type: 'aws_app_cookie_stickiness_policy',
    kind: 'unmanaged',
    severity: 'low',
  },
  modified(
    'elb.policy.listener',
    doc.SetLoadBalancerPoliciesOfListener,
    res('aws_load_balancer_listener_policy', `${L}:443`, {
      load_balancer_name: L,
      load_balancer_port: 443,
      policy_names: ['tls-policy'],
    }),
    'medium',
    { policy_names: ['ELBSecurityPolicy-TLS-1-0-2015-04'] },
  ),
  modified(
    'elb.policy.backend-server',
    doc.SetLoadBalancerPoliciesForBackendServer,
    res('aws_load_balancer_backend_server_policy', `${L}:443`, {
      load_balancer_name: L,
      instance_port: 443,
      policy_names: ['backend-auth'],
    }),
    'medium',
    { policy_names: [] },
  ),
  modified(
    'elb.tags.add',
    doc.AddTags,
    elb(),
    'low',
    { 'tags.Team': 'edge' },
    elb({ tags: { Team: 'edge' } }),
  ),
  modified('elb.tags.remove', doc.RemoveTags, elb(), 'low', { 'tags.Team': null }),
];

describe('elb (classic) rules', () => {
  ruleCases('rules/elb.yaml', cases);

  it('ignores Auto Scaling registering the instances it launched', () => {
    const record = fixtureRecord('elb/corpus/cloudtrail-tracker__sample-cloudtrail-event__74.json');
    const state = stateOf({
      type: 'aws_elb',
      attributes: { id: 'alucloud171-lb', name: 'alucloud171-lb', instances: [] },
    });
    expect(findings(record, state)).toEqual([]);
    expect(findings({ ...record, userAgent: 'console.amazonaws.com' }, state)).toHaveLength(1);
  });

  it('leaves v2-shaped calls of the shared names to the v2 rules', () => {
    const v2 = fixtureRecord('elbv2/corpus/cloud-custodian__event-cloud-trail-appelb-add-tags__1.json');
    const state = stateOf(
      elb({
        arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789123:loadbalancer/app/test/433ae0ba96204181',
      }),
    );
    expect(findings(v2, state)).toEqual([]);
  });
});
