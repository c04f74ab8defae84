// Scheduled backstop: EventBridge delivery is best effort, the trail's S3 log is the record. Every run
// re-reads the log files of the last window and feeds them to the same detect service; drift writes
// are conditional on the drift id, so an event seen before adds nothing and alerts nobody.

import { s3Client } from './runtime/clients.js';
import { createDetectorRuntime } from './runtime/detector.js';
import { numberEnv, requireEnv } from './runtime/env.js';
import { readTrailLog, trailLogKeys } from './runtime/trail-logs.js';

const runtime = createDetectorRuntime();
const bucket = requireEnv('TRAIL_BUCKET');
const layout = {
  prefix: process.env.TRAIL_PREFIX ?? '',
  accounts: requireEnv('TRAIL_ACCOUNTS').split(','),
  regions: requireEnv('TRAIL_REGIONS').split(','),
  organizationId: process.env.TRAIL_ORGANIZATION_ID || undefined,
};
const windowMinutes = numberEnv('BACKSTOP_WINDOW_MINUTES', 75);
const s3 = s3Client();

export interface BackstopResult {
  readonly files: number;
  readonly processed: number;
  readonly created: number;
  readonly errors: number;
}

export async function handler(event: { time?: string } = {}): Promise<BackstopResult> {
  const to = event.time ? new Date(event.time) : new Date();
  const from = new Date(to.getTime() - windowMinutes * 60_000);
  const files = await trailLogKeys(s3, bucket, layout, from, to);
  let processed = 0;
  let created = 0;
  let errors = 0;
  for (const key of files) {
    try {
      const result = await runtime.detect.handle([await readTrailLog(s3, bucket, key)]);
      processed += result.processed;
      created += result.created;
      errors += result.errors.length;
    } catch (error) {
      // One unreadable file never stops the run; the next run (overlapping window) retries it.
      errors += 1;
      runtime.logger.error('trail log file not processed', { key, error: (error as Error).message });
    }
  }
  runtime.events.take();
  runtime.logger.info('backstop run', {
    from: from.toISOString(),
    to: to.toISOString(),
    files: files.length,
    processed,
    created,
    errors,
  });
  return { files: files.length, processed, created, errors };
}
