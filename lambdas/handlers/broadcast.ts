// DynamoDB stream of the drifts table → every live-feed connection. A record that fails is reported
// as a batch item failure (Powertools' BatchProcessor), so the batch is retried from it, not from
// its start. A drift removed from the table (DynamoDB's TTL, once its retention has run out) is
// taken out of the drift counts.

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ApiGatewaySender, managementClient } from '../adapters/aws/apigw-sender.js';
import { DynamoConnections } from '../adapters/aws/dynamo-connections.js';
import { addToDriftCounts, driftCounts } from '../adapters/aws/dynamo-drift-store.js';
import {
  broadcastDrift,
  changeFromStreamImage,
  removedDriftFromStreamRecord,
} from '../services/broadcast-service.js';
import { dynamoDocumentClient } from './runtime/clients.js';
import { requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';
import { functionLogger } from './runtime/powertools-logger.js';

const doc = dynamoDocumentClient();
const driftsTable = requireEnv(FUNCTION_ENV.driftsTable);
const connections = new DynamoConnections(doc, {
  tableName: requireEnv(FUNCTION_ENV.connectionsTable),
});
const sender = new ApiGatewaySender(managementClient(requireEnv(FUNCTION_ENV.wsEndpoint)));
const logger = functionLogger();
/** Powertools' partial-batch processor: each failed record is reported as a batch item failure. */
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** One record: a removed drift is taken off the counts, a changed one sent to every connection. */
async function broadcastRecord(record: DynamoDBRecord): Promise<void> {
  const removed = removedDriftFromStreamRecord(record);
  if (removed) {
    await addToDriftCounts(doc, driftsTable, driftCounts(removed, -1));
    logger.info('removed drift uncounted', { driftId: removed.id });
    return;
  }
  const change = changeFromStreamImage(
    record.dynamodb?.NewImage as Parameters<typeof changeFromStreamImage>[0],
  );
  if (!change) return;
  const result = await broadcastDrift(
    { connections, sender, logger, concurrency: 10 },
    change.drift,
    change.cursor,
  );
  logger.info('drift broadcast', { driftId: change.drift.id, ...result });
}

export async function handler(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  if (context) logger.addContext(context);
  // Stream order matters: once a record fails, the later ones are not processed (a later change
  // would be sent twice, a later removal uncounted twice) but reported failed with it; Lambda
  // retries from the lowest sequence number reported.
  let failed: string | undefined;
  const processRecord = async (record: DynamoDBRecord) => {
    const sequence = record.dynamodb?.SequenceNumber;
    if (failed !== undefined) throw new Error(`not processed: record ${failed} failed before it`);
    try {
      await broadcastRecord(record);
    } catch (error) {
      failed = sequence ?? '(no sequence number)';
      logger.error('broadcast failed', { error: (error as Error).message, sequence });
      throw error;
    }
  };
  return processPartialResponse(event, processRecord, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
}
