// Defect 14 of issue 11: a stale web/dist must never ship. ensureWebDist (what bin/app.ts deploys)
// keeps a build only while its fingerprint matches the sources; these tests build a small dashboard
// tree for real with esbuild, change it, and look at what would be deployed.

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardBuildNeeded } from '../../lambdas/local/demo.js';
import { ensureWebDist, WEB_SOURCES } from '../../lib/web-dist.js';
import { buildWeb } from '../../web/build.js';
import { FINGERPRINT_FILE, isBuildCurrent } from '../../web/build-fingerprint.js';

let root: string;
let web: string;
let dist: string;

function writeSources(version: string): void {
  mkdirSync(join(web, 'src'), { recursive: true });
  writeFileSync(join(web, 'src', 'main.tsx'), `document.title = 'dashboard ${version}';\n`);
  writeFileSync(join(web, 'src', 'styles.css'), 'body { margin: 0; }\n');
  writeFileSync(
    join(web, 'index.html'),
    '<!doctype html><link rel="stylesheet" href="%STYLE%"><script type="module" src="%SCRIPT%"></script>\n',
  );
  writeFileSync(join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
}

/** The text of the deployed JS bundle. */
function deployedScript(dir: string): string {
  const script = readdirSync(join(dir, 'assets')).find((name) => name.endsWith('.js'));
  if (!script) throw new Error(`no JS bundle in ${dir}`);
  return readFileSync(join(dir, 'assets', script), 'utf8');
}

/** A file buildWeb would delete: still there after ensureWebDist means nothing was rebuilt. */
function plantSentinel(): string {
  const path = join(dist, 'assets', 'sentinel.txt');
  writeFileSync(path, 'left by the test');
  return path;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tfdrift-webdist-'));
  web = join(root, 'web');
  dist = join(web, 'dist');
  writeSources('v1');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('ensureWebDist', () => {
  it('builds a dashboard that was never built, with its fingerprint', async () => {
    const deployed = await ensureWebDist({ sourceDir: web });

    expect(deployed).toBe(dist);
    expect(deployedScript(dist)).toContain('dashboard v1');
    expect(isBuildCurrent(web, dist)).toBe(true);
  });

  it('keeps a build whose sources have not changed', async () => {
    await ensureWebDist({ sourceDir: web });
    const sentinel = plantSentinel();

    const deployed = await ensureWebDist({ sourceDir: web });

    expect(deployed).toBe(dist);
    expect(existsSync(sentinel)).toBe(true);
  });

  it('rebuilds when a source changed since the build', async () => {
    await ensureWebDist({ sourceDir: web });
    writeSources('v2');

    expect(isBuildCurrent(web, dist)).toBe(false);
    const deployed = await ensureWebDist({ sourceDir: web });

    expect(deployedScript(deployed)).toContain('dashboard v2');
    expect(deployedScript(deployed)).not.toContain('dashboard v1');
    expect(isBuildCurrent(web, dist)).toBe(true);
  });

  it('rebuilds when a file was added under web/', async () => {
    await ensureWebDist({ sourceDir: web });
    const sentinel = plantSentinel();
    writeFileSync(join(web, 'src', 'extra.ts'), 'export const extra = 1;\n');

    await ensureWebDist({ sourceDir: web });

    expect(existsSync(sentinel)).toBe(false);
  });

  it('rebuilds a build that has no fingerprint (made before fingerprints)', async () => {
    await ensureWebDist({ sourceDir: web });
    rmSync(join(dist, FINGERPRINT_FILE));
    writeSources('v2');

    await ensureWebDist({ sourceDir: web });

    expect(deployedScript(dist)).toContain('dashboard v2');
  });

  it('refuses to ship a stale build it cannot rebuild, and leaves it in place', async () => {
    await ensureWebDist({ sourceDir: web });
    rmSync(join(web, 'src', 'main.tsx'));

    await expect(ensureWebDist({ sourceDir: web })).rejects.toThrow(/older than the dashboard's sources/);
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
    expect(deployedScript(dist)).toContain('dashboard v1');
  });
});

describe('the real dashboard build', () => {
  it('fingerprints what the bundle read outside web/ (the core modules it imports, node_modules)', async () => {
    await buildWeb({ outDir: dist, minify: false });

    const { inputs } = JSON.parse(readFileSync(join(dist, FINGERPRINT_FILE), 'utf8')) as { inputs: string[] };
    expect(inputs).toContain('web/src/auth.ts');
    expect(inputs).toContain('web/index.html');
    expect(inputs).toContain('lambdas/core/drift-query.ts');
    expect(inputs.some((input) => input.startsWith('node_modules/oauth4webapi/'))).toBe(true);
    expect(inputs.some((input) => input.startsWith('web/dist/'))).toBe(false);
    expect(isBuildCurrent(WEB_SOURCES, dist)).toBe(true);
  });
});

describe('the demo and a built dashboard', () => {
  it('builds a missing dashboard, rebuilds a stale one in a checkout, and serves a packaged one as it is', async () => {
    expect(dashboardBuildNeeded(web, dist)).toBe('missing');
    await ensureWebDist({ sourceDir: web });
    expect(dashboardBuildNeeded(web, dist)).toBe(false);

    writeSources('v2');
    expect(dashboardBuildNeeded(web, dist)).toBe('stale');

    // An installed package has the build but not the sources.
    rmSync(join(web, 'src'), { recursive: true });
    expect(dashboardBuildNeeded(web, dist)).toBe(false);
  });
});
