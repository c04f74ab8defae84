// State for the CLI: local files/folders/stdin, and s3://bucket/prefix when AWS credentials exist.
// The S3 client is loaded only when an s3:// path is given, so a local scan never pays for it.

import type { StateDocument } from '../ports.js';
import { LocalStateFiles } from '../adapters/local/state-files.js';

export async function readStateDocuments(
  paths: readonly string[],
  stdin?: AsyncIterable<Buffer | string>,
): Promise<{ documents: StateDocument[]; errors: { file: string; message: string }[] }> {
  const local = paths.filter((p) => !p.startsWith('s3://'));
  const remote = paths.filter((p) => p.startsWith('s3://'));
  const readStdin = stdin ? () => readAll(stdin) : undefined;
  const results = [await new LocalStateFiles(local, readStdin).load()];
  if (remote.length > 0) {
    const [{ S3Client }, { S3StateSource }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('../adapters/aws/s3-state-source.js'),
    ]);
    const client = new S3Client({});
    for (const url of remote) results.push(await new S3StateSource(client, url).load());
  }
  return {
    documents: results.flatMap((r) => r.documents),
    errors: results.flatMap((r) => r.errors),
  };
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
