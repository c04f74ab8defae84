// A reader of `tfdrift scan` on its own thread (event-files.ts startReadingAside): lists the sources
// in workerData as every reader does, reads, gunzips and parses the ones it claims (the next not yet
// claimed by another thread, from a shared counter), and judges each batch as far as one reader can (prepareForMerge), so only the records that need
// detection cross to the scanning thread, with every record's duplicate key. Flow control: at most
// AHEAD batches are sent and not yet taken, so a slow scan holds a few log files, never the input.

import { parentPort, workerData } from 'node:worker_threads';
import type { DetectConfig } from '../../core/config.js';
import { FingerprintSet } from '../../core/fingerprints.js';
import { prepareForMerge, readerSourceBatches, type WorkerMessage } from './event-files.js';

// Enough to read on while the scanning thread loads the state (a batch is one log file).
const AHEAD = 8;
const port = parentPort;
if (!port) throw new Error('event-worker.js runs as a worker thread');
const { paths, seed, config, claims } = workerData as {
  paths: string[];
  seed: number;
  config: DetectConfig;
  /** The next unclaimed source's number, shared with the scanning thread and the other readers. */
  claims: Int32Array;
};

let credits = AHEAD;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
  wake = undefined;
});

const send = async (message: WorkerMessage, transfer: ArrayBuffer[]) => {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port.postMessage(message, transfer);
};

try {
  const seen = new FingerprintSet(seed);
  for await (const { unit, batch } of readerSourceBatches(paths, claims)) {
    if (!batch) {
      // An end takes no credit: it holds nothing.
      port.postMessage({ unit, end: true } satisfies WorkerMessage);
      continue;
    }
    const prepared = prepareForMerge(batch, seen, config);
    await send({ unit, ...prepared }, [prepared.steps.buffer as ArrayBuffer]);
  }
  port.postMessage({ done: true } satisfies WorkerMessage);
} catch (error) {
  port.postMessage({
    failed: error instanceof Error ? error.message : String(error),
  } satisfies WorkerMessage);
}
