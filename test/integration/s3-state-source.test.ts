import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { build as esbuild, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url, S3StateSource, selectStateKeys } from '../../lambdas/adapters/aws/s3-state-source.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';
import { REPO_ROOT } from '../../lib/bundling.js';
import { treeShakeableSdkSchemas } from '../../lib/sdk-schema-shaking.js';
import { type S3rverProcess, startS3rver } from './s3rver-process.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/tfstate/${name}`, import.meta.url), 'utf8');
const SQS = fixture('driftctl-aws-sqs-queue.tfstate');
const DB = fixture('handwritten-aws-db-instance-provider-v5.tfstate');
const IAM = fixture('driftctl-aws-iam-role-policy-multiple.tfstate');
const BUCKET = 'tfstate-bucket';
const PADDING = 1005;

/** Responses to one command by HTTP status, seen through client middleware. */
function countResponses(client: S3Client, command = 'GetObjectCommand'): Record<number, number> {
  const counts: Record<number, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const isGet = context.commandName === command;
      try {
        const result = await next(args);
        const status = (result.response as { statusCode?: number }).statusCode ?? 0;
        if (isGet) counts[status] = (counts[status] ?? 0) + 1;
        return result;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
        if (isGet) counts[status] = (counts[status] ?? 0) + 1;
        throw error;
      }
    },
    { step: 'finalizeRequest', name: `count${command}` },
  );
  return counts;
}

describe('S3StateSource against s3rver', () => {
  let s3: S3rverProcess;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startS3rver();
    client = s3.client();
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const objects: [string, string][] = [
      ['000-first.tfstate', SQS],
      ['stacks/db/terraform.tfstate', DB],
      ['stacks/db/terraform.tfstate.tflock', '{"ID":"lock"}'],
      ['stacks/iam/terraform.tfstate.backup', IAM],
      // The S3 backend with key "stacks/network" (no extension) and workspace "blue".
      ['stacks/network', IAM],
      ['env:/blue/stacks/network', IAM],
      ['env:/blue/stacks/db/terraform.tfstate', DB],
      ['env:/blue/other/terraform.tfstate', SQS],
      ['stacks/broken.tfstate', '{"version": 3, "modules": []}'],
    ];
    let next = 0;
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        while (next < objects.length) {
          const [Key, Body] = objects[next++];
          await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
        }
      }),
    );
    // Filler that sorts before "stacks/", so the state keys there are on the second listing page.
    const filler = Array.from({ length: PADDING }, (_, i) => `logs/${String(i).padStart(5, '0')}.json`);
    await s3.seed(BUCKET, filler, '{}');
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('lists every page and picks state keys, workspaces and backend keys', async () => {
    const listing = s3.client();
    const lists = countResponses(listing, 'ListObjectsV2Command');
    const source = new S3StateSource(listing, `s3://${BUCKET}`);
    const { documents, errors } = await source.load();
    expect(lists).toEqual({ 200: 2 });
    expect(errors).toEqual([]);
    expect(documents.map((d) => d.file)).toEqual([
      `s3://${BUCKET}/000-first.tfstate`,
      `s3://${BUCKET}/env:/blue/other/terraform.tfstate`,
      `s3://${BUCKET}/env:/blue/stacks/db/terraform.tfstate`,
      `s3://${BUCKET}/env:/blue/stacks/network`,
      `s3://${BUCKET}/stacks/broken.tfstate`,
      `s3://${BUCKET}/stacks/db/terraform.tfstate`,
      `s3://${BUCKET}/stacks/network`,
    ]);
    expect(documents.every((d) => /^"[0-9a-f]{32}"$/.test(d.version))).toBe(true);
  });

  it('limits a prefix to its keys and their workspace copies, and indexes them', async () => {
    const provider = createStateProvider(new S3StateSource(s3.client(), `s3://${BUCKET}/stacks/`));
    const index = await provider.current();
    expect(index.files.map((f) => [f.file, f.workspace])).toEqual([
      [`s3://${BUCKET}/env:/blue/stacks/db/terraform.tfstate`, 'blue'],
      [`s3://${BUCKET}/env:/blue/stacks/network`, 'blue'],
      [`s3://${BUCKET}/stacks/db/terraform.tfstate`, null],
      [`s3://${BUCKET}/stacks/network`, null],
    ]);
    expect(index.errors).toEqual([
      {
        file: `s3://${BUCKET}/stacks/broken.tfstate`,
        message: expect.stringContaining('state format version 3 is not supported'),
      },
    ]);
    const dbs = index.byAttribute('identifier', 'terraform-20201015115018309600000001', ['aws_db_instance']);
    expect(dbs.map((r) => r.stateFile)).toEqual([
      `s3://${BUCKET}/env:/blue/stacks/db/terraform.tfstate`,
      `s3://${BUCKET}/stacks/db/terraform.tfstate`,
    ]);
  });

  it('reuses unchanged objects through 304 Not Modified and reloads a changed one', async () => {
    // This test changes and deletes objects, so it has a bucket of its own: the others read theirs.
    const BUCKET = 'tfstate-changing';
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const Key of ['stacks/db/terraform.tfstate', 'env:/blue/stacks/db/terraform.tfstate']) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: DB }));
    }
    const counting = s3.client();
    const gets = countResponses(counting);
    const source = new S3StateSource(counting, `s3://${BUCKET}/stacks/db/`);
    const provider = createStateProvider(source);

    const first = await provider.reload();
    expect(gets).toEqual({ 200: 2 });
    expect(first.resources.map((r) => r.stateFile)).toHaveLength(2);

    const second = await provider.reload();
    expect(gets).toEqual({ 200: 2, 304: 2 });
    expect(second).toBe(first);

    const changed = JSON.parse(DB);
    changed.serial = 4;
    changed.resources[0].instances[0].attributes.instance_class = 'db.r6g.large';
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'stacks/db/terraform.tfstate',
        Body: JSON.stringify(changed),
      }),
    );
    const third = await provider.reload();
    expect(gets).toEqual({ 200: 3, 304: 3 });
    expect(third).not.toBe(first);
    const db = third.byAddress('aws_db_instance.default');
    expect(db?.stateFile).toBe(`s3://${BUCKET}/env:/blue/stacks/db/terraform.tfstate`);
    const mainDb = third.resources.find((r) => r.stateFile === `s3://${BUCKET}/stacks/db/terraform.tfstate`);
    expect(mainDb?.attributes.instance_class).toBe('db.r6g.large');
    expect(third.files.find((f) => f.file === `s3://${BUCKET}/stacks/db/terraform.tfstate`)?.serial).toBe(4);

    // A deleted object leaves the index at the next reload.
    await client.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: 'env:/blue/stacks/db/terraform.tfstate' }),
    );
    const fourth = await provider.reload();
    expect(fourth.files.map((f) => f.file)).toEqual([`s3://${BUCKET}/stacks/db/terraform.tfstate`]);
    counting.destroy();
  });

  it('works the same when bundled as the Lambdas are (SDK schemas made tree-shakeable)', async () => {
    mkdirSync(join(REPO_ROOT, 'test', '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(REPO_ROOT, 'test', '.tmp', 'bundle-s3-'));
    try {
      const build = (plugins: Plugin[], out: string) =>
        esbuild({
          stdin: {
            contents: `export { S3Client } from '@aws-sdk/client-s3';
              export { S3StateSource } from './lambdas/adapters/aws/s3-state-source.ts';`,
            resolveDir: REPO_ROOT,
            loader: 'ts',
          },
          outfile: join(dir, out),
          bundle: true,
          platform: 'node',
          format: 'esm',
          minify: true,
          mainFields: ['module', 'main'],
          plugins,
          logLevel: 'error',
        });
      await build([treeShakeableSdkSchemas], 'shaken.mjs');
      await build([], 'plain.mjs');
      const shaken = readFileSync(join(dir, 'shaken.mjs'), 'utf8');
      // Schemas of operations the adapter never calls are gone; the ones it calls are kept.
      expect(shaken.length).toBeLessThan(readFileSync(join(dir, 'plain.mjs'), 'utf8').length - 40_000);
      expect(shaken).not.toContain('PutBucketLifecycleConfigurationRequest');
      expect(shaken).toContain('ListObjectsV2Request');

      const bundled = (await import(pathToFileURL(join(dir, 'shaken.mjs')).href)) as {
        S3Client: typeof S3Client;
        S3StateSource: typeof S3StateSource;
      };
      const client = new bundled.S3Client(s3.clientConfig);
      const fromBundle = await new bundled.S3StateSource(client, `s3://${BUCKET}/stacks/`).load();
      const fromSource = await new S3StateSource(s3.client(), `s3://${BUCKET}/stacks/`).load();
      expect(fromBundle.errors).toEqual(fromSource.errors);
      expect(fromBundle.documents.map((d) => [d.file, d.version, d.text.length])).toEqual(
        fromSource.documents.map((d) => [d.file, d.version, d.text.length]),
      );
      const missing = await new bundled.S3StateSource(client, 's3://no-such-bucket/x').load();
      expect(missing.errors).toEqual([
        { file: 's3://no-such-bucket/x', message: 's3://no-such-bucket/x: bucket does not exist' },
      ]);
      client.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing bucket as an error entry', async () => {
    const { documents, errors } = await new S3StateSource(s3.client(), 's3://no-such-bucket/x').load();
    expect(documents).toEqual([]);
    expect(errors).toEqual([
      { file: 's3://no-such-bucket/x', message: 's3://no-such-bucket/x: bucket does not exist' },
    ]);
  });
});

describe('S3 URL and key selection', () => {
  it('parses s3 URLs', () => {
    expect(parseS3Url('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(parseS3Url('s3://b/env:/ws/k')).toEqual({ bucket: 'b', prefix: 'env:/ws/k' });
    expect(() => parseS3Url('https://b/k')).toThrowError('is not an S3 URL');
    expect(() => parseS3Url('s3:///k')).toThrowError('is not an S3 URL');
  });

  it('takes the exact key a URL names, whatever its name', () => {
    expect(selectStateKeys(['prod/network', 'prod/network.tflock', 'prod/other'], 'prod/network')).toEqual([
      'prod/network',
    ]);
  });

  it('skips folder markers, locks and backups', () => {
    const listed = [
      'prod/',
      'prod/a.tfstate',
      'prod/a.tfstate.tflock',
      'prod/a.tfstate.backup',
      'env:/ws/prod/',
    ];
    expect(selectStateKeys(listed, 'prod/')).toEqual(['prod/a.tfstate']);
  });
});
