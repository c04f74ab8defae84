// Detect function cold start: a cold `import()` of the detect bundle (built as the stack builds it,
// lib/bundling.ts) in a fresh Node process with the template's environment, against the cold import
// of a plain bundle of the SDK clients it needs (bench/sdk-floor.ts, same esbuild options) — the two
// alternate, RUNS times each, in the same run. Target: detect ≤ 1.0× the floor; bundle ≤ 450 KB.
// BENCH_DETECT_DIR measures a detect function built before (index.mjs or index.js, + rules.json),
// e.g. of another commit or by bench/nodejs-function.ts, against the same floor. Prints one JSON object.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_ENV } from '../lambdas/handlers/runtime/function-env.js';
import { bundleHandler, esbuildOptions, REPO_ROOT } from '../lib/bundling.js';
import { median, spread } from './measure.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_RATIO = 1.0;
const TARGET_KB = 450;

/** The detect function's environment as the stack sets it (lib/tfdrift-stack.ts detectorEnvironment). */
const DETECTOR_ENV: Record<string, string> = {
  DRIFTS_TABLE: 'tfdrift-DriftsTable-1A2B3C',
  EVENTS_TABLE: 'tfdrift-EventsTable-4D5E6F',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:tfdrift-Alerts-7G8H9I',
  STATE_SOURCES: JSON.stringify([{ bucket: 'acme-tfstate', prefixes: ['prod/', 'env:/*/prod/*.tfstate'] }]),
  DETECT_CONFIG: JSON.stringify({
    ignore: { principals: ['arn:aws:iam::123456789012:role/ci-*'] },
    terraformPrincipals: ['arn:aws:iam::123456789012:role/terraform'],
  }),
  RETENTION_DAYS: '365',
  METRICS_NAMESPACE: 'tfdrift',
  DASHBOARD_URL: 'https://d111111abcdef8.cloudfront.net',
};

/** What Lambda itself sets (nodejs22.x): region, the role's credentials, the function's name. */
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIABENCHEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'tfdrift-Detect',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NODE_OPTIONS: '',
};

/** Fails the bench when the stack sets a variable this bench does not. */
function checkEnvMatchesStack(): void {
  const source = readFileSync(join(REPO_ROOT, 'lib', 'tfdrift-stack.ts'), 'utf8');
  const block = /private detectorEnvironment\([^)]*\)[^{]*\{([\s\S]*?)\n {2}\}/.exec(source)?.[1];
  if (!block) throw new Error('detectorEnvironment not found in lib/tfdrift-stack.ts');
  const keys = [...block.matchAll(/\[FUNCTION_ENV\.(\w+)\]:/g)].map((m) => m[1]);
  if (keys.length === 0) throw new Error('detectorEnvironment sets no FUNCTION_ENV variable');
  const names = keys.map((key) => FUNCTION_ENV[key as keyof typeof FUNCTION_ENV]);
  const missing = names.filter((name) => !(name in DETECTOR_ENV));
  if (missing.length > 0)
    throw new Error(`bench/cold-start.ts lacks detectorEnvironment variables: ${missing.join(', ')}`);
}

// Wall time of the import, and its CPU time (user + system: steadier when the machine is shared).
const CHILD = `const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]); const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([w, (u.user + u.system) / 1000]));`;

function coldImport(file: string): { wall: number; cpu: number } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, file], {
    env: { PATH: process.env.PATH, ...LAMBDA_ENV, ...DETECTOR_ENV },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`import of ${file} failed: ${run.stderr}`);
  const [wall, cpu] = JSON.parse(run.stdout) as [number, number];
  return { wall, cpu };
}

const kb = (file: string) => Math.round((statSync(file).size / 1024) * 10) / 10;

checkEnvMatchesStack();
const dir = mkdtempSync(join(tmpdir(), 'tfdrift-bench-cold-'));
try {
  const detectDir = process.env.BENCH_DETECT_DIR || join(dir, 'detect');
  const floorDir = join(dir, 'sdk-floor');
  if (!process.env.BENCH_DETECT_DIR) await bundleHandler('detect', detectDir);
  await build({
    ...esbuildOptions('detect', floorDir),
    entryPoints: { index: join(REPO_ROOT, 'bench', 'sdk-floor.ts') },
  });
  // index.js: a CommonJS build (bench/nodejs-function.ts defaults).
  const detectFile = ['index.mjs', 'index.js'].map((name) => join(detectDir, name)).find(existsSync);
  if (!detectFile) throw new Error(`no index.mjs or index.js in ${detectDir}`);
  const floorFile = join(floorDir, 'index.mjs');
  coldImport(floorFile); // page cache warm for both
  coldImport(detectFile);
  const detectRuns: { wall: number; cpu: number }[] = [];
  const floorRuns: { wall: number; cpu: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    floorRuns.push(coldImport(floorFile));
    detectRuns.push(coldImport(detectFile));
  }
  const detect = detectRuns.map((r) => r.wall);
  const floor = floorRuns.map((r) => r.wall);
  const detectCpu = detectRuns.map((r) => r.cpu);
  const floorCpu = floorRuns.map((r) => r.cpu);
  const ratios = detect.map((d, i) => d / floor[i]);
  const ratio = median(detect) / median(floor);
  const cpuRatio = median(detectCpu) / median(floorCpu);
  const sizeKB = kb(detectFile);
  console.log(
    JSON.stringify({
      runs: RUNS,
      node: process.version,
      load: loadavg()[0],
      detectKB: sizeKB,
      floorKB: kb(floorFile),
      detectMs: spread(detect, 1),
      floorMs: spread(floor, 1),
      ratio: Number(ratio.toFixed(2)),
      pairRatio: spread(ratios, 2),
      detectCpuMs: spread(detectCpu, 1),
      floorCpuMs: spread(floorCpu, 1),
      cpuRatio: Number(cpuRatio.toFixed(2)),
      targets: { ratio: TARGET_RATIO, detectKB: TARGET_KB },
      // Both times: on a loaded machine the wall times mostly measure waiting for a core.
      pass: ratio <= TARGET_RATIO && cpuRatio <= TARGET_RATIO && sizeKB <= TARGET_KB,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
