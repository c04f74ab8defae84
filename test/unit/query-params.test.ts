import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../lambdas/adapters/aws/drift-query.js';
import { matchesQuery, parseDriftQuery } from '../../lambdas/core/drift-query.js';
import { sampleDrift } from '../support/drift-samples.js';

describe('GET /drifts parameters', () => {
  it('reads comma lists, times, sort and limit', () => {
    expect(
      parseDriftQuery({
        status: 'open,acknowledged',
        severity: 'high,critical',
        kind: 'deleted',
        type: 'aws_s3_bucket,aws_instance',
        from: '2026-01-01T00:00:00Z',
        sort: 'severity',
        order: 'asc',
        limit: '500',
        q: 'web',
      }),
    ).toEqual({
      status: ['open', 'acknowledged'],
      severity: ['high', 'critical'],
      kind: ['deleted'],
      resourceType: ['aws_s3_bucket', 'aws_instance'],
      actor: undefined,
      resource: undefined,
      from: '2026-01-01T00:00:00.000Z',
      to: undefined,
      text: 'web',
      sort: 'severity',
      order: 'asc',
      limit: 500,
      cursor: undefined,
    });
  });

  it.each([
    [{ severity: 'urgent' }, 'severity: unknown value "urgent" (expected low, medium, high, critical)'],
    [{ status: 'closed' }, 'status: unknown value "closed" (expected open, acknowledged, resolved)'],
    [{ limit: '501' }, 'limit: must be a whole number from 1 to 500'],
    [{ limit: '2.5' }, 'limit: must be a whole number from 1 to 500'],
    [{ from: 'yesterday' }, 'from: "yesterday" is not an ISO time (e.g. 2026-01-01T00:00:00Z)'],
    [{ from: '2026-02-01', to: '2026-01-01' }, 'from: must not be after to'],
    [{ sort: 'colour' }, 'sort: unknown column "colour"'],
    [{ order: 'up' }, 'order: must be asc or desc'],
    [{ severty: 'high' }, 'unknown query parameter "severty"'],
  ])('refuses %j', (params, message) => {
    expect(() => parseDriftQuery(params)).toThrow(message);
  });
});

describe('cursors and filters', () => {
  it('round-trips cursors and refuses anything else', () => {
    expect(decodeCursor(encodeCursor({ k: '2026-01-01T00:00:00.000Z#d-1' }))).toEqual({
      k: '2026-01-01T00:00:00.000Z#d-1',
    });
    expect(decodeCursor(encodeCursor({ o: 50, s: 'severity:desc' }))).toEqual({ o: 50, s: 'severity:desc' });
    for (const bad of ['', 'not base64!', Buffer.from('{"o":-1,"s":"x"}').toString('base64url'), 'e30']) {
      expect(() => decodeCursor(bad)).toThrow('invalid cursor');
    }
  });

  it('matches actor and free text case-insensitively, resource by address or id', () => {
    const drift = sampleDrift(4, { actor: 'Bob.Builder' });
    expect(matchesQuery(drift, { actor: 'bob.b' })).toBe(true);
    expect(matchesQuery(drift, { text: 'INSTANCE_TYPE' })).toBe(true);
    expect(matchesQuery(drift, { resource: 'i-0abc1' })).toBe(true);
    expect(matchesQuery(drift, { resource: 'module.app.aws_instance.web[1]' })).toBe(true);
    expect(matchesQuery(drift, { resource: 'module.app.aws_instance.web[2]' })).toBe(false);
    expect(matchesQuery(drift, { to: '2026-01-01T10:00:03Z' })).toBe(false);
  });
});
