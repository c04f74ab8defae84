// The records and states of rule tests. A test names its CloudTrail record by its path under
// test/fixtures: a corpus copy (rules/<service>/corpus/<source folder>__<file>.json, licences in
// test/fixtures/SOURCES.md) or an entry of a service's records written from AWS documentation shapes
// (rules/<service>/events.doc-shaped.json#Entry: the call's eventName, requestParameters and
// responseElements as the page shows them, and the page's address; the common CloudTrail envelope,
// an IAM user calling through the AWS CLI, is added here).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateResourceInput } from './harness.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures');

type Json = Record<string, unknown>;

interface DocEntry {
  readonly doc: string;
  readonly eventName: string;
  readonly eventSource?: string;
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
  readonly userIdentity?: unknown;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The doc-shaped records of one service, by entry name, as full CloudTrail records. */
export function docRecords(service: string, eventSource: string): Record<string, Json> {
  const file = join(FIXTURES, 'rules', service, 'events.doc-shaped.json');
  const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, DocEntry | string>;
  const out: Record<string, Json> = {};
  for (const [name, entry] of Object.entries(entries)) {
    if (typeof entry === 'string') continue; // the file's note
    if (!entry.doc?.startsWith('https://'))
      throw new Error(`${file}: entry ${name} names no documentation page`);
    out[name] = envelope(name, entry, eventSource);
  }
  return out;
}

function envelope(name: string, entry: DocEntry, eventSource: string): Json {
  return {
    eventVersion: '1.09',
    userIdentity: entry.userIdentity ?? {
      type: 'IAMUser',
      principalId: 'AIDACKCEVSQ6C2EXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'alice',
    },
    eventTime: '2026-01-15T10:00:00Z',
    eventSource: entry.eventSource ?? eventSource,
    eventName: entry.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0 md/awscrt#0.19.19 ua/2.0 os/linux#6.5 md/arch#x86_64 lang/python#3.11.6',
    requestParameters: entry.requestParameters ?? null,
    responseElements: entry.responseElements ?? null,
    requestID: `req-${name}`,
    eventID: `doc-${eventSource.split('.')[0]}-${name}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

/**
 * The record a test names (`rules/s3/corpus/x.json`, `rules/s3/events.doc-shaped.json#PutBucketPolicy`).
 * `eventSourceOf(service)` gives a doc-shaped entry's eventSource when the entry names none: that of
 * rules/<service>.yaml.
 */
export function recordAt(ref: string, eventSourceOf: (service: string) => string): Json {
  const [path, entry] = ref.split('#');
  if (entry === undefined) return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
  const service = /^rules\/([^/]+)\/events\.doc-shaped\.json$/.exec(path)?.[1];
  if (!service) throw new Error(`${ref}: #Entry names an entry of rules/<service>/events.doc-shaped.json`);
  const record = docRecords(service, eventSourceOf(service))[entry];
  if (!record) throw new Error(`${ref}: no entry ${entry} in ${path}`);
  return record;
}

/** The record with fields replaced (`set`, by dotted path) and removed (`unset`). */
export function patched(record: Json, set: Json = {}, unset: readonly string[] = []): Json {
  const out = structuredClone(record);
  const parentOf = (path: string, create: boolean): [Json, string] => {
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) {
      if (!isObject(node[key])) {
        if (!create) throw new Error(`unset ${path}: the record has no ${key}`);
        node[key] = {};
      }
      node = node[key] as Json;
    }
    return [node, keys[keys.length - 1]];
  };
  for (const [path, value] of Object.entries(set)) {
    const [node, key] = parentOf(path, true);
    node[key] = structuredClone(value);
  }
  for (const path of unset) {
    const [node, key] = parentOf(path, false);
    if (!(key in node)) throw new Error(`unset ${path}: the record has no ${key}`);
    delete node[key];
  }
  return out;
}

/**
 * The test's state placed where the record's call was made: hand-written state ARNs carry a
 * placeholder account and region, and a call only ever changes a resource in its own account and
 * region (scope.test.ts holds the cases where they differ). ARNs of global resources keep their
 * empty region; AWS-owned ARNs (account `aws`) are left alone.
 */
export function placedAt(record: Json, resources: readonly StateResourceInput[]): StateResourceInput[] {
  const account = typeof record.recipientAccountId === 'string' ? record.recipientAccountId : undefined;
  const region = typeof record.awsRegion === 'string' ? record.awsRegion : undefined;
  const text = JSON.stringify(record);
  const place = (arn: unknown): unknown => {
    // An ARN the record names is where the call was made already.
    if (typeof arn !== 'string' || text.includes(arn)) return arn;
    const parts = arn.split(':');
    if (parts.length < 6 || parts[0] !== 'arn' || !/^\d{12}$/.test(parts[4])) return arn;
    if (account) parts[4] = account;
    if (region && parts[3] !== '') parts[3] = region;
    return parts.join(':');
  };
  return resources.map((r) => ({
    ...r,
    attributes: {
      ...r.attributes,
      ...('arn' in r.attributes ? { arn: place(r.attributes.arn) } : {}),
      ...(typeof r.attributes.region === 'string' && region ? { region } : {}),
    },
  }));
}
