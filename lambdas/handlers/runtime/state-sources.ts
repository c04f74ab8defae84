// The configured state locations (STATE_SOURCES: [{bucket, prefixes}]) as one StateSource. A prefix
// with * or ? is a glob: S3 lists its literal head and only keys matching the glob are fetched —
// the same keys the function's IAM policy allows.

import type { S3Client } from '@aws-sdk/client-s3';
import { S3StateSource } from '../../adapters/aws/s3-state-source.js';
import { globMatch } from '../../core/config.js';
import type { StateSource } from '../../ports.js';

export interface StateLocation {
  readonly bucket: string;
  readonly prefixes: readonly string[];
}

const WORKSPACE = /^env:\/[^/]+\//;

function isGlob(prefix: string): boolean {
  return /[*?]/.test(prefix);
}

function listHead(glob: string): string {
  const wildcard = glob.search(/[*?]/);
  return wildcard < 0 ? glob : glob.slice(0, wildcard);
}

export function stateSources(client: S3Client, locations: readonly StateLocation[]): StateSource[] {
  return locations.flatMap(({ bucket, prefixes }) =>
    prefixes.map((prefix) => {
      const keyFilter = isGlob(prefix)
        ? (key: string) => globMatch(prefix, key.replace(WORKSPACE, ''))
        : undefined;
      return new S3StateSource(client, { bucket, prefix: listHead(prefix) }, { keyFilter });
    }),
  );
}
