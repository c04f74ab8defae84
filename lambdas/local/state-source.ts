// The server's state source: local files and folders, plus s3://bucket/prefix when given (the S3
// client is loaded only then, so a local run never needs AWS credentials). Combined as the Lambda
// combines its prefixes (services/combined-state-source.ts): one that fails is recorded, the rest load.

import { LocalStateFiles } from '../adapters/local/state-files.js';
import type { StateSource } from '../ports.js';
import { combineStateSources } from '../services/combined-state-source.js';

/** `readStdin` replaces standard input for `-` (tests). */
export function combinedStateSource(
  paths: readonly string[],
  readStdin?: () => Promise<string>,
): StateSource {
  const local = paths.filter((p) => !p.startsWith('s3://'));
  const remote = paths.filter((p) => p.startsWith('s3://'));
  let s3Client: Promise<import('@aws-sdk/client-s3').S3Client> | undefined;
  const s3Source = (url: string): StateSource => {
    let source: Promise<StateSource> | undefined;
    return {
      description: url,
      async load() {
        s3Client ??= import('@aws-sdk/client-s3').then(({ S3Client }) => new S3Client({}));
        source ??= Promise.all([s3Client, import('../adapters/aws/s3-state-source.js')]).then(
          ([client, { S3StateSource }]) => new S3StateSource(client, url),
        );
        return (await source).load();
      },
    };
  };
  return combineStateSources(
    [new LocalStateFiles(local, readStdin), ...remote.map(s3Source)],
    paths.join(', ') || '(no state given)',
  );
}
