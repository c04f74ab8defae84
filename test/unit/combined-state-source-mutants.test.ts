// Several state sources as one (lambdas/services/combined-state-source.ts) and the broadcast's log of a
// failed send (lambdas/services/broadcast-service.ts): behaviours a mutation run found untested.

import { describe, expect, it } from 'vitest';
import { LocalStateFiles } from '../../lambdas/adapters/local/state-files.js';
import type { ConnectionRegistry, StateSource } from '../../lambdas/ports.js';
import { broadcast, removedDriftFromStreamRecord } from '../../lambdas/services/broadcast-service.js';
import { combineStateSources } from '../../lambdas/services/combined-state-source.js';

const fixture = new URL('../fixtures/tfstate/driftctl-aws-sqs-queue.tfstate', import.meta.url).pathname;

/** A location that fails as a whole (a bucket that is gone), as an S3 listing would. */
const gone: StateSource = {
  description: 's3://gone-bucket/env',
  load: async () => {
    throw new Error('NoSuchBucket: The specified bucket does not exist');
  },
};

describe('combineStateSources', () => {
  it('records a location that fails as a whole by its name, and loads the others', async () => {
    const combined = combineStateSources([new LocalStateFiles([fixture]), gone]);
    const { documents, errors } = await combined.load();
    expect(documents.map((d) => d.file)).toEqual([fixture]);
    expect(errors).toEqual([
      { file: 's3://gone-bucket/env', message: 'NoSuchBucket: The specified bucket does not exist' },
    ]);
  });

  it('is described by its sources, by the description given, or as having none', () => {
    expect(combineStateSources([new LocalStateFiles([fixture]), gone]).description).toBe(
      `${new LocalStateFiles([fixture]).description}, s3://gone-bucket/env`,
    );
    expect(combineStateSources([gone], 'prod state').description).toBe('prod state');
    expect(combineStateSources([]).description).toBe('(no state configured)');
  });
});

describe('broadcast', () => {
  it('logs a send that fails with the connection and the error, and goes on', async () => {
    const ids = ['c1', 'c2'];
    const connections: ConnectionRegistry = {
      add: async () => undefined,
      remove: async () => undefined,
      list: async () => [...ids],
    };
    const warned: string[] = [];
    const result = await broadcast(
      {
        connections,
        sender: {
          send: async (id) => {
            if (id === 'c1') throw new Error('throttled');
            return true;
          },
        },
        logger: {
          info: () => undefined,
          warn: (m, f) => void warned.push(`${m} ${JSON.stringify(f)}`),
          error: () => undefined,
        },
      },
      { type: 'hello', cursor: '0' },
    );
    expect(result).toEqual({ sent: 1, dropped: 0, failed: 1 });
    expect(warned).toEqual(['live message not sent {"connectionId":"c1","error":"throttled"}']);
  });
});

describe('removedDriftFromStreamRecord', () => {
  it('finds nothing in a REMOVE record that carries no stream data', () => {
    expect(removedDriftFromStreamRecord({ eventName: 'REMOVE' })).toBeUndefined();
  });
});
