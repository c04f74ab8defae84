// JSON inside strings compares numbers and numeric text alike (class 6), and people read event
// names without API version suffixes and security-group rules as words (class 10) in the table,
// markdown and alerts, while the JSON report keeps the raw values.

import { describe, expect, it } from 'vitest';
import { alertText } from '../../lambdas/core/alert-text.js';
import { displayEventName, displayItems, displayValue } from '../../lambdas/core/display.js';
import type { Drift, Finding } from '../../lambdas/core/types.js';
import { renderReport, type ScanReport } from '../../lambdas/local/report.js';
import { run, stateOf } from './rules/harness.js';
import { docRecords } from './rules/rule-records.js';

// AWS API reference shape: SetQueueAttributes with a RedrivePolicy whose maxReceiveCount is "10".
const setAttributes = docRecords('sqs', 'sqs.amazonaws.com').SetQueueAttributesMany;
const Q = 'https://sqs.us-east-1.amazonaws.com/111122223333/jobs';
const DLQ = 'arn:aws:sqs:us-east-1:111122223333:jobs-dlq';
const queue = (maxReceiveCount: unknown) =>
  stateOf({
    type: 'aws_sqs_queue',
    attributes: {
      id: Q,
      url: Q,
      name: 'jobs',
      message_retention_seconds: 60,
      kms_master_key_id: '',
      redrive_policy: JSON.stringify({ deadLetterTargetArn: DLQ, maxReceiveCount }),
    },
  });

describe('JSON inside strings', () => {
  it('sees no change when the state holds the number the event writes as text', () => {
    expect(run(setAttributes, queue(10)).outcome).toEqual({ result: 'ignored', reason: 'no-change' });
    expect(run(setAttributes, queue('10')).outcome).toEqual({ result: 'ignored', reason: 'no-change' });
  });

  it('reports another number, both sides as numbers', () => {
    const outcome = run(setAttributes, queue(3)).outcome;
    expect(outcome.result).toBe('drift');
    const changes = outcome.result === 'drift' ? outcome.findings[0].changes : [];
    expect(changes).toEqual([
      {
        attribute: 'redrive_policy',
        expected: { deadLetterTargetArn: DLQ, maxReceiveCount: 3 },
        actual: { deadLetterTargetArn: DLQ, maxReceiveCount: 10 },
      },
    ]);
  });
});

const finding: Finding = {
  id: 'd-1',
  kind: 'modified',
  severity: 'critical',
  ruleId: 'security-groups.ingress.authorize',
  resource: {
    type: 'aws_security_group',
    address: 'aws_security_group.web',
    id: 'sg-1',
    arn: null,
    stateFile: 'main.tfstate',
  },
  changes: [
    {
      attribute: 'ingress',
      expected: ['tcp|443|443|cidr:10.0.0.0/16'],
      actual: [
        '-1|0|0|sg:sg-0abc',
        'tcp|22|22|cidr:0.0.0.0/0',
        'tcp|443|443|cidr:10.0.0.0/16',
        'udp|1000|2000|pl:pl-1',
      ],
    },
  ],
  actor: {
    type: 'IAMUser',
    arn: 'arn:aws:iam::111122223333:user/alice',
    name: 'alice',
    accountId: '111122223333',
    sourceIp: null,
    userAgent: null,
  },
  event: {
    id: 'e-1',
    name: 'AuthorizeSecurityGroupIngress20160915',
    source: 'ec2.amazonaws.com',
    time: '2026-01-15T10:00:00Z',
    region: 'us-east-1',
    account: '111122223333',
  },
  summary: 'alice changed ingress',
};
const report: ScanReport = {
  findings: [finding],
  summary: {
    events: 1,
    duplicates: 0,
    findings: 1,
    byKind: { modified: 1, deleted: 0, unmanaged: 0 },
    bySeverity: { low: 0, medium: 0, high: 0, critical: 1 },
    ignored: {},
    errors: 0,
    stateFiles: 1,
    resources: 1,
  },
  errors: [],
};
const READABLE =
  'all traffic from security group sg-0abc, tcp 22 from 0.0.0.0/0, tcp 443 from 10.0.0.0/16, udp 1000-2000 from prefix list pl-1';

describe('readable output', () => {
  it('turns a list of rule atoms into one readable line each, for the dashboard diff', () => {
    expect(displayItems(['tcp|22|22|cidr:0.0.0.0/0', 'udp|53|53|sg:sg-0abc'])).toEqual([
      'tcp 22 from 0.0.0.0/0',
      'udp 53 from security group sg-0abc',
    ]);
    expect(displayItems('-1|0|0|pl:pl-1')).toBe('all traffic from prefix list pl-1');
    // Anything else passes unchanged: an empty list, a list with one non-atom, plain text.
    expect(displayItems([])).toEqual([]);
    expect(displayItems(['tcp|22|22|cidr:0.0.0.0/0', 'x'])).toEqual(['tcp|22|22|cidr:0.0.0.0/0', 'x']);
    expect(displayItems('tcp|22')).toBe('tcp|22');
  });

  it('drops API version suffixes from event names, and only those', () => {
    expect(displayEventName('UpdateFunctionConfiguration20150331v2')).toBe('UpdateFunctionConfiguration');
    expect(displayEventName('TagResource20170331')).toBe('TagResource');
    expect(displayEventName('UntagResource2020_05_31')).toBe('UntagResource');
    expect(displayEventName('PutBucketVersioning')).toBe('PutBucketVersioning');
    expect(displayEventName('CreateVolume')).toBe('CreateVolume');
  });

  it('renders security-group rules as words, leaving other values alone', () => {
    expect(displayValue(finding.changes[0].actual)).toBe(READABLE);
    expect(displayValue(['tcp|0|65535|cidr:10.0.0.0/8'])).toBe('tcp all ports from 10.0.0.0/8');
    expect(displayValue(['a|b'])).toEqual(['a|b']);
    expect(displayValue('t3.micro')).toBe('t3.micro');
  });

  it('shows them in the table, markdown and alerts; the JSON report keeps the raw values', () => {
    const table = renderReport(report, 'table', { width: 400 });
    expect(table).toContain('AuthorizeSecurityGroupIngress ');
    expect(table).not.toContain('20160915');
    expect(table).toContain('ingress: tcp 443 from 10.0.0.0/16 → all traffic from security group');
    expect(table).not.toContain('tcp|22|22');
    const markdown = renderReport(report, 'markdown');
    expect(markdown).toContain('tcp 22 from 0\\.0\\.0\\.0/0');
    expect(markdown).not.toContain('20160915');
    const alert = alertText({ ...finding, status: 'open', detectedAt: '2026-01-15T10:00:01Z' } as Drift).body;
    expect(alert).toContain(`actual "${READABLE}"`);
    expect(alert).toContain('Call:      AuthorizeSecurityGroupIngress (ec2.amazonaws.com');
    const json = JSON.parse(renderReport(report, 'json'));
    expect(json.findings[0].changes).toEqual(finding.changes);
    expect(json.findings[0].event.name).toBe('AuthorizeSecurityGroupIngress20160915');
  });
});
