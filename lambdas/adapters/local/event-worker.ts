// A reader of `tfdrift scan` on its own thread (event-files.ts startReadingAside): lists the sources
// in workerData as every thread does, reads, gunzips and parses the ones it claims (the next one no
// thread has claimed, from a shared counter) and judges each batch as far as it can alone
// (prepareForMerge): only the records that need detection cross to the scanning thread, with every
// record's verdict and duplicate key. Flow control: at most AHEAD batches are sent and not yet
// taken, so a slow scan holds a few log files, never the input.

import { parentPort, workerData } from 'node:worker_threads';
import type { DetectConfig } from '../../core/config.js';
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
  for await (const { unit, batch } of readerSourceBatches(paths, claims)) {
    if (!batch) {
      // An end takes no credit: it holds nothing.
      port.postMessage({ unit, end: true } satisfies WorkerMessage);
      continue;
    }
    const prepared = prepareForMerge(batch, seed, config);
    await send({ unit, ...prepared }, [prepared.steps.buffer as ArrayBuffer]);
  }
  port.postMessage({ done: true } satisfies WorkerMessage);
} catch (error) {
  port.postMessage({
    failed: error instanceof Error ? error.message : String(error),
  } satisfies WorkerMessage);
}
