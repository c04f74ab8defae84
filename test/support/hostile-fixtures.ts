// Shared inputs of the hostile suite: a real corpus record (S3 PutBucketVersioning, which drifts
// against the real tfdrift-falco state) and ways to make many distinct events from it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../fixtures');
export const fixturePath = (name: string) => join(FIXTURES, name);
export const fixtureText = (name: string) => readFileSync(fixturePath(name), 'utf8');
export const fixtureJson = (name: string) => JSON.parse(fixtureText(name)) as Record<string, unknown>;

/** The state the S3 record drifts against (15 managed resources). */
export const STATE_NAME = 'tfstate/tfdrift-falco-detector.tfstate';
export const SUSPEND_NAME = 'live/s3-suspend-versioning.json';

/** The corpus record as the n-th distinct call: its own event id, one second later each. */
export function suspendEvent(n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const base = fixtureJson(SUSPEND_NAME);
  return {
    ...base,
    eventID: `hostile0-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventTime: new Date(Date.UTC(2024, 0, 15, 10, 0, 0) + n * 1000).toISOString().replace('.000', ''),
    ...over,
  };
}

/** The same record as EventBridge delivers it to the detect Lambda. */
export function bridgeEnvelopeOf(record: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: `bridge-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: '111111111111',
    time: record.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: record,
  };
}
