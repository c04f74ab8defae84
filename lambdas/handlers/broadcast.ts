// DynamoDB stream of the drifts table → every live-feed connection. A record that fails is reported
// as a batch item failure, so the batch is retried from it, not from its start. A drift removed from
// the table (DynamoDB's TTL, once its retention has run out) is taken out of the drift counts.

import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
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
import { jsonLogger } from './runtime/logger.js';

const doc = dynamoDocumentClient();
const driftsTable = requireEnv(FUNCTION_ENV.driftsTable);
const connections = new DynamoConnections(doc, {
  tableName: requireEnv(FUNCTION_ENV.connectionsTable),
});
const sender = new ApiGatewaySender(managementClient(requireEnv(FUNCTION_ENV.wsEndpoint)));
const logger = jsonLogger({ function: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'broadcast' });

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const removed = removedDriftFromStreamRecord(record);
      if (removed) {
        await addToDriftCounts(doc, driftsTable, driftCounts(removed, -1));
        logger.info('removed drift uncounted', { driftId: removed.id });
        continue;
      }
      const change = changeFromStreamImage(
        record.dynamodb?.NewImage as Parameters<typeof changeFromStreamImage>[0],
      );
      if (!change) continue;
      const result = await broadcastDrift(
        { connections, sender, logger, concurrency: 10 },
        change.drift,
        change.cursor,
      );
      logger.info('drift broadcast', { driftId: change.drift.id, ...result });
    } catch (error) {
      logger.error('broadcast failed', {
        error: (error as Error).message,
        sequence: record.dynamodb?.SequenceNumber,
      });
      // Stream order matters: retry from here; later records would only be sent twice.
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      break;
    }
  }
  return { batchItemFailures };
}
