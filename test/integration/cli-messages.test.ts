// What `tfdrift scan` says as a user sees it (a real process): errors that name their file once,
// no result-like line before an error, a table that fits the terminal, a markdown report that fits
// a pull-request comment, and a pipe closed early is no crash.

import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'examples/scan');
const STATE = join(SAMPLE, 'state');
const EVENTS = join(SAMPLE, 'events.json');
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-cli-messages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ENV = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
// tsx by its resolved URL: the command runs from a temporary folder (relative paths in messages).
const COMMAND = [process.execPath, '--import', import.meta.resolve('tsx'), join(ROOT, 'bin/tfdrift.ts')];

function tfdrift(args: string[], input?: string) {
  const result = spawnSync(COMMAND[0], [...COMMAND.slice(1), ...args], {
    cwd: tmp,
    input,
    encoding: 'utf8',
    env: ENV,
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** stdout and stderr into one file, as a terminal shows them: the order of the two is kept. */
function tfdriftInterleaved(args: string[]): { code: number | null; output: string } {
  const file = join(tmp, `interleaved-${Date.now()}.txt`);
  const fd = openSync(file, 'w');
  const result = spawnSync(COMMAND[0], [...COMMAND.slice(1), ...args], {
    cwd: tmp,
    env: ENV,
    stdio: ['ignore', fd, fd],
    timeout: 60_000,
  });
  closeSync(fd);
  return { code: result.status, output: readFileSync(file, 'utf8') };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** The sample's ModifyInstanceAttribute record, repeated `count` times with distinct ids and values. */
function manyDriftEvents(count: number): string {
  const records = JSON.parse(readFileSync(EVENTS, 'utf8')).Records as Record<string, unknown>[];
  const modify = records.find((r) => r.eventName === 'ModifyInstanceAttribute') as Record<string, unknown>;
  const file = join(tmp, `many-${count}.json`);
  const copies = Array.from({ length: count }, (_, i) => ({
    ...modify,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventTime: `2020-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
  }));
  writeFileSync(file, JSON.stringify({ Records: copies }));
  return file;
}

describe('tfdrift scan: errors', () => {
  it('names a missing events file once, on one line', () => {
    const { code, stdout, stderr } = tfdrift(['scan', '--state', STATE, '--events', 'nope.json']);
    expect(code).toBe(1);
    expect(stderr).toBe('tfdrift: nope.json: cannot read: no such file or directory\n');
    expect(occurrences(stderr, 'nope.json')).toBe(1);
    expect(stdout).toBe('');
  });

  it('gives several bad files one line each, each naming its file once', () => {
    writeFileSync(join(tmp, 'garbled.json'), '{"Records": [');
    writeFileSync(join(tmp, 'empty.json'), '');
    const { code, stderr } = tfdrift([
      'scan',
      '--state',
      STATE,
      '--events',
      'missing.json',
      'garbled.json',
      'empty.json',
    ]);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const [line, name] of lines.map((l, i) => [l, ['missing.json', 'garbled.json', 'empty.json'][i]])) {
      expect(line.startsWith(`tfdrift: ${name}: `)).toBe(true);
      expect(occurrences(line, name)).toBe(1);
    }
  });

  it('prints no result when nothing could be read', () => {
    const { code, stdout } = tfdrift(['scan', '--state', STATE, '--events', 'nope.json']);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/no drift/);
    expect(stdout).toBe('');
  });

  it('puts the errors before a partial result, which says it is incomplete', () => {
    const { code, output } = tfdriftInterleaved(['scan', '--state', STATE, '--events', EVENTS, 'nope.json']);
    expect(code).toBe(1);
    const error = output.indexOf('tfdrift: nope.json: cannot read');
    const table = output.indexOf('SEVERITY');
    expect(error).toBeGreaterThanOrEqual(0);
    expect(table).toBeGreaterThan(error);
    expect(output).toMatch(/^incomplete: 1 input error; 3 drift findings/m);
    expect(output).not.toMatch(/^\d+ drift findings? /m);
  });

  it('says an events folder holds no CloudTrail files, and exits 1', () => {
    const empty = join(tmp, 'no-logs');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    writeFileSync(join(empty, 'sub', 'notes.txt'), 'not a log');
    const { code, stdout, stderr } = tfdrift(['scan', '--state', STATE, '--events', empty]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `tfdrift: ${empty}: no CloudTrail log files found in this folder or below (looked for .json, .jsonl, .ndjson and .gz files)\n`,
    );
    expect(stdout).toBe('');
  });

  it('refuses standard input for both --state and --events', () => {
    const { code, stdout, stderr } = tfdrift(['scan', '--state', '-', '--events', '-'], '{}');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^tfdrift: standard input \(-\) can be read only once/);
    expect(stdout).toBe('');
  });

  it('needs events from files or the event history, and a valid history window', () => {
    const none = tfdrift(['scan', '--state', STATE]);
    expect([none.code, none.stdout]).toEqual([1, '']);
    expect(none.stderr).toBe('tfdrift: give --events PATH... or --lookup WINDOW (or both)\n');
    const regionAlone = tfdrift(['scan', '--state', STATE, '--events', EVENTS, '--region', 'eu-west-1']);
    expect([regionAlone.code, regionAlone.stderr]).toEqual([1, 'tfdrift: --region goes with --lookup\n']);
    const tooLong = tfdrift(['scan', '--state', STATE, '--lookup', '120d', '--region', 'eu-west-1']);
    expect([tooLong.code, tooLong.stdout]).toEqual([1, '']);
    expect(tooLong.stderr).toMatch(
      /^tfdrift: --lookup: CloudTrail keeps 90 days of event history; ask for at most 90d\n$/,
    );
  });

  it('refuses a webhook that is not an http(s) URL before it starts anything', () => {
    const { code, stdout, stderr } = tfdrift([
      'serve',
      '--port',
      '0',
      '--data',
      join(tmp, 'never'),
      '--webhook',
      'file:///etc/passwd',
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('tfdrift: --webhook: must be an http(s) URL, got file:\n');
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('still reads standard input given once', () => {
    const state = readFileSync(join(STATE, 'main.tfstate'), 'utf8');
    const { code, stderr } = tfdrift(['scan', '--state', '-', '--events', EVENTS], state);
    expect(stderr).toBe('');
    expect(code).toBe(2);
  });

  it('ends quietly with its exit code when the reader closes the pipe early', async () => {
    const child = spawn(COMMAND[0], [...COMMAND.slice(1), 'scan', '--state', STATE, '--events', EVENTS], {
      cwd: tmp,
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // as `| head` does once it has read enough
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(2);
  });
});

describe('tfdrift scan --format markdown', () => {
  it('lists the most severe findings first, then the oldest', () => {
    const config = join(tmp, 'severity.yaml');
    writeFileSync(config, 'severity:\n  ec2.instance.modify-attribute: critical\n');
    const { code, stdout } = tfdrift([
      'scan',
      '--state',
      STATE,
      '--events',
      EVENTS,
      '--config',
      config,
      '--format',
      'markdown',
    ]);
    expect(code).toBe(2);
    const rows = stdout.split('\n').filter((l) => l.startsWith('| **'));
    const order = rows.map((row) => {
      const cells = row.split(' | ');
      return `${cells[0].replace(/[|* ]/g, '')} ${cells[6].replace(/[\\| ]/g, '')}`;
    });
    expect(order).toEqual([
      'critical 2019-10-02T22:08:46Z',
      'high 2016-05-20T08:27:45Z',
      'medium 2019-01-01T00:00:00Z',
    ]);
  });

  it('fits a pull-request comment and counts the findings left out', () => {
    const many = manyDriftEvents(1500);
    // One finding per event: the net report would fold them into one per resource and attribute.
    const { code, stdout } = tfdrift([
      'scan',
      '--state',
      STATE,
      '--events',
      many,
      '--per-event',
      '--format',
      'markdown',
    ]);
    expect(code).toBe(2);
    expect(stdout.length).toBeLessThanOrEqual(65_536);
    expect(stdout.length).toBeGreaterThan(60_000); // filled, not cut short
    const shown = stdout.split('\n').filter((l) => l.startsWith('| **')).length;
    const more = /_…and (\d+) more findings: see the JSON artifact/.exec(stdout);
    expect(more).not.toBeNull();
    expect(shown + Number(more?.[1])).toBe(1500);
  });

  it('keeps within the limit when the input errors are many, counting those left out', () => {
    const bad = join(tmp, 'bad-lines.jsonl');
    writeFileSync(bad, `${Array.from({ length: 3000 }, (_, i) => `{"notCloudTrail": ${i}}`).join('\n')}\n`);
    const { code, stdout, stderr } = tfdrift([
      'scan',
      '--state',
      STATE,
      '--events',
      EVENTS,
      bad,
      '--format',
      'markdown',
    ]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(3000);
    expect(stdout.length).toBeLessThanOrEqual(65_536);
    expect(stdout.split('\n').filter((l) => l.startsWith('| **'))).toHaveLength(3); // findings first
    const listed = stdout
      .split('\n')
      .filter((l) => /^- .*bad\\-lines\\\.jsonl:\d+: not a CloudTrail record/.test(l)).length;
    const more = /_…and (\d+) more input errors: see the JSON artifact/.exec(stdout);
    expect(listed).toBeGreaterThan(100);
    expect(listed + Number(more?.[1])).toBe(3000);
  });

  it('leaves a report that fits whole', () => {
    const { stdout } = tfdrift(['scan', '--state', STATE, '--events', EVENTS, '--format', 'markdown']);
    expect(stdout.split('\n').filter((l) => l.startsWith('| **'))).toHaveLength(3);
    expect(stdout).not.toContain('more findings');
  });
});

describe('tfdrift scan --format table', () => {
  it('keeps to 120 columns when the output is not a terminal', () => {
    const { code, stdout } = tfdrift(['scan', '--state', STATE, '--events', EVENTS]);
    expect(code).toBe(2);
    const lines = stdout.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    // Squeezed, not emptied: the short addresses are whole, the long ones cut with an ellipsis.
    expect(stdout).toContain('aws_instance.worker');
    expect(stdout).toMatch(/module\.app\.aws_instance\.\S*…/);
  });

  it("fits the terminal's width", () => {
    // A real terminal of 80 columns (a pseudo-terminal from util-linux `script`).
    const command = [...COMMAND, 'scan', '--state', STATE, '--events', EVENTS].map((a) => `'${a}'`).join(' ');
    const result = spawnSync('script', ['-q', '-e', '-c', `stty cols 80 rows 40; ${command}`, '/dev/null'], {
      cwd: tmp,
      env: ENV,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    // What the terminal shows: the text after the last carriage return of each line, no escapes.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what is removed
    const escapes = /\x1b\[[0-9;]*[A-Za-z]/g;
    const shown = result.stdout
      .split('\n')
      .map((line) => (line.replace(/\r$/, '').split('\r').pop() ?? '').replace(escapes, ''));
    const table = shown.filter((line) => /^(SEVERITY|high|medium) /.test(line));
    expect(table).toHaveLength(4);
    expect(Math.max(...shown.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(Math.max(...table.map((l) => l.length))).toBeGreaterThan(70); // uses the width it has
  });
});
