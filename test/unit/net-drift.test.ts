// Net drift (lambdas/core/net.ts): events folded per resource and attribute in time order — the
// state's value against the last value set, every event and principal named, a change set back to
// the state's value no drift. Records are real CloudTrail shapes from test/fixtures (SOURCES.md).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { type AttributeEffect, detectEvent } from '../../lambdas/core/detect.js';
import { type DetectedEvent, foldNetDrift } from '../../lambdas/core/net.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Finding } from '../../lambdas/core/types.js';
import { scan } from '../../lambdas/local/scan.js';
import { fixtureRecord, repoRules, type StateResourceInput, stateOf } from './rules/harness.js';
import { docRecords } from './rules/rule-records.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
// Techcadia/cloudtrail-console-actions: first.last sets i-09c0962723ab84080 to t2.xlarge.
const modifyType = JSON.parse(
  readFileSync(join(FIXTURES, 'cloudtrail/iamuser-console-modify-instance-attribute.json'), 'utf8'),
).Records[0] as Record<string, unknown>;
// netebakari/cloudtrail-lambda: console authorize (icmp from 203.0.113.1/32) and revoke on one group.
const authorize = fixtureRecord('security-groups/corpus/cloudtrail-lambda__authorize1_success.json');
const revoke = fixtureRecord('security-groups/corpus/cloudtrail-lambda__revoke1_success.json');
const deleteTags = docRecords('ec2', 'ec2.amazonaws.com').DeleteTags;

type Record_ = Record<string, unknown>;

/** The same call again, later, by another id (and optionally another principal or request). */
function again(record: Record_, n: number, patch: Record_ = {}): Record_ {
  return {
    ...record,
    eventID: `${String(record.eventID)}-${n}`,
    eventTime: new Date(Date.parse(String(record.eventTime)) + n * 60_000).toISOString().replace('.000', ''),
    ...patch,
  };
}

function withType(record: Record_, type: string, n: number, patch: Record_ = {}): Record_ {
  return again(record, n, {
    requestParameters: { instanceId: 'i-09c0962723ab84080', instanceType: { value: type } },
    ...patch,
  });
}

const bob = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEBOB',
  arn: 'arn:aws:iam::012345678901:user/bob',
  accountId: '012345678901',
  userName: 'bob',
};

const instance: StateResourceInput = {
  type: 'aws_instance',
  name: 'web',
  attributes: {
    id: 'i-09c0962723ab84080',
    instance_type: 't2.micro',
    tags: { Name: 'web', Team: 'core' },
  },
};
const group: StateResourceInput = {
  type: 'aws_security_group',
  name: 'db',
  attributes: { id: 'sg-01234567890abcdef', name: 'db', ingress: [], egress: [] },
};
const volume: StateResourceInput = {
  type: 'aws_ebs_volume',
  name: 'data',
  attributes: { id: 'vol-0a1b2c3d4e5f60718', tags: { Name: 'data' } },
};

/** Detect each record (in the order given, not time order) and fold: what `scan` does by default. */
function net(records: readonly Record_[], ...resources: StateResourceInput[]): Finding[] {
  const state = buildStateIndex([{ file: 'main.tfstate', text: stateOf(...resources) }]);
  const ctx = { rules: repoRules(), state, config: DEFAULT_CONFIG };
  const detected: DetectedEvent[] = records.map((record) => {
    const event = normaliseRecord(record);
    const effects: AttributeEffect[] = [];
    const { outcome } = detectEvent(event, ctx, effects);
    return { event, effects, findings: outcome.result === 'drift' ? outcome.findings : [] };
  });
  return foldNetDrift(detected, state);
}

describe('net drift', () => {
  it('reports the state value against the last value set, naming every event and principal', () => {
    const findings = net(
      [withType(modifyType, 'm5.large', 2, { userIdentity: bob }), withType(modifyType, 't2.xlarge', 1)],
      instance,
    );
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.kind).toBe('modified');
    expect(finding.changes).toEqual([
      { attribute: 'instance_type', expected: 't2.micro', actual: 'm5.large' },
    ]);
    // Time order, whatever the input order; the last event is the finding's event and actor.
    expect(finding.events?.map((e) => [e.time, e.actor.name])).toEqual([
      ['2019-10-02T22:09:46Z', 'first.last'],
      ['2019-10-02T22:10:46Z', 'bob'],
    ]);
    expect(finding.event.time).toBe('2019-10-02T22:10:46Z');
    expect(finding.actor.name).toBe('bob');
    expect(finding.actors?.map((a) => a.arn)).toEqual([
      'arn:aws:iam::012345678901:user/first.last',
      'arn:aws:iam::012345678901:user/bob',
    ]);
    expect(finding.summary).toBe(
      'first.last, bob changed instance_type from t2.micro to m5.large on aws_instance.web (2 events, last ModifyInstanceAttribute)',
    );
    expect(finding.id).toMatch(/^n-[0-9a-f]+$/);
  });

  it('gives the last event its own whole actor, even beside one that differs in a single field', () => {
    // Prepare: bob twice, the later call made for him by a service (same ARN, name, IP and user
    // agent: only invokedBy differs).
    const viaRole = { ...bob, invokedBy: 'cloudformation.amazonaws.com' };
    const records = [
      withType(modifyType, 'm5.large', 1, { userIdentity: bob }),
      withType(modifyType, 'm5.xlarge', 2, { userIdentity: viaRole }),
    ];
    const first = normaliseRecord(records[0]).actor;
    const second = normaliseRecord(records[1]).actor;
    expect(second).not.toEqual(first);

    // Act
    const [finding] = net(records, instance);
    const [reversed] = net(
      [...records].reverse().map((r, i) => ({ ...r, eventTime: records[i].eventTime })),
      instance,
    );

    // Assess: the finding's actor is the last event's, field for field; the list names both.
    expect(finding.actor).toEqual(second);
    expect(reversed.actor).toEqual(first);
    expect(finding.events?.map((e) => e.actor)).toEqual([
      { type: 'IAMUser', arn: bob.arn, name: 'bob' },
      { type: 'IAMUser', arn: bob.arn, name: 'bob' },
    ]);
    // One object per distinct actor is kept (a scan holds thousands of events by a few principals).
    const [same] = net([records[0], withType(modifyType, 'm5.xlarge', 3, { userIdentity: bob })], instance);
    expect(same.events?.[0].actor).toBe(same.events?.[1].actor);
    expect(finding.events?.[0].actor).not.toBe(finding.events?.[1].actor);
  });

  it('keeps the id of a net finding when more events fold into it', () => {
    const one = net([modifyType], instance);
    const two = net([modifyType, withType(modifyType, 'm5.large', 1)], instance);
    expect(two[0].id).toBe(one[0].id);
    expect(two[0].changes[0].actual).toBe('m5.large');
    expect(one[0].changes[0].actual).toBe('t2.xlarge');
  });

  it('reports nothing when a change is set back to the state value', () => {
    expect(net([modifyType, withType(modifyType, 't2.micro', 1)], instance)).toEqual([]);
    // The revert only counts after the change: reverse the times and the change stands.
    const findings = net([withType(modifyType, 't2.micro', -1), modifyType], instance);
    expect(findings.map((f) => f.changes)).toEqual([
      [{ attribute: 'instance_type', expected: 't2.micro', actual: 't2.xlarge' }],
    ]);
  });

  it('reports nothing for a call that sets the value the state already holds', () => {
    expect(net([withType(modifyType, 't2.micro', 0)], instance)).toEqual([]);
  });

  it('folds security-group rules item by item: a rule added then revoked is gone', () => {
    const icmp = (authorize.requestParameters as Record_).ipPermissions;
    const revokeIcmp = again(revoke, 5, {
      requestParameters: { groupId: 'sg-01234567890abcdef', ipPermissions: icmp },
    });
    expect(net([authorize, revokeIcmp], group)).toEqual([]);

    // Two rules added, one revoked: the other is the net drift, expected from state.
    const mysql = again(authorize, 1, {
      requestParameters: {
        groupId: 'sg-01234567890abcdef',
        ipPermissions: (revoke.requestParameters as Record_).ipPermissions,
      },
    });
    const [finding, ...rest] = net([authorize, mysql, revokeIcmp], group);
    expect(rest).toEqual([]);
    expect(finding.changes).toEqual([
      { attribute: 'ingress', expected: [], actual: ['tcp|3306|3306|cidr:203.0.113.1/32'] },
    ]);
    expect(finding.events?.map((e) => e.name)).toEqual([
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupIngress',
      'RevokeSecurityGroupIngress',
    ]);
  });

  it('folds tags per key: a tag added then deleted is no drift, a state tag deleted is', () => {
    const createTags = again(deleteTags, 1, {
      eventName: 'CreateTags',
      requestParameters: {
        resourcesSet: { items: [{ resourceId: 'vol-0a1b2c3d4e5f60718' }] },
        tagSet: { items: [{ key: 'Owner', value: 'alice' }] },
      },
    });
    const removeOwner = again(deleteTags, 2);
    expect(net([createTags, removeOwner], volume)).toEqual([]);

    const removeName = again(deleteTags, 3, {
      requestParameters: {
        resourcesSet: { items: [{ resourceId: 'vol-0a1b2c3d4e5f60718' }] },
        tagSet: { items: [{ key: 'Name' }] },
      },
    });
    const findings = net([createTags, removeName], volume);
    expect(findings.map((f) => f.changes[0]).sort((a, b) => a.attribute.localeCompare(b.attribute))).toEqual([
      { attribute: 'tags.Name', expected: 'data', actual: null },
      { attribute: 'tags.Owner', expected: null, actual: 'alice' },
    ]);
  });

  it('folds deletions and unmanaged creations per resource', () => {
    const terminate = {
      ...modifyType,
      eventName: 'TerminateInstances',
      requestParameters: { instancesSet: { items: [{ instanceId: 'i-09c0962723ab84080' }] } },
    };
    const findings = net([terminate, again(terminate, 1, { userIdentity: bob })], instance);
    expect(findings).toHaveLength(1);
    expect(findings[0].kind).toBe('deleted');
    expect(findings[0].changes).toEqual([]);
    expect(findings[0].events?.map((e) => e.actor.name)).toEqual(['first.last', 'bob']);
    expect(findings[0].resource.address).toBe('aws_instance.web');
  });

  it('names an event once when two of its rules touch the same attribute', () => {
    const findings = net([modifyType, modifyType], instance);
    expect(findings).toHaveLength(1);
    expect(findings[0].events).toHaveLength(1);
  });

  it('scan counts a redelivered record once, but not two calls that share a placeholder eventID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfdrift-net-'));
    try {
      writeFileSync(join(dir, 'main.tfstate'), stateOf(instance));
      const terminate = {
        ...modifyType,
        eventName: 'TerminateInstances',
        eventTime: '2019-10-02T22:30:00Z',
        requestParameters: { instancesSet: { items: [{ instanceId: 'i-09c0962723ab84080' }] } },
      };
      // Same eventID as modifyType (AWS's examples reuse them), another call: a second event; the same
      // call with another request, or failed, is another event too.
      const failedAgain = { ...modifyType, errorCode: 'Client.UnauthorizedOperation' };
      const otherRequest = withType(modifyType, 'm5.large', 0, { eventID: modifyType.eventID });
      writeFileSync(
        join(dir, 'events.json'),
        JSON.stringify({ Records: [modifyType, modifyType, terminate, failedAgain, otherRequest] }),
      );
      const report = await scan(
        { state: [join(dir, 'main.tfstate')], events: [join(dir, 'events.json')], mode: 'net' },
        repoRules(),
        DEFAULT_CONFIG,
      );
      expect(report.summary.events).toBe(4);
      expect(report.summary.duplicates).toBe(1);
      expect(report.summary.ignored['failed-call']).toBe(1);
      expect(report.findings.map((f) => [f.kind, f.events?.length]).sort()).toEqual([
        ['deleted', 1],
        ['modified', 2],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
