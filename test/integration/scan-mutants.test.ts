// `tfdrift scan` run in-process (lambdas/local/scan.ts runScan), as cli-scan.test.ts runs it in a
// process: the exit code at each --fail-on, the lines on stderr, the summary's counts, formats and
// duplicates. (npx stryker run --mutate lambdas/local/scan.ts: a child process runs no mutant.)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR, runScan, type ScanOptions } from '../../lambdas/local/scan.js';
import { terminalSink, textSink } from '../support/text-sink.js';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'examples/scan');
const STATE = join(SAMPLE, 'state');
const EVENTS = join(SAMPLE, 'events.json');
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-scan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(options: Partial<ScanOptions>) {
  const out = textSink();
  const err = textSink();
  const code = await runScan({
    state: [STATE],
    events: [EVENTS],
    stdout: out.stream,
    stderr: err.stream,
    ...options,
  } as ScanOptions);
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('runScan in-process', () => {
  it('reports the sample as net drift in JSON, with every count of the summary, and exits 2', async () => {
    const { code, stdout, stderr } = await run({ format: 'json' });
    expect(code).toBe(EXIT_DRIFT);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({
      events: 4,
      duplicates: 0,
      findings: report.findings.length,
      errors: 0,
      stateFiles: 1,
    });
    expect(report.summary.resources).toBeGreaterThan(0);
    const kinds = report.findings.map((f: { kind: string }) => f.kind);
    expect(report.summary.byKind).toEqual({
      modified: kinds.filter((k: string) => k === 'modified').length,
      deleted: kinds.filter((k: string) => k === 'deleted').length,
      unmanaged: kinds.filter((k: string) => k === 'unmanaged').length,
    });
    const severities = report.findings.map((f: { severity: string }) => f.severity);
    for (const [severity, count] of Object.entries(report.summary.bySeverity))
      expect(count).toBe(severities.filter((s: string) => s === severity).length);
    // Sorted by event time, then id.
    const times = report.findings.map((f: { event: { time: string } }) => f.event.time);
    expect([...times].sort()).toEqual(times);
  });

  it('lists one finding per drifting event with --per-event', async () => {
    const net = JSON.parse((await run({ format: 'json' })).stdout);
    const perEvent = JSON.parse((await run({ format: 'json', mode: 'per-event' })).stdout);
    expect(perEvent.findings.length).toBeGreaterThan(net.findings.length);
    expect(perEvent.summary.findings).toBe(perEvent.findings.length);
  });

  it('counts a log passed twice once, as duplicates', async () => {
    const twice = JSON.parse((await run({ format: 'json', events: [EVENTS, EVENTS] })).stdout);
    expect([twice.summary.events, twice.summary.duplicates]).toEqual([4, 4]);
  });

  it('exits by the worst finding against --fail-on, at the threshold included', async () => {
    const report = JSON.parse((await run({ format: 'json' })).stdout);
    const order = ['low', 'medium', 'high', 'critical'];
    const worst = Math.max(...report.findings.map((f: { severity: string }) => order.indexOf(f.severity)));
    expect((await run({ failOn: order[worst] as never })).code).toBe(EXIT_DRIFT);
    if (worst < 3) expect((await run({ failOn: order[worst + 1] as never })).code).toBe(EXIT_CLEAN);
    expect((await run({})).code).toBe(EXIT_DRIFT);
  });

  it('prints a table by default, markdown when asked, and exits 0 on a clean log', async () => {
    const table = await run({});
    expect(table.stdout).toMatch(/^SEVERITY\s+KIND\s+RESOURCE/m);
    expect(table.stdout).not.toContain('\x1b[');
    const md = await run({ format: 'markdown' });
    expect(md.stdout).toContain('| Severity | Kind | Resource |');
    const clean = await run({ events: [join(SAMPLE, 'clean-events.json')] });
    expect(clean.code).toBe(EXIT_CLEAN);
    expect(clean.stdout).toContain('no drift in 3 events');
  });

  it('counts read-only, failed and Terraform calls as ignored, by reason', async () => {
    const report = JSON.parse(
      (await run({ format: 'json', events: [join(SAMPLE, 'clean-events.json')] })).stdout,
    );
    expect(report.summary.events).toBe(3);
    expect(Object.values(report.summary.ignored).reduce((a: number, b) => a + Number(b), 0)).toBe(3);
  });

  it('prints one line and exits 1 when a state file does not load, writing no report', async () => {
    const bad = join(tmp, 'corrupt.tfstate');
    writeFileSync(bad, '{"version": 4, "resources": [');
    const { code, stdout, stderr } = await run({ state: [bad] });
    expect(code).toBe(EXIT_ERROR);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tfdrift: .*corrupt\.tfstate.*\n$/);
  });

  it('exits 1 on an unreadable events file, naming it, and still reports the rest', async () => {
    const bad = join(tmp, 'garbled.json.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    const { code, stdout, stderr } = await run({ events: [EVENTS, bad], format: 'json' });
    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toMatch(/^tfdrift: .*garbled\.json\.gz/);
    const report = JSON.parse(stdout);
    expect(report.summary.errors).toBe(report.errors.length);
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(report.summary.events).toBe(4);
  });

  it('warns on stderr about a duplicate address and still scans', async () => {
    const state = JSON.parse(readFileSync(join(STATE, 'main.tfstate'), 'utf8'));
    state.resources.push(state.resources[0]);
    const dup = join(tmp, 'dup.tfstate');
    writeFileSync(dup, JSON.stringify(state));
    const { code, stderr } = await run({ state: [dup] });
    expect(code).toBe(EXIT_DRIFT);
    expect(stderr).toMatch(/^tfdrift: warning: .*duplicate address/);
  });

  it('reads events from stdin', async () => {
    const stdin = (async function* () {
      yield JSON.stringify({ Records: [] });
    })();
    const { code, stdout } = await run({ events: ['-'], stdin, format: 'json' });
    expect(code).toBe(EXIT_CLEAN);
    expect(JSON.parse(stdout).summary.events).toBe(0);
  });

  it('refuses a config file it cannot read, naming it', async () => {
    const { code, stderr } = await run({ configFile: join(tmp, 'missing.yml') });
    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toBe(`tfdrift: ${join(tmp, 'missing.yml')}: cannot read config file (ENOENT)\n`);
    const bad = join(tmp, 'bad.yml');
    writeFileSync(bad, 'ignore: [\n');
    const broken = await run({ configFile: bad });
    expect(broken.stderr).toMatch(/^tfdrift: .*bad\.yml: not valid YAML: /);
  });
});

describe('runScan inputs and progress', () => {
  it('reads the state from stdin when it is named -', async () => {
    const text = readFileSync(join(STATE, 'main.tfstate'), 'utf8');
    const stdin = (async function* () {
      yield Buffer.from(text.slice(0, 10));
      yield text.slice(10);
    })();
    const piped = await run({ state: ['-'], events: [EVENTS], stdin, format: 'json' });
    const direct = await run({ format: 'json' });
    expect(piped.code).toBe(EXIT_DRIFT);
    const found = (stdout: string) =>
      JSON.parse(stdout).findings.map(
        (f: { kind: string; resource: { address: string } }) => `${f.kind} ${f.resource.address}`,
      );
    expect(found(piped.stdout)).toEqual(found(direct.stdout));
    expect(found(piped.stdout).length).toBeGreaterThan(0);
  });

  it('scans records handed over after the files (the event history) as well, each once', async () => {
    const records = JSON.parse(readFileSync(EVENTS, 'utf8')).Records as Record<string, unknown>[];
    const more = (async function* () {
      yield records.map((record) => ({ ok: true as const, record, origin: 'history' }));
    })();
    const report = JSON.parse((await run({ format: 'json', events: [], moreEvents: more })).stdout);
    expect(report.summary.events).toBe(4);
    const again = (async function* () {
      yield records.map((record) => ({ ok: true as const, record, origin: 'history' }));
    })();
    const both = JSON.parse((await run({ format: 'json', moreEvents: again })).stdout);
    expect([both.summary.events, both.summary.duplicates]).toEqual([4, 4]);
  });

  it('shows its progress on a terminal and clears the line at the end, and nothing when not one', async () => {
    const out = textSink();
    const tty = terminalSink();
    const code = await runScan({
      state: [STATE],
      events: [EVENTS],
      stdout: out.stream,
      stderr: tty.stream,
      format: 'json',
    });
    const progress = tty.text();
    expect(code).toBe(EXIT_DRIFT);
    expect(progress.startsWith('\r\x1b[2Kscanning: ')).toBe(true);
    expect(progress).toMatch(/scanning: \d+ events, \d+ findings/);
    expect(progress.endsWith('\r\x1b[2K')).toBe(true);
    const plain = await run({ format: 'json' });
    expect(plain.stderr).toBe('');
  });

  it('cuts table cells to the width it is given', async () => {
    const narrow = await run({ width: 60 });
    const wide = await run({ width: 400 });
    const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));
    expect(longest(narrow.stdout)).toBeLessThanOrEqual(60);
    expect(longest(wide.stdout)).toBeGreaterThan(60);
  });
});
