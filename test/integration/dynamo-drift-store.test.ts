import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConnections } from '../../lambdas/adapters/aws/dynamo-connections.js';
import {
  addToDriftCounts,
  DynamoDriftStore,
  driftCounts,
} from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { DynamoEventLog } from '../../lambdas/adapters/aws/dynamo-event-log.js';
import { type LocalDynamo, startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import type { Drift } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

// 30 drifts, one second apart: severities cycle, every 5th unmanaged, every 7th by bob.
const drifts: Drift[] = Array.from({ length: 30 }, (_, n) =>
  sampleDrift(n, {
    severity: (['low', 'medium', 'high', 'critical'] as const)[n % 4],
    kind: n % 5 === 0 ? 'unmanaged' : 'modified',
    actor: n % 7 === 0 ? 'bob' : 'alice@example.com',
  }),
);
const newestFirst = [...drifts].reverse().map((d) => d.id);

// Tests that only read share one seeded store; a test that writes starts its own, so every test
// passes alone and in any order.
let shared: LocalDynamo;
let store: DynamoDriftStore;
const opened: LocalDynamo[] = [];
const dataDirs: string[] = [];

async function seededStore(
  options: { path?: string } = {},
): Promise<{ dynamo: LocalDynamo; store: DynamoDriftStore }> {
  const dynamo = await startLocalDynamo(options);
  opened.push(dynamo);
  const seeded = new DynamoDriftStore(dynamo.doc);
  for (const drift of drifts) expect(await seeded.putIfAbsent(drift)).toBe(true);
  return { dynamo, store: seeded };
}

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfdrift-store-'));
  dataDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  ({ dynamo: shared, store } = await seededStore());
});

afterAll(async () => {
  for (const dynamo of opened) await dynamo.close().catch(() => undefined);
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('DynamoDriftStore on dynalite', () => {
  it('writes a drift once: a redelivered put is refused and changes nothing', async () => {
    const again = { ...drifts[2], severity: 'critical' as const };
    expect(await store.putIfAbsent(again)).toBe(false);
    const stored = await store.get(drifts[2].id);
    expect(stored?.severity).toBe('high');
    expect(stored?.rawEvent).toEqual(drifts[2].rawEvent);
    expect(stored?.changes).toEqual([
      { attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' },
    ]);
    expect(await store.get('nope')).toBeUndefined();
  });

  it('lists by time, newest first, through cursors without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.query({ limit: 7, cursor });
      expect(page.items.length).toBeLessThanOrEqual(7);
      expect(page.items.every((d) => d.rawEvent === undefined)).toBe(true);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(newestFirst);
    const asc = await store.query({ limit: 3, order: 'asc' });
    expect(asc.items.map((d) => d.id)).toEqual(['drift-0000', 'drift-0001', 'drift-0002']);
  });

  it('filters by severity, kind, actor, text and time range', async () => {
    const critical = await store.query({ severity: ['critical'], limit: 100 });
    expect(critical.items.map((d) => d.id)).toEqual(
      newestFirst.filter((id) => Number(id.slice(-4)) % 4 === 3),
    );
    const mixed = await store.query({ severity: ['low', 'high'], kind: ['unmanaged'], limit: 100 });
    expect(mixed.items.map((d) => d.id)).toEqual(['drift-0020', 'drift-0010', 'drift-0000']);
    const bob = await store.query({ actor: 'BOB', limit: 100 });
    expect(bob.items.map((d) => d.id)).toEqual([
      'drift-0028',
      'drift-0021',
      'drift-0014',
      'drift-0007',
      'drift-0000',
    ]);
    const ranged = await store.query({ from: '2026-01-01T10:00:10Z', to: '2026-01-01T10:00:12.000Z' });
    expect(ranged.items.map((d) => d.id)).toEqual(['drift-0012', 'drift-0011', 'drift-0010']);
    const text = await store.query({ text: 'web[2]', severity: ['low'] });
    expect(text.items.map((d) => d.id)).toEqual(['drift-0020', 'drift-0008']);
  });

  it('sorts on a column within the window and pages by offset', async () => {
    const first = await store.query({ sort: 'severity', order: 'desc', limit: 10 });
    expect(first.total).toBe(30);
    // 7 critical (newest first within a level), then high.
    expect(first.items.map((d) => d.id)).toEqual(
      [27, 23, 19, 15, 11, 7, 3, 26, 22, 18].map((n) => `drift-00${String(n).padStart(2, '0')}`),
    );
    const second = await store.query({
      sort: 'severity',
      order: 'desc',
      limit: 10,
      cursor: first.nextCursor!,
    });
    expect(second.items.map((d) => d.severity)).toEqual([
      ...Array(4).fill('high'),
      ...Array(6).fill('medium'),
    ]);
    const byAddress = await store.query({ sort: 'address', order: 'asc', limit: 1 });
    expect(byAddress.items[0].resource.id).toBe('i-0abc0');
    await expect(store.query({ sort: 'time', cursor: first.nextCursor! })).rejects.toThrow(/different sort/);
    await expect(store.query({ cursor: 'not a cursor!' })).rejects.toThrow(/invalid cursor/);
  });

  it('acknowledges and resolves with who, when and why; repeating a change changes nothing', async () => {
    const { store } = await seededStore();
    const ack = await store.changeStatus('drift-0005', {
      status: 'acknowledged',
      by: 'carol',
      comment: 'planned: ticket OPS-12',
      at: '2026-01-02T09:00:00.000Z',
    });
    expect(ack?.seq).toBeGreaterThan(30);
    expect(ack?.drift).toMatchObject({
      status: 'acknowledged',
      statusChangedBy: 'carol',
      statusComment: 'planned: ticket OPS-12',
    });
    const again = await store.changeStatus('drift-0005', {
      status: 'acknowledged',
      by: 'dave',
      at: '2026-01-03T00:00:00.000Z',
    });
    expect(again?.seq).toBeNull();
    expect(again?.drift.statusChangedBy).toBe('carol');
    const resolved = await store.setStatus('drift-0005', {
      status: 'resolved',
      by: 'tfdrift',
      at: '2026-01-04T00:00:00.000Z',
    });
    expect(resolved).toMatchObject({
      status: 'resolved',
      statusChangedBy: 'tfdrift',
      statusChangedAt: '2026-01-04T00:00:00.000Z',
    });
    expect(resolved?.statusComment).toBeUndefined();
    expect(
      await store.setStatus('missing', { status: 'resolved', by: 'x', at: '2026-01-04T00:00:00.000Z' }),
    ).toBeUndefined();
    const open = await store.listOpen();
    expect(open).toHaveLength(29);
    expect(open.some((d) => d.id === 'drift-0005')).toBe(false);
    const byStatus = await store.query({ status: ['resolved', 'acknowledged'] });
    expect(byStatus.items.map((d) => d.id)).toEqual(['drift-0005']);
  });

  it('keeps the history of one resource, by address or by id', async () => {
    const history = await store.history('module.app.aws_instance.web[1]');
    expect(history.map((d) => d.id)).toEqual(
      newestFirst.filter((id) => Number(id.slice(-4)) % 3 === 1 && Number(id.slice(-4)) % 5 !== 0),
    );
    const unmanaged = await store.history('i-0abc2');
    expect(unmanaged.map((d) => d.id)).toContain('drift-0020');
    const byId = await store.query({ resource: 'i-0abc1', limit: 100 });
    expect(byId.items.map((d) => d.id)).toEqual(newestFirst.filter((id) => Number(id.slice(-4)) % 3 === 1));
  });

  it('lists changes after a cursor in change order, and summarises', async () => {
    const { store } = await seededStore();
    await store.changeStatus('drift-0005', {
      status: 'acknowledged',
      by: 'carol',
      at: '2026-01-02T09:00:00.000Z',
    });
    await store.changeStatus('drift-0005', {
      status: 'resolved',
      by: 'carol',
      at: '2026-01-03T09:00:00.000Z',
    });
    const head = await store.headSeq();
    const changes = await store.changesSince(head - 2);
    expect(changes.map((c) => c.drift.id)).toEqual(['drift-0005']);
    const summary = await store.summary();
    expect(summary.total).toBe(30);
    expect(summary.open).toEqual({ low: 8, medium: 7, high: 7, critical: 7 });
    expect(summary.lastEventTime).toBe('2026-01-01T10:00:29.000Z');
  });

  it.each([
    ['a counts item', false],
    ['memory, single-writer', true],
  ])(
    'keeps its counts on write (%s): the summary equals a recount after puts, redeliveries and status changes',
    async (_, singleWriter) => {
      const { dynamo } = await seededStore();
      const counted = new DynamoDriftStore(dynamo.doc, { singleWriter });
      const change = (status: 'open' | 'acknowledged' | 'resolved') => ({
        status,
        by: 'carol',
        at: '2026-01-03T09:00:00.000Z',
      });
      const expectCounts = async (open: Record<string, number>, total: number) => {
        const summary = await counted.summary();
        expect(summary).toEqual(await counted.recount());
        expect(summary.open).toEqual(open);
        expect(summary.total).toBe(total);
      };
      // Seeded: 30 open drifts, severities cycling from low.
      await expectCounts({ low: 8, medium: 8, high: 7, critical: 7 }, 30);
      expect(await counted.putIfAbsent(drifts[3])).toBe(false); // a redelivery counts nothing
      await counted.setStatus('drift-0003', change('acknowledged')); // critical, open → acknowledged
      await counted.setStatus('drift-0003', change('acknowledged')); // repeated: no change
      await counted.setStatus('drift-0001', change('resolved')); // medium, open → resolved
      await counted.setStatus('drift-0001', change('acknowledged')); // resolved → acknowledged: still not open
      await expectCounts({ low: 8, medium: 7, high: 7, critical: 6 }, 30);
      await counted.setStatus('drift-0003', change('open')); // reopened
      expect(await counted.setStatus('no-such-drift', change('resolved'))).toBeUndefined();
      expect(await counted.putIfAbsent(sampleDrift(40, { severity: 'high' }))).toBe(true);
      await expectCounts({ low: 8, medium: 7, high: 8, critical: 7 }, 31);
      expect((await counted.summary()).lastEventTime).toBe('2026-01-01T10:00:40.000Z');
    },
  );

  it('keeps the counts item equal to a recount when drifts leave the table (TTL), open or not', async () => {
    // Prepare: 30 open drifts; one of them acknowledged.
    const { dynamo } = await seededStore();
    const counted = new DynamoDriftStore(dynamo.doc);
    await counted.setStatus('drift-0003', {
      status: 'acknowledged',
      by: 'carol',
      at: '2026-01-03T09:00:00.000Z',
    });
    const removed = [(await counted.get('drift-0003')) as Drift, (await counted.get('drift-0004')) as Drift];
    // Act: the table loses both (as TTL deletes them); the stream's consumer takes each away.
    for (const drift of removed) {
      await dynamo.doc.send(new DeleteCommand({ TableName: counted.tableName, Key: { id: drift.id } }));
      await addToDriftCounts(dynamo.doc, counted.tableName, driftCounts(drift, -1));
    }
    // Assess: the acknowledged one leaves the total only, the open one its severity too.
    const summary = await counted.summary();
    expect(summary).toEqual(await counted.recount());
    expect(summary.total).toBe(28);
    expect(summary.open).toEqual({ low: 7, medium: 8, high: 7, critical: 6 });
  });

  it('refuses to open a data folder that is already open', async () => {
    const dataDir = newDataDir();
    await seededStore({ path: dataDir });
    await expect(startLocalDynamo({ path: dataDir })).rejects.toThrow(/already open in this process/);
  });

  it('keeps everything across a restart on the same data folder', async () => {
    const dataDir = newDataDir();
    const first = await seededStore({ path: dataDir });
    await first.store.changeStatus('drift-0005', {
      status: 'resolved',
      by: 'carol',
      at: '2026-01-02T09:00:00.000Z',
    });
    await first.dynamo.close();
    opened.splice(opened.indexOf(first.dynamo), 1);
    const dynamo = await startLocalDynamo({ path: dataDir });
    opened.push(dynamo);
    const store = new DynamoDriftStore(dynamo.doc);
    const page = await store.query({ limit: 500 });
    expect(page.items.map((d) => d.id)).toEqual(newestFirst);
    expect(await store.headSeq()).toBeGreaterThan(30);
    expect((await store.get('drift-0005'))?.status).toBe('resolved');
    expect(await store.putIfAbsent(drifts[0])).toBe(false);
  });

  it('continues the change numbers after a restart in single-writer mode', async () => {
    const { dynamo, store } = await seededStore();
    await store.changeStatus('drift-0005', {
      status: 'resolved',
      by: 'carol',
      at: '2026-01-02T09:00:00.000Z',
    });
    const head = await store.headSeq();
    const single = new DynamoDriftStore(dynamo.doc, { singleWriter: true });
    expect(await single.headSeq()).toBe(head);
    const [a, b] = await Promise.all([single.putNew(sampleDrift(100)), single.putNew(sampleDrift(101))]);
    expect([a, b].sort()).toEqual([head + 1, head + 2]);
    const changed = await single.changeStatus('drift-0100', {
      status: 'acknowledged',
      by: 'x',
      at: '2026-01-05T00:00:00.000Z',
    });
    expect(changed?.seq).toBe(head + 3);
    expect((await single.changesSince(head)).map((c) => c.drift.id).sort()).toEqual([
      'drift-0100',
      'drift-0101',
    ]);
  });

  it('logs processed events newest first, once per event', async () => {
    const log = new DynamoEventLog(shared.doc);
    const event = (id: string, second: number) => ({
      eventId: id,
      name: 'PutBucketVersioning',
      source: 's3.amazonaws.com',
      time: `2026-01-01T11:00:0${second}Z`,
      actor: 'alice',
      outcome: { result: 'ignored' as const, reason: 'no-change' as const },
    });
    await log.record([event('a', 1), event('b', 2)]);
    await log.record([event('a', 1)]);
    expect((await log.recent(10)).map((e) => e.eventId)).toEqual(['b', 'a']);
  });

  it('registers, lists and drops WebSocket connections', async () => {
    const connections = new DynamoConnections(shared.doc);
    await connections.add('c1', { user: 'alice' });
    await connections.add('c2');
    expect((await connections.list()).sort()).toEqual(['c1', 'c2']);
    await connections.remove('c1');
    expect(await connections.list()).toEqual(['c2']);
  });
});
