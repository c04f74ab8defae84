// The dashboard's live insertion and the store's query are one query (lambdas/core/drift-query.ts):
// for the same filters over the same drifts, the drifts the dashboard would insert from the live feed
// are exactly the drifts a refresh (GET /drifts through DynamoDriftStore on dynalite) lists.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { type LocalDynamo, startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import { parseDriftQuery } from '../../lambdas/core/drift-query.js';
import type { Drift } from '../../lambdas/core/types.js';
import { matchesFilters } from '../../web/src/lib/live-match.js';
import { DEFAULT_STATE, driftQuery, EMPTY_FILTERS, type Filters } from '../../web/src/lib/url-state.js';
import { sampleDrift } from '../support/drift-samples.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tfdrift-query-agree-'));
let dynamo: LocalDynamo;
let store: DynamoDriftStore;
let stored: Drift[];

const BUCKET_ARN = 'arn:aws:s3:::shop-assets-1';

// 24 drifts a second apart: instances (no ARN) and S3 buckets (with ARNs), severities cycling, every
// 5th unmanaged, every 7th by bob; then some acknowledged and resolved.
function drifts(): Drift[] {
  return Array.from({ length: 24 }, (_, n) => {
    const bucket = n % 3 === 1;
    const base = sampleDrift(n, {
      severity: (['low', 'medium', 'high', 'critical'] as const)[n % 4],
      kind: n % 5 === 0 ? 'unmanaged' : 'modified',
      actor: n % 7 === 0 ? 'bob' : 'alice@example.com',
      ...(bucket
        ? { type: 'aws_s3_bucket', address: `aws_s3_bucket.assets[${n % 2}]`, id: `shop-assets-${n % 2}` }
        : {}),
    });
    return bucket
      ? { ...base, resource: { ...base.resource, arn: `arn:aws:s3:::shop-assets-${n % 2}` } }
      : base;
  });
}

beforeAll(async () => {
  dynamo = await startLocalDynamo({ path: dataDir });
  store = new DynamoDriftStore(dynamo.doc);
  for (const drift of drifts()) await store.putIfAbsent(drift);
  for (const [n, status] of [
    [2, 'acknowledged'],
    [4, 'resolved'],
    [7, 'acknowledged'],
    [13, 'resolved'],
  ] as const) {
    await store.setStatus(`drift-${String(n).padStart(4, '0')}`, {
      status,
      by: 'test',
      at: '2026-01-02T00:00:00Z',
    });
  }
  stored = (await Promise.all(drifts().map((d) => store.get(d.id)))).filter(
    (d): d is Drift => d !== undefined,
  );
});

afterAll(async () => {
  await dynamo?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What a refresh lists: every page of GET /drifts for these filters, through the store. */
async function refreshIds(filters: Filters): Promise<string[]> {
  const params = driftQuery({ ...DEFAULT_STATE, filters });
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(parseDriftQuery({ ...params, limit: '5', ...(cursor ? { cursor } : {}) }));
    ids.push(...page.items.map((d) => d.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids.sort();
}

/** What the dashboard would insert from the live feed with these filters. */
const liveIds = (filters: Filters) =>
  stored
    .filter((d) => matchesFilters(d, filters))
    .map((d) => d.id)
    .sort();

const ids = (...ns: number[]) => ns.map((n) => `drift-${String(n).padStart(4, '0')}`).sort();

describe('one drift query for the dashboard and the store', () => {
  it('holds every drift it was given, with the statuses set', () => {
    expect(stored).toHaveLength(24);
    expect(stored.filter((d) => d.status !== 'open').map((d) => d.id)).toEqual(ids(2, 4, 7, 13));
  });

  it.each<[string, Partial<Filters>, string[] | undefined]>([
    ['an ARN as the resource (resources are found by address or id)', { resource: BUCKET_ARN }, []],
    ['a bucket by id', { resource: 'shop-assets-1' }, ids(1, 7, 13, 19)],
    ['a bucket by address, open only', { resource: 'aws_s3_bucket.assets[1]', status: ['open'] }, ids(1, 19)],
    ['an ARN in free text', { q: BUCKET_ARN }, ids(1, 7, 13, 19)],
    ['an ARN fragment in free text, any case', { q: 'S3:::SHOP-ASSETS-0' }, ids(4, 10, 16, 22)],
    ['an actor, any case', { actor: 'BOB' }, ids(0, 7, 14, 21)],
    ['a time range', { from: '2026-01-01T10:00:05Z', to: '2026-01-01T10:00:08Z' }, ids(5, 6, 7, 8)],
    ['severities and kinds', { severity: ['critical', 'high'], kind: ['unmanaged'] }, ids(10, 15)],
    ['statuses and types', { status: ['acknowledged', 'resolved'], type: ['aws_s3_bucket'] }, ids(4, 7, 13)],
    ['the default (open)', { status: ['open'] }, undefined],
    ['nothing', {}, undefined],
  ])('%s: the same drifts on both sides', async (_, filters, expected) => {
    const all = { ...EMPTY_FILTERS, ...filters };
    const live = liveIds(all);
    expect(await refreshIds(all)).toEqual(live);
    if (expected) expect(live).toEqual(expected);
  });

  it('filters the server refuses insert nothing live', async () => {
    const refused = { ...EMPTY_FILTERS, severity: ['urgent'] };
    expect(() => parseDriftQuery(driftQuery({ ...DEFAULT_STATE, filters: refused }))).toThrow(
      'severity: unknown value "urgent"',
    );
    expect(liveIds(refused)).toEqual([]);
  });
});
