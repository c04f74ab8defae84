// The event reader of `tfdrift scan` on its own thread (event-files.ts startReadingAside):
// reads, gunzips and parses the files given in workerData, and judges each record with
// quickVerdict, so only the records that need detection cross to the scanning thread (a read-only
// or failed call crosses as its eventID and verdict). Flow control: at most AHEAD batches are sent
// and not yet taken, so a slow reader holds a few log files, never the whole input.

import { parentPort, workerData } from 'node:worker_threads';
import { eventDuplicateKey } from '../../core/cloudtrail.js';
import { quickVerdict } from '../../core/detect.js';
import { type PreparedInput, readEventBatches, type WorkerMessage } from './event-files.js';

// Enough to read on while the scanning thread loads the state (a batch is one log file).
const AHEAD = 8;
const port = parentPort;
if (!port) throw new Error('event-worker.js runs as a worker thread');

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
  for await (const batch of readEventBatches((workerData as { paths: string[] }).paths)) {
    const prepared: PreparedInput[] = batch.map((input) => {
      if (!input.ok) return input;
      const quick = quickVerdict(input.record);
      if (!quick) return input;
      const id = input.record.eventID;
      const key =
        typeof id === 'string' && id !== '' ? eventDuplicateKey(input.record, id, false) : undefined;
      return { ok: true, quick, id: key };
    });
    await send({ batch: prepared });
  }
  port.postMessage({ done: true } satisfies WorkerMessage);
} catch (error) {
  port.postMessage({
    failed: error instanceof Error ? error.message : String(error),
  } satisfies WorkerMessage);
}
