// Scan throughput: 100k CloudTrail events against a state of 20k resources, timed next to a plain
// read + JSON.parse of the same bytes in the same process. Target: scan ≤ 1.5× parse.
// Prints one JSON line of figures.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRulesFromDir } from '../lambdas/adapters/local/rule-files.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import { buildStateIndex } from '../lambdas/core/state.js';
import { scan } from '../lambdas/local/scan.js';
import { generateEvents } from './events.js';
import { generateState } from './state-index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 20_000);
const PER_FILE = 1000;
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'tfdrift-bench-scan-'));
try {
  const stateText = generateState(RESOURCES);
  mkdirSync(join(dir, 'state'));
  writeFileSync(join(dir, 'state', 'main.tfstate'), stateText);
  const index = buildStateIndex([{ file: 'main.tfstate', text: stateText }]);
  const targets = index.resources.filter((r) => r.id).map((r) => ({ type: r.type, id: r.id as string }));
  const records = generateEvents(EVENTS, targets);
  mkdirSync(join(dir, 'events'));
  let eventBytes = 0;
  for (let i = 0; i < records.length; i += PER_FILE) {
    const text = JSON.stringify({ Records: records.slice(i, i + PER_FILE) });
    eventBytes += text.length;
    writeFileSync(join(dir, 'events', `${String(i / PER_FILE).padStart(5, '0')}.json`), text);
  }
  const rules = loadRulesFromDir(process.env.BENCH_RULES);

  // Wall time and process CPU time (steadier when other work shares the machine).
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const parseOnce = () => {
    const start = performance.now();
    const cpu = cpuMs();
    JSON.parse(readFileSync(join(dir, 'state', 'main.tfstate'), 'utf8'));
    for (const name of readdirSync(join(dir, 'events')))
      JSON.parse(readFileSync(join(dir, 'events', name), 'utf8'));
    return { wall: performance.now() - start, cpu: cpuMs() - cpu };
  };
  let findings = 0;
  const scanOnce = async () => {
    const start = performance.now();
    const cpu = cpuMs();
    const report = await scan(
      { state: [join(dir, 'state')], events: [join(dir, 'events')] },
      rules,
      DEFAULT_CONFIG,
    );
    findings = report.findings.length;
    if (report.summary.events !== EVENTS)
      throw new Error(`scanned ${report.summary.events} of ${EVENTS} events`);
    return { wall: performance.now() - start, cpu: cpuMs() - cpu };
  };

  parseOnce();
  await scanOnce(); // warm-up: JIT and file cache for both
  const parseTimes: { wall: number; cpu: number }[] = [];
  const scanTimes: { wall: number; cpu: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    parseTimes.push(parseOnce());
    scanTimes.push(await scanOnce());
  }
  const parseMs = median(parseTimes.map((t) => t.wall));
  const scanMs = median(scanTimes.map((t) => t.wall));
  const parseCpuMs = median(parseTimes.map((t) => t.cpu));
  const scanCpuMs = median(scanTimes.map((t) => t.cpu));
  console.log(
    JSON.stringify({
      events: EVENTS,
      stateResources: index.resources.length,
      eventBytes,
      stateBytes: stateText.length,
      findings,
      parseMs: Math.round(parseMs),
      scanMs: Math.round(scanMs),
      ratio: Number((scanMs / parseMs).toFixed(2)),
      parseCpuMs: Math.round(parseCpuMs),
      scanCpuMs: Math.round(scanCpuMs),
      cpuRatio: Number((scanCpuMs / parseCpuMs).toFixed(2)),
      eventsPerSecond: Math.round(EVENTS / (scanMs / 1000)),
      target: 1.5,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
