// The dashboard's display helpers (web/src/lib/format.ts): what a table cell, the header and the
// detail panel show for times, resources and actors, including the fallbacks for missing or odd
// values an event can carry. (npx stryker run --mutate web/src/lib/format.ts)

import { describe, expect, it } from 'vitest';
import type { Drift } from '../../../lambdas/core/types.js';
import {
  actorLabel,
  attributesLabel,
  formatTime,
  nodeIdOf,
  relativeTime,
  resourceLabel,
  shortTime,
} from '../../../web/src/lib/format.js';

function drift(resource: Partial<Drift['resource']> = {}, actor: Partial<Drift['actor']> = {}): Drift {
  return {
    id: 'd-1',
    kind: 'modified',
    severity: 'high',
    ruleId: 'ec2.instance.modify',
    resource: {
      type: 'aws_instance',
      address: 'aws_instance.web',
      id: 'i-0abc',
      arn: 'arn:aws:ec2:eu-west-1:1:instance/i-0abc',
      stateFile: 'prod.tfstate',
      ...resource,
    },
    changes: [
      { attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' },
      { attribute: 'monitoring', expected: false, actual: true },
    ],
    actor: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::1:assumed-role/Admin/alice',
      name: 'alice',
      accountId: '1',
      sourceIp: null,
      userAgent: null,
      ...actor,
    },
    event: {
      id: 'ev-1',
      name: 'ModifyInstanceAttribute',
      source: 'ec2.amazonaws.com',
      time: '2026-01-01T10:00:00Z',
      region: 'eu-west-1',
      account: '1',
    },
    summary: 'alice changed instance_type',
    status: 'open',
    detectedAt: '2026-01-01T10:00:01Z',
  };
}

describe('times', () => {
  it('shows a UTC time without the T and the milliseconds', () => {
    expect(formatTime('2026-11-25T07:25:56.123Z')).toBe('2026-11-25 07:25:56Z');
    expect(formatTime('2026-11-25T08:25:56+01:00')).toBe('2026-11-25 07:25:56Z');
  });

  it('shows a dash for no time and an unparsable time as it came', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime('')).toBe('—');
    expect(formatTime('yesterday-ish')).toBe('yesterday-ish');
  });

  it('shortens to month, day and time for table cells, leaving odd values alone', () => {
    expect(shortTime('2026-11-25T07:25:56.000Z')).toBe('11-25 07:25:56');
    expect(shortTime(null)).toBe('—');
    expect(shortTime('not a time at all, long text')).toBe('not a time at all, long text');
    // Only a text that starts with a year is cut (an unparsable one is shown as it came, then cut).
    expect(shortTime('v2026-01-01x')).toBe('v2026-01-01x');
    expect(shortTime('2026-13-45 and more text')).toBe('13-45 and more');
  });

  it('says how long ago, rounding at each unit', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    const ago = (seconds: number) => relativeTime(new Date(now - seconds * 1000).toISOString(), now);
    expect(ago(0)).toBe('just now');
    expect(ago(44)).toBe('just now');
    expect(ago(45)).toBe('1 min ago');
    expect(ago(150)).toBe('3 min ago');
    expect(ago(3599)).toBe('60 min ago');
    expect(ago(3600)).toBe('1 h ago');
    expect(ago(5 * 3600 + 1700)).toBe('5 h ago');
    expect(ago(86_399)).toBe('24 h ago');
    expect(ago(86_400)).toBe('1 d ago');
    expect(ago(3 * 86_400 + 50_000)).toBe('4 d ago');
  });

  it('says never for no time and repeats an unparsable one', () => {
    expect(relativeTime(null)).toBe('never');
    expect(relativeTime('')).toBe('never');
    expect(relativeTime('soon', 0)).toBe('soon');
  });

  it('measures from the real clock when no time is given', () => {
    expect(relativeTime(new Date(Date.now() - 2 * 86_400_000).toISOString())).toBe('2 d ago');
  });
});

describe('labels', () => {
  it('names the resource by address, else id, else ARN, else unknown', () => {
    expect(resourceLabel(drift())).toBe('aws_instance.web');
    expect(resourceLabel(drift({ address: null }))).toBe('i-0abc');
    expect(resourceLabel(drift({ address: null, id: null as unknown as string }))).toBe(
      'arn:aws:ec2:eu-west-1:1:instance/i-0abc',
    );
    expect(resourceLabel(drift({ address: null, id: null as unknown as string, arn: null }))).toBe(
      '(unknown)',
    );
  });

  it('gives the graph node id: the address, or unmanaged:type:id', () => {
    expect(nodeIdOf(drift())).toBe('aws_instance.web');
    expect(nodeIdOf(drift({ address: null }))).toBe('unmanaged:aws_instance:i-0abc');
    expect(nodeIdOf(drift({ address: null, id: null as unknown as string }))).toBe('unmanaged:aws_instance:');
  });

  it('lists the changed attributes, comma-separated', () => {
    expect(attributesLabel(drift())).toBe('instance_type, monitoring');
  });

  it('names the actor by name, else ARN, else type', () => {
    expect(actorLabel(drift())).toBe('alice');
    expect(actorLabel(drift({}, { name: null }))).toBe('arn:aws:sts::1:assumed-role/Admin/alice');
    expect(actorLabel(drift({}, { name: null, arn: null }))).toBe('AssumedRole');
  });
});
