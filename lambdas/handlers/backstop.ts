// Scheduled backstop: EventBridge delivery is best effort, the trail's S3 log is the record. Every run
// re-reads the log files of the last window and feeds them to the same detect service; drift writes
// are conditional on the drift id, so an event seen before adds nothing and alerts nobody.
// Files are read a few at a time; a file that could not be read or processed does not stop the
// others, but fails the run once they are done, so the schedule's retries, its dead-letter queue
// and the Errors alarm see it (a run that "succeeded" over a lost file would hide it).

import type { Context } from 'aws-lambda';
import { compareText } from '../core/text-order.js';
import { s3Client } from './runtime/clients.js';
import { createDetectorRuntime } from './runtime/detector.js';
import { numberEnv, requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';
import { forEachLimited, readTrailLog, trailLogKeys } from './runtime/trail-logs.js';

const runtime = createDetectorRuntime();
const bucket = requireEnv(FUNCTION_ENV.trailBucket);
const layout = {
  prefix: process.env[FUNCTION_ENV.trailPrefix] ?? '',
  accounts: requireEnv(FUNCTION_ENV.trailAccounts).split(','),
  regions: requireEnv(FUNCTION_ENV.trailRegions).split(','),
  organizationId: process.env[FUNCTION_ENV.trailOrganizationId] || undefined,
};
const windowMinutes = numberEnv(FUNCTION_ENV.backstopWindowMinutes, 75);
const s3 = s3Client();
/** Log files read at once: enough to hide S3's latency, few enough for one function's memory. */
export const READ_CONCURRENCY = 8;

export interface BackstopResult {
  readonly files: number;
  readonly processed: number;
  readonly created: number;
  readonly errors: number;
}

export async function handler(event: { time?: string } = {}, context?: Context): Promise<BackstopResult> {
  if (context) runtime.logger.addContext(context);
  const to = event.time ? new Date(event.time) : new Date();
  const from = new Date(to.getTime() - windowMinutes * 60_000);
  const files = await trailLogKeys(s3, bucket, layout, from, to);
  let processed = 0;
  let created = 0;
  let errors = 0;
  const failed: { key: string; error: string }[] = [];
  await forEachLimited(files, READ_CONCURRENCY, async (key) => {
    try {
      const result = await runtime.detect.handle([await readTrailLog(s3, bucket, key)]);
      processed += result.processed;
      created += result.created;
      errors += result.errors.length;
    } catch (error) {
      // One unreadable file never stops the others; the run fails after them (below).
      failed.push({ key, error: (error as Error).message });
      runtime.logger.error('trail log file not processed', { key, error: (error as Error).message });
    }
  });
  runtime.events.take();
  const summary = {
    from: from.toISOString(),
    to: to.toISOString(),
    files: files.length,
    processed,
    created,
    errors: errors + failed.length,
  };
  runtime.logger.info('backstop run', { ...summary, failedFiles: failed.length });
  if (failed.length > 0) {
    const first = failed.sort((a, b) => compareText(a.key, b.key))[0];
    throw new Error(
      `backstop: ${failed.length} of ${files.length} trail log files could not be processed (the rest were); first: ${first.key}: ${first.error}`,
    );
  }
  return { files: files.length, processed, created, errors };
}
