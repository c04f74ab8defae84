// Drift events as a receiver meets them: a forged or damaged event is refused naming the field that is
// wrong (and a good one passes), and an event too large for EventBridge is cut in stages, keeping what
// matters most. Written from the mutation run of lambdas/core/drift-events.ts.

import { describe, expect, it } from 'vitest';
import {
  type DriftEvent,
  driftDetectedEvent,
  driftStatusChangedEvent,
  MAX_DETAIL_BYTES,
  parseDriftEvent,
} from '../../lambdas/core/drift-events.js';
import type { Drift, NetFindingEvent } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

/** A drift event as it comes off the bus: JSON, with the fields EventBridge adds. */
function delivered(event: DriftEvent): Record<string, unknown> {
  return {
    version: '0',
    id: 'e-1',
    account: '123456789012',
    region: 'eu-west-1',
    ...JSON.parse(JSON.stringify(event)),
  };
}

const drift = sampleDrift(2);
const good = delivered(driftDetectedEvent(drift));
const goodChange = delivered(
  driftStatusChangedEvent(
    { ...drift, status: 'resolved' },
    { previous: 'open', status: 'resolved', by: 'bob', at: '2026-01-02T00:00:00.000Z' },
  ),
);

type Doc = Record<string, unknown>;
const detailOf = (doc: Doc) => doc.detail as Doc;
const withDetail = (doc: Doc, over: Doc): Doc => ({ ...doc, detail: { ...detailOf(doc), ...over } });
const withPart = (doc: Doc, part: string, over: Doc): Doc =>
  withDetail(doc, { [part]: { ...(detailOf(doc)[part] as Doc), ...over } });

const refusal = (doc: unknown) => {
  try {
    parseDriftEvent(doc);
    return '';
  } catch (error) {
    return (error as Error).message.replace('not a tfdrift drift event: ', '');
  }
};

describe('parseDriftEvent', () => {
  it('passes both kinds of event as tfdrift sent them', () => {
    expect(refusal(good)).toBe('');
    expect(refusal(goodChange)).toBe('');
    expect(parseDriftEvent(goodChange).detail.statusChange?.status).toBe('resolved');
  });

  it.each([
    ['null', null, 'the event is not an object'],
    ['a list', [good], 'the event is not an object'],
    ['a string', 'event', 'the event is not an object'],
    ['another source', { ...good, source: 'aws.s3' }, 'source is not tfdrift'],
    ['another detail-type', { ...good, 'detail-type': 'Drift Changed' }, 'unknown detail-type'],
    ['no detail', { ...good, detail: undefined }, 'detail is not an object'],
    ['an empty id', withDetail(good, { id: '' }), 'detail.id is not a string'],
    ['a numeric id', withDetail(good, { id: 7 }), 'detail.id is not a string'],
    ['an unknown kind', withDetail(good, { kind: 'changed' }), 'detail.kind'],
    ['an unknown severity', withDetail(good, { severity: 'urgent' }), 'detail.severity'],
    ['an unknown status', withDetail(good, { status: 'closed' }), 'detail.status'],
    ['no rule id', withDetail(good, { ruleId: undefined }), 'detail.ruleId is not a string'],
    ['no summary', withDetail(good, { summary: 3 }), 'detail.summary is not a string'],
    ['no detection time', withDetail(good, { detectedAt: '' }), 'detail.detectedAt is not a string'],
    ['no resource', withDetail(good, { resource: 'i-1' }), 'detail.resource is not an object'],
    [
      'a resource without type',
      withPart(good, 'resource', { type: null }),
      'detail.resource.type is not a string',
    ],
    [
      'a numeric address',
      withPart(good, 'resource', { address: 1 }),
      'detail.resource.address is not a string or null',
    ],
    [
      'a numeric resource id',
      withPart(good, 'resource', { id: 1 }),
      'detail.resource.id is not a string or null',
    ],
    [
      'an ARN list',
      withPart(good, 'resource', { arn: ['a'] }),
      'detail.resource.arn is not a string or null',
    ],
    [
      'a state file object',
      withPart(good, 'resource', { stateFile: {} }),
      'detail.resource.stateFile is not a string or null',
    ],
    ['no actor', withDetail(good, { actor: null }), 'detail.actor is not an object'],
    ['an actor without type', withPart(good, 'actor', { type: '' }), 'detail.actor.type is not a string'],
    ['a numeric actor ARN', withPart(good, 'actor', { arn: 1 }), 'detail.actor.arn is not a string or null'],
    [
      'a numeric actor name',
      withPart(good, 'actor', { name: 1 }),
      'detail.actor.name is not a string or null',
    ],
    ['no event', withDetail(good, { event: [] }), 'detail.event is not an object'],
    ['an event without id', withPart(good, 'event', { id: '' }), 'detail.event.id is not a string'],
    [
      'an event without name',
      withPart(good, 'event', { name: undefined }),
      'detail.event.name is not a string',
    ],
    [
      'an event without source',
      withPart(good, 'event', { source: 1 }),
      'detail.event.source is not a string',
    ],
    ['an event without time', withPart(good, 'event', { time: null }), 'detail.event.time is not a string'],
    [
      'an event without region',
      withPart(good, 'event', { region: '' }),
      'detail.event.region is not a string',
    ],
    [
      'an event without account',
      withPart(good, 'event', { account: 1 }),
      'detail.event.account is not a string',
    ],
    ['changes not a list', withDetail(good, { changes: {} }), 'detail.changes is not a list'],
    ['a change that is not an object', withDetail(good, { changes: ['x'] }), 'a change is not an object'],
    [
      'a change without attribute',
      withDetail(good, { changes: [{ expected: 1 }] }),
      'a change attribute is not a string',
    ],
    [
      'a status change without statusChange',
      withDetail(goodChange, { statusChange: undefined }),
      'detail.statusChange is not an object',
    ],
    [
      'an unknown previous status',
      withPart(goodChange, 'statusChange', { previous: 'new' }),
      'detail.statusChange status',
    ],
    [
      'an unknown new status',
      withPart(goodChange, 'statusChange', { status: 'gone' }),
      'detail.statusChange status',
    ],
    [
      'a change by nobody',
      withPart(goodChange, 'statusChange', { by: '' }),
      'detail.statusChange.by is not a string',
    ],
    [
      'a change at no time',
      withPart(goodChange, 'statusChange', { at: 5 }),
      'detail.statusChange.at is not a string',
    ],
  ])('refuses %s', (_, doc, message) => {
    expect(refusal(doc)).toBe(message);
  });

  it('accepts null where a field may be unknown', () => {
    const unknowns = withPart(
      withPart(good, 'resource', { address: null, id: null, arn: null, stateFile: null }),
      'actor',
      {
        arn: null,
        name: null,
      },
    );
    expect(refusal(unknowns)).toBe('');
  });

  it("takes the envelope's time, else the detection time, and only the string resources", () => {
    const parsed = parseDriftEvent({ ...goodChange, resources: ['arn:aws:s3:::a', 7, null] });
    expect(parsed.time).toBe('2026-01-02T00:00:00.000Z');
    expect(parsed.resources).toEqual(['arn:aws:s3:::a']);
    expect(parsed['detail-type']).toBe('Drift Status Changed');
    expect(parsed.source).toBe('tfdrift');
    const bare = parseDriftEvent({ ...good, time: undefined, resources: 'arn:aws:s3:::a' });
    expect(bare.time).toBe(drift.detectedAt);
    expect(bare.resources).toEqual([]);
  });
});

describe('drift events within the size limit', () => {
  const size = (event: DriftEvent) => new TextEncoder().encode(JSON.stringify(event.detail)).length;

  it('keeps a drift exactly at the limit whole, and cuts one a byte over', () => {
    const at = (bytes: number): Drift => {
      const over = { ...drift, summary: '' };
      const empty = size(driftDetectedEvent(over));
      return { ...over, summary: 's'.repeat(bytes - empty) };
    };
    const whole = driftDetectedEvent(at(MAX_DETAIL_BYTES));
    expect(size(whole)).toBe(MAX_DETAIL_BYTES);
    expect(whole.detail).not.toHaveProperty('truncated');
    const cut = driftDetectedEvent(at(MAX_DETAIL_BYTES + 1));
    expect(cut.detail.truncated).toBe(true);
    expect(cut.detail.summary).toBe(`${'s'.repeat(1024)}... (truncated)`);
  });

  it('cuts long values of every change, and keeps short values, numbers, booleans and null as they are', () => {
    const long = 'v'.repeat(150_000);
    const event = driftDetectedEvent({
      ...drift,
      changes: [
        { attribute: 'policy', expected: long, actual: { Statement: long } },
        { attribute: 'count', expected: 3, actual: null },
        { attribute: 'enabled', expected: true, actual: false },
        { attribute: 'tags', expected: { a: 'b' }, actual: 'short' },
        { attribute: `a${long}`, expected: 1, actual: 2 },
        { attribute: 'edge', expected: 'e'.repeat(1024), actual: 'f'.repeat(1025) },
      ],
    });
    expect(event.detail.truncated).toBe(true);
    expect(event.detail.changes).toEqual([
      {
        attribute: 'policy',
        expected: `${'v'.repeat(1024)}... (truncated)`,
        actual: `${`{"Statement":"${long}`.slice(0, 1024)}... (truncated)`,
      },
      { attribute: 'count', expected: 3, actual: null },
      { attribute: 'enabled', expected: true, actual: false },
      { attribute: 'tags', expected: { a: 'b' }, actual: 'short' },
      { attribute: `a${'v'.repeat(1023)}... (truncated)`, expected: 1, actual: 2 },
      { attribute: 'edge', expected: 'e'.repeat(1024), actual: `${'f'.repeat(1024)}... (truncated)` },
    ]);
    expect(event.detail.summary).toBe(drift.summary);
  });

  it('keeps the last 20 events and the first 20 actors when cutting values is not enough', () => {
    const events: NetFindingEvent[] = Array.from({ length: 400 }, (_, n) => ({
      id: `evt-${n}`,
      name: 'ModifyInstanceAttribute',
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      actor: `principal-${n}`,
      changes: [{ attribute: 'instance_type', expected: 'x'.repeat(600), actual: 'y'.repeat(600) }],
    })) as unknown as NetFindingEvent[];
    const actors = Array.from({ length: 400 }, (_, n) => ({
      type: 'IAMUser',
      arn: `arn:aws:iam::1:user/u${n}`,
      name: `u${n}`,
    }));
    const event = driftDetectedEvent({ ...drift, events, actors });
    expect(size(event)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(event.detail.events?.map((e) => e.id)).toEqual(events.slice(-20).map((e) => e.id));
    expect(event.detail.actors?.map((a) => a.name)).toEqual(actors.slice(0, 20).map((a) => a.name));
    expect(event.detail.changes).toEqual(drift.changes);
  });

  it('keeps every event once cutting values brings the detail to exactly the limit', () => {
    const events = Array.from({ length: 30 }, (_, n) => ({
      id: `evt-${n}`,
      payload: 'p'.repeat(6500),
    })) as unknown as NetFindingEvent[];
    const withAddress = (address: string) =>
      driftDetectedEvent({
        ...drift,
        resource: { ...drift.resource, address },
        events,
        changes: [{ attribute: 'policy', expected: 'x'.repeat(300_000), actual: 'y' }],
      });
    const short = size(withAddress('a'));
    const exact = withAddress('a'.repeat(1 + MAX_DETAIL_BYTES - short));
    expect(size(exact)).toBe(MAX_DETAIL_BYTES);
    expect(exact.detail.truncated).toBe(true);
    expect(exact.detail.events).toHaveLength(30);
    expect(exact.detail.changes).toHaveLength(1);
    expect(exact.detail.actors ?? []).toEqual([]);
    const over = withAddress('a'.repeat(2 + MAX_DETAIL_BYTES - short));
    expect(over.detail.events).toHaveLength(20);
    expect(over.detail.actors ?? []).toEqual([]);
  });

  it('keeps a net finding with few events whole when cutting values is enough', () => {
    const events = Array.from({ length: 30 }, (_, n) => ({
      id: `evt-${n}`,
      time: `t${n}`,
    })) as unknown as NetFindingEvent[];
    const event = driftDetectedEvent({
      ...drift,
      events,
      changes: [{ attribute: 'policy', expected: 'x'.repeat(300_000), actual: 'y' }],
    });
    expect(event.detail.truncated).toBe(true);
    expect(event.detail.events).toHaveLength(30);
  });

  it('keeps only the identity of a drift whose names alone are too large', () => {
    const huge = 'n'.repeat(300_000);
    const event = driftDetectedEvent({
      ...drift,
      resource: { ...drift.resource, address: huge },
      events: [{ id: 'evt-1' }] as unknown as NetFindingEvent[],
      actors: [{ type: 'IAMUser', arn: null, name: 'u' }],
    });
    expect(event.detail.truncated).toBe(true);
    expect(event.detail.changes).toEqual([]);
    expect(event.detail).not.toHaveProperty('events');
    expect(event.detail).not.toHaveProperty('actors');
    expect(event.detail.id).toBe(drift.id);
    expect(event.detail.resource.address).toBe(huge);
  });
});
