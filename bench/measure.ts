// Whole-process measurements for the benchmarks: a command run as a user runs it, under
// /usr/bin/time, with its wall time, CPU time (user + system) and peak RSS.

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessFigures {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly status: number | null;
}

const TIME = '/usr/bin/time';

/** Runs `argv` to completion, stdout written to `outFile` (as a shell redirect would). */
export function measureProcess(
  argv: readonly string[],
  options: { outFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ProcessFigures {
  const timeFile = join(tmpdir(), `tfdrift-bench-time-${process.pid}-${Date.now()}.txt`);
  const out = openSync(options.outFile, 'w');
  const useTime = existsSync(TIME);
  const command = useTime ? TIME : argv[0];
  const args = useTime ? ['-f', '%U %S %M', '-o', timeFile, ...argv] : argv.slice(1);
  const start = performance.now();
  const run = spawnSync(command, args, {
    stdio: ['ignore', out, 'pipe'],
    env: options.env ?? process.env,
    cwd: options.cwd,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  closeSync(out);
  if (run.error) throw run.error;
  let cpuMs = Number.NaN;
  let maxRssMb = Number.NaN;
  if (useTime) {
    // The last line: a failing command makes time(1) write "Command exited with non-zero status" first.
    const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [user, system, rssKb] = line.split(' ').map(Number);
    cpuMs = (user + system) * 1000;
    maxRssMb = rssKb / 1024;
    rmSync(timeFile, { force: true });
  }
  if (run.status !== 0 && run.status !== 2) {
    throw new Error(`${argv.join(' ')} exited ${run.status}: ${String(run.stderr).slice(0, 2000)}`);
  }
  return { wallMs, cpuMs, maxRssMb, status: run.status };
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const round = (n: number, places = 0) => Number(n.toFixed(places));

/** Median, min and max of a series (the spread of repeated runs). */
export function spread(values: readonly number[], places = 0) {
  return {
    median: round(median(values), places),
    min: round(Math.min(...values), places),
    max: round(Math.max(...values), places),
  };
}
