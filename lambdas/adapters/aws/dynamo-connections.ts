// ConnectionRegistry on DynamoDB: the API Gateway WebSocket connections the broadcaster fans out to.
// Listed through a keys-only index on a constant partition, so no table scan.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ConnectionRegistry } from '../../ports.js';
import { CONNECTIONS_TABLE as C } from './drift-table-design.js';

export class DynamoConnections implements ConnectionRegistry {
  readonly tableName: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    options: { tableName?: string; now?: () => Date } = {},
  ) {
    this.tableName = options.tableName ?? C.defaultName;
    this.now = options.now ?? (() => new Date());
  }

  private readonly now: () => Date;

  /** Registers a connection on the feed: the broadcast reaches it from now on. */
  async add(connectionId: string, meta: Record<string, string> = {}): Promise<void> {
    await this.put(connectionId, meta, true);
  }

  /**
   * Registers a connection the broadcast does not reach yet (it is not in the feed index): the
   * resume route puts it on the feed once the client has had its replay (activate).
   */
  async addPending(connectionId: string, meta: Record<string, string> = {}): Promise<void> {
    await this.put(connectionId, meta, false);
  }

  /** Puts a registered connection on the feed; false when it is no longer registered. */
  async activate(connectionId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [C.partitionKey.name]: connectionId },
          UpdateExpression: 'SET #feed = :feed',
          ConditionExpression: 'attribute_exists(#id)',
          ExpressionAttributeNames: { '#feed': C.feedAttribute, '#id': C.partitionKey.name },
          ExpressionAttributeValues: { ':feed': C.feedValue },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false; // disconnected meanwhile
      throw error;
    }
  }

  private async put(connectionId: string, meta: Record<string, string>, live: boolean): Promise<void> {
    const now = this.now();
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...meta,
          [C.partitionKey.name]: connectionId,
          ...(live ? { [C.feedAttribute]: C.feedValue } : {}),
          connectedAt: now.toISOString(),
          [C.ttlAttribute]: Math.floor(now.getTime() / 1000) + C.ttlSeconds,
        },
      }),
    );
  }

  async remove(connectionId: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { [C.partitionKey.name]: connectionId } }),
    );
  }

  async list(): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: C.index.indexName,
          KeyConditionExpression: '#feed = :feed',
          ExpressionAttributeNames: { '#feed': C.feedAttribute },
          ExpressionAttributeValues: { ':feed': C.feedValue },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item[C.partitionKey.name]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }
}
