// Backfill: drift made before tfdrift watched. Reads CloudTrail event history (LookupEvents, write
// events only, the last N days: 7 by default, at most the 90 CloudTrail keeps) in every watched region
// of this account, paced to LookupEvents' 2 requests a second per region, and feeds the records to the
// detect service oldest first. Drifts it finds are marked `backfilled` and alerted in one summary
// (one SNS publish), not one mail each; an event the live path already saw (same eventID) makes no
// second drift. Runs once on the stack's first deployment (a rule on its CREATE_COMPLETE) and when
// an admin asks from the dashboard (POST /api/v1/backfill).

import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { PublishCommand } from '@aws-sdk/client-sns';
import { lookupEventBatches, MAX_LOOKUP_DAYS } from '../adapters/aws/cloudtrail-lookup.js';
import { backfillSummary } from '../core/backfill-summary.js';
import type { Finding } from '../core/types.js';
import { snsClient } from './runtime/clients.js';
import { createDetectorRuntime } from './runtime/detector.js';
import { numberEnv, requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';

const runtime = createDetectorRuntime();
const regions = requireEnv(FUNCTION_ENV.backfillRegions)
  .split(',')
  .filter((r) => r !== '');
const defaultDays = numberEnv(FUNCTION_ENV.backfillDays, 7);
const topicArn = requireEnv(FUNCTION_ENV.topicArn);
const sns = snsClient();

export interface BackfillRequest {
  /** Days of history to read. @default BACKFILL_DAYS (7) */
  readonly days?: unknown;
  /** Who or what asked (logged). */
  readonly reason?: unknown;
}

export interface BackfillResult {
  readonly days: number;
  readonly regions: readonly string[];
  readonly events: number;
  readonly created: number;
  readonly errors: number;
  readonly summarised: boolean;
}

/** Whole days from 1 to 90; anything else is refused with the reason. */
export function backfillDays(value: unknown, fallback: number): number {
  const days = value === undefined || value === null ? fallback : value;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_LOOKUP_DAYS) {
    throw new Error(
      `backfill: days must be a whole number from 1 to ${MAX_LOOKUP_DAYS}, got ${JSON.stringify(days)}`,
    );
  }
  return days;
}

export async function handler(request: BackfillRequest = {}): Promise<BackfillResult> {
  const days = backfillDays(request.days, defaultDays);
  const end = new Date();
  const window = { start: new Date(end.getTime() - days * 86_400_000), end };
  const clients = regions.map((region) => new CloudTrailClient({ region }));
  runtime.logger.info('backfill started', { days, regions, reason: String(request.reason ?? 'asked') });
  let events = 0;
  let errors = 0;
  const created: Finding[] = [];
  for await (const batch of lookupEventBatches({ clients, window })) {
    const records = batch.flatMap((input) => (input.ok ? [input.record] : []));
    for (const input of batch) {
      if (!input.ok)
        runtime.logger.warn('history event not read', { origin: input.origin, error: input.error });
    }
    errors += batch.length - records.length;
    events += records.length;
    const result = await runtime.detect.handle(records, { backfill: true });
    errors += result.errors.length;
    created.push(...(result.createdFindings ?? []));
  }
  runtime.events.take();
  const summary = backfillSummary(created, { days, regions, events, errors }, runtime.dashboardUrl);
  if (summary) {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: summary.subject,
        Message: summary.body,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: summary.severity },
          kind: { DataType: 'String', StringValue: 'backfill' },
        },
      }),
    );
  }
  const result = { days, regions, events, created: created.length, errors, summarised: summary !== null };
  runtime.logger.info('backfill done', { ...result });
  return result;
}
