// The package as a user gets it: `npm pack` (which builds dist/ in prepack), installed from the
// tarball into a temporary global prefix, then run from a folder outside this repository, so it
// can use nothing but what the tarball and its declared dependencies bring.

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'examples/scan');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-package-'));
const prefix = join(tmp, 'prefix');
const elsewhere = join(tmp, 'elsewhere');
const command = join(prefix, 'bin', 'tfdrift');
const installed = join(prefix, 'lib', 'node_modules', 'tfdrift');
let tarballFiles: string[] = [];
const children: ChildProcess[] = [];

const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' };

beforeAll(() => {
  mkdirSync(elsewhere);
  execFileSync('npm', ['pack', '--pack-destination', tmp], { cwd: ROOT, env, stdio: 'pipe' });
  const tarball = join(tmp, `tfdrift-${VERSION}.tgz`);
  tarballFiles = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  execFileSync(
    'npm',
    ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
    { cwd: elsewhere, env, stdio: 'pipe' },
  );
}, 240_000);

afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

function tfdrift(args: string[]) {
  const result = spawnSync(command, args, { cwd: elsewhere, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a long-running command and resolves with the URL it prints. */
function startListening(args: string[], pattern: RegExp): Promise<string> {
  const child = spawn(command, args, { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
}

async function expectDashboard(url: string): Promise<void> {
  const page = await fetch(url);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain('<title>tfdrift');
  // The page's script is the built bundle shipped in the package, not the "not built" notice.
  const script = /src="\.\/(assets\/app-[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const bundle = await fetch(`${url}/${script}`);
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('content-type')).toMatch(/javascript/);
}

describe('the packed tarball', () => {
  it('carries the compiled command and the dashboard, and no tests, fixtures or TypeScript', () => {
    expect(tarballFiles).toContain('package/bin/tfdrift.js');
    expect(tarballFiles).toContain('package/dist/tfdrift.js');
    expect(tarballFiles).toContain('package/dist/web/dist/index.html');
    expect(tarballFiles).toContain('package/dist/rules/rules.json');
    expect(tarballFiles.filter((f) => /\/test\/|fixtures|\.test\.|\.ts$/.test(f))).toEqual([]);
  });

  it('installs without a TypeScript loader among its dependencies', () => {
    expect(existsSync(join(installed, 'dist', 'tfdrift.js'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules', 'typescript'))).toBe(false);
  });
});

describe('the installed tfdrift command', () => {
  it('prints its version with --version and -V', () => {
    const long = tfdrift(['--version']);
    const short = tfdrift(['-V']);
    expect(long.code).toBe(0);
    expect(long.stdout.trim()).toBe(VERSION);
    expect(short.stdout.trim()).toBe(VERSION);
  });

  it('scans the sample: exit 2 and its findings as JSON', () => {
    const { code, stdout, stderr } = tfdrift([
      'scan',
      '--state',
      join(SAMPLE, 'state'),
      '--events',
      join(SAMPLE, 'events.json'),
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.summary.events).toBe(4);
    expect(report.findings.map((f: { resource: { address: string } }) => f.resource.address)).toContain(
      'aws_instance.worker',
    );
  });

  it('lists the built-in rules', () => {
    const { code, stdout } = tfdrift(['rules', 'list', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).length).toBeGreaterThan(50);
  });

  it('serves the built dashboard and a healthy /health', async () => {
    const url = await startListening(
      ['serve', '--port', '0', '--data', join(tmp, 'serve-data'), '--state', join(SAMPLE, 'state')],
      /serving on (http:\/\/\S+)/,
    );
    await expectDashboard(url);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', resources: 3 });
  }, 60_000);

  it('runs the demo on the sample shipped in the package', async () => {
    const url = await startListening(['demo', '--port', '0'], /demo running at (http:\/\/\S+)/);
    await expectDashboard(url);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', demo: true });
  }, 60_000);
});
