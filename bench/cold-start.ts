// Detect function cold start: a cold `import()` of the detect bundle (built as the stack builds it,
// lib/bundling.ts) in a fresh Node process with the template's environment, against the cold import
// of a plain bundle of the SDK clients it needs (bench/sdk-floor.ts, same esbuild options) — the two
// alternate, RUNS times each, in the same run. Target: detect ≤ 1.0× the floor; bundle ≤ 450 KB.
// BENCH_DETECT_DIR measures a detect function built before (index.mjs or index.js, + rules.json),
// e.g. of another commit or by bench/nodejs-function.ts, against the same floor. Prints one JSON object.
//
// The floor is a plain bundle, one file, as the issue defines it: the detect build's options without
// splitting. The detect function's size is every module file of its folder, the chunks it loads only
// when needed included; `detectEagerKB` is what its import loads.
// The detect function loads its SNS and EventBridge clients on its first drift only (the common
// event, a write that drifts nothing, never does). So that deferred work is not taken for saved work,
// `firstDrift` adds to each import what the first drifting event loads and builds before it sends:
// for the detect function its drift-outputs chunk and SNS notifier, for the floor nothing (its SNS
// client is built at import). Neither sends: the requests are the same on both sides.
// `splitFloor` compares the same imports with the floor built with splitting too, as the detect
// function is: the SDK's own `import()`s are then chunks loaded when needed in both.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
// With a second file (firstDrift), that module is imported next and its SNS notifier built.
const CHILD = `const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]); if (process.argv[2]) (await import(process.argv[2])).snsNotifier(process.env.TOPIC_ARN, process.env.DASHBOARD_URL); const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([w, (u.user + u.system) / 1000]));`;

function coldImport(file: string, thenImport?: string): { wall: number; cpu: number } {
  const args = ['--input-type=module', '-e', CHILD, file, ...(thenImport ? [thenImport] : [])];
  const run = spawnSync(process.execPath, args, {
    env: { PATH: process.env.PATH, ...LAMBDA_ENV, ...DETECTOR_ENV },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`import of ${file} failed: ${run.stderr}`);
  const [wall, cpu] = JSON.parse(run.stdout) as [number, number];
  return { wall, cpu };
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const isModule = (name: string) => /\.[cm]?js$/.test(name);

/** Bytes of the file and of every chunk it imports statically, transitively: what its import loads. */
function eagerBytes(file: string, seen = new Set<string>()): number {
  if (seen.has(file)) return 0;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  // Static imports of sibling chunks, as esbuild writes them: `from"./chunk-X.mjs"`, `import"./…"`.
  const chunks = [...text.matchAll(/(?:\bfrom|\bimport)"\.\/([^"]+)"/g)].map((m) =>
    join(dirname(file), m[1]),
  );
  return statSync(file).size + chunks.reduce((sum, chunk) => sum + eagerBytes(chunk, seen), 0);
}

/** Bytes of every module file of a function's folder (rules.json is data, counted apart). */
const folderBytes = (dir: string) =>
  readdirSync(dir)
    .filter(isModule)
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);

type Sample = { wall: number; cpu: number };
function figures(detectRuns: Sample[], floorRuns: Sample[]) {
  const detect = detectRuns.map((r) => r.wall);
  const floor = floorRuns.map((r) => r.wall);
  const detectCpu = detectRuns.map((r) => r.cpu);
  const floorCpu = floorRuns.map((r) => r.cpu);
  return {
    detectMs: spread(detect, 1),
    floorMs: spread(floor, 1),
    ratio: Number((median(detect) / median(floor)).toFixed(2)),
    pairRatio: spread(
      detect.map((d, i) => d / floor[i]),
      2,
    ),
    detectCpuMs: spread(detectCpu, 1),
    floorCpuMs: spread(floorCpu, 1),
    cpuRatio: Number((median(detectCpu) / median(floorCpu)).toFixed(2)),
  };
}

checkEnvMatchesStack();
const dir = mkdtempSync(join(tmpdir(), 'tfdrift-bench-cold-'));
try {
  const detectDir = process.env.BENCH_DETECT_DIR || join(dir, 'detect');
  const floorDir = join(dir, 'sdk-floor');
  if (!process.env.BENCH_DETECT_DIR) await bundleHandler('detect', detectDir);
  await build({
    ...esbuildOptions('detect', floorDir),
    entryPoints: { index: join(REPO_ROOT, 'bench', 'sdk-floor.ts') },
    splitting: false,
  });
  const splitFloorDir = join(dir, 'sdk-floor-split');
  await build({
    ...esbuildOptions('detect', splitFloorDir),
    entryPoints: { index: join(REPO_ROOT, 'bench', 'sdk-floor.ts') },
  });
  // index.js: a CommonJS build (bench/nodejs-function.ts defaults).
  const detectFile = ['index.mjs', 'index.js'].map((name) => join(detectDir, name)).find(existsSync);
  if (!detectFile) throw new Error(`no index.mjs or index.js in ${detectDir}`);
  const floorFile = join(floorDir, 'index.mjs');
  const splitFloorFile = join(splitFloorDir, 'index.mjs');
  // The chunk the detect function imports on its first drift (none in a build without one).
  const driftChunk = readdirSync(detectDir).find((name) => /^drift-outputs-.*\.mjs$/.test(name));
  const driftFile = driftChunk ? join(detectDir, driftChunk) : undefined;
  coldImport(floorFile); // page cache warm for both
  coldImport(detectFile, driftFile);
  const runs = {
    detect: [] as Sample[],
    floor: [] as Sample[],
    detectDrift: [] as Sample[],
    floorDrift: [] as Sample[],
    splitFloor: [] as Sample[],
  };
  for (let run = 0; run < RUNS; run++) {
    runs.floor.push(coldImport(floorFile));
    runs.detect.push(coldImport(detectFile));
    runs.floorDrift.push(coldImport(floorFile));
    runs.detectDrift.push(coldImport(detectFile, driftFile));
    runs.splitFloor.push(coldImport(splitFloorFile));
  }
  const imports = figures(runs.detect, runs.floor);
  const sizeKB = kb(folderBytes(detectDir));
  console.log(
    JSON.stringify({
      runs: RUNS,
      node: process.version,
      load: loadavg()[0],
      detectKB: sizeKB,
      detectEagerKB: kb(eagerBytes(detectFile)),
      floorKB: kb(folderBytes(floorDir)),
      ...imports,
      firstDrift: driftFile ? figures(runs.detectDrift, runs.floorDrift) : null,
      splitFloor: { floorKB: kb(eagerBytes(splitFloorFile)), ...figures(runs.detect, runs.splitFloor) },
      targets: { ratio: TARGET_RATIO, detectKB: TARGET_KB },
      // Both times: on a loaded machine the wall times mostly measure waiting for a core.
      pass: imports.ratio <= TARGET_RATIO && imports.cpuRatio <= TARGET_RATIO && sizeKB <= TARGET_KB,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
