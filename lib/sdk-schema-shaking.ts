// The one rewrite of AWS SDK code in the Lambda bundles (lib/bundling.ts), kept apart and tested
// (test/unit/sdk-schema-shaking.test.ts; bundled and run against s3rver in
// test/integration/s3-state-source.test.ts). It is why the bundles are not built by CDK's
// NodejsFunction, whose esbuild CLI call takes no plugin: without it the detect function is 498.7 KB
// (target ≤ 450 KB) instead of 442 KB (bench/nodejs-function.ts same-options, bench/cold-start.ts).

import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';

/**
 * The SDK clients describe every operation of their service as schema arrays in one module
 * (schemas/schemas_0.js). Their trait objects use computed keys (`{[_h]: ...}` where `_h` is a string
 * constant of that module), which esbuild cannot prove free of side effects, so it keeps every
 * schema — all ~100 S3 operations for the two the state reader calls. Writing the constants as
 * literal keys changes no value and lets esbuild drop the unused schemas.
 */
export const treeShakeableSdkSchemas: Plugin = {
  name: 'tree-shakeable-sdk-schemas',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      (args) => ({
        contents: literalSchemaKeys(readFileSync(args.path, 'utf8')),
        loader: 'js',
      }),
    );
  },
};

/** `{[_h]: x}` → `{"http": x}` for every `const _h = "http";` of the module; anything else is kept. */
export function literalSchemaKeys(source: string): string {
  const constants = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    constants.set(name, literal);
  }
  return source.replace(/\[(_\w+)\]:/g, (computed, name: string) => {
    const literal = constants.get(name);
    return literal === undefined ? computed : `${literal}:`;
  });
}
