// EventBridge → detect service. Two kinds of events arrive: CloudTrail API calls ("AWS API Call via
// CloudTrail", possibly forwarded from another region or account) and S3 "Object Created" events of
// Terraform state, after which the state is reloaded and open drifts re-evaluated.

import type { Context, EventBridgeEvent } from 'aws-lambda';
import { detectMetricsLine } from '../adapters/aws/cloudwatch-metrics.js';
import { createDetectorRuntime } from './runtime/detector.js';

const runtime = createDetectorRuntime();
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'detect';

export interface DetectResult {
  readonly kind: 'cloudtrail' | 'state';
  readonly drifts: number;
  readonly resolved?: number;
}

function isStateWrite(event: EventBridgeEvent<string, unknown>): boolean {
  return event.source === 'aws.s3' && event['detail-type'] === 'Object Created';
}

function eventTime(event: EventBridgeEvent<string, unknown>): number {
  const detail = event.detail as { eventTime?: unknown } | undefined;
  const time = typeof detail?.eventTime === 'string' ? detail.eventTime : event.time;
  return Date.parse(time);
}

export async function handler(
  event: EventBridgeEvent<string, unknown>,
  context?: Context,
): Promise<DetectResult> {
  if (context) runtime.logger.addContext(context);
  if (isStateWrite(event)) {
    const detail = event.detail as { bucket?: { name?: string }; object?: { key?: string } };
    runtime.logger.info('state written: reloading', { bucket: detail.bucket?.name, key: detail.object?.key });
    const resolved = await runtime.detect.reloadState();
    return { kind: 'state', drifts: 0, resolved: resolved.length };
  }
  // A failure here (store or state unreachable) throws: Lambda retries, then dead-letters the event.
  const result = await runtime.detect.handle([event]);
  const counts = runtime.events.take();
  const lag = Date.now() - eventTime(event);
  console.log(
    detectMetricsLine(
      runtime.metricsNamespace,
      functionName,
      {
        lagMs: Number.isFinite(lag) ? lag : null,
        events: counts.events,
        drifts: result.created,
        errors: result.errors.length,
        stateErrors: runtime.state.loadErrors().length,
        ignored: counts.ignored,
      },
      Date.now(),
    ),
  );
  // The drifts are stored; failing now makes Lambda redeliver, and the redelivery sends only the
  // alerts that are missing (the store remembers which were sent).
  if (result.alertsFailed > 0) throw new Error(`${result.alertsFailed} alert(s) could not be sent`);
  return { kind: 'cloudtrail', drifts: result.created };
}
