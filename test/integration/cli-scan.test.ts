// `tfdrift scan` as a user runs it: a real process, real files, exit codes 0 / 2 / 1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'examples/scan');
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tfdrift(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/tfdrift.ts'), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tfdrift scan', () => {
  it('prints the findings of the README sample as JSON and exits 2', () => {
    const { code, stdout } = tfdrift([
      'scan',
      '--state',
      join(SAMPLE, 'state'),
      '--events',
      join(SAMPLE, 'events.json'),
      '--format',
      'json',
    ]);
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.summary.events).toBe(4);
    const kinds = report.findings.map(
      (f: { kind: string; resource: { address: string } }) => `${f.kind} ${f.resource.address}`,
    );
    expect(kinds).toContain('modified module.app.aws_instance.web[0]');
    expect(kinds).toContain('deleted aws_instance.worker');
    // Net drift: the two instance_type changes fold into one finding, the last value against state.
    const web = report.findings.filter(
      (f: { resource: { address: string } }) => f.resource.address === 'module.app.aws_instance.web[0]',
    );
    expect(web).toHaveLength(1);
    expect(web[0].changes).toEqual([
      { attribute: 'instance_type', expected: 't2.micro', actual: 'm5.large' },
    ]);
    expect(web[0].events.map((e: { name: string }) => e.name)).toEqual([
      'ModifyInstanceAttribute',
      'ModifyInstanceAttribute',
    ]);
    expect(web[0].actors.map((a: { name: string }) => a.name)).toEqual(['first.last', 'example.user']);
    expect(web[0].actor.name).toBe('example.user');
    const types = new Set(
      report.findings.flatMap((f: { actors: { type: string }[] }) => f.actors.map((a) => a.type)),
    );
    expect(types).toEqual(new Set(['IAMUser', 'AssumedRole', 'Root', 'FederatedUser']));
  });

  it('--per-event lists one finding per drifting event, as before net drift', () => {
    const { code, stdout } = tfdrift([
      'scan',
      '--state',
      join(SAMPLE, 'state'),
      '--events',
      join(SAMPLE, 'events.json'),
      '--format',
      'json',
      '--per-event',
    ]);
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    const web = report.findings.filter(
      (f: { resource: { address: string } }) => f.resource.address === 'module.app.aws_instance.web[0]',
    );
    expect(web.map((f: { changes: { actual: string }[] }) => f.changes[0].actual)).toEqual([
      't2.xlarge',
      'm5.large',
    ]);
    expect(web.every((f: { events?: unknown }) => f.events === undefined)).toBe(true);
    const types = new Set(report.findings.map((f: { actor: { type: string } }) => f.actor.type));
    expect(types).toEqual(new Set(['IAMUser', 'AssumedRole', 'Root', 'FederatedUser']));
  });

  it('counts a log passed twice once', () => {
    const events = join(SAMPLE, 'events.json');
    const once = JSON.parse(
      tfdrift(['scan', '--state', join(SAMPLE, 'state'), '--events', events, '--format', 'json']).stdout,
    );
    const twice = JSON.parse(
      tfdrift(['scan', '--state', join(SAMPLE, 'state'), '--events', events, events, '--format', 'json'])
        .stdout,
    );
    expect(twice.summary.events).toBe(4);
    expect(twice.summary.duplicates).toBe(4);
    expect(once.summary.duplicates).toBe(0);
    expect(twice.findings).toEqual(once.findings);
  });

  it('prints a readable table and a markdown report', () => {
    const table = tfdrift([
      'scan',
      '--state',
      join(SAMPLE, 'state'),
      '--events',
      join(SAMPLE, 'events.json'),
    ]);
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/^SEVERITY\s+KIND\s+RESOURCE/m);
    // 120 columns off a terminal: cells are cut to fit; the markdown and JSON carry them whole.
    expect(table.stdout).toContain('instance_type: t2.micro');
    const md = tfdrift([
      'scan',
      '--state',
      join(SAMPLE, 'state'),
      '--events',
      join(SAMPLE, 'events.json'),
      '--format',
      'markdown',
    ]);
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('| Severity | Kind | Resource |');
    expect(md.stdout).toContain('instance\\_type: t2\\.micro → m5\\.large');
    expect(md.stdout).toContain('first\\.last, example\\.user');
    expect(md.stdout).toContain('ModifyInstanceAttribute \\(\\+1 earlier\\)');
  });

  it('exits 0 on a clean log (read-only, failed and Terraform calls)', () => {
    const { code, stdout } = tfdrift([
      'scan',
      '--state',
      join(SAMPLE, 'state'),
      '--events',
      join(SAMPLE, 'clean-events.json'),
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('no drift in 3 events');
  });

  it('exits 0 when every finding is below --fail-on', () => {
    const { code } = tfdrift([
      'scan',
      '--state',
      join(SAMPLE, 'state'),
      '--events',
      join(SAMPLE, 'events.json'),
      '--fail-on',
      'critical',
    ]);
    expect(code).toBe(0);
  });

  it('reads events from stdin', () => {
    const { code, stdout } = tfdrift(
      ['scan', '--state', join(SAMPLE, 'state'), '--events', '-', '--format', 'json'],
      JSON.stringify({ Records: [] }),
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.events).toBe(0);
  });

  it('prints one line and exits 1 on a corrupt state file', () => {
    const bad = join(tmp, 'corrupt.tfstate');
    writeFileSync(bad, '{"version": 4, "resources": [');
    const { code, stdout, stderr } = tfdrift([
      'scan',
      '--state',
      bad,
      '--events',
      join(SAMPLE, 'events.json'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('corrupt.tfstate');
  });

  it('exits 1 on an unreadable events file and names it', () => {
    const bad = join(tmp, 'garbled.json.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    const { code, stderr } = tfdrift(['scan', '--state', join(SAMPLE, 'state'), '--events', bad]);
    expect(code).toBe(1);
    expect(stderr).toContain('garbled.json.gz');
  });

  it('exits 1 with a clear message on a state format version it does not support', () => {
    const old = join(tmp, 'v3.tfstate');
    writeFileSync(old, JSON.stringify({ version: 3, serial: 1, modules: [] }));
    const { code, stderr } = tfdrift(['scan', '--state', old, '--events', join(SAMPLE, 'events.json')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/version 3/);
  });

  it('lists the rules as JSON', () => {
    const { code, stdout } = tfdrift(['rules', 'list', '--format', 'json']);
    expect(code).toBe(0);
    const rules = JSON.parse(stdout);
    expect(rules.length).toBeGreaterThan(50);
    for (const rule of rules) {
      expect(Object.keys(rule)).toEqual(
        expect.arrayContaining(['id', 'eventSource', 'eventNames', 'resourceTypes', 'attributes']),
      );
    }
  });
});

describe('tfdrift scan with a state that has a duplicate address', () => {
  it('warns on stderr and still scans', () => {
    const state = JSON.parse(readFileSync(join(SAMPLE, 'state/main.tfstate'), 'utf8'));
    state.resources.push(state.resources[0]);
    const dup = join(tmp, 'dup.tfstate');
    writeFileSync(dup, JSON.stringify(state));
    const { code, stderr } = tfdrift(['scan', '--state', dup, '--events', join(SAMPLE, 'events.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/warning: .*duplicate address/);
  });
});
