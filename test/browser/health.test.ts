// The header says when the server is degraded (real server, real Chromium): a state file that stops
// loading makes /health answer 503, and the header shows "Degraded" with the reason while the live
// feed stays connected; when the file loads again the notice goes.

import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, FIXTURES, startDashboard } from './harness.js';

let dashboard: Dashboard;
let page: Page;
let stateDir: string;
let statePath: string;

const healthAnswer = (p: Page) =>
  p.waitForResponse((response) => new URL(response.url()).pathname === '/health', { timeout: 20_000 });

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'tfdrift-health-'));
  statePath = join(stateDir, 'main.tfstate');
  await copyFile(join(FIXTURES, 'tfdrift-falco-detector.tfstate'), statePath);
  dashboard = await startDashboard({ statePaths: [statePath] });
  page = await dashboard.newPage();
}, 60_000);

afterAll(async () => {
  await dashboard?.close();
  await rm(stateDir, { recursive: true, force: true });
});

describe('header health (real server, real Chromium)', () => {
  it('shows no notice while the server is healthy', async () => {
    const answered = healthAnswer(page);
    await page.goto(`${dashboard.url}/`);
    expect((await answered).status()).toBe(200);
    await expect.poll(() => page.locator('[data-testid=live-status]').textContent()).toBe('Live');
    // The answer has been rendered once the next frame is drawn.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    expect(await page.locator('[data-testid=server-health]').count()).toBe(0);
  });

  it('shows "Degraded" and the reason when a state file stops loading', async () => {
    const answered = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/health' && response.status() === 503,
      { timeout: 30_000 },
    );
    await writeFile(statePath, '{"version": 4, "resources": [');
    await answered;
    const notice = page.locator('[data-testid=server-health]');
    await notice.waitFor({ timeout: 10_000 });
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
      browser: dashboard.browser,
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

  it('logged no CSP violation and no page error', () => {
    // Chromium logs every non-2xx answer; the 503 of /health is the point of this test.
    const expected =
      'Failed to load resource: the server responded with a status of 503 (Service Unavailable)';
    expect(dashboard.problems.filter((problem) => problem !== expected)).toEqual([]);
  });
});
