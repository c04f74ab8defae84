// State documents from S3 (s3://bucket/prefix), where Terraform's S3 backend keeps them.
// Which keys are state: names ending .tfstate / .tfstate.json, the exact key the URL names, and
// the backend's workspace copies env:/<workspace>/<key> with the key they share. Lock files
// (.tflock) and backups are not state. Each object is fetched with If-None-Match on its cached
// ETag, so an unchanged state costs a 304 and no transfer.

import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { StateDocument, StateSource } from '../../ports.js';

const WORKSPACE_PREFIX = 'env:/';

export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

/** "s3://bucket/some/prefix" → { bucket, prefix }. Throws on anything else. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url.trim());
  if (!match || match[1] === '') {
    throw new Error(`"${url}" is not an S3 URL; expected s3://bucket or s3://bucket/prefix`);
  }
  return { bucket: match[1], prefix: match[2] };
}

export interface S3StateSourceOptions {
  /** Parallel GETs (default 8). */
  readonly concurrency?: number;
  /** Only keys this accepts are fetched (e.g. a configured glob the IAM policy is limited to). */
  readonly keyFilter?: (key: string) => boolean;
}

export class S3StateSource implements StateSource {
  readonly description: string;
  private readonly location: S3Location;
  private readonly cache = new Map<string, { etag: string; text: string }>();
  private readonly concurrency: number;
  private readonly keyFilter?: (key: string) => boolean;

  constructor(
    private readonly client: S3Client,
    location: string | S3Location,
    options: S3StateSourceOptions = {},
  ) {
    this.location = typeof location === 'string' ? parseS3Url(location) : location;
    this.description = `s3://${this.location.bucket}/${this.location.prefix}`;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.keyFilter = options.keyFilter;
  }

  async load(): Promise<{ documents: StateDocument[]; errors: { file: string; message: string }[] }> {
    const { bucket, prefix } = this.location;
    const errors: { file: string; message: string }[] = [];
    let keys: string[];
    try {
      const listed = await this.list(prefix);
      // Workspaces of keys under the prefix live under env:/<ws>/<prefix>..., outside the prefix.
      const ownList = prefix === '' || prefix.startsWith(WORKSPACE_PREFIX);
      const workspaces = ownList ? [] : await this.list(WORKSPACE_PREFIX);
      keys = selectStateKeys([...listed, ...workspaces], prefix);
      if (this.keyFilter) keys = keys.filter(this.keyFilter);
    } catch (error) {
      return {
        documents: [],
        errors: [{ file: this.description, message: `${this.description}: ${message(error)}` }],
      };
    }
    if (keys.length === 0) {
      errors.push({
        file: this.description,
        message: `${this.description}: no Terraform state objects found`,
      });
    }
    const current = new Set(keys);
    for (const key of this.cache.keys()) if (!current.has(key)) this.cache.delete(key);

    const documents: (StateDocument | undefined)[] = new Array(keys.length);
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const i = next++;
        const file = `s3://${bucket}/${keys[i]}`;
        try {
          documents[i] = await this.fetch(keys[i], file);
        } catch (error) {
          errors.push({ file, message: `${file}: ${message(error)}` });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, keys.length) }, worker));
    return { documents: documents.filter((d): d is StateDocument => d !== undefined), errors };
  }

  /** Every key under the prefix (all pages). */
  private async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: prefix || undefined,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private async fetch(key: string, file: string): Promise<StateDocument> {
    const cached = this.cache.get(key);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: key, IfNoneMatch: cached?.etag }),
      );
      const text = (await response.Body?.transformToString('utf-8')) ?? '';
      const etag = response.ETag ?? `len:${text.length}`;
      this.cache.set(key, { etag, text });
      return { file, text, version: etag };
    } catch (error) {
      if (cached && isNotModified(error)) return { file, text: cached.text, version: cached.etag };
      throw error;
    }
  }
}

/** The state keys among a listing, sorted. Exported for tests. */
export function selectStateKeys(listed: readonly string[], prefix: string): string[] {
  const all = new Set(listed);
  const chosen = new Set<string>();
  for (const key of all) {
    const workspace = /^env:\/[^/]+\/(.+)$/.exec(key);
    const base = workspace ? workspace[1] : key;
    // A workspace copy belongs to this source when its base key is under the prefix.
    if (workspace && !prefix.startsWith(WORKSPACE_PREFIX) && !base.startsWith(prefix)) continue;
    if (isNotStateKey(base)) continue;
    if (isStateKey(base) || key === prefix || base === prefix) {
      chosen.add(key);
    } else if (workspace) {
      // The S3 backend's env:/<ws>/<key>: the key is state whatever it is named, and so is the
      // default workspace's copy at <key> itself.
      chosen.add(key);
      if (all.has(base)) chosen.add(base);
    }
  }
  return [...chosen].sort();
}

function isStateKey(key: string): boolean {
  return key.endsWith('.tfstate') || key.endsWith('.tfstate.json');
}

function isNotStateKey(key: string): boolean {
  return key.endsWith('/') || key.endsWith('.tflock') || key.endsWith('.backup') || key.endsWith('.md5');
}

function isNotModified(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.$metadata?.httpStatusCode === 304 || e?.name === 'NotModified' || e?.name === '304';
}

function message(error: unknown): string {
  const e = error as { name?: string; message?: string } | null;
  if (e?.name === 'NoSuchBucket') return 'bucket does not exist';
  if (e?.name === 'AccessDenied') return 'access denied (check the credentials and bucket policy)';
  return e?.message || e?.name || String(error);
}
