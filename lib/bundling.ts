// How every Lambda handler is bundled: shared by the stack (NodejsFunction) and bench/bundles.ts
// (plain esbuild), so the benchmark measures exactly what is deployed.
//
// The AWS SDK v3 is NOT bundled: functions use the copy the nodejs22.x runtime ships. Measured with
// this repo's pinned clients, @aws-sdk/client-s3 alone minifies to ~420 KB and the detect
// function's three clients (S3, DynamoDB, SNS) to ~495 KB, so the 450 KB detect budget cannot hold
// with pinned clients. The calls used (GetObject, ListObjectsV2, PutItem/Query/Update, Publish,
// PostToConnection) have been stable across v3 releases; the runtime's SDK is patched by AWS.
// Everything else (the core, the rule bundle, aws-jwt-verify, yaml) is bundled and minified.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLERS_DIR = join(REPO_ROOT, 'lambdas', 'handlers');

/** The handlers the stack deploys, by file name (without .ts) under lambdas/handlers. */
export const HANDLERS = [
  'detect',
  'broadcast',
  'ws-connect',
  'ws-disconnect',
  'ws-authorizer',
  'query-api',
  'backstop',
] as const;
export type HandlerName = (typeof HANDLERS)[number];

export const RUNTIME = Runtime.NODEJS_22_X;
export const ARCHITECTURE = Architecture.ARM_64;
export const NODE_TARGET = 'node22';

/** Modules resolved from the Lambda runtime instead of the bundle (see above). */
export const EXTERNAL_MODULES = ['@aws-sdk/*', '@smithy/*'];

// ESM output needs `require` for the few CommonJS dependencies that call it on Node built-ins.
const REQUIRE_SHIM = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/** NodejsFunction bundling props. */
export function nodejsBundling(): BundlingOptions {
  return {
    forceDockerBundling: false,
    minify: true,
    sourceMap: false,
    target: NODE_TARGET,
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    banner: REQUIRE_SHIM,
    externalModules: EXTERNAL_MODULES,
    // The rule bundle and schema are imported as JSON; nothing to copy beside the bundle.
  };
}

/** The same build as plain esbuild options (for the benchmark). */
export function esbuildOptions(entry: string, outfile: string) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node' as const,
    target: NODE_TARGET,
    format: 'esm' as const,
    minify: true,
    sourcemap: false,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_SHIM },
    external: EXTERNAL_MODULES,
    logLevel: 'error' as const,
  };
}
