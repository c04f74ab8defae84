// s3rver in a child Node process started with --openssl-legacy-provider: s3rver encrypts
// ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through the legacy
// provider, and a provider cannot be loaded into the already running test process. Without the
// flag the first truncated listing fails with a 500 InternalError.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

const s3rverEntry = createRequire(import.meta.url).resolve('s3rver');

const CHILD = `
const S3rver = require(process.argv[1]);
const S3Object = require(require('node:path').join(require('node:path').dirname(process.argv[1]), 'models/object.js'));
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: process.argv[2] });
server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
// The data folder goes with the server, also when the test process dies without calling stop().
const quit = () => server.close().finally(() => {
  require('node:fs').rmSync(process.argv[2], { recursive: true, force: true });
  process.exit(0);
});
process.on('SIGTERM', quit);
// The IPC channel closes when the test process ends, however it ends: no orphan server.
process.on('disconnect', quit);
// Bulk seeding straight into the store (no HTTP): thousands of filler objects in well under a second.
process.on('message', async ({ bucket, keys, body }) => {
  const content = Buffer.from(body);
  for (const key of keys) {
    await server.store.putObject(new S3Object(bucket, key, content, { 'content-type': 'application/octet-stream' }));
  }
  process.send({ seeded: keys.length });
});
`;

export interface S3rverProcess {
  readonly endpoint: string;
  /** A client set up the way s3rver needs (path style, checksums only when required). */
  client(): S3Client;
  /** That client's configuration (for an S3Client from another copy of the SDK). */
  readonly clientConfig: S3ClientConfig;
  /** Writes objects straight into s3rver's store (the bucket must exist): for bulk filler objects. */
  seed(bucket: string, keys: readonly string[], body: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3rver(): Promise<S3rverProcess> {
  const directory = mkdtempSync(path.join(tmpdir(), 'tfdrift-s3rver-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', CHILD, s3rverEntry, directory],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited early with code ${code}`)));
    child.once('error', reject);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: S3ClientConfig = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  return {
    endpoint,
    clientConfig,
    client: () => new S3Client(clientConfig),
    seed: (bucket, keys, body) =>
      new Promise<void>((resolve) => {
        child.once('message', () => resolve());
        child.send({ bucket, keys, body });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
