// What Powertools for AWS Lambda would cost the detect function's cold start: the detect handler
// plus one Powertools package, created as a handler would create it, built with the detect
// function's own options (lib/bundling.ts). `tsx bench/powertools-detect.ts <variant>` writes
// bench/out/powertools/<variant>/ (index.mjs + rules.json) and prints its path; then
// BENCH_DETECT_DIR=<that path> tsx bench/cold-start.ts measures it against the floor in one run.
// The packages add to what detect has (its own thin logger and EMF line stay in the bundle): a
// replacement would save those few hundred bytes.

import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, HANDLERS_DIR, REPO_ROOT, RULES_FILE_NAME, RULES_SOURCE } from '../lib/bundling.js';

const PACKAGES = {
  logger: [
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "export const logger = new Logger({ serviceName: 'tfdrift' });",
  ],
  metrics: [
    "import { Metrics } from '@aws-lambda-powertools/metrics';",
    "export const metrics = new Metrics({ namespace: 'tfdrift', serviceName: 'tfdrift' });",
  ],
  batch: [
    "import { BatchProcessor, EventType } from '@aws-lambda-powertools/batch';",
    'export const processor = new BatchProcessor(EventType.DynamoDBStreams);',
  ],
} as const;
type Package = keyof typeof PACKAGES;

const variant = process.argv[2] ?? '';
const packages = variant.split('+') as Package[];
if (!packages.every((name) => name in PACKAGES)) {
  console.error(`usage: powertools-detect <${Object.keys(PACKAGES).join('|')}>[+...]`);
  process.exit(2);
}

const out = join(REPO_ROOT, 'bench', 'out', 'powertools', variant);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const entry = join(out, 'entry.ts');
writeFileSync(
  entry,
  [
    `export { handler } from ${JSON.stringify(join(HANDLERS_DIR, 'detect.ts'))};`,
    ...packages.flatMap((name) => PACKAGES[name]),
  ].join('\n'),
);
await build({ ...esbuildOptions('detect', out), entryPoints: { index: entry } });
rmSync(entry);
copyFileSync(join(REPO_ROOT, RULES_SOURCE), join(out, RULES_FILE_NAME));
console.log(out);
