// The live feed in AWS: fan-out of one changed drift to every connection (the broadcast Lambda, fed
// by the drifts table's stream; bounded concurrency; connections that are gone are dropped). The
// resume of one connection is resume-service.ts: each function's bundle holds only the calls it makes.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { fromItem, seqOf } from '../adapters/aws/drift-item.js';
import type { Drift } from '../core/types.js';
import type { ConnectionRegistry, ConnectionSender, LiveMessage, Logger } from '../ports.js';
import { liveDrift } from './live-drift.js';

export interface BroadcastResult {
  readonly sent: number;
  readonly dropped: number;
  readonly failed: number;
}

export interface BroadcastDeps {
  readonly connections: ConnectionRegistry;
  readonly sender: ConnectionSender;
  readonly logger?: Logger;
  /** Sends in flight at once (default 10). */
  readonly concurrency?: number;
}

/** Sends `message` to every registered connection; removes those the sender reports gone. */
export async function broadcast(deps: BroadcastDeps, message: LiveMessage): Promise<BroadcastResult> {
  const ids = await deps.connections.list();
  let next = 0;
  let sent = 0;
  let dropped = 0;
  let failed = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        if (await deps.sender.send(id, message)) {
          sent += 1;
        } else {
          dropped += 1;
          await deps.connections.remove(id);
        }
      } catch (error) {
        // One failing connection never stops the others.
        failed += 1;
        deps.logger?.warn('live message not sent', { connectionId: id, error: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 10, ids.length) }, worker));
  return { sent, dropped, failed };
}

/** Broadcasts a changed drift with its change cursor. */
export function broadcastDrift(deps: BroadcastDeps, drift: Drift, cursor: string): Promise<BroadcastResult> {
  return broadcast(deps, { type: 'drift', drift: liveDrift(drift), cursor });
}

type StreamImage = Record<string, AttributeValue> | Record<string, unknown>;

/** The drift and its change cursor in a DynamoDB stream image (NewImage); undefined for non-drift items. */
export function changeFromStreamImage(
  image: StreamImage | undefined,
): { drift: Drift; cursor: string } | undefined {
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  const drift = fromItem(item);
  return drift && { drift, cursor: String(seqOf(item)) };
}

/** The drift a DynamoDB stream image holds (undefined for the change counter and other items). */
export function driftFromStreamImage(image: StreamImage | undefined): Drift | undefined {
  return changeFromStreamImage(image)?.drift;
}

/** The part of a DynamoDB stream record that says what went away. */
export interface StreamRemoval {
  readonly eventName?: string;
  readonly dynamodb?: { readonly OldImage?: StreamImage };
}

/**
 * The drift a REMOVE record took out of the table (from its old image): DynamoDB's TTL once its
 * retention ran out, or someone by hand. Undefined for any other record or item.
 */
export function removedDriftFromStreamRecord(record: StreamRemoval): Drift | undefined {
  if (record.eventName !== 'REMOVE') return undefined;
  return driftFromStreamImage(record.dynamodb?.OldImage);
}
