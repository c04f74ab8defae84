// EventLog on DynamoDB: one item per processed event in one partition, newest first. The sort key
// holds the event time and id, so a redelivered event overwrites its own item.

import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isoMs } from '../../core/drift-query.js';
import type { ProcessedEvent } from '../../core/types.js';
import type { EventLog } from '../../ports.js';
import { boundedJson } from './drift-item.js';
import { EVENTS_TABLE as E } from './drift-table-design.js';

export class DynamoEventLog implements EventLog {
  readonly tableName: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    options: { tableName?: string; retentionDays?: number } = {},
  ) {
    this.tableName = options.tableName ?? E.defaultName;
    this.retentionDays = options.retentionDays ?? E.retentionDays;
  }

  private readonly retentionDays: number;

  async record(events: readonly ProcessedEvent[]): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.retentionDays * 86_400;
    // One item per key: BatchWrite rejects a batch that writes the same key twice.
    const byKey = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      // Event ids and times come from CloudTrail (attacker-sized): keys stay under DynamoDB's 1 KB.
      const sk = `${isoMs(event.time) ?? event.time.slice(0, 40)}#${event.eventId.slice(0, 400)}`;
      byKey.set(sk, {
        [E.partitionKey.name]: E.partitionValue,
        [E.sortKey.name]: sk,
        [E.bodyAttribute]: boundedJson(event),
        [E.ttlAttribute]: expiresAt,
      });
    }
    const items = [...byKey.values()];
    for (let i = 0; i < items.length; i += 25) {
      let requests: Record<string, unknown[]> = {
        [this.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
        if (attempt > 8) throw new Error(`event log: ${this.tableName} kept throttling the batch write`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: requests as never }));
        requests = (out.UnprocessedItems ?? {}) as Record<string, unknown[]>;
      }
    }
  }

  async recent(limit: number): Promise<ProcessedEvent[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': E.partitionKey.name },
        ExpressionAttributeValues: { ':pk': E.partitionValue },
        ScanIndexForward: false,
        Limit: Math.max(1, Math.min(limit, 1000)),
      }),
    );
    return (out.Items ?? []).map((item) => JSON.parse(item[E.bodyAttribute] as string) as ProcessedEvent);
  }
}
