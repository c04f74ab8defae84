// How every Lambda handler is bundled: shared by the stack (NodejsFunction) and bench/bundles.ts
// (plain esbuild), so the benchmark measures exactly what is deployed.
//
// The AWS SDK v3 clients a function uses are bundled (pinned to this repo's lockfile, tree-shaken),
// not taken from the nodejs22.x runtime. Measured with bench/bundles.ts: importing the detect
// function with the SDK resolved from node_modules (as the runtime resolves its own copy, full
// clients with every command) took ~3x longer than the bundled file, and cold start is what the
// detection lag pays. Cost: the S3, DynamoDB and SNS clients minify to ~495 KB together, so the
// detect bundle is above its 450 KB target (see the report of bench/bundles.ts).
// The compiled rule set (rules/rules.json, ~400 KB and growing with the rules) is data, not code: it
// is copied beside the bundle and read with JSON.parse at cold start (faster than parsing it as a
// JS literal), see lambdas/handlers/runtime/rules.ts.

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
export const READS_RULES: readonly HandlerName[] = ['detect', 'query-api', 'backstop'];

/** NodejsFunction bundling props for one handler. */
export function nodejsBundling(handler: HandlerName): BundlingOptions {
  const copyRules = READS_RULES.includes(handler);
  return {
    forceDockerBundling: false,
    minify: true,
    sourceMap: false,
    target: NODE_TARGET,
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    banner: REQUIRE_SHIM,
    externalModules: EXTERNAL_MODULES,
    esbuildArgs: Object.fromEntries(
      Object.entries(CREDENTIALS_ALIAS).map(([name, path]) => [`--alias:${name}`, path]),
    ),
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) =>
        copyRules ? [`cp "${join(inputDir, RULES_SOURCE)}" "${join(outputDir, RULES_FILE_NAME)}"`] : [],
    },
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
    alias: CREDENTIALS_ALIAS,
    logLevel: 'error' as const,
  };
}
