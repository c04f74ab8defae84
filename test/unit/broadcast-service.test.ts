import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { toItem } from '../../lambdas/adapters/aws/drift-item.js';
import type { ConnectionRegistry, ConnectionSender, LiveMessage } from '../../lambdas/ports.js';
import {
  broadcast,
  broadcastDrift,
  changeFromStreamImage,
  driftFromStreamImage,
  removedDriftFromStreamRecord,
} from '../../lambdas/services/broadcast-service.js';
import { sampleDrift } from '../support/drift-samples.js';

function registry(ids: string[]): ConnectionRegistry & { ids: string[] } {
  return {
    ids,
    add: async (id) => void ids.push(id),
    remove: async (id) => void ids.splice(ids.indexOf(id), 1),
    list: async () => [...ids],
  };
}

describe('broadcast', () => {
  it('sends to every connection with bounded concurrency and drops the gone ones', async () => {
    const connections = registry(Array.from({ length: 25 }, (_, i) => `c${i}`));
    let inFlight = 0;
    let peak = 0;
    const received: string[] = [];
    const sender: ConnectionSender = {
      async send(id: string, message: LiveMessage) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight -= 1;
        if (id === 'c3') throw new Error('throttled');
        if (id === 'c7' || id === 'c20') return false;
        received.push(`${id}:${message.type}`);
        return true;
      },
    };
    const result = await broadcastDrift({ connections, sender, concurrency: 4 }, sampleDrift(1), '42');
    expect(result).toEqual({ sent: 22, dropped: 2, failed: 1 });
    expect(peak).toBe(4);
    expect(connections.ids).not.toContain('c7');
    expect(connections.ids).toContain('c3');
    expect(received).toContain('c24:drift');
    expect(await broadcast({ connections: registry([]), sender }, { type: 'hello', cursor: '0' })).toEqual({
      sent: 0,
      dropped: 0,
      failed: 0,
    });
  });

  it('reads the drift and its cursor back from a stream image', () => {
    const drift = sampleDrift(5);
    const image = marshall(toItem(drift, 17), { removeUndefinedValues: true });
    expect(changeFromStreamImage(image)).toEqual({ drift, cursor: '17' });
    expect(driftFromStreamImage(marshall({ id: '#change-seq', seq: 18 }))).toBeUndefined();
    expect(driftFromStreamImage(undefined)).toBeUndefined();
  });

  it('reads the drift a REMOVE took away from its old image, and nothing from other records', () => {
    // Prepare: a drift item as stored, and the bookkeeping items beside it.
    const drift = sampleDrift(6);
    const image = marshall(toItem(drift, 21), { removeUndefinedValues: true });
    const counter = marshall({ id: '#change-seq', seq: 21 });
    // Act
    const removed = removedDriftFromStreamRecord({ eventName: 'REMOVE', dynamodb: { OldImage: image } });
    // Assess: only a removed drift item is one.
    expect(removed).toEqual(drift);
    expect(
      removedDriftFromStreamRecord({ eventName: 'MODIFY', dynamodb: { OldImage: image } }),
    ).toBeUndefined();
    expect(removedDriftFromStreamRecord({ eventName: 'INSERT', dynamodb: {} })).toBeUndefined();
    expect(
      removedDriftFromStreamRecord({ eventName: 'REMOVE', dynamodb: { OldImage: counter } }),
    ).toBeUndefined();
    expect(removedDriftFromStreamRecord({ eventName: 'REMOVE', dynamodb: {} })).toBeUndefined();
  });
});
