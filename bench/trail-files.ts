// CloudTrail log files laid out as a trail writes them to S3 (and as `aws s3 sync` copies them):
//   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<id>.json.gz
// each a gzipped one-line {"Records":[...]} of a few hundred to a few thousand records. Records are
// generated and written file by file, so a million events never sit in memory at once.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateEvent, type Target, type TrafficMix } from './events.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

export interface TrailFiles {
  readonly root: string;
  readonly files: number;
  readonly records: number;
  readonly gzBytes: number;
  readonly jsonBytes: number;
}

/** A deterministic file size in [min, max] records (xorshift: the same layout on every run). */
function sizes(seed: number, min: number, max: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return min + ((x >>> 0) % (max - min + 1));
  };
}

export function writeTrailFiles(
  dir: string,
  count: number,
  targets: readonly Target[],
  mix: TrafficMix,
  perFile = { min: 300, max: 3000 },
): TrailFiles {
  const root = join(dir, 'AWSLogs');
  const next = sizes(count, perFile.min, perFile.max);
  let files = 0;
  let gzBytes = 0;
  let jsonBytes = 0;
  for (let i = 0; i < count; ) {
    const n = Math.min(next(), count - i);
    const records = [];
    for (let j = 0; j < n; j++) records.push(generateEvent(i + j, targets, mix));
    // Delivered about five minutes after its first record, named by that delivery time.
    const first = new Date(records[0].eventTime as string);
    const day = first.toISOString().slice(0, 10).replace(/-/g, '/');
    const stamp = first.toISOString().replace(/[-:]/g, '').slice(0, 13);
    const folder = join(root, ACCOUNT, 'CloudTrail', REGION, day);
    mkdirSync(folder, { recursive: true });
    const id = (files * 2654435761).toString(36).padStart(16, '0').slice(-16);
    const text = JSON.stringify({ Records: records });
    const gz = gzipSync(text);
    writeFileSync(join(folder, `${ACCOUNT}_CloudTrail_${REGION}_${stamp}Z_${id}.json.gz`), gz);
    files += 1;
    gzBytes += gz.length;
    jsonBytes += text.length;
    i += n;
  }
  return { root, files, records: count, gzBytes, jsonBytes };
}
