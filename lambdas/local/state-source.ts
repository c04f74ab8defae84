// The server's state source: local files and folders, plus s3://bucket/prefix when given (the S3
// client is loaded only then, so a local run never needs AWS credentials).

import { LocalStateFiles } from '../adapters/local/state-files.js';
import type { StateSource } from '../ports.js';

/** `readStdin` replaces standard input for `-` (tests). */
export function combinedStateSource(
  paths: readonly string[],
  readStdin?: () => Promise<string>,
): StateSource {
  const local = paths.filter((p) => !p.startsWith('s3://'));
  const remote = paths.filter((p) => p.startsWith('s3://'));
  const localSource = new LocalStateFiles(local, readStdin);
  let remoteSources: Promise<StateSource[]> | undefined;
  const loadRemote = async (): Promise<StateSource[]> => {
    const [{ S3Client }, { S3StateSource }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('../adapters/aws/s3-state-source.js'),
    ]);
    const client = new S3Client({});
    return remote.map((url) => new S3StateSource(client, url));
  };
  return {
    description: paths.join(', ') || '(no state given)',
    async load() {
      const results = [await localSource.load()];
      if (remote.length > 0) {
        remoteSources ??= loadRemote();
        for (const source of await remoteSources) {
          try {
            results.push(await source.load());
          } catch (error) {
            results.push({
              documents: [],
              errors: [{ file: source.description, message: (error as Error).message }],
            });
          }
        }
      }
      return { documents: results.flatMap((r) => r.documents), errors: results.flatMap((r) => r.errors) };
    },
  };
}
