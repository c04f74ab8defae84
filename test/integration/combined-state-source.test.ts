// One error policy for every composition (services/combined-state-source.ts): a location that fails
// as a whole is recorded, naming it, and the others load; the state index carries the error.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3StateSource } from '../../lambdas/adapters/aws/s3-state-source.js';
import { LocalStateFiles } from '../../lambdas/adapters/local/state-files.js';
import { combineStateSources } from '../../lambdas/services/combined-state-source.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';
import { type S3rverProcess, startS3rver } from './s3rver-process.js';

const SQS = readFileSync(
  new URL('../fixtures/tfstate/driftctl-aws-sqs-queue.tfstate', import.meta.url),
  'utf8',
);
const DB = readFileSync(
  new URL('../fixtures/tfstate/handwritten-aws-db-instance-provider-v5.tfstate', import.meta.url),
  'utf8',
);
let s3: S3rverProcess;
const dir = mkdtempSync(join(tmpdir(), 'tfdrift-combined-'));

beforeAll(async () => {
  s3 = await startS3rver();
  const client = s3.client();
  await client.send(new CreateBucketCommand({ Bucket: 'states' }));
  await client.send(new PutObjectCommand({ Bucket: 'states', Key: 'prod/db.tfstate', Body: DB }));
  writeFileSync(join(dir, 'sqs.tfstate'), SQS);
}, 60_000);

afterAll(async () => {
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('combineStateSources', () => {
  it('loads every location it can and records, by name, the one that fails as a whole', async () => {
    // Prepare: a folder, a prefix that loads, and a bucket that does not exist
    const client = s3.client();
    const gone = new S3StateSource(client, 's3://no-such-bucket/prod/');
    const combined = combineStateSources([
      new LocalStateFiles([dir]),
      new S3StateSource(client, 's3://states/prod/'),
      gone,
    ]);
    // Act
    const { documents, errors } = await combined.load();
    const index = await createStateProvider(combined).reload();
    // Assess
    expect(documents.map((d) => d.file).sort()).toEqual([
      join(dir, 'sqs.tfstate'),
      's3://states/prod/db.tfstate',
    ]);
    expect(errors).toEqual([{ file: gone.description, message: expect.stringMatching(/bucket/i) }]);
    expect(index.files.map((f) => f.file).sort()).toEqual([
      join(dir, 'sqs.tfstate'),
      's3://states/prod/db.tfstate',
    ]);
    expect(index.errors.map((e) => e.file)).toEqual([gone.description]);
    expect(combined.description).toBe(`${dir}, s3://states/prod/, ${gone.description}`);
  });

  it('loads everything, with no errors, when every location loads', async () => {
    const combined = combineStateSources(
      [new LocalStateFiles([dir]), new S3StateSource(s3.client(), 's3://states/prod/')],
      'two locations',
    );
    const { documents, errors } = await combined.load();
    expect(documents).toHaveLength(2);
    expect(errors).toEqual([]);
    expect(combined.description).toBe('two locations');
  });
});
