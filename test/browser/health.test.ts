// The header says when the server is degraded (real server, real Chromium): a state file that stops
// loading makes /health answer 503, and the header shows "Degraded" with the reason while the live
// feed stays connected; when the file loads again the notice goes.

import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDashboard, CHROMIUM_ARGS, type Dashboard, FIXTURES, startDashboard } from './harness.js';

// Every test starts its own server on its own copy of the state file (one Chromium and one dashboard
// build shared by the file), so each passes alone and in any order.
let browser: Browser;
let web: { webRoot: string; remove(): Promise<void> };
let dashboard: Dashboard;
let page: Page;
let stateDir: string;
let statePath: string;

const healthAnswer = (p: Page) =>
  p.waitForResponse((response) => new URL(response.url()).pathname === '/health', { timeout: 20_000 });

/** Chromium logs every non-2xx answer; the 503 of /health is the point of these tests. */
const EXPECTED_503 =
  'Failed to load resource: the server responded with a status of 503 (Service Unavailable)';

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  web = await buildDashboard();
}, 60_000);

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'tfdrift-health-'));
  statePath = join(stateDir, 'main.tfstate');
  await copyFile(join(FIXTURES, 'tfdrift-falco-detector.tfstate'), statePath);
  dashboard = await startDashboard({ statePaths: [statePath], browser, webRoot: web.webRoot });
  page = await dashboard.newPage();
}, 60_000);

afterEach(async () => {
  // No CSP violation and no page error in any test.
  const problems = dashboard.problems.filter((problem) => problem !== EXPECTED_503);
  await page.context().close();
  await dashboard.close();
  await rm(stateDir, { recursive: true, force: true });
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await web?.remove();
});

/** Opens the dashboard and waits until it is live and healthy. */
async function openHealthy(): Promise<void> {
  const answered = healthAnswer(page);
  await page.goto(`${dashboard.url}/`);
  expect((await answered).status()).toBe(200);
  await expect.poll(() => page.locator('[data-testid=live-status]').textContent()).toBe('Live');
}

/** Breaks the state file and waits for the header's notice. */
async function breakState(): Promise<void> {
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/health' && response.status() === 503,
    { timeout: 30_000 },
  );
  await writeFile(statePath, '{"version": 4, "resources": [');
  await answered;
  await page.locator('[data-testid=server-health]').waitFor({ timeout: 10_000 });
}

describe('header health (real server, real Chromium)', () => {
  it('shows no notice while the server is healthy', async () => {
    await openHealthy();
    // The page has the whole answer once its resource timing entry is written (before the page's
    // own code reads it); what the page makes of it is on screen two frames later.
    await page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((entry) => new URL(entry.name).pathname === '/health'),
    );
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    expect(await page.locator('[data-testid=server-health]').count()).toBe(0);
  });

  it('shows "Degraded" and the reason when a state file stops loading', async () => {
    await openHealthy();
    expect(await page.locator('[data-testid=server-health]').count()).toBe(0);
    await breakState();
    const notice = page.locator('[data-testid=server-health]');
    expect(await notice.locator('strong').textContent()).toBe('Degraded');
    // The file by its name (the header has no room for its folders), and what is wrong with it.
    expect(await page.locator('[data-testid=server-health-reason]').textContent()).toMatch(
      /^state main\.tfstate: (?!main\.tfstate)\S/,
    );
    expect(await notice.getAttribute('title')).toContain(`state ${statePath}`);
    expect(await page.locator('[data-testid=live-status]').textContent()).toBe('Live');
    const box = await notice.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(0);
  }, 40_000);

  it('drops the notice once the state loads again', async () => {
    await openHealthy();
    await breakState();
    await copyFile(join(FIXTURES, 'tfdrift-falco-detector.tfstate'), statePath);
    await page.locator('[data-testid=server-health]').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.locator('[data-testid=live-status]').textContent()).toBe('Live');
  }, 40_000);

  it('gives the reason behind a token too, sending the token to /health', async () => {
    const guardedDir = await mkdtemp(join(tmpdir(), 'tfdrift-health-token-'));
    const guardedState = join(guardedDir, 'guarded.tfstate');
    await writeFile(guardedState, '{"version": 4, "resources": [');
    const guarded = await startDashboard({
      statePaths: [guardedState],
      token: 'local-secret-token',
      browser,
      webRoot: web.webRoot,
    });
    try {
      // Without the token the server says only that it is degraded.
      const anonymous = await fetch(`${guarded.url}/health`);
      expect(anonymous.status).toBe(503);
      expect(await anonymous.json()).toEqual({ status: 'degraded' });
      const tab = await guarded.newPage();
      await tab.goto(`${guarded.url}/#token=local-secret-token`);
      await tab.locator('[data-testid=server-health]').waitFor({ timeout: 20_000 });
      await expect
        .poll(() => tab.locator('[data-testid=server-health-reason]').textContent())
        .toMatch(/^state guarded\.tfstate: \S/);
      await tab.close();
    } finally {
      await guarded.close();
      await rm(guardedDir, { recursive: true, force: true });
    }
  }, 60_000);
});
