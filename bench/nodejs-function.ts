// The detect function bundled through CDK's standard Node.js function bundling (aws-lambda-nodejs
// NodejsFunction, local esbuild, no Docker) instead of lib/bundling.ts, for bench/cold-start.ts to
// measure: `tsx bench/nodejs-function.ts <variant>` writes bench/out/nodejs-function/<variant>/
// (index.mjs + rules.json) and prints its path; then BENCH_DETECT_DIR=<that path> tsx bench/cold-start.ts.
// Variants:
//   same-options  NodejsFunction with lib/bundling.ts's options that its CLI call can take (ESM,
//                 minified, node22, module-first, require shim, the credentials alias, every
//                 dependency bundled) — all but the esbuild plugin (treeShakeableSdkSchemas).
//   runtime-sdk   NodejsFunction's defaults for nodejs22.x — @aws-sdk/* left to the runtime (resolved
//                 from node_modules here, as Lambda resolves its own copy) — but ESM and minified: the
//                 default CommonJS output fails at import (the rule set's path is import.meta.url).

import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import {
  ARCHITECTURE,
  CREDENTIALS_ALIAS,
  HANDLERS_DIR,
  NODE_TARGET,
  REPO_ROOT,
  RULES_FILE_NAME,
  RULES_SOURCE,
  RUNTIME,
} from '../lib/bundling.js';

const REQUIRE_SHIM = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";
const variant = process.argv[2];
if (variant !== 'same-options' && variant !== 'runtime-sdk') {
  console.error('usage: nodejs-function <same-options|runtime-sdk>');
  process.exit(2);
}

const cdkOut = mkdtempSync(join(tmpdir(), 'tfdrift-nodejs-function-'));
try {
  const stack = new Stack(new App({ outdir: cdkOut }), 'Bench', { env: { region: 'eu-west-1' } });
  const alias = Object.entries(CREDENTIALS_ALIAS).map(([from, to]) => `${from}=${to}`);
  new NodejsFunction(stack, 'Detect', {
    entry: join(HANDLERS_DIR, 'detect.ts'),
    runtime: RUNTIME,
    architecture: ARCHITECTURE,
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    bundling:
      variant === 'same-options'
        ? {
            format: OutputFormat.ESM,
            minify: true,
            target: NODE_TARGET,
            mainFields: ['module', 'main'],
            banner: REQUIRE_SHIM,
            externalModules: [],
            esbuildArgs: { '--alias': alias },
          }
        : { format: OutputFormat.ESM, minify: true, banner: REQUIRE_SHIM },
  });
  stack.node.findAll(); // bundling runs when the asset is created, above
  const asset = readdirSync(cdkOut).find((name) => name.startsWith('asset.'));
  if (!asset) throw new Error('NodejsFunction produced no asset');
  const out = join(REPO_ROOT, 'bench', 'out', 'nodejs-function', variant);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(cdkOut, asset), out, { recursive: true });
  copyFileSync(join(REPO_ROOT, RULES_SOURCE), join(out, RULES_FILE_NAME));
  console.log(out);
} finally {
  rmSync(cdkOut, { recursive: true, force: true });
}
