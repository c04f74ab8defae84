// `npm run bench`: runs every benchmark in its own process (so one's heap and JIT state do not
// colour another's) and prints one JSON object of figures. `npm run bench -- scan` runs one.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES: Record<string, string> = {
  scan: 'scan.ts',
  coldStart: 'cold-start.ts',
  applyBurst: 'apply-burst.ts',
  stateIndex: 'state-index.ts',
  liveLatency: 'live-latency.ts',
  bundles: 'bundles.ts',
  soak: 'soak.ts',
  storeMemory: 'store-memory.ts',
};

const only = process.argv.slice(2);
const figures: Record<string, unknown> = {};
for (const [name, file] of Object.entries(BENCHES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    // A bench prints one JSON value last: one line, or pretty-printed from a line that opens it.
    const lines = out.trim().split('\n');
    const start = lines.findLastIndex((line) => line.startsWith('{') || line.startsWith('['));
    figures[name] = JSON.parse(lines.slice(start).join('\n'));
  } catch (error) {
    figures[name] = { error: (error as Error).message.split('\n')[0] };
  }
}
console.log(JSON.stringify(figures, null, 2));
