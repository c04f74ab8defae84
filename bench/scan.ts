// `tfdrift scan` as a user runs it: a fresh `node` process of the installed command, reading
// gzipped CloudTrail log files laid out as a trail writes them against a state of 20k resources,
// its report written to a file. Floor: a plain `node` process that reads, gunzips and JSON.parses
// the same files (bench/floor-parse.mjs). Floor and scan alternate, RUNS times, at two drift shares
// (about 1% and 25% of events); then peak RSS at EVENTS and at GROWTH_EVENTS shows whether memory
// stays flat as the input grows.
// Targets: scan ≤ 1.5× the floor (wall), peak RSS ≤ 300 MB, flat.
//
// The command: BENCH_CLI (e.g. "node dist/cli.js"); by default dist/cli.js when it has been built,
// else bin/tfdrift.js (what `npm install -g` links as `tfdrift`).
// BENCH_BASELINE_CLI (same form) runs a second command in the same runs, e.g. another commit's
// bin/tfdrift.js, for a before/after at the same moment. Prints one JSON object.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStateIndex } from '../lambdas/core/state.js';
import { measureProcess, median, type ProcessFigures, spread } from './measure.js';
import { generateState } from './state-index.js';
import { writeTrailFiles } from './trail-files.js';

const REPO = join(import.meta.dirname, '..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const GROWTH_EVENTS = Number(process.env.BENCH_GROWTH_EVENTS ?? 400_000);
const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHARES = { light: 0.01, heavy: 0.25 };
const TARGET_RATIO = 1.5;
const EC2_TYPES = new Set([
  'aws_instance',
  'aws_security_group',
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_internet_gateway',
]);
const TARGET_RSS_MB = 300;

export function cliCommand(env = process.env): string[] {
  if (env.BENCH_CLI) return env.BENCH_CLI.split(' ').filter(Boolean);
  const dist = join(REPO, 'dist', 'cli.js');
  return [process.execPath, existsSync(dist) ? dist : join(REPO, 'bin', 'tfdrift.js')];
}

/** Where the generated calls are made (bench/events.ts): the state's EC2 resources are placed there. */
const EVENTS_ACCOUNT = '111122223333';
const EVENTS_REGION = 'eu-west-1';

/**
 * The generated state with its EC2 resources in the account and region the generated calls are made
 * in: the core matches a call to a resource only in its own account and region (from the ARN), so
 * resources elsewhere would make every hand-made write an unmanaged-resource call and the run would
 * measure no drift at all.
 */
export function stateInEventsAccount(text: string): string {
  return text.replace(/"arn:aws:ec2:[a-z0-9-]+:\d{12}:/g, `"arn:aws:ec2:${EVENTS_REGION}:${EVENTS_ACCOUNT}:`);
}

const dir = mkdtempSync(join(tmpdir(), 'tfdrift-bench-scan-'));
try {
  const cli = cliCommand();
  const stateText = stateInEventsAccount(generateState(RESOURCES));
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir);
  writeFileSync(join(stateDir, 'main.tfstate'), stateText);
  const index = buildStateIndex([{ file: 'main.tfstate', text: stateText }]);
  // Writes go to the EC2 resources the generated calls (CreateTags, ModifyInstanceAttribute,
  // AuthorizeSecurityGroupIngress) change, so the share of hand-made writes is the share of drift.
  const targets = index.resources
    .filter((r) => r.id && EC2_TYPES.has(r.type))
    .map((r) => ({ type: r.type, id: r.id as string }));
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
  const outFile = join(dir, 'report.json');
  // Run from a folder of the user's, not the repository (the CLI's rule cache is keyed by the path).
  const userDir = join(dir, 'project');
  mkdirSync(userDir);

  const floor = (root: string) =>
    measureProcess([process.execPath, join(REPO, 'bench', 'floor-parse.mjs'), stateDir, root], {
      outFile,
      env,
    });
  const baseline = process.env.BENCH_BASELINE_CLI?.split(' ').filter(Boolean);
  // `net` is what `tfdrift scan` does by default (one finding per resource and attribute);
  // `per-event` (one finding per drifting event) is the larger report of the same drift.
  const scanOnce = (root: string, events: number, command = cli, mode: 'net' | 'per-event' = 'net') => {
    const figures = measureProcess(
      [
        ...command,
        'scan',
        '--state',
        stateDir,
        '--events',
        root,
        '--format',
        'json',
        ...(mode === 'per-event' ? ['--per-event'] : []),
      ],
      { outFile, env, cwd: userDir },
    );
    const report = JSON.parse(readFileSync(outFile, 'utf8')) as {
      summary: { events: number; findings: number };
    };
    if (report.summary.events !== events)
      throw new Error(`scan read ${report.summary.events} of ${events} events`);
    return { ...figures, findings: report.summary.findings };
  };
  const summary = (runs: ProcessFigures[]) => ({
    wallMs: spread(runs.map((r) => r.wallMs)),
    cpuMs: spread(runs.map((r) => r.cpuMs)),
    maxRssMb: spread(runs.map((r) => r.maxRssMb)),
  });
  /** A command's runs against the floors of the same runs: figures and ratios (median, min, max). */
  const against = (runs: ProcessFigures[], floors: ProcessFigures[]) => ({
    ...summary(runs),
    ratio: spread(
      runs.map((r, i) => r.wallMs / floors[i].wallMs),
      2,
    ),
    cpuRatio: spread(
      runs.map((r, i) => r.cpuMs / floors[i].cpuMs),
      2,
    ),
  });

  const shares: Record<string, unknown> = {};
  let lightRssMb = 0;
  let firstRun: ProcessFigures | undefined;
  for (const [name, share] of Object.entries(SHARES)) {
    const files = writeTrailFiles(join(dir, name), EVENTS, targets, { handWrites: share });
    floor(files.root); // warm the page cache for both
    // The first run in a folder builds the CLI's caches (a user's first scan); later runs are measured.
    const warm = scanOnce(files.root, EVENTS);
    firstRun ??= warm;
    // Every hand-made write is drift: per event, the findings are the share of drift asked for.
    const perEventFindings = scanOnce(files.root, EVENTS, cli, 'per-event').findings;
    const expected = Math.round(share * EVENTS);
    if (Math.abs(perEventFindings - expected) > expected * 0.05)
      throw new Error(`${name}: ${perEventFindings} drifting events, expected about ${expected}`);
    const floors: ProcessFigures[] = [];
    const scans: ProcessFigures[] = [];
    const perEvent: ProcessFigures[] = [];
    const baselines: ProcessFigures[] = [];
    const baselinesPerEvent: ProcessFigures[] = [];
    if (baseline) scanOnce(files.root, EVENTS, baseline);
    for (let run = 0; run < RUNS; run++) {
      floors.push(floor(files.root));
      scans.push(scanOnce(files.root, EVENTS));
      if (baseline) baselines.push(scanOnce(files.root, EVENTS, baseline));
      perEvent.push(scanOnce(files.root, EVENTS, cli, 'per-event'));
      if (baseline) baselinesPerEvent.push(scanOnce(files.root, EVENTS, baseline, 'per-event'));
    }
    const scanFigures = against(scans, floors);
    if (name === 'light') lightRssMb = scanFigures.maxRssMb.median;
    shares[name] = {
      handWriteShare: share,
      files: files.files,
      gzMb: Number((files.gzBytes / 1e6).toFixed(1)),
      jsonMb: Number((files.jsonBytes / 1e6).toFixed(1)),
      driftingEvents: perEventFindings,
      netFindings: warm.findings,
      floor: summary(floors),
      // Ratio of each run's pair (same moment, same load), then their spread.
      scan: scanFigures,
      ratio: scanFigures.ratio,
      cpuRatio: scanFigures.cpuRatio,
      perEvent: against(perEvent, floors),
      ...(baseline
        ? { baseline: { scan: against(baselines, floors), perEvent: against(baselinesPerEvent, floors) } }
        : {}),
    };
    rmSync(join(dir, name), { recursive: true, force: true });
  }

  // Memory as the input grows: the same traffic mix at GROWTH_EVENTS.
  const growthFiles = writeTrailFiles(join(dir, 'growth'), GROWTH_EVENTS, targets, {
    handWrites: SHARES.light,
  });
  const growthFloor = floor(growthFiles.root);
  const growthRuns = [scanOnce(growthFiles.root, GROWTH_EVENTS), scanOnce(growthFiles.root, GROWTH_EVENTS)];
  const growthRssMb = median(growthRuns.map((r) => r.maxRssMb));

  const light = shares.light as { ratio: { median: number }; scan: { maxRssMb: { median: number } } };
  const heavy = shares.heavy as typeof light;
  console.log(
    JSON.stringify({
      command: cli.map((part) => part.replace(REPO, '.')).join(' '),
      ...(baseline ? { baselineCommand: baseline.join(' ') } : {}),
      events: EVENTS,
      stateResources: index.resources.length,
      runs: RUNS,
      load: loadavg()[0],
      ...shares,
      firstRunMs: firstRun ? Math.round(firstRun.wallMs) : null,
      growth: {
        events: [EVENTS, GROWTH_EVENTS],
        maxRssMb: [lightRssMb, Number(growthRssMb.toFixed(0))],
        rssGrowth: Number((growthRssMb / lightRssMb).toFixed(2)),
        ratio: Number((median(growthRuns.map((r) => r.wallMs)) / growthFloor.wallMs).toFixed(2)),
      },
      targets: { ratio: TARGET_RATIO, maxRssMb: TARGET_RSS_MB },
      pass:
        light.ratio.median <= TARGET_RATIO &&
        heavy.ratio.median <= TARGET_RATIO &&
        Math.max(light.scan.maxRssMb.median, heavy.scan.maxRssMb.median, growthRssMb) <= TARGET_RSS_MB,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
