// Lambda bundles: each handler built with esbuild exactly as the stack builds it (lib/bundling.ts),
// then its minified size (the .mjs; the rule set copied beside it is counted apart) and its cold
// `import()` time in a fresh Node process (median of RUNS spawns). For comparison, the detect
// function is also built the other way — AWS SDK left to the runtime (resolved from node_modules
// here, as Lambda resolves its bundled copy). Targets: detect ≤ 450 KB, cold import ≤ 80 ms.
// Prints JSON on stdout.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  bundleHandler,
  esbuildOptions,
  HANDLERS,
  type HandlerName,
  REPO_ROOT,
  RULES_FILE_NAME,
  RULES_SOURCE,
} from '../lib/bundling.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const OUT = join(REPO_ROOT, 'bench', 'out', 'bundles');
const TARGET_KB = 450;
const TARGET_MS = 80;

// What the stack sets: module scope reads these and fails fast without them. Nothing is called.
const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DRIFTS_TABLE: 'tfdrift-drifts',
  EVENTS_TABLE: 'tfdrift-events',
  CONNECTIONS_TABLE: 'tfdrift-connections',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:tfdrift-alerts',
  STATE_SOURCES: JSON.stringify([{ bucket: 'acme-tfstate', prefixes: ['prod/'] }]),
  DETECT_CONFIG: '{}',
  WS_ENDPOINT: 'https://abc123.execute-api.eu-west-1.amazonaws.com/live',
  USER_POOL_ID: 'eu-west-1_TfDrift01',
  USER_POOL_CLIENT_ID: '4tfdrifttestclient0000000a',
  TRAIL_BUCKET: 'acme-trail',
  TRAIL_ACCOUNTS: '123456789012',
  TRAIL_REGIONS: 'eu-west-1,us-east-1',
  BACKFILL_REGIONS: 'eu-west-1',
  CHAT_TOPICS: JSON.stringify([
    { topicArn: 'arn:aws:sns:eu-west-1:123456789012:tfdrift-chat-high', minSeverity: 'high' },
  ]),
  WEBHOOKS: JSON.stringify([
    {
      url: 'https://hooks.example.com/tfdrift',
      secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tfdrift-hook-AbCdEf',
      minSeverity: 'medium',
    },
  ]),
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const CHILD = `const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));`;

function coldImportMs(file: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, file], {
      env: { PATH: process.env.PATH, ...LAMBDA_ENV },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`import of ${file} failed: ${run.stderr}`);
    times.push(Number(run.stdout));
  }
  return median(times);
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** Sizes of a built handler folder: the .mjs code and the JSON data copied beside it. */
function sizes(dir: string) {
  const total = (ext: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  return { sizeKB: kb(total('.mjs')), jsonKB: kb(total('.json')) };
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const handlers: Record<string, { sizeKB: number; jsonKB: number; coldImportMs: number }> = {};
for (const name of HANDLERS) {
  const dir = join(OUT, name);
  await bundleHandler(name, dir);
  handlers[name] = {
    ...sizes(dir),
    coldImportMs: Math.round(coldImportMs(join(dir, 'index.mjs')) * 10) / 10,
  };
}
// The alternative the stack rejects: the detect function with the SDK left to the runtime.
const runtimeSdkDir = join(OUT, 'detect-runtime-sdk');
const detectName: HandlerName = 'detect';
await build({ ...esbuildOptions(detectName, runtimeSdkDir), external: ['@aws-sdk/*', '@smithy/*'] });
copyFileSync(join(REPO_ROOT, RULES_SOURCE), join(runtimeSdkDir, RULES_FILE_NAME));
const runtimeSdk = sizes(runtimeSdkDir);
const runtimeSdkFile = join(runtimeSdkDir, 'index.mjs');

const detect = handlers.detect;
console.log(
  JSON.stringify(
    {
      bench: 'bundles',
      runs: RUNS,
      node: process.version,
      handlers,
      detectWithRuntimeSdk: {
        ...runtimeSdk,
        coldImportMs: Math.round(coldImportMs(runtimeSdkFile) * 10) / 10,
      },
      load: (await import('node:os')).loadavg()[0],
      targets: { detectKB: TARGET_KB, coldImportMs: TARGET_MS },
      pass: detect.sizeKB <= TARGET_KB && Object.values(handlers).every((h) => h.coldImportMs <= TARGET_MS),
    },
    null,
    2,
  ),
);
