// The detect service's stores as the detect Lambda composes them (lambdas/handlers/runtime/detector.ts):
// drifts, alert ledger and revert log, all kept by one DynamoDriftStore on one table.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';

export function dynamoStores(doc: DynamoDBDocumentClient) {
  const store = new DynamoDriftStore(doc);
  return { drifts: store, alerts: store, reverts: store };
}
