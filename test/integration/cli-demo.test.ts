// `npm start` (tfdrift demo) run twice in the same folder: the second run starts from fresh data
// unless --data keeps the drifts, so a replayed sample never shows each drift twice.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-cli-demo-'));
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

interface Drift {
  readonly id: string;
  readonly event: { readonly time: string };
}

/** Starts `tfdrift demo` in `cwd`; resolves with its URL and a stop that waits for a clean exit. */
function startDemo(cwd: string, args: string[] = []): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(ROOT, 'bin/tfdrift.ts'), 'demo', '--port', '0', ...args],
    { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    running.delete(child);
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /demo running at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${output}`)));
  });
}

/** The drifts listed once at least `min` are there (the sample's first events arrive within seconds). */
async function driftsOnceAtLeast(url: string, min: number): Promise<Drift[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { items } = (await (await fetch(`${url}/api/v1/drifts?limit=500`)).json()) as { items: Drift[] };
    if (items.length >= min) return items;
    if (Date.now() > deadline) throw new Error(`only ${items.length} drifts after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('tfdrift demo', () => {
  it('starts from fresh data on every run, and writes no data folder', async () => {
    const cwd = mkdtempSync(join(tmp, 'fresh-'));
    const first = await startDemo(cwd);
    const firstDrifts = await driftsOnceAtLeast(first.url, 1);
    await first.stop();

    const secondStarted = new Date(Date.now() - 1000).toISOString();
    const second = await startDemo(cwd);
    const secondDrifts = await driftsOnceAtLeast(second.url, 1);
    await second.stop();

    const firstIds = new Set(firstDrifts.map((d) => d.id));
    expect(secondDrifts.filter((d) => firstIds.has(d.id))).toEqual([]);
    // Every drift listed was detected in this run (the demo stamps each event with the time it is sent).
    expect(secondDrifts.filter((d) => d.event.time < secondStarted)).toEqual([]);
    expect(existsSync(join(cwd, '.tfdrift'))).toBe(false);
  }, 90_000);

  it('keeps the drifts of an earlier run with --data', async () => {
    const cwd = mkdtempSync(join(tmp, 'kept-'));
    const first = await startDemo(cwd, ['--data', 'kept']);
    const firstDrifts = await driftsOnceAtLeast(first.url, 1);
    await first.stop();

    const second = await startDemo(cwd, ['--data', 'kept']);
    const secondDrifts = await driftsOnceAtLeast(second.url, 1);
    await second.stop();

    const secondIds = new Set(secondDrifts.map((d) => d.id));
    expect(firstDrifts.every((d) => secondIds.has(d.id))).toBe(true);
    expect(existsSync(join(cwd, 'kept'))).toBe(true);
  }, 90_000);
});
