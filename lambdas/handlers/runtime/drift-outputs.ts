// Where a found drift goes beyond the store: one SNS alert, and a drift event onto the drift bus when
// one is deployed. This module holds their SDK clients and is imported on the first drift only
// (detector.ts lazyOutputs; a chunk of its own in the bundle, lib/bundling.ts), so the common event —
// a write that drifts nothing — never loads, parses or constructs the SNS and EventBridge clients.

import { EventBridgeDriftEvents } from '../../adapters/aws/eventbridge-drift-events.js';
import { SnsNotifier } from '../../adapters/aws/sns-notifier.js';
import type { DriftEvents, Notifier } from '../../ports.js';
import { eventBridgeClient, snsClient } from './alert-clients.js';

export function snsNotifier(topicArn: string, dashboardUrl: string | undefined): Notifier {
  return new SnsNotifier(snsClient(), { topicArn, dashboardUrl });
}

export function busDriftEvents(eventBusName: string): DriftEvents {
  return new EventBridgeDriftEvents(eventBridgeClient(), { eventBusName });
}
