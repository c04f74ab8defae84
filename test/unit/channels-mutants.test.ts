// What PagerDuty and Security Hub receive for a drift, field by field, for the drifts the mapping
// tests elsewhere do not reach: no address, no id, no ARN, no actor name, every severity, hostile
// lengths. Each test checks both sides of what it changes (mutation runs of lambdas/core/pagerduty.ts
// and asff.ts).

import { describe, expect, it } from 'vitest';
import { type AsffPartition, asffFinding } from '../../lambdas/core/asff.js';
import {
  type DriftEvent,
  driftDetectedEvent,
  driftStatusChangedEvent,
} from '../../lambdas/core/drift-events.js';
import { pagerDutyEvent } from '../../lambdas/core/pagerduty.js';
import { type Drift, SEVERITIES } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

const base = sampleDrift(3);

function driftWith(resource: Partial<Drift['resource']>, actor: Partial<Drift['actor']> = {}): Drift {
  return { ...base, resource: { ...base.resource, ...resource }, actor: { ...base.actor, ...actor } };
}

const detected = (drift: Drift, dashboardUrl?: string): DriftEvent =>
  driftDetectedEvent(drift, dashboardUrl ? { dashboardUrl } : {});

describe('PagerDuty events', () => {
  it('names the resource by address, else by type and id, else ARN, else says the id is unknown', () => {
    const component = (resource: Partial<Drift['resource']>) =>
      pagerDutyEvent(detected(driftWith(resource)))?.payload?.component;
    expect(component({})).toBe('module.app.aws_instance.web[0]');
    expect(component({ address: null })).toBe('aws_instance i-0abc0');
    expect(component({ address: null, id: null, arn: 'arn:aws:ec2:eu-west-1:1:instance/i-1' })).toBe(
      'aws_instance arn:aws:ec2:eu-west-1:1:instance/i-1',
    );
    expect(component({ address: null, id: null, arn: null })).toBe('aws_instance (unknown id)');
  });

  it('names the actor by name, else by ARN, else as an unknown principal', () => {
    const summary = (actor: Partial<Drift['actor']>) =>
      pagerDutyEvent(detected(driftWith({}, actor)))?.payload?.summary;
    expect(summary({})).toBe(
      '[MEDIUM] Terraform drift (modified): module.app.aws_instance.web[0] by alice@example.com',
    );
    expect(summary({ name: null })).toMatch(
      / by arn:aws:sts::123456789012:assumed-role\/Admin\/alice@example\.com$/,
    );
    expect(summary({ name: null, arn: null })).toMatch(/ by unknown principal$/);
  });

  it('maps every severity to the PagerDuty one and writes it upper-case in the summary', () => {
    const mapped = SEVERITIES.map((severity) => {
      const payload = pagerDutyEvent(detected({ ...base, severity }))?.payload;
      return [payload?.severity, payload?.summary.slice(0, payload.summary.indexOf(']') + 1)];
    });
    expect(mapped).toEqual([
      ['info', '[LOW]'],
      ['warning', '[MEDIUM]'],
      ['error', '[HIGH]'],
      ['critical', '[CRITICAL]'],
    ]);
  });

  it('sources the alert at the ARN, else at the account and region; groups by state file', () => {
    const withArn = pagerDutyEvent(detected(driftWith({ arn: 'arn:aws:ec2:eu-west-1:1:instance/i-1' })));
    expect(withArn?.payload?.source).toBe('arn:aws:ec2:eu-west-1:1:instance/i-1');
    const payload = pagerDutyEvent(detected(base))?.payload;
    expect(payload?.source).toBe('123456789012/eu-west-1');
    expect(payload?.group).toBe('examples/demo/app.tfstate');
    expect(pagerDutyEvent(detected(driftWith({ stateFile: null })))?.payload?.group).toBe('unmanaged');
  });

  it('carries the details a responder needs, and the rule that fired', () => {
    const payload = pagerDutyEvent(detected(base))?.payload;
    expect(payload?.timestamp).toBe(base.event.time);
    expect(payload?.class).toBe('modified');
    expect(payload?.custom_details).toEqual({
      summary: base.summary,
      changes: base.changes,
      actor: { type: 'AssumedRole', arn: base.actor.arn, name: 'alice@example.com', sourceIp: '203.0.113.7' },
      event: base.event,
      ruleId: 'ec2-instance-attribute',
    });
  });

  it('links the dashboard only when its address is known', () => {
    const linked = pagerDutyEvent(detected(base, 'https://d111.cloudfront.net'));
    expect(linked?.client_url).toBe('https://d111.cloudfront.net/#drift=drift-0003');
    const bare = pagerDutyEvent(detected(base));
    expect(bare).not.toHaveProperty('client_url');
    expect(bare).not.toHaveProperty('links');
    expect(bare?.client).toBe('tfdrift');
  });

  it('cuts the dedup key to 255 characters and the texts to their limits, each on one line', () => {
    const hostile = driftWith(
      { address: `a\n${'b'.repeat(2000)}`, arn: `arn:${'c'.repeat(400)}`, stateFile: 's'.repeat(400) },
      { name: 'n'.repeat(1200) },
    );
    const event = pagerDutyEvent(detected({ ...hostile, id: 'd'.repeat(300) }), 'R'.repeat(32));
    expect(event?.dedup_key).toBe('d'.repeat(255));
    expect(event?.payload?.summary).toHaveLength(1024);
    expect(event?.payload?.summary).not.toContain('\n');
    expect(event?.payload?.source).toHaveLength(255);
    expect(event?.payload?.component).toHaveLength(255);
    expect(event?.payload?.component.startsWith('a?b')).toBe(true);
    expect(event?.payload?.group).toHaveLength(255);
    expect(pagerDutyEvent(detected(base))?.dedup_key).toBe('drift-0003');
  });

  it('acknowledges or resolves by the status the change moved to; another change sends nothing', () => {
    const change = (status: Drift['status'], previous: Drift['status']) =>
      pagerDutyEvent(
        driftStatusChangedEvent(
          { ...base, status },
          { previous, status, by: 'bob', at: '2026-01-02T00:00:00Z' },
        ),
      );
    expect(change('acknowledged', 'open')).toEqual({ event_action: 'acknowledge', dedup_key: 'drift-0003' });
    expect(change('resolved', 'open')).toEqual({ event_action: 'resolve', dedup_key: 'drift-0003' });
    expect(change('open', 'resolved')).toBeNull();
  });

  it("falls back to the drift's own status when a status change carries no statusChange", () => {
    const changed = (status: Drift['status']) => {
      const event = driftStatusChangedEvent(
        { ...base, status },
        { previous: 'open', status, by: 'bob', at: '2026-01-02T00:00:00Z' },
      );
      const { statusChange: _dropped, ...detail } = event.detail;
      return pagerDutyEvent({ ...event, detail });
    };
    expect(changed('resolved')?.event_action).toBe('resolve');
    expect(changed('acknowledged')?.event_action).toBe('acknowledge');
    expect(changed('open')).toBeNull();
  });
});

describe('Security Hub findings', () => {
  const options = { accountId: '111111111111', region: 'eu-west-1' };

  it('titles the finding by address, else type and id, else ARN, and by actor name, else ARN', () => {
    const title = (resource: Partial<Drift['resource']>, actor: Partial<Drift['actor']> = {}) =>
      asffFinding(detected(driftWith(resource, actor)), options).Title;
    expect(title({})).toBe('Terraform drift (modified): module.app.aws_instance.web[0] by alice@example.com');
    expect(title({ address: null })).toBe(
      'Terraform drift (modified): aws_instance i-0abc0 by alice@example.com',
    );
    expect(title({ address: null, id: null, arn: 'arn:aws:x' })).toBe(
      'Terraform drift (modified): aws_instance arn:aws:x by alice@example.com',
    );
    expect(title({ address: null, id: null, arn: null }, { name: null })).toBe(
      `Terraform drift (modified): aws_instance (unknown id) by ${base.actor.arn}`,
    );
    expect(title({}, { name: null, arn: null })).toMatch(/ by unknown principal$/);
  });

  it('describes the summary, the first five changes and the call', () => {
    const changes = Array.from({ length: 7 }, (_, n) => ({ attribute: `a${n}`, expected: n, actual: n + 1 }));
    const finding = asffFinding(detected({ ...base, changes }), options);
    expect(finding.Description).toBe(
      [
        base.summary,
        'a0: expected 0, actual 1',
        'a1: expected 1, actual 2',
        'a2: expected 2, actual 3',
        'a3: expected 3, actual 4',
        'a4: expected 4, actual 5',
        `Call ModifyInstanceAttribute by ${base.actor.arn} at ${base.event.time}`,
      ].join('. '),
    );
    const noArn = asffFinding(detected(driftWith({}, { arn: null })), options).Description;
    expect(noArn).toMatch(/Call ModifyInstanceAttribute by alice@example\.com at /);
  });

  it('cuts each part of the description, and the description, to its limit', () => {
    const long = 'x'.repeat(2000);
    const parts = asffFinding(
      detected({
        ...base,
        summary: long,
        changes: [{ attribute: long, expected: long, actual: long }],
        event: { ...base.event, name: long, time: long },
      }),
      options,
    ).Description.split('. ');
    expect(parts[0]).toHaveLength(400);
    expect(parts[1]).toBe(`${'x'.repeat(97)}...: expected ${'x'.repeat(97)}..., actual ${'x'.repeat(97)}...`);
    const call = asffFinding(
      detected({ ...base, event: { ...base.event, name: long, time: long } }),
      options,
    ).Description;
    expect(call.slice(call.indexOf('. Call ') + 2)).toBe(
      `Call ${'x'.repeat(77)}... by ${base.actor.arn} at ${'x'.repeat(37)}...`,
    );
    const whole = asffFinding(
      detected({
        ...base,
        changes: Array.from({ length: 5 }, () => ({ attribute: long, expected: long, actual: long })),
      }),
      options,
    ).Description;
    expect(whole).toHaveLength(1024);
  });

  it('keeps the Terraform details, leaving out an address or a state file it does not have', () => {
    const other = (drift: Drift) => asffFinding(detected(drift), options).Resources[0].Details.Other;
    expect(other(base)).toEqual({
      terraformType: 'aws_instance',
      ruleId: 'ec2-instance-attribute',
      kind: 'modified',
      eventName: 'ModifyInstanceAttribute',
      eventId: 'evt-3',
      terraformAddress: 'module.app.aws_instance.web[0]',
      stateFile: 'examples/demo/app.tfstate',
    });
    const unmanaged = other(driftWith({ address: null, stateFile: null }));
    expect(unmanaged).not.toHaveProperty('terraformAddress');
    expect(unmanaged).not.toHaveProperty('stateFile');
    const long = other(
      driftWith({ type: 't'.repeat(300), address: 'a'.repeat(2000), stateFile: 's'.repeat(2000) }),
    );
    expect([long.terraformType.length, long.terraformAddress.length, long.stateFile.length]).toEqual([
      128, 1024, 1024,
    ]);
  });

  it('identifies the resource by ARN, else id, else address, else the drift id', () => {
    const id = (resource: Partial<Drift['resource']>) =>
      asffFinding(detected(driftWith(resource)), options).Resources[0].Id;
    expect(id({ arn: 'arn:aws:ec2:eu-west-1:1:instance/i-1' })).toBe('arn:aws:ec2:eu-west-1:1:instance/i-1');
    expect(id({})).toBe('i-0abc0');
    expect(id({ id: null })).toBe('module.app.aws_instance.web[0]');
    expect(id({ id: null, address: null })).toBe('drift-0003');
  });

  it("takes the partition from the resource's ARN, else from the options, else aws", () => {
    const partition = (arn: string | null, option?: AsffPartition) =>
      asffFinding(detected(driftWith({ arn })), { ...options, ...(option ? { partition: option } : {}) })
        .Resources[0].Partition;
    expect(partition('arn:aws-us-gov:s3:::b')).toBe('aws-us-gov');
    expect(partition('arn:aws-cn:s3:::b', 'aws')).toBe('aws-cn');
    expect(partition('arn:other:s3:::b', 'aws-cn')).toBe('aws-cn');
    expect(partition(null)).toBe('aws');
    expect(partition(null, 'aws-us-gov')).toBe('aws-us-gov');
    expect(asffFinding(detected(base), { ...options, partition: 'aws-cn' }).ProductArn).toBe(
      'arn:aws-cn:securityhub:eu-west-1:111111111111:product/111111111111/default',
    );
  });

  // ASFF's resource types (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-resources.html)
  // for the Terraform types that have one.
  it.each([
    ['aws_instance', 'AwsEc2Instance'],
    ['aws_security_group', 'AwsEc2SecurityGroup'],
    ['aws_vpc', 'AwsEc2Vpc'],
    ['aws_subnet', 'AwsEc2Subnet'],
    ['aws_ebs_volume', 'AwsEc2Volume'],
    ['aws_s3_bucket', 'AwsS3Bucket'],
    ['aws_iam_role', 'AwsIamRole'],
    ['aws_iam_user', 'AwsIamUser'],
    ['aws_iam_policy', 'AwsIamPolicy'],
    ['aws_iam_access_key', 'AwsIamAccessKey'],
    ['aws_lambda_function', 'AwsLambdaFunction'],
    ['aws_db_instance', 'AwsRdsDbInstance'],
    ['aws_rds_cluster', 'AwsRdsDbCluster'],
    ['aws_dynamodb_table', 'AwsDynamoDbTable'],
    ['aws_sns_topic', 'AwsSnsTopic'],
    ['aws_sqs_queue', 'AwsSqsQueue'],
    ['aws_kms_key', 'AwsKmsKey'],
    ['aws_cloudtrail', 'AwsCloudTrailTrail'],
    ['aws_lb', 'AwsElbv2LoadBalancer'],
    ['aws_ecr_repository', 'AwsEcrRepository'],
    ['aws_secretsmanager_secret', 'AwsSecretsManagerSecret'],
    ['aws_s3_bucket_versioning', 'Other'],
  ])('files a %s as the ASFF resource type %s', (type, asffType) => {
    expect(asffFinding(detected(driftWith({ type })), options).Resources[0].Type).toBe(asffType);
  });

  it('gives every severity its label, the product its names and the times of the call', () => {
    expect(
      SEVERITIES.map((severity) => asffFinding(detected({ ...base, severity }), options).Severity),
    ).toEqual([
      { Label: 'LOW', Original: 'low' },
      { Label: 'MEDIUM', Original: 'medium' },
      { Label: 'HIGH', Original: 'high' },
      { Label: 'CRITICAL', Original: 'critical' },
    ]);
    const finding = asffFinding(detected({ ...base, detectedAt: '2026-01-01T10:05:00Z' }), options);
    expect(finding).toMatchObject({
      ProductName: 'tfdrift',
      CompanyName: 'tfdrift',
      FirstObservedAt: base.event.time,
      LastObservedAt: base.event.time,
      CreatedAt: '2026-01-01T10:05:00Z',
      UpdatedAt: '2026-01-01T10:05:00Z',
    });
    expect(finding.Resources[0].Region).toBe('eu-west-1');
    expect(finding).not.toHaveProperty('SourceUrl');
    expect(asffFinding(detected(driftWith({ type: 'aws_sqs_queue' })), options).Resources[0].Type).toBe(
      'AwsSqsQueue',
    );
  });
});
