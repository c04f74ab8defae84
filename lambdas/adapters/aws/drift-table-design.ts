// DynamoDB tables of tfdrift as plain data: read by the DynamoDB adapters, by local table creation
// (dynalite) and by the CDK stack, so the three can never disagree.
//
// Drifts table — one item per drift, keyed on the drift id (deterministic from event id + resource),
// so `attribute_not_exists(id)` makes the put idempotent. Every dashboard query is a keyed Query:
//   by id ............ GetItem on `id`
//   by time .......... GSI byTime      (gAll = "drift", sortTime = eventTime#id), newest first
//   by status ........ GSI byStatus    (status, sortTime)
//   by severity ...... GSI bySeverity  (severity, sortTime)
//   by resource ...... GSI byResource  (resourceKey = address, or id when unmanaged; sortTime)
//                      GSI byResourceId (resourceId, sortTime): `resource=` also accepts an id
//   changes feed ..... GSI byChange    (gAll, seq): the live feed's resume cursor (see below)
// A time range (from/to) is a key condition on sortTime. Other filters (kind, type, actor, text, a
// second status/severity list) are applied to the items a keyed query returns. Sorting on a column
// other than time sorts the newest SORT_WINDOW matches in memory. Several values of one filter
// (status=open,acknowledged) query each partition and merge them by sortTime. A page cursor is the
// last sortTime handed out, base64url-encoded: the exclusive key bound LastEvaluatedKey would give,
// but valid across merged partitions and across filters applied after the read.
//
// Change sequence: a counter item (id = COUNTER_ID, no GSI attributes, so it is in no index) is
// incremented before each write; the drift stores the value in `seq`. byChange therefore lists every
// drift once, at its latest change, in change order: replaying `seq > cursor` gives a client every
// drift that changed since it last heard. A failed conditional put leaves a harmless gap.
//
// Counts: an item (id = COUNTS_ID, in no index either) holds the number of drifts and of open drifts
// per severity, added to by each write that changes them (a new drift, a status change to or from
// open), so GET /summary reads one item instead of every drift. A drift the table's TTL removes is
// taken away by the broadcast function, which sees its REMOVE on the stream (with its old image).
// A count that fails after its write leaves the count short by one; the store's recount counts the
// drifts themselves. A single writer
// (the local server) keeps the counts in memory instead, counted from the drifts when it starts.
//
// Items hold the finding and the raw event as JSON strings (`body`, `rawEvent`): CloudTrail values
// are arbitrary JSON (huge numbers, empty keys) that DynamoDB's type system would reject or round.

export const DRIFTS_TABLE = {
  /** Default name when none is configured (locally); the CDK stack lets CloudFormation name it. */
  defaultName: 'tfdrift-drifts',
  partitionKey: 'id',
  ttlAttribute: 'expiresAt',
  /** Old images too: a drift removed by TTL is known only by its old image (the counts lose it). */
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export const DRIFT_ATTR = {
  id: 'id',
  allPartition: 'gAll',
  sortTime: 'sortTime',
  status: 'status',
  severity: 'severity',
  kind: 'kind',
  resourceType: 'resourceType',
  resourceKey: 'resourceKey',
  resourceId: 'resourceId',
  seq: 'seq',
  body: 'body',
  rawEvent: 'rawEvent',
  detectedAt: 'detectedAt',
  statusChangedAt: 'statusChangedAt',
  statusChangedBy: 'statusChangedBy',
  statusComment: 'statusComment',
  expiresAt: 'expiresAt',
} as const;

/** Value of `gAll` on every drift item: one partition for time-ordered listing. */
export const ALL_PARTITION = 'drift';
/** Id of the change-sequence counter item in the drifts table. */
export const COUNTER_ID = '#change-seq';
/** Id of the drift-counts item in the drifts table. */
export const COUNTS_ID = '#drift-counts';

export type KeyType = 'S' | 'N';

export interface IndexDesign {
  readonly indexName: string;
  readonly partitionKey: { readonly name: string; readonly type: KeyType };
  readonly sortKey: { readonly name: string; readonly type: KeyType };
  readonly projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** With INCLUDE: the non-key attributes copied into the index. */
  readonly nonKeyAttributes?: readonly string[];
}

const stringKey = (name: string) => ({ name, type: 'S' as const });

/**
 * Indexes carry every attribute but the raw event (the bulk of an item): lists never show it, and
 * GET by id reads the table. DynamoDB allows 100 projected attributes over all indexes; this is 78.
 */
function listIndex(
  indexName: string,
  partitionKey: string,
  sortKey: { name: string; type: KeyType },
): IndexDesign {
  const keys = new Set<string>([DRIFTS_TABLE.partitionKey, partitionKey, sortKey.name]);
  return {
    indexName,
    partitionKey: stringKey(partitionKey),
    sortKey,
    projection: 'INCLUDE',
    nonKeyAttributes: Object.values(DRIFT_ATTR).filter((a) => a !== DRIFT_ATTR.rawEvent && !keys.has(a)),
  };
}

const sortTimeKey = stringKey(DRIFT_ATTR.sortTime);

export const DRIFT_INDEXES = {
  byTime: listIndex('byTime', DRIFT_ATTR.allPartition, sortTimeKey),
  byStatus: listIndex('byStatus', DRIFT_ATTR.status, sortTimeKey),
  bySeverity: listIndex('bySeverity', DRIFT_ATTR.severity, sortTimeKey),
  byResource: listIndex('byResource', DRIFT_ATTR.resourceKey, sortTimeKey),
  byResourceId: listIndex('byResourceId', DRIFT_ATTR.resourceId, sortTimeKey),
  byChange: listIndex('byChange', DRIFT_ATTR.allPartition, { name: DRIFT_ATTR.seq, type: 'N' }),
} as const satisfies Record<string, IndexDesign>;

/** Non-time sorts consider at most this many (newest) matching drifts. */
export const SORT_WINDOW = 1000;
/** Days a drift is kept before DynamoDB's TTL removes it (configurable per store). */
export const DEFAULT_RETENTION_DAYS = 365;

// Processed-events log — one item per event, newest first in one partition; the key includes the
// event id, so a redelivered event overwrites its own item instead of adding a second one.
export const EVENTS_TABLE = {
  defaultName: 'tfdrift-events',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Value of `pk`; `sk` = eventTime#eventId. */
  partitionValue: 'event',
  bodyAttribute: 'body',
  ttlAttribute: 'expiresAt',
  retentionDays: 30,
} as const;

// WebSocket connections (AWS live feed) — keyed on the API Gateway connection id; a keys-only index
// on a constant partition lists them without a scan. TTL removes connections API Gateway forgot
// to disconnect (it closes every connection after 2 hours anyway).
export const CONNECTIONS_TABLE = {
  defaultName: 'tfdrift-connections',
  partitionKey: { name: 'connectionId', type: 'S' },
  ttlAttribute: 'expiresAt',
  feedAttribute: 'feed',
  feedValue: 'live',
  index: {
    indexName: 'byFeed',
    partitionKey: { name: 'feed', type: 'S' },
    sortKey: { name: 'connectionId', type: 'S' },
    projection: 'KEYS_ONLY',
  },
  ttlSeconds: 3 * 60 * 60,
} as const satisfies Record<string, unknown> & { index: IndexDesign };

/** Every attribute definition the drifts table needs (tables may only declare key attributes). */
export function driftAttributeDefinitions(): { name: string; type: KeyType }[] {
  const seen = new Map<string, KeyType>([[DRIFTS_TABLE.partitionKey, 'S']]);
  for (const index of Object.values(DRIFT_INDEXES)) {
    seen.set(index.partitionKey.name, index.partitionKey.type);
    seen.set(index.sortKey.name, index.sortKey.type);
  }
  return [...seen].map(([name, type]) => ({ name, type }));
}
