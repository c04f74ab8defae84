// The drift query as GET /drifts and the dashboard use it: each parameter's limits on both sides,
// each filter letting through what it should and nothing else, each column sorting both ways with
// ties in time order. Written from the mutation run of lambdas/core/drift-query.ts.

import { describe, expect, it } from 'vitest';
import {
  compareDrifts,
  DEFAULT_PAGE_SIZE,
  DRIFT_QUERY_PARAMS,
  type DriftQuery,
  isoMs,
  matchesQuery,
  parseDriftQuery,
  refuseUnknownParams,
  sortTimeOf,
  wholeNumberParam,
} from '../../lambdas/core/drift-query.js';
import type { Drift } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

const refusal = (params: Record<string, string>) => {
  try {
    parseDriftQuery(params);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('GET /drifts parameters', () => {
  it('takes an absent or empty parameter as not given', () => {
    // (An empty sort or order is refused: those two name a choice.)
    const empty = Object.fromEntries(
      DRIFT_QUERY_PARAMS.filter((name) => name !== 'sort' && name !== 'order').map((name) => [name, '']),
    );
    expect(parseDriftQuery(empty)).toEqual(parseDriftQuery({}));
    expect(parseDriftQuery({})).toEqual({
      status: undefined,
      severity: undefined,
      kind: undefined,
      resourceType: undefined,
      actor: undefined,
      resource: undefined,
      from: undefined,
      to: undefined,
      text: undefined,
      sort: undefined,
      order: undefined,
      limit: DEFAULT_PAGE_SIZE,
      cursor: undefined,
    });
  });

  it('reads a list without blanks or spaces, and checks each value', () => {
    expect(parseDriftQuery({ kind: ' modified , ,deleted,' }).kind).toEqual(['modified', 'deleted']);
    expect(parseDriftQuery({ type: 'aws_vpc, anything' }).resourceType).toEqual(['aws_vpc', 'anything']);
    expect(refusal({ kind: 'modified,changed' })).toBe(
      'kind: unknown value "changed" (expected modified, deleted, unmanaged)',
    );
    expect(refusal({ severity: 'x'.repeat(100) })).toBe(
      `severity: unknown value "${'x'.repeat(40)}" (expected low, medium, high, critical)`,
    );
  });

  it('keeps limits from 1 to 500', () => {
    expect(parseDriftQuery({ limit: '1' }).limit).toBe(1);
    expect(parseDriftQuery({ limit: '500' }).limit).toBe(500);
    for (const bad of ['0', '501', '-1', '1e2', ' 5', 'ten']) {
      expect(refusal({ limit: bad }), bad).toBe('limit: must be a whole number from 1 to 500');
    }
    expect(wholeNumberParam('days', undefined, 1, 90, 7)).toBe(7);
    expect(wholeNumberParam('days', '', 1, 90, 7)).toBe(7);
    expect(wholeNumberParam('days', '90', 1, 90, 7)).toBe(90);
  });

  it.each([
    ['actor', 200],
    ['q', 200],
    ['resource', 2048],
    ['cursor', 4096],
  ])('takes %s up to %i characters', (name, max) => {
    expect(refusal({ [name]: 'a'.repeat(max) })).toBe('');
    expect(refusal({ [name]: 'a'.repeat(max + 1) })).toBe(`${name}: at most ${max} characters`);
  });

  it('passes text parameters through as given', () => {
    const query = parseDriftQuery({ actor: 'Bob', resource: 'aws_vpc.main', q: 'Web', cursor: 'abc' });
    expect([query.actor, query.resource, query.text, query.cursor]).toEqual([
      'Bob',
      'aws_vpc.main',
      'Web',
      'abc',
    ]);
  });

  it('reads ISO times, dates alone too, and refuses others with the value cut', () => {
    expect(parseDriftQuery({ from: '2026-01-02', to: '2026-01-02T10:00:00+02:00' })).toMatchObject({
      from: '2026-01-02T00:00:00.000Z',
      to: '2026-01-02T08:00:00.000Z',
    });
    expect(parseDriftQuery({ from: '2026-01-02T00:00:00Z', to: '2026-01-02T00:00:00Z' }).to).toBe(
      '2026-01-02T00:00:00.000Z',
    );
    expect(refusal({ to: 'Jan 2 2026' })).toBe(
      'to: "Jan 2 2026" is not an ISO time (e.g. 2026-01-01T00:00:00Z)',
    );
    expect(refusal({ to: '2026-13-45' })).toBe(
      'to: "2026-13-45" is not an ISO time (e.g. 2026-01-01T00:00:00Z)',
    );
    // Date.parse takes these; an ISO time starts with the full date.
    for (const loose of [' 2026-01-01', 'on 2026-01-01', '2026-01-1']) {
      expect(refusal({ to: loose })).toBe(`to: "${loose}" is not an ISO time (e.g. 2026-01-01T00:00:00Z)`);
    }
    expect(refusal({ from: `2026-01-01${'x'.repeat(60)}` })).toBe(
      `from: "2026-01-01${'x'.repeat(30)}" is not an ISO time (e.g. 2026-01-01T00:00:00Z)`,
    );
  });

  it('takes either sort order and every column, and refuses others naming the columns', () => {
    expect(parseDriftQuery({ order: 'desc', sort: 'actor' })).toMatchObject({ order: 'desc', sort: 'actor' });
    expect(refusal({ sort: 'x'.repeat(50) })).toBe(
      `sort: unknown column "${'x'.repeat(40)}" (expected time, severity, kind, address, type, attribute, actor, event, status)`,
    );
  });

  it('names the unknown parameter, cut, with the known ones, or alone when none are known', () => {
    expect(refusal({ ['p'.repeat(60)]: '1' })).toBe(
      `unknown query parameter "${'p'.repeat(40)}" (known: ${DRIFT_QUERY_PARAMS.join(', ')})`,
    );
    expect(() => refuseUnknownParams({ a: '1' }, [])).toThrowError(/^unknown query parameter "a"$/);
    expect(() => refuseUnknownParams({ a: '1' }, ['a'])).not.toThrow();
  });
});

describe('times', () => {
  it('writes a time with milliseconds, or null when it is not one', () => {
    expect(isoMs('2026-01-01T10:00:00Z')).toBe('2026-01-01T10:00:00.000Z');
    expect(isoMs('soon')).toBeNull();
  });

  it('orders a drift by event time, else detection time, else the raw detection text, then id', () => {
    const drift = sampleDrift(1, { time: '2026-01-01T10:00:05Z' });
    expect(sortTimeOf(drift)).toBe('2026-01-01T10:00:05.000Z#drift-0001');
    const noEventTime = { ...drift, event: { ...drift.event, time: 'unknown' } };
    expect(sortTimeOf(noEventTime)).toBe('2026-01-01T10:00:05.000Z#drift-0001');
    expect(sortTimeOf({ ...noEventTime, detectedAt: 'later' })).toBe('later#drift-0001');
  });
});

describe('matchesQuery', () => {
  const drift: Drift = {
    ...sampleDrift(3, { severity: 'high', kind: 'deleted', type: 'aws_vpc', actor: 'Bob' }),
    status: 'acknowledged',
  };
  const matches = (q: DriftQuery, d: Drift = drift) => matchesQuery(d, q);

  it('matches on each list filter only when the drift has one of the values; an empty list filters nothing', () => {
    const cases: [DriftQuery, DriftQuery][] = [
      [{ status: ['open', 'acknowledged'] }, { status: ['open', 'resolved'] }],
      [{ severity: ['high'] }, { severity: ['low', 'critical'] }],
      [{ kind: ['deleted'] }, { kind: ['modified'] }],
      [{ resourceType: ['aws_vpc'] }, { resourceType: ['aws_instance'] }],
    ];
    for (const [yes, no] of cases) {
      expect(matches(yes), JSON.stringify(yes)).toBe(true);
      expect(matches(no), JSON.stringify(no)).toBe(false);
    }
    expect(matches({ status: [], severity: [], kind: [], resourceType: [] })).toBe(true);
  });

  it('matches a resource by address or id exactly', () => {
    expect(matches({ resource: 'module.app.aws_instance.web[0]' })).toBe(true);
    expect(matches({ resource: 'i-0abc0' })).toBe(true);
    expect(matches({ resource: 'i-0abc' })).toBe(false);
  });

  it('matches the actor by name or ARN, any case; a drift without either matches no actor', () => {
    expect(matches({ actor: 'bob' })).toBe(true);
    expect(matches({ actor: 'ADMIN/BOB' })).toBe(true);
    expect(matches({ actor: 'alice' })).toBe(false);
    const nobody = { ...drift, actor: { ...drift.actor, name: null, arn: null } };
    expect(matches({ actor: 'bob' }, nobody)).toBe(false);
    expect(matches({ actor: 'a' }, nobody)).toBe(false);
    expect(matches({ actor: 'a' })).toBe(true);
    expect(matches({}, nobody)).toBe(true);
  });

  it('keeps from and to inclusive, comparing instants whatever their form', () => {
    const at = isoMs(drift.event.time) ?? '';
    const ms = Date.parse(at);
    const iso = (offset: number) => new Date(ms + offset).toISOString();
    expect(matches({ from: at, to: at })).toBe(true);
    expect(matches({ from: iso(1) })).toBe(false);
    expect(matches({ to: iso(-1) })).toBe(false);
    expect(matches({ from: iso(-1), to: iso(1) })).toBe(true);
    expect(matches({ from: drift.event.time.replace('Z', '+00:00') })).toBe(true);
    // The same instant written in another zone: compared as instants, not as text.
    const inZone = (hours: number) => {
      const local = new Date(ms + hours * 3_600_000).toISOString().slice(0, 19);
      return `${local}${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
    };
    expect(matches({ from: inZone(2), to: inZone(-2) })).toBe(true);
    expect(matches({ from: inZone(2) }, { ...drift, event: { ...drift.event, time: iso(-1) } })).toBe(false);
  });

  it('finds free text, any case, in each field it searches and nowhere else', () => {
    const fields: [string, Drift][] = [
      ['ADDRESS-X', { ...drift, resource: { ...drift.resource, address: 'address-x' } }],
      ['ID-X', { ...drift, resource: { ...drift.resource, id: 'id-x' } }],
      ['ARN-X', { ...drift, resource: { ...drift.resource, arn: 'arn-x' } }],
      ['TYPE-X', { ...drift, resource: { ...drift.resource, type: 'type-x' } }],
      ['NAME-X', { ...drift, actor: { ...drift.actor, name: 'name-x' } }],
      ['PRINCIPAL-X', { ...drift, actor: { ...drift.actor, arn: 'principal-x' } }],
      ['EVENT-X', { ...drift, event: { ...drift.event, name: 'event-x' } }],
      ['SUMMARY-X', { ...drift, summary: 'summary-x' }],
      ['ATTR-X', { ...drift, changes: [...drift.changes, { attribute: 'attr-x', expected: 1, actual: 2 }] }],
    ];
    for (const [needle, withIt] of fields) {
      expect(matches({ text: needle }, withIt), needle).toBe(true);
      expect(matches({ text: needle }), needle).toBe(false);
    }
    const blank = {
      ...drift,
      resource: { ...drift.resource, address: null, id: null, arn: null },
      actor: { ...drift.actor, name: null, arn: null },
    };
    expect(matches({ text: 'x' }, blank)).toBe(false);
  });
});

describe('compareDrifts', () => {
  const at = (n: number, over: Partial<Drift> = {}): Drift => ({ ...sampleDrift(n), ...over });
  const order = (drifts: Drift[], field: Parameters<typeof compareDrifts>[0], dir: 'asc' | 'desc') =>
    [...drifts].sort(compareDrifts(field, dir)).map((d) => d.id);

  it('sorts by time newest first when descending, oldest first when ascending', () => {
    const drifts = [at(2), at(5), at(1)];
    expect(order(drifts, 'time', 'desc')).toEqual(['drift-0005', 'drift-0002', 'drift-0001']);
    expect(order(drifts, 'time', 'asc')).toEqual(['drift-0001', 'drift-0002', 'drift-0005']);
  });

  it('sorts severity by rank, not by name', () => {
    const drifts = [
      at(1, { severity: 'medium' }),
      at(2, { severity: 'critical' }),
      at(3, { severity: 'low' }),
    ];
    expect(order(drifts, 'severity', 'desc')).toEqual(['drift-0002', 'drift-0001', 'drift-0003']);
    expect(order(drifts, 'severity', 'asc')).toEqual(['drift-0003', 'drift-0001', 'drift-0002']);
  });

  it.each([
    [
      'kind',
      (d: Drift, v: string) => ({ ...d, kind: v as Drift['kind'] }),
      ['deleted', 'modified', 'unmanaged'],
    ],
    [
      'address',
      (d: Drift, v: string) => ({ ...d, resource: { ...d.resource, address: v } }),
      ['a', 'b', 'c'],
    ],
    [
      'type',
      (d: Drift, v: string) => ({ ...d, resource: { ...d.resource, type: v } }),
      ['aws_a', 'aws_b', 'aws_c'],
    ],
    [
      'attribute',
      (d: Drift, v: string) => ({ ...d, changes: [{ attribute: v, expected: 1, actual: 2 }] }),
      ['a', 'b', 'c'],
    ],
    ['actor', (d: Drift, v: string) => ({ ...d, actor: { ...d.actor, name: v } }), ['a', 'b', 'c']],
    ['event', (d: Drift, v: string) => ({ ...d, event: { ...d.event, name: v } }), ['A', 'B', 'C']],
    [
      'status',
      (d: Drift, v: string) => ({ ...d, status: v as Drift['status'] }),
      ['acknowledged', 'open', 'resolved'],
    ],
  ] as const)('sorts by %s both ways', (field, set, [low, mid, high]) => {
    const drifts = [set(at(1), mid), set(at(2), high), set(at(3), low)];
    expect(order(drifts, field, 'asc')).toEqual(['drift-0003', 'drift-0001', 'drift-0002']);
    expect(order(drifts, field, 'desc')).toEqual(['drift-0002', 'drift-0001', 'drift-0003']);
  });

  it('falls back to id, ARN or nothing where a column is empty', () => {
    const noAddress = (n: number, id: string | null) =>
      at(n, { resource: { ...sampleDrift(n).resource, address: null, id } });
    expect(order([noAddress(1, 'i-b'), noAddress(2, null), noAddress(3, 'i-a')], 'address', 'asc')).toEqual([
      'drift-0002',
      'drift-0003',
      'drift-0001',
    ]);
    const byArn = (n: number, arn: string | null) =>
      at(n, { actor: { ...sampleDrift(n).actor, name: null, arn } });
    expect(order([byArn(1, 'arn:b'), byArn(2, null), byArn(3, 'arn:a')], 'actor', 'asc')).toEqual([
      'drift-0002',
      'drift-0003',
      'drift-0001',
    ]);
    expect(order([at(1, { changes: [] }), at(2)], 'attribute', 'asc')).toEqual(['drift-0001', 'drift-0002']);
  });

  it('breaks ties newest first, whichever way the column sorts', () => {
    const drifts = [at(1), at(3), at(2)];
    expect(order(drifts, 'kind', 'asc')).toEqual(['drift-0003', 'drift-0002', 'drift-0001']);
    expect(order(drifts, 'kind', 'desc')).toEqual(['drift-0003', 'drift-0002', 'drift-0001']);
    expect(order(drifts, 'severity', 'asc')).toEqual(['drift-0003', 'drift-0002', 'drift-0001']);
  });
});
