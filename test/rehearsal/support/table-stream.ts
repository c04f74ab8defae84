// A DynamoDB stream emulated from the writes: the table is read before and after a step, and each
// item that appeared, changed or went away becomes an INSERT, MODIFY or REMOVE record shaped as
// Lambda receives stream records (DynamoDB JSON images, as the table's StreamViewType keeps them).
// Records are then filtered with the event source mapping's FilterCriteria, as Lambda filters them
// before invoking (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html:
// the same pattern syntax as EventBridge, applied to each record).
// Within a step, records are ordered by the item's change number where it has one (`seq`), the
// order the table's writes happened in; a real stream orders per item by write time.

import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type EventPattern, matchesPattern } from '../../../lambdas/core/event-pattern.js';

type Item = Record<string, AttributeValue>;

export class TableStream {
  private before = new Map<string, Item>();
  private sequence = 1000;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly streamArn: string,
    private readonly keyNames: readonly string[],
    private readonly viewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY',
  ) {}

  private async scan(): Promise<Map<string, Item>> {
    const items = new Map<string, Item>();
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) items.set(this.keyOf(item), item);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private keyOf(item: Item): string {
    return JSON.stringify(this.keyNames.map((k) => item[k]));
  }

  /** Remembers the table as it is now: later records are the changes after this. */
  async mark(): Promise<void> {
    this.before = await this.scan();
  }

  /** The stream records of every change since the last mark (and marks again). */
  async records(): Promise<DynamoDBRecord[]> {
    const after = await this.scan();
    const changes: { name: 'INSERT' | 'MODIFY' | 'REMOVE'; old?: Item; new?: Item }[] = [];
    for (const [key, item] of after) {
      const old = this.before.get(key);
      if (!old) changes.push({ name: 'INSERT', new: item });
      else if (JSON.stringify(old) !== JSON.stringify(item)) changes.push({ name: 'MODIFY', old, new: item });
    }
    for (const [key, item] of this.before) if (!after.has(key)) changes.push({ name: 'REMOVE', old: item });
    const order = (c: (typeof changes)[number]) =>
      Number((c.new ?? c.old)?.seq?.N ?? Number.MAX_SAFE_INTEGER);
    changes.sort((a, b) => order(a) - order(b));
    this.before = after;
    return changes.map((change) => {
      const image = (change.new ?? change.old) as Item;
      const keys = Object.fromEntries(this.keyNames.map((k) => [k, image[k]]));
      const withNew = this.viewType === 'NEW_IMAGE' || this.viewType === 'NEW_AND_OLD_IMAGES';
      const withOld = this.viewType === 'OLD_IMAGE' || this.viewType === 'NEW_AND_OLD_IMAGES';
      this.sequence += 1;
      return {
        eventID: `${this.sequence}`.padStart(32, '0'),
        eventName: change.name,
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: this.streamArn.split(':')[3],
        eventSourceARN: this.streamArn,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          Keys: keys,
          ...(withNew && change.new ? { NewImage: change.new } : {}),
          ...(withOld && change.old ? { OldImage: change.old } : {}),
          SequenceNumber: String(this.sequence).padStart(21, '0'),
          SizeBytes: JSON.stringify(image).length,
          StreamViewType: this.viewType,
        },
      } as DynamoDBRecord;
    });
  }
}

/** The records an event source mapping's FilterCriteria lets through (any filter may match). */
export function filterRecords(
  records: readonly DynamoDBRecord[],
  filterCriteria: { Filters?: { Pattern: string }[] } | undefined,
): DynamoDBRecord[] {
  const patterns = (filterCriteria?.Filters ?? []).map((f) => JSON.parse(f.Pattern) as EventPattern);
  if (patterns.length === 0) return [...records];
  return records.filter((record) => patterns.some((p) => matchesPattern(p, record)));
}
