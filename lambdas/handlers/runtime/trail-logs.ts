// The CloudTrail log files a trail wrote to S3 in a time window. Layout (CloudTrail user guide,
// "Finding your CloudTrail log files"):
//   <prefix>AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<id>.json.gz
// and for organisation trails AWSLogs/<o-id>/<account>/CloudTrail/...

import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** Sub-folders ("common prefixes") directly under a prefix. */
async function folders(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
    );
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

async function keys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Prefixes listed at once (S3 allows thousands of requests per second per prefix). */
const LIST_CONCURRENCY = 8;

/** Runs `work` on every item, at most `limit` at a time; rejects with the first error, after all ran. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((error: unknown) => {
        errors.push(error);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayPath = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/`;

/** The file's delivery time from its name (…_20260101T1205Z_…), or null. */
export function fileTime(key: string): number | null {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(key);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) : null;
}

/** Days (UTC) touched by [from, to]. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (d.getTime() <= to.getTime()) {
    days.push(dayPath(d));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return days;
}

export interface TrailLayout {
  /** Key prefix the trail writes under (before AWSLogs/). */
  readonly prefix: string;
  /** Accounts whose logs to read. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** For an organisation trail: its member accounts are discovered under AWSLogs/<org-id>/. */
  readonly organizationId?: string;
}

/**
 * Keys of log files delivered in [from, to]. Each account, region and day is one exact prefix
 * (AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/), so a run lists only the days it
 * needs, never the bucket's history.
 */
export async function trailLogKeys(
  s3: S3Client,
  bucket: string,
  layout: TrailLayout,
  from: Date,
  to: Date,
): Promise<string[]> {
  const root = `${layout.prefix ? `${layout.prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/`;
  const accountRoots = new Set(layout.accounts.map((a) => `${root}${a}/`));
  if (layout.organizationId) {
    const orgRoot = `${root}${layout.organizationId}/`;
    for (const a of layout.accounts) accountRoots.add(`${orgRoot}${a}/`);
    for (const folder of await folders(s3, bucket, orgRoot)) accountRoots.add(folder);
  }
  const prefixes: string[] = [];
  for (const account of [...accountRoots].sort()) {
    for (const region of layout.regions) {
      for (const day of daysBetween(from, to)) prefixes.push(`${account}CloudTrail/${region}/${day}`);
    }
  }
  // A large organisation is thousands of prefixes (accounts × regions × days): list a few at once.
  const found: string[] = [];
  await forEachLimited(prefixes, LIST_CONCURRENCY, async (prefix) => {
    for (const key of await keys(s3, bucket, prefix)) {
      const t = fileTime(key);
      if (t !== null && t >= from.getTime() - 60_000 && t <= to.getTime()) found.push(key);
    }
  });
  return found.sort();
}

/** One log file's parsed JSON ({"Records": [...]}), gunzipped when needed. */
export async function readTrailLog(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from((await response.Body?.transformToByteArray()) ?? []);
  const text =
    bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return JSON.parse(text);
}
