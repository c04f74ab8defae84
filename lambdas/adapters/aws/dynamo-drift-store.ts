// DriftStore on DynamoDB (the real table in AWS, dynalite locally) — see drift-table-design.ts for
// the keys. Every read is a GetItem or a keyed Query; writes are conditional and so idempotent.

import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  compareDrifts,
  DEFAULT_PAGE_SIZE,
  type DriftQuery,
  isoMs,
  MAX_PAGE_SIZE,
  matchesQuery,
} from '../../core/drift-query.js';
import { InputError } from '../../core/errors.js';
import { type Drift, SEVERITIES, type Severity, type Summary } from '../../core/types.js';
import type {
  AlertLedger,
  ChangeFeed,
  DriftChange,
  DriftCounters,
  DriftPage,
  RevertLog,
  RevertMark,
  SequencedDriftStore,
  StatusChange,
} from '../../ports.js';
import { type DriftItem, fromItem, seqOf, toItem } from './drift-item.js';
import { decodeCursor, encodeCursor } from './drift-query.js';
import {
  DRIFT_ATTR as A,
  ALL_PARTITION,
  COUNTER_ID,
  COUNTS_ID,
  DEFAULT_RETENTION_DAYS,
  DRIFT_INDEXES,
  DRIFTS_TABLE,
  type IndexDesign,
  SORT_WINDOW,
} from './drift-table-design.js';

export interface DynamoDriftStoreOptions {
  readonly tableName?: string;
  readonly retentionDays?: number;
  /** Most items one query request reads before it returns a (possibly short) page with a cursor. */
  readonly maxScanned?: number;
  /**
   * Single-writer mode (the local server, one process per data folder): change numbers come from
   * memory, started after the highest number stored, instead of a counter item round trip per write.
   * @default false (the shared counter item, safe with concurrent Lambdas)
   */
  readonly singleWriter?: boolean;
}

/**
 * Alert state of a drift ("sending" while claimed, "sent" after; see DriftStore.claimAlert), kept in
 * its own item beside the drift: it has no index keys, so lists, the stream filter and the live
 * feed never see it, and the drift item changes only when the drift does.
 */
const alertKey = (driftId: string) => `alert#${driftId}`;
const ALERT_ATTR = 'alert';
const ALERT_AT_ATTR = 'alertAt';
const ALERT_BY_ATTR = 'alertBy';
/** How long an unsettled alert claim blocks redeliveries from alerting. */
export const ALERT_CLAIM_TTL_MS = 5 * 60_000;

/** The counts item's attribute for open drifts of one severity. */
const openCount = (severity: Severity) => `open_${severity}`;

/** What one drift counts for: one in `total`, and one in its severity's open count while open. */
export function driftCounts(drift: Pick<Drift, 'status' | 'severity'>, sign: 1 | -1): Record<string, number> {
  return { total: sign, ...(drift.status === 'open' ? { [openCount(drift.severity)]: sign } : {}) };
}

/**
 * Adds every delta to the counts item in one atomic update (the first one creates it). The store
 * counts on write; the broadcast function takes away the drifts the table's TTL removes.
 */
export async function addToDriftCounts(
  doc: DynamoDBDocumentClient,
  tableName: string,
  deltas: Record<string, number>,
): Promise<void> {
  const names = Object.keys(deltas);
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { [A.id]: COUNTS_ID },
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:c${i}`, deltas[name]])),
    }),
  );
}

/** Everything but the raw event: lists stay small; GET by id returns the whole drift. */
const LIST_ATTRIBUTES = Object.values(A).filter((a) => a !== A.rawEvent);

interface Source {
  readonly index: IndexDesign;
  readonly value: string;
}

export class DynamoDriftStore
  implements SequencedDriftStore, ChangeFeed, AlertLedger, RevertLog, DriftCounters
{
  readonly tableName: string;
  private readonly retentionDays: number;
  private readonly maxScanned: number;
  private readonly singleWriter: boolean;
  private lastSeq: Promise<number> | undefined;
  private countsInMemory: Promise<Map<string, number>> | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    options: DynamoDriftStoreOptions = {},
  ) {
    this.tableName = options.tableName ?? DRIFTS_TABLE.defaultName;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.maxScanned = options.maxScanned ?? 5000;
    this.singleWriter = options.singleWriter ?? false;
  }

  async putIfAbsent(drift: Drift): Promise<boolean> {
    return (await this.putNew(drift)) !== null;
  }

  /** Writes the drift if absent; returns its change sequence number, or null when it existed. */
  async putNew(drift: Drift): Promise<number | null> {
    const seq = await this.nextSeq();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(drift, seq, this.retentionDays),
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': A.id },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The SDK retries a put whose answer was lost (timeout, 5xx after the write): the item that
      // blocks the retry may be our own first attempt, which carries the sequence number we drew.
      const existing = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { [A.id]: drift.id }, ConsistentRead: true }),
      );
      if (!existing.Item || seqOf(existing.Item) !== seq) return null;
    }
    await this.addToCounts(driftCounts(drift, 1));
    return seq;
  }

  /** Adds to the drift counts (see drift-table-design.ts). */
  private async addToCounts(deltas: Record<string, number>): Promise<void> {
    const names = Object.keys(deltas);
    if (names.length === 0) return;
    if (this.singleWriter) {
      const counts = await this.memoryCounts();
      for (const name of names) counts.set(name, (counts.get(name) ?? 0) + deltas[name]);
      return;
    }
    await addToDriftCounts(this.doc, this.tableName, deltas);
  }

  async claimAlert(id: string, at: string): Promise<boolean> {
    // A claim older than ALERT_CLAIM_TTL_MS belongs to a delivery that died mid-alert: take it over.
    const stale = new Date(Date.parse(at) - ALERT_CLAIM_TTL_MS).toISOString();
    // The claim carries a token so that a retried claim whose first answer was lost knows it won.
    const token = randomUUID();
    const key = { [A.id]: alertKey(id) };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #alert = :sending, #alertAt = :at, #alertBy = :token, #expires = :expires',
          ConditionExpression: 'attribute_not_exists(#alert) OR (#alert = :sending AND #alertAt < :stale)',
          ExpressionAttributeNames: {
            '#alert': ALERT_ATTR,
            '#alertAt': ALERT_AT_ATTR,
            '#alertBy': ALERT_BY_ATTR,
            '#expires': A.expiresAt,
          },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':at': at,
            ':stale': stale,
            ':token': token,
            ':expires': Math.floor(Date.parse(at) / 1000) + this.retentionDays * 86_400,
          },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      return existing.Item?.[ALERT_BY_ATTR] === token && existing.Item?.[ALERT_ATTR] === 'sending';
    }
  }

  async recordRevert(key: string, mark: RevertMark): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [A.id]: `revert#${key}` },
          UpdateExpression: 'SET #time = :time, #event = :event, #name = :name, #expires = :expires',
          ConditionExpression: 'attribute_not_exists(#time) OR #time < :time',
          ExpressionAttributeNames: {
            '#time': 'time',
            '#event': 'eventId',
            '#name': 'name',
            '#expires': A.expiresAt,
          },
          ExpressionAttributeValues: {
            ':time': mark.time,
            ':event': mark.eventId.slice(0, 400),
            ':name': mark.name.slice(0, 200),
            ':expires': Math.floor(Date.now() / 1000) + this.retentionDays * 86_400,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // a later revert is kept
    }
  }

  async latestRevert(key: string): Promise<RevertMark | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [A.id]: `revert#${key}` }, ConsistentRead: true }),
    );
    const item = out.Item;
    return item && typeof item.time === 'string'
      ? { time: item.time, eventId: String(item.eventId), name: String(item.name) }
      : undefined;
  }

  async settleAlert(id: string, sent: boolean): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [A.id]: alertKey(id) },
        UpdateExpression: sent ? 'SET #alert = :sent' : 'REMOVE #alert, #alertAt, #alertBy',
        ExpressionAttributeNames: sent
          ? { '#alert': ALERT_ATTR }
          : { '#alert': ALERT_ATTR, '#alertAt': ALERT_AT_ATTR, '#alertBy': ALERT_BY_ATTR },
        ...(sent ? { ExpressionAttributeValues: { ':sent': 'sent' } } : {}),
      }),
    );
  }

  async get(id: string): Promise<Drift | undefined> {
    if (id === COUNTER_ID || id === COUNTS_ID) return undefined;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [A.id]: id } }));
    return fromItem(out.Item);
  }

  async setStatus(id: string, change: StatusChange): Promise<Drift | undefined> {
    return (await this.changeStatus(id, change))?.drift;
  }

  /**
   * Sets the status unless the drift already has it (then it is returned unchanged with seq null:
   * a repeated acknowledge changes nothing). Undefined when the id is unknown.
   */
  async changeStatus(
    id: string,
    change: StatusChange,
  ): Promise<{ drift: Drift; seq: number | null } | undefined> {
    if (id === COUNTER_ID || id === COUNTS_ID) return undefined;
    const seq = await this.nextSeq();
    const names = {
      '#body': A.body,
      '#status': A.status,
      '#at': A.statusChangedAt,
      '#by': A.statusChangedBy,
      '#comment': A.statusComment,
      '#seq': A.seq,
    };
    const values: Record<string, unknown> = {
      ':status': change.status,
      ':at': change.at,
      ':by': change.by,
      ':seq': seq,
    };
    let update = 'SET #status = :status, #at = :at, #by = :by, #seq = :seq';
    if (change.comment) {
      update += ', #comment = :comment';
      values[':comment'] = change.comment;
    } else {
      update += ' REMOVE #comment';
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [A.id]: id },
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(#body) AND #status <> :status',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // The status before is what the counts need; the drift after is the same update in memory.
          ReturnValues: 'ALL_OLD',
        }),
      );
      const before = out.Attributes ?? {};
      const { [A.statusComment]: _comment, ...kept } = before;
      const drift = fromItem({
        ...kept,
        [A.status]: change.status,
        [A.statusChangedAt]: change.at,
        [A.statusChangedBy]: change.by,
        [A.seq]: seq,
        ...(change.comment ? { [A.statusComment]: change.comment } : {}),
      });
      if (!drift) return undefined;
      const opened = (change.status === 'open' ? 1 : 0) - (before[A.status] === 'open' ? 1 : 0);
      if (opened !== 0) await this.addToCounts({ [openCount(drift.severity)]: opened });
      return { drift, seq };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const drift = await this.get(id);
      return drift && { drift, seq: null };
    }
  }

  async query(q: DriftQuery): Promise<DriftPage> {
    const limit = Math.min(Math.max(q.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const sort = q.sort ?? 'time';
    const order = q.order ?? 'desc';
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (sort === 'time') {
      if (cursor && !('k' in cursor)) throw new InputError('invalid cursor: it belongs to a different sort');
      return this.timePage(q, limit, order, cursor?.k);
    }
    const sortId = `${sort}:${order}`;
    if (cursor && (!('o' in cursor) || cursor.s !== sortId)) {
      throw new InputError('invalid cursor: it belongs to a different sort');
    }
    // Column sorts: sort the newest SORT_WINDOW matches in memory and page through them by offset.
    const window = await this.timePage(q, SORT_WINDOW, 'desc', undefined, SORT_WINDOW * 5);
    const sorted = [...window.items].sort(compareDrifts(sort, order));
    const offset = cursor && 'o' in cursor ? cursor.o : 0;
    const items = sorted.slice(offset, offset + limit);
    const more = offset + limit < sorted.length;
    return {
      items,
      nextCursor: more ? encodeCursor({ o: offset + limit, s: sortId }) : null,
      ...(window.nextCursor === null ? { total: sorted.length } : {}),
    };
  }

  async history(resourceKey: string): Promise<Drift[]> {
    const page = await this.timePage({ resource: resourceKey }, SORT_WINDOW, 'desc', undefined);
    return page.items;
  }

  async listOpen(): Promise<Drift[]> {
    const out: Drift[] = [];
    for await (const item of this.read({ index: DRIFT_INDEXES.byStatus, value: 'open' }, 'desc')) {
      const drift = fromItem(item);
      if (drift) out.push(drift);
    }
    return out;
  }

  /** Every drift changed after `seq`, in change order, each at its latest change. */
  async changesSince(seq: number, limit = 1000): Promise<DriftChange[]> {
    const out: DriftChange[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: DRIFT_INDEXES.byChange.indexName,
          KeyConditionExpression: '#p = :p AND #seq > :seq',
          ExpressionAttributeNames: { '#p': A.allPartition, '#seq': A.seq },
          ExpressionAttributeValues: { ':p': ALL_PARTITION, ':seq': seq },
          ExclusiveStartKey: startKey,
          Limit: Math.min(limit - out.length, 200),
        }),
      );
      for (const item of page.Items ?? []) {
        const drift = fromItem(item);
        if (drift) out.push({ drift, seq: seqOf(item) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && out.length < limit);
    return out;
  }

  /** The latest change sequence number handed out (0 before the first write). */
  async headSeq(): Promise<number> {
    if (this.singleWriter) {
      this.lastSeq ??= this.highestStoredSeq();
      return this.lastSeq;
    }
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [A.id]: COUNTER_ID } }),
    );
    return out.Item ? seqOf(out.Item) : 0;
  }

  /** The highest change number any drift holds (or the counter, if higher). */
  private async highestStoredSeq(): Promise<number> {
    const [newest, counter] = await Promise.all([
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: DRIFT_INDEXES.byChange.indexName,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': A.allPartition },
          ExpressionAttributeValues: { ':p': ALL_PARTITION },
          ScanIndexForward: false,
          Limit: 1,
        }),
      ),
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [A.id]: COUNTER_ID } })),
    ]);
    const item = newest.Items?.[0];
    return Math.max(item ? seqOf(item) : 0, counter.Item ? seqOf(counter.Item) : 0);
  }

  /**
   * Single-writer mode keeps the counts in memory, counted once from the drifts before the first
   * write goes out (nextSeq waits for it), as it keeps the change numbers: one counts item updated
   * by every write slowed the local server's soak (200 drifts/s) from p50 1.3 s to 8 s.
   */
  private memoryCounts(): Promise<Map<string, number>> {
    this.countsInMemory ??= this.recount().then(
      (summary) =>
        new Map([
          ['total', summary.total],
          ...SEVERITIES.map((s) => [openCount(s), summary.open[s]] as const),
        ]),
    );
    return this.countsInMemory;
  }

  private async readCounts(): Promise<(name: string) => number> {
    if (this.singleWriter) {
      const counts = await this.memoryCounts();
      return (name) => counts.get(name) ?? 0;
    }
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [A.id]: COUNTS_ID }, ConsistentRead: true }),
    );
    return (name) => Number(out.Item?.[name] ?? 0);
  }

  /** GET /summary from the counts kept on write, and the newest drift's time: two small reads. */
  async summary(): Promise<Summary> {
    const [count, newest] = await Promise.all([
      this.readCounts(),
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: DRIFT_INDEXES.byTime.indexName,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': DRIFT_INDEXES.byTime.partitionKey.name, '#t': A.sortTime },
          ExpressionAttributeValues: { ':p': ALL_PARTITION },
          ProjectionExpression: '#t',
          ScanIndexForward: false,
          Limit: 1,
        }),
      ),
    ]);
    const open = Object.fromEntries(SEVERITIES.map((s) => [s, count(openCount(s))])) as Record<
      Severity,
      number
    >;
    const last = newest.Items?.[0]?.[A.sortTime];
    return { open, total: count('total'), lastEventTime: last ? String(last).split('#')[0] : null };
  }

  /** The summary counted from the drifts themselves (reads every drift: for checks and repairs). */
  async recount(): Promise<Summary> {
    const open: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
    for await (const item of this.read({ index: DRIFT_INDEXES.byStatus, value: 'open' }, 'desc', undefined, [
      A.severity,
    ])) {
      const severity = item[A.severity] as Severity;
      if (severity in open) open[severity] += 1;
    }
    let total = 0;
    let lastEventTime: string | null = null;
    for await (const item of this.read(
      { index: DRIFT_INDEXES.byTime, value: ALL_PARTITION },
      'desc',
      undefined,
      [A.sortTime],
    )) {
      if (total === 0) lastEventTime = String(item[A.sortTime]).split('#')[0];
      total += 1;
    }
    return { open, total, lastEventTime };
  }

  private async nextSeq(): Promise<number> {
    if (this.singleWriter) {
      // Chained synchronously, so concurrent writers still get distinct numbers; no write goes out
      // before the counts in memory are counted.
      this.lastSeq ??= this.highestStoredSeq();
      const next = Promise.all([this.lastSeq, this.memoryCounts()]).then(([n]) => n + 1);
      this.lastSeq = next;
      return next;
    }
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [A.id]: COUNTER_ID },
        UpdateExpression: 'ADD #seq :one',
        ExpressionAttributeNames: { '#seq': A.seq },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.[A.seq]);
  }

  /** The keyed query plan: resource, else status, else severity, else everything by time. */
  private sources(q: DriftQuery): Source[] {
    if (q.resource) {
      return [
        { index: DRIFT_INDEXES.byResource, value: q.resource },
        { index: DRIFT_INDEXES.byResourceId, value: q.resource },
      ];
    }
    if (q.status?.length)
      return [...new Set(q.status)].map((value) => ({ index: DRIFT_INDEXES.byStatus, value }));
    if (q.severity?.length) {
      return [...new Set(q.severity)].map((value) => ({ index: DRIFT_INDEXES.bySeverity, value }));
    }
    return [{ index: DRIFT_INDEXES.byTime, value: ALL_PARTITION }];
  }

  /** One time-ordered page: merge the keyed sources, filter, stop at limit or at maxScanned items. */
  private async timePage(
    q: DriftQuery,
    limit: number,
    order: 'asc' | 'desc',
    after: string | undefined,
    maxScanned = this.maxScanned,
  ): Promise<DriftPage> {
    const from = q.from ? isoMs(q.from) : null;
    const to = q.to ? `${isoMs(q.to) ?? q.to}#\uffff` : null;
    const start = after ?? (order === 'desc' ? (to ?? undefined) : (from ?? undefined));
    const inclusive = after === undefined;
    const beyond = (sortTime: string) =>
      order === 'desc' ? from !== null && sortTime < from : to !== null && sortTime > to;
    const readers = this.sources(q).map((source) =>
      peekable(this.read(source, order, start ? { start, inclusive } : undefined)),
    );
    const items: Drift[] = [];
    let scanned = 0;
    let last: string | undefined;
    for (;;) {
      const next = await pickNext(readers, order);
      if (!next) return { items, nextCursor: null };
      const sortTime = String(next[A.sortTime]);
      if (beyond(sortTime)) return { items, nextCursor: null };
      if (sortTime === last) continue; // the same drift from a second source (address and id)
      if (items.length === limit || scanned === maxScanned) {
        return { items, nextCursor: last ? encodeCursor({ k: last }) : null };
      }
      last = sortTime;
      scanned += 1;
      const drift = fromItem(next);
      if (drift && matchesQuery(drift, q)) items.push(drift);
    }
  }

  /** Items of one index partition in sortTime order, page by page. */
  private async *read(
    source: Source,
    order: 'asc' | 'desc',
    bound?: { start: string; inclusive: boolean },
    attributes: readonly string[] = LIST_ATTRIBUTES,
  ): AsyncGenerator<DriftItem> {
    const names: Record<string, string> = { '#p': source.index.partitionKey.name };
    attributes.forEach((a, i) => {
      names[`#a${i}`] = a;
    });
    const values: Record<string, unknown> = { ':p': source.value };
    let condition = '#p = :p';
    if (bound) {
      const op = order === 'desc' ? (bound.inclusive ? '<=' : '<') : bound.inclusive ? '>=' : '>';
      condition += ` AND #t ${op} :t`;
      names['#t'] = A.sortTime;
      values[':t'] = bound.start;
    }
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: source.index.indexName,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
          ScanIndexForward: order === 'asc',
          ExclusiveStartKey: startKey,
          Limit: 100,
        }),
      );
      yield* (page.Items ?? []) as DriftItem[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

interface Peekable {
  head: DriftItem | undefined;
  done: boolean;
  readonly it: AsyncGenerator<DriftItem>;
}

function peekable(it: AsyncGenerator<DriftItem>): Peekable {
  return { head: undefined, done: false, it };
}

/** Takes the next item in order across sources (k-way merge on sortTime). */
async function pickNext(readers: Peekable[], order: 'asc' | 'desc'): Promise<DriftItem | undefined> {
  await Promise.all(
    readers.map(async (r) => {
      if (r.head || r.done) return;
      const next = await r.it.next();
      if (next.done) r.done = true;
      else r.head = next.value;
    }),
  );
  let best: Peekable | undefined;
  for (const r of readers) {
    if (!r.head) continue;
    const t = String(r.head[A.sortTime]);
    const bt = best ? String(best.head![A.sortTime]) : undefined;
    if (bt === undefined || (order === 'desc' ? t > bt : t < bt)) best = r;
  }
  if (!best) return undefined;
  const item = best.head;
  best.head = undefined;
  return item;
}
