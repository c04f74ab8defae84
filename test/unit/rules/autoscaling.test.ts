// rules/autoscaling.yaml: Auto Scaling groups, launch configurations, policies, schedules, hooks,
// notifications and group tags. Corpus records where they exist, the rest written from the Auto
// Scaling API reference (test/fixtures/rules/autoscaling/events.doc-shaped.json).

import { describe } from 'vitest';
import { deleted, modified, res } from './case-builders.js';
import { fixtureRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const corpus = (name: string) => fixtureRecord(`autoscaling/corpus/${name}.json`);
const doc = docRecords('autoscaling', 'autoscaling.amazonaws.com');
const G = 'web-asg';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/73e2d6bc24d8a067';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:asg-events';
const asg = (attributes: Record<string, unknown> = {}) =>
  res('aws_autoscaling_group', G, {
    name: G,
    min_size: 2,
    max_size: 6,
    desired_capacity: 2,
    vpc_zone_identifier: ['subnet-0b1c2d3e4f5a60718'],
    suspended_processes: [],
    enabled_metrics: [],
    target_group_arns: [TG],
    load_balancers: [],
    tag: [],
    ...attributes,
  });

const cases: RuleCase[] = [
  {
    rule: 'autoscaling.group.create',
    record: corpus('cloudtrail-tracker__sample-cloudtrail-event__139'),
    state: [],
    type: 'aws_autoscaling_group',
    kind: 'unmanaged',
    severity: 'medium',
  },
  modified(
    'autoscaling.group.update',
    doc.UpdateAutoScalingGroup,
    asg(),
    'medium',
    {
      max_size: 10,
      desired_capacity: 4,
      vpc_zone_identifier: ['subnet-0b1c2d3e4f5a60718', 'subnet-0ffffffffffff0001'],
    },
    asg({
      max_size: 10,
      desired_capacity: 4,
      vpc_zone_identifier: ['subnet-0ffffffffffff0001', 'subnet-0b1c2d3e4f5a60718'],
    }),
  ),
  deleted('autoscaling.group.delete', doc.DeleteAutoScalingGroup, asg(), 'high'),
  modified('autoscaling.group.desired-capacity', doc.SetDesiredCapacity, asg(), 'low', {
    desired_capacity: 6,
  }),
  modified(
    'autoscaling.group.suspend-processes',
    doc.SuspendProcesses,
    asg(),
    'medium',
    {
      suspended_processes: ['HealthCheck', 'ReplaceUnhealthy'],
    },
    asg({ suspended_processes: ['ReplaceUnhealthy', 'HealthCheck'] }),
  ),
  modified(
    'autoscaling.group.resume-processes',
    doc.ResumeProcesses,
    asg({ suspended_processes: ['AZRebalance', 'HealthCheck'] }),
    'low',
    {
      suspended_processes: ['HealthCheck'],
    },
  ),
  modified('autoscaling.group.enable-metrics', doc.EnableMetricsCollection, asg(), 'low', {
    enabled_metrics: ['GroupDesiredCapacity', 'GroupInServiceInstances'],
  }),
  modified(
    'autoscaling.group.disable-metrics',
    doc.DisableMetricsCollection,
    asg({ enabled_metrics: ['GroupDesiredCapacity'] }),
    'low',
    {
      enabled_metrics: [],
    },
  ),
  modified('autoscaling.group.attach-target-groups', doc.AttachLoadBalancerTargetGroups, asg(), 'medium', {
    target_group_arns: [
      'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/canary/0123456789abcdef',
      TG,
    ],
  }),
  deleted(
    'autoscaling.group.detach-target-groups',
    doc.DetachLoadBalancerTargetGroups,
    res('aws_autoscaling_attachment', 'web-asg-20260101000000000000000001', {
      autoscaling_group_name: G,
      lb_target_group_arn: TG,
    }),
    'medium',
  ),
  modified('autoscaling.group.attach-load-balancers', doc.AttachLoadBalancers, asg(), 'medium', {
    load_balancers: ['legacy-elb'],
  }),
  modified(
    'autoscaling.group.detach-load-balancers',
    doc.DetachLoadBalancers,
    asg({ load_balancers: ['legacy-elb'] }),
    'medium',
    {
      load_balancers: [],
    },
  ),
  modified(
    'autoscaling.group.warm-pool',
    doc.PutWarmPool,
    asg({ warm_pool: [{ min_size: 0, pool_state: 'Hibernated', max_group_prepared_capacity: -1 }] }),
    'low',
    {
      'warm_pool[0].min_size': 2,
      'warm_pool[0].pool_state': 'Stopped',
    },
  ),
  modified(
    'autoscaling.tags.create-or-update',
    doc.CreateOrUpdateTags,
    asg({ tag: [{ key: 'Team', value: 'web', propagate_at_launch: true }] }),
    'low',
    {
      'tag.Team': 'payments',
    },
    asg({ tag: [{ key: 'Team', value: 'payments', propagate_at_launch: true }] }),
  ),
  modified(
    'autoscaling.tags.delete',
    doc.DeleteTags,
    asg({ tag: [{ key: 'CostCenter', value: '42', propagate_at_launch: false }] }),
    'low',
    {
      'tag.CostCenter': null,
    },
  ),
  {
    rule: 'autoscaling.launch-configuration.create',
    record: corpus('awsdocs-amazon-ec2-auto-scaling-user-guide__logging-using-cloudtrail__1'),
    state: [],
    type: 'aws_launch_configuration',
    kind: 'unmanaged',
    severity: 'low',
  },
  deleted(
    'autoscaling.launch-configuration.delete',
    doc.DeleteLaunchConfiguration,
    res('aws_launch_configuration', 'web-lc-2025', { name: 'web-lc-2025' }),
    'medium',
  ),
  modified(
    'autoscaling.policy.put',
    corpus('cloudtrail-tracker__sample-cloudtrail-event__10'),
    res('aws_autoscaling_policy', 'Increase Group Size', {
      arn: 'arn:aws:autoscaling:us-east-1:974349055189:scalingPolicy:a6597cf7-c65c-4b78-adfc-0fb824c765bc:autoScalingGroupName/as-group-171:policyName/Increase Group Size',
      autoscaling_group_name: 'as-group-171',
      scaling_adjustment: 2,
      adjustment_type: 'ChangeInCapacity',
      cooldown: 300,
      policy_type: 'SimpleScaling',
    }),
    'medium',
    { scaling_adjustment: 1, cooldown: 120 },
  ),
  deleted(
    'autoscaling.policy.delete',
    doc.DeletePolicy,
    res('aws_autoscaling_policy', 'scale-out', {
      autoscaling_group_name: G,
      arn: 'arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:1:autoScalingGroupName/web-asg:policyName/scale-out',
    }),
    'medium',
  ),
  {
    rule: 'autoscaling.schedule.put',
    record: doc.PutScheduledUpdateGroupAction,
    state: [],
    type: 'aws_autoscaling_schedule',
    kind: 'unmanaged',
    severity: 'low',
  },
  {
    rule: 'autoscaling.schedule.batch-put',
    record: doc.BatchPutScheduledUpdateGroupAction,
    state: [res('aws_autoscaling_schedule', 'nightly-stop', { autoscaling_group_name: G })],
    count: 1,
    kind: 'modified',
    severity: 'low',
    changes: [],
  },
  {
    rule: 'autoscaling.schedule.batch-delete',
    record: doc.BatchDeleteScheduledAction,
    state: [
      res('aws_autoscaling_schedule', 'nightly-stop', { autoscaling_group_name: G }),
      res('aws_autoscaling_schedule', 'morning-start', { autoscaling_group_name: G }),
    ],
    count: 2,
    kind: 'deleted',
    severity: 'low',
  },
  deleted(
    'autoscaling.schedule.delete',
    doc.DeleteScheduledAction,
    res('aws_autoscaling_schedule', 'nightly-stop', { autoscaling_group_name: G }),
    'low',
  ),
  modified(
    'autoscaling.lifecycle-hook.put',
    doc.PutLifecycleHook,
    res('aws_autoscaling_lifecycle_hook', 'drain', {
      autoscaling_group_name: G,
      lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeat_timeout: 300,
      default_result: 'CONTINUE',
    }),
    'medium',
    { heartbeat_timeout: 600, default_result: 'ABANDON' },
  ),
  deleted(
    'autoscaling.lifecycle-hook.delete',
    doc.DeleteLifecycleHook,
    res('aws_autoscaling_lifecycle_hook', 'drain', { autoscaling_group_name: G }),
    'medium',
  ),
  modified(
    'autoscaling.notification.put',
    doc.PutNotificationConfiguration,
    res('aws_autoscaling_notification', TOPIC, {
      topic_arn: TOPIC,
      group_names: [G],
      notifications: ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_TERMINATE'],
    }),
    'low',
    { group_names: ['batch-asg', G] },
  ),
  modified(
    'autoscaling.notification.delete',
    doc.DeleteNotificationConfiguration,
    res('aws_autoscaling_notification', TOPIC, { topic_arn: TOPIC, group_names: [G, 'batch-asg'] }),
    'low',
    { group_names: ['batch-asg'] },
  ),
];

describe('autoscaling rules', () => {
  ruleCases('rules/autoscaling.yaml', cases);
});
