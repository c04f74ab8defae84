// The event reader of `tfdrift scan` on its own thread (event-files.ts startReadingAside): reads,
// gunzips and parses the files given in workerData and prepares each batch (prepareBatch), so only
// the records that need detection cross to the scanning thread: read-only and failed calls cross
// as counts, duplicates not at all. Flow control: at most AHEAD batches are sent and not yet taken,
// so a slow scan holds a few log files, never the whole input. At the end the duplicate keys seen
// go to the scanning thread (the table's buffer is moved, not copied).

import { parentPort, workerData } from 'node:worker_threads';
import type { DetectConfig } from '../../core/config.js';
import { FingerprintSet } from '../../core/fingerprints.js';
import { prepareBatch, readEventBatches, splitBatch, type WorkerMessage } from './event-files.js';

// Enough to read on while the scanning thread loads the state (a batch is one log file).
const AHEAD = 8;
const port = parentPort;
if (!port) throw new Error('event-worker.js runs as a worker thread');
const { paths, seed, config } = workerData as { paths: string[]; seed: number; config: DetectConfig };

let credits = AHEAD;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
  wake = undefined;
});

const send = async (message: WorkerMessage) => {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port.postMessage(message);
};

try {
  const seen = new FingerprintSet(seed);
  for await (const batch of readEventBatches(paths)) {
    await send({ batch: splitBatch(prepareBatch(batch, seen, config)) });
  }
  const table = seen.table();
  port.postMessage({ done: table } satisfies WorkerMessage, [table.slots.buffer as ArrayBuffer]);
} catch (error) {
  port.postMessage({
    failed: error instanceof Error ? error.message : String(error),
  } satisfies WorkerMessage);
}
