// How every Lambda handler is bundled: one esbuild build shared by the stack (a local bundling step of
// each function's asset) and bench/bundles.ts, so the benchmark measures exactly what is deployed.
//
// The AWS SDK v3 clients a function uses are bundled (pinned to this repo's lockfile, tree-shaken),
// not taken from the nodejs22.x runtime. Measured with bench/bundles.ts: importing the detect
// function with the SDK resolved from node_modules (as the runtime resolves its own copy, full
// clients with every command) took ~3x longer than the bundled file, and cold start is what the
// detection lag pays.
// The build runs through esbuild's JS API, not CDK's NodejsFunction (whose esbuild CLI call takes no
// plugin), because of one plugin, lib/sdk-schema-shaking.ts. Measured (bench/nodejs-function.ts,
// then bench/cold-start.ts): NodejsFunction with these same options but the plugin builds a 498.7 KB
// detect function (target ≤ 450) importing in 1.33x its SDK clients' CPU time (this build: 442 KB,
// 1.15x); with NodejsFunction's defaults (SDK from the runtime) 87 KB but 5.2x.
// The compiled rule set (rules/rules.json, ~500 KB and growing with the rules) is data, not code: it
// is copied beside the bundle; a cold start only checks it is there; the first event that needs a
// rule reads and indexes it (one rule per line) and each rule is parsed when an event first needs
// it, see lambdas/handlers/runtime/rules.ts.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';
import { treeShakeableSdkSchemas } from './sdk-schema-shaking.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLERS_DIR = join(REPO_ROOT, 'lambdas', 'handlers');

/** The handlers the stack deploys, by file name (without .ts) under lambdas/handlers. */
export const HANDLERS = [
  'detect',
  'broadcast',
  'ws-connect',
  'ws-disconnect',
  'ws-resume',
  'ws-authorizer',
  'query-api',
  'backstop',
  'chat-delivery',
  'webhook-delivery',
  'security-hub',
  'backfill',
] as const;
export type HandlerName = (typeof HANDLERS)[number];

export const RUNTIME = Runtime.NODEJS_22_X;
export const ARCHITECTURE = Architecture.ARM_64;
export const NODE_TARGET = 'node22';

/** Nothing is left to the runtime: every dependency a handler imports is in its bundle. */
export const EXTERNAL_MODULES: string[] = [];

/** Lambda's credentials are in the environment: the SDK's full provider chain is not bundled. */
export const CREDENTIALS_ALIAS = {
  '@aws-sdk/credential-provider-node': join(HANDLERS_DIR, 'runtime', 'env-credentials.ts'),
};

/** The compiled rule set and the name it has beside each bundle. */
export const RULES_SOURCE = 'rules/rules.json';
export const RULES_FILE_NAME = 'rules.json';

// ESM output needs `require` for the few CommonJS dependencies that call it on Node built-ins.
const REQUIRE_SHIM = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/** The handlers that run the detect service and so read the rule set. */
export const READS_RULES: readonly HandlerName[] = ['detect', 'query-api', 'backstop', 'backfill'];

/** esbuild options of one handler's bundle (`<outdir>/index.mjs`). */
export function esbuildOptions(handler: HandlerName, outdir: string): BuildOptions {
  return {
    entryPoints: { index: join(HANDLERS_DIR, `${handler}.ts`) },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'esm',
    minify: true,
    sourcemap: false,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_SHIM },
    external: EXTERNAL_MODULES,
    alias: CREDENTIALS_ALIAS,
    plugins: [treeShakeableSdkSchemas],
    logLevel: 'error',
  };
}

/** Builds one handler into `outdir`: index.mjs, plus the rule set for the handlers that read it. */
export async function bundleHandler(handler: HandlerName, outdir: string): Promise<void> {
  const { build } = await import('esbuild');
  mkdirSync(outdir, { recursive: true });
  await build(esbuildOptions(handler, outdir));
  if (READS_RULES.includes(handler))
    copyFileSync(join(REPO_ROOT, RULES_SOURCE), join(outdir, RULES_FILE_NAME));
}

/**
 * The same build, synchronously (CDK's local bundling step is synchronous and esbuild runs plugins
 * only in async builds): a child process runs scripts/bundle-handler.ts. Throws with its output.
 */
export function bundleHandlerSync(handler: HandlerName, outdir: string): void {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'bundle-handler.ts'), handler, outdir],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) {
    throw new Error(`bundling the ${handler} function failed: ${run.stderr || run.error?.message}`);
  }
}

export function isHandlerName(name: string): name is HandlerName {
  return (HANDLERS as readonly string[]).includes(name);
}
