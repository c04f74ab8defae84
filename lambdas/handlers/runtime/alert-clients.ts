// The SDK clients that send alerts and drift events, apart from clients.ts: the detect function
// imports this module only on its first drift (drift-outputs.ts), and a bundle chunk holds a module
// whole, so a client here is not loaded with the ones every event needs.

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';

export function snsClient(): SNSClient {
  return new SNSClient({});
}

export function eventBridgeClient(): EventBridgeClient {
  return new EventBridgeClient({});
}
