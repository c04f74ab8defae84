// rules/cloudwatch.yaml (monitoring.amazonaws.com): PutMetricAlarm from the corpus (cloudtrail-tracker),
// doc-shaped records (test/fixtures/rules/cloudwatch/) for the rest.

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, findings, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cloudwatch', 'monitoring.amazonaws.com');
const putAlarm = corpusRecord('cloudtrail-tracker/lambda/tests/sample-cloudtrail-event__135.json');
const ASG_ALARM = 'awsec2-as-group-171-High-CPU-Utilization';
const alarm = (name: string, extra = {}) =>
  res('aws_cloudwatch_metric_alarm', name, {
    alarm_name: name,
    arn: `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${name}`,
    actions_enabled: true,
    tags: { env: 'prod' },
    ...extra,
  });

const OPS_TOPIC = 'arn:aws:sns:us-east-1:974349055189:ops';
/** The corpus alarm's values as the provider stores them. */
const asgAlarm = () => ({
  threshold: 20,
  period: 3600,
  evaluation_periods: 2,
  comparison_operator: 'LessThanThreshold',
  metric_name: 'CPUUtilization',
  namespace: 'AWS/EC2',
  statistic: 'Average',
  alarm_actions: [
    'arn:aws:autoscaling:us-east-1:974349055189:scalingPolicy:73f303f9-1592-4580-94b4-d7589dd079a6:autoScalingGroupName/as-group-171:policyName/Decrease Group Size',
  ],
  insufficient_data_actions: [],
});

const cases: RuleCase[] = [
  modified(
    'cloudwatch.alarm.put',
    putAlarm,
    alarm(ASG_ALARM, { threshold: 10, period: 3600, evaluation_periods: 2 }),
    'medium',
    // PutMetricAlarm carries the whole alarm: every value the case state lacks or differs on.
    {
      threshold: 20,
      comparison_operator: 'LessThanThreshold',
      metric_name: 'CPUUtilization',
      namespace: 'AWS/EC2',
      statistic: 'Average',
      alarm_actions: [
        'arn:aws:autoscaling:us-east-1:974349055189:scalingPolicy:73f303f9-1592-4580-94b4-d7589dd079a6:autoScalingGroupName/as-group-171:policyName/Decrease Group Size',
      ],
    },
  ),
  modified(
    'cloudwatch.alarm.put',
    putAlarm,
    alarm(ASG_ALARM, { ...asgAlarm(), ok_actions: [OPS_TOPIC], alarm_description: 'scale in when idle' }),
    'medium',
    // Actions and a description the call leaves out are removed (the call replaces the alarm).
    { ok_actions: [], alarm_description: null },
    alarm(ASG_ALARM, { ...asgAlarm(), ok_actions: [], alarm_description: '' }),
    'whole alarm: left-out actions and description removed',
  ),
  created('cloudwatch.alarm.put', putAlarm, 'aws_cloudwatch_metric_alarm', 'medium', 'alarm no state holds'),
  deleted('cloudwatch.alarm.delete', doc.DeleteAlarms, alarm('root-login')),
  modified(
    'cloudwatch.alarm.disable-actions',
    doc.DisableAlarmActions,
    alarm('root-login'),
    'high',
    { actions_enabled: false },
    alarm('root-login', { actions_enabled: false }),
  ),
  modified(
    'cloudwatch.alarm.enable-actions',
    doc.EnableAlarmActions,
    alarm('root-login', { actions_enabled: false }),
    'low',
    { actions_enabled: true },
  ),
  modified(
    'cloudwatch.composite-alarm.put',
    doc.PutCompositeAlarm,
    res('aws_cloudwatch_composite_alarm', 'service-down', { alarm_rule: 'ALARM(a)', actions_enabled: true }),
    'medium',
    {
      actions_enabled: false,
    },
  ),
  modified(
    'cloudwatch.dashboard.put',
    doc.PutDashboard,
    res('aws_cloudwatch_dashboard', 'ops', { dashboard_body: '{"widgets":[{"type":"text"}]}' }),
    'low',
    {
      dashboard_body: { widgets: [] },
    },
  ),
  deleted('cloudwatch.dashboard.delete', doc.DeleteDashboards, res('aws_cloudwatch_dashboard', 'ops'), 'low'),
  modified(
    'cloudwatch.metric-stream.put',
    doc.PutMetricStream,
    res('aws_cloudwatch_metric_stream', 'to-siem', {
      firehose_arn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/siem',
      output_format: 'json',
    }),
    'low',
    {
      firehose_arn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/other',
    },
  ),
  deleted(
    'cloudwatch.metric-stream.delete',
    doc.DeleteMetricStream,
    res('aws_cloudwatch_metric_stream', 'to-siem'),
  ),
  modified(
    'cloudwatch.metric-stream.stop',
    doc.StopMetricStreams,
    res('aws_cloudwatch_metric_stream', 'to-siem'),
    'medium',
    [],
  ),
  modified('cloudwatch.tags.add', doc.TagResource, alarm('root-login'), 'low', { 'tags.owner': 'sec' }),
  modified('cloudwatch.tags.remove', doc.UntagResource, alarm('root-login'), 'low', { 'tags.env': null }),
];

describe('rules/cloudwatch.yaml', () => {
  ruleCases('rules/cloudwatch.yaml', cases);

  it('reports only the managed alarms of a DeleteAlarms batch', () => {
    expect(findings(doc.DeleteAlarms, stateOf(alarm('root-login'))).map((f) => f.resource.id)).toEqual([
      'root-login',
    ]);
  });
});
