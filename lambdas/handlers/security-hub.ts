// An EventBridge rule on tfdrift's own drift events → Security Hub: each drift becomes an ASFF
// finding of the account's custom integration (`product/<account>/default`, in the bus's region),
// updated when its status changes. A refused or failed import throws, so EventBridge retries it.

import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { SecurityHubDriftEvents } from '../adapters/aws/security-hub-findings.js';
import { parseDriftEvent } from '../core/drift-events.js';
import { functionLogger } from './runtime/powertools-logger.js';

const client = new SecurityHubClient({});
const logger = functionLogger();

export async function handler(
  event: EventBridgeEvent<string, unknown>,
  context?: Context,
): Promise<{ imported: string }> {
  if (context) logger.addContext(context);
  let drift: ReturnType<typeof parseDriftEvent>;
  try {
    drift = parseDriftEvent(event);
  } catch (error) {
    // Not ours (or forged): retrying cannot fix it, so it is logged and dropped.
    logger.warn('event ignored', { id: event.id, error: (error as Error).message });
    return { imported: '' };
  }
  await new SecurityHubDriftEvents(client, { accountId: event.account, region: event.region }).publish(drift);
  return { imported: drift.detail.id };
}
