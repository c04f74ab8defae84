// The dashboard in real headless Chromium against the real local server (dynalite store, real
// detector, real WebSocket), with real tfstate and CloudTrail records from test/fixtures/browser.

import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import {
  buildDashboard,
  CHROMIUM_ARGS,
  type CloudTrailRecord,
  type Dashboard,
  FIXTURES,
  readFixture,
  startDashboard,
} from './harness.js';

const XSS_IMG = '<img src=x onerror=window.__xss=1>';
const XSS_SCRIPT = '<script>window.__xss=1</script>';

// Every test starts its own server with the same four drifts and opens its own page (one Chromium
// and one dashboard build shared by the file), so each passes alone and in any order.
let browser: Browser;
let web: { webRoot: string; remove(): Promise<void> };
let versioning: CloudTrailRecord;
let dashboard: Dashboard;
let page: Page;
const started: Dashboard[] = [];

/** A fresh copy of a record under a new event id (the store is idempotent per event + resource). */
function variant(record: CloudTrailRecord, eventID: string, patch: CloudTrailRecord = {}): CloudTrailRecord {
  return { ...structuredClone(record), eventID, eventTime: new Date().toISOString(), ...patch };
}

const rows = () => page.locator('tbody tr.drift-row');
/** Cells by column class (the split view leaves some columns out when the table is narrow). */
const COLUMN = { kind: 'col-kind', address: 'col-address', status: 'col-status' } as const;
const rowTexts = (column: keyof typeof COLUMN) =>
  page.$$eval(`tbody tr.drift-row td.${COLUMN[column]}`, (cells) =>
    cells.map((cell) => cell.textContent ?? ''),
  );

async function waitForRowCount(count: number) {
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr.drift-row').length === n, count);
}

/**
 * A page of its own whose latest open drifts (a request of their own, apart from the graph's) wait
 * until released; returned once the graph shows the drifted bucket and that request is waiting.
 */
async function openHoldingLatest() {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let heldRequests = 0;
  const own = await dashboard.newPage();
  await own.route(
    (url) =>
      url.pathname.endsWith('/api/v1/drifts') &&
      url.searchParams.get('limit') === '500' &&
      url.searchParams.get('status') === 'open' &&
      !url.searchParams.has('resource'),
    async (route) => {
      heldRequests += 1;
      await held;
      await route.continue();
    },
  );
  await own.goto(`${dashboard.url}/`);
  const bucket = own.locator('.react-flow__node[data-id="aws_s3_bucket.data"]');
  await expect.poll(() => bucket.getAttribute('class')).toMatch(/sev-high/);
  await expect.poll(() => heldRequests).toBeGreaterThan(0);
  expect(await bucket.locator('[data-testid=node-last]').count()).toBe(0);
  return { page: own, bucket, release };
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  web = await buildDashboard();
  versioning = await readFixture('s3-suspend-versioning.json');
}, 60_000);

beforeEach(async () => {
  dashboard = await startDashboard({
    statePaths: [
      join(FIXTURES, 'tfdrift-falco-detector.tfstate'),
      join(FIXTURES, 'inframap-repeated-modules.tfstate.json'),
    ],
    browser,
    webRoot: web.webRoot,
  });
  started.push(dashboard);
  // Posted one by one: two are CloudTrail records, two arrive in EventBridge envelopes.
  const events = [
    versioning,
    await readFixture('s3-delete-bucket.json'),
    await readFixture('assumedrole-console-run-instances.json'),
    await readFixture('cloud-custodian-event-cloud-trail-create-bucket.json'),
  ];
  for (const event of events) expect((await dashboard.postEvents(event)).findings.length).toBe(1);
  page = await dashboard.newPage();
  await page.goto(`${dashboard.url}/`);
  await waitForRowCount(4);
}, 60_000);

afterEach(async () => {
  // No CSP violation and no page error in any test.
  const problems = [...dashboard.problems];
  await page.context().close();
  await dashboard.close();
  expect(problems).toEqual([]);
});

afterAll(async () => {
  for (const d of started) await d.close().catch(() => undefined);
  await browser?.close();
  await web?.remove();
});

describe('dashboard (real server, real Chromium)', () => {
  it('fills the drift table from the API', async () => {
    const api = await dashboard.api<{ items: Drift[] }>('/drifts');
    expect(await rows().count()).toBe(api.items.length);
    const addresses = await rowTexts('address');
    expect(addresses).toContain('aws_s3_bucket_versioning.data');
    expect(addresses).toContain('aws_s3_bucket.data');
    expect(await rowTexts('status')).toEqual(['open', 'open', 'open', 'open']);
    await expect.poll(() => page.locator('[data-testid=live-status]').textContent()).toBe('Live');
    // The header's counts come from a request of their own (GET /summary), not with the rows.
    await expect.poll(() => page.locator('[data-testid=open-total]').textContent()).toBe('4');
  });

  it('renders the resource graph with groups, edges and drifted nodes highlighted', async () => {
    const graph = await dashboard.api<{ nodes: { id: string }[]; edges: unknown[] }>('/graph');
    const resources = page.locator('.react-flow__node.rf-resource');
    await expect.poll(() => resources.count()).toBe(graph.nodes.length);
    expect(graph.edges.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(graph.edges.length);
    // Modules and state files are groups; the two unmanaged resources sit in a group of their own.
    expect(await page.locator('.react-flow__node.rf-group').count()).toBeGreaterThan(3);
    expect(await page.locator('.rf-group.unmanaged').count()).toBe(1);
    expect(await page.locator('.rf-resource.unmanaged').count()).toBe(2);
    const bucket = page.locator('.react-flow__node[data-id="aws_s3_bucket.data"]');
    expect(await bucket.getAttribute('class')).toMatch(/sev-high/);

    // Clicking a drifted node filters the table to that resource's drifts (a visible chip) and
    // opens its drift in the detail panel.
    const detail = page.locator('[data-testid=detail]');
    // A click opens the node's latest drift: the page knows it once it shows it on the node (a
    // request of its own, apart from the graph's).
    await bucket.locator('[data-testid=node-last]').waitFor();
    await bucket.click();
    await waitForRowCount(1);
    expect(await rowTexts('address')).toEqual(['aws_s3_bucket.data']);
    expect(await page.locator('[data-testid=resource-filter]').textContent()).toContain('aws_s3_bucket.data');
    await expect.poll(() => detail.locator('h2').textContent()).toBe('aws_s3_bucket.data');
    const bucketDrift = await rows().first().getAttribute('data-drift-id');
    expect(await page.evaluate(() => location.hash)).toContain(`drift=${bucketDrift}`);
    await page.keyboard.press('Escape');
    await page.getByLabel('Clear resource filter').click();
    await waitForRowCount(4);
    // ... and so does Enter on a focused node.
    await page.locator('.react-flow__node[data-id="aws_s3_bucket_versioning.data"]').focus();
    await page.keyboard.press('Enter');
    await waitForRowCount(1);
    expect(await rowTexts('address')).toEqual(['aws_s3_bucket_versioning.data']);
    await expect.poll(() => detail.locator('h2').textContent()).toBe('aws_s3_bucket_versioning.data');
    await page.keyboard.press('Escape');
    await page.getByLabel('Clear resource filter').click();
    await waitForRowCount(4);

    // The search box finds a node and selects it, without filtering the table behind the user's back.
    await page.getByLabel('Find resource in graph').fill('versioning.data');
    await page.getByLabel('Find resource in graph').press('Enter');
    await expect
      .poll(() => page.locator('.react-flow__node.is-selected').getAttribute('data-id'))
      .toBe('aws_s3_bucket_versioning.data');
    expect(await rows().count()).toBe(4);
    expect(await page.locator('[data-testid=resource-filter]').count()).toBe(0);
    expect(await page.locator('tr.drift-row.is-related').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect.poll(() => page.locator('.react-flow__node.is-selected').count()).toBe(0);
    expect(await rows().count()).toBe(4);
  });

  it("opens a drifted node's latest drift when that arrives after the click, unless the user moved on", async () => {
    // Clicked before the page knows the node's latest drift: the table filters at once, and the
    // drift opens once it has come.
    const early = await openHoldingLatest();
    await early.bucket.click();
    await early.page.waitForFunction(() => document.querySelectorAll('tbody tr.drift-row').length === 1);
    const detail = early.page.locator('[data-testid=detail]');
    expect(await detail.count()).toBe(0);
    early.release();
    await expect.poll(() => detail.locator('h2').textContent()).toBe('aws_s3_bucket.data');
    const bucketDrift = await early.page.locator('tbody tr.drift-row').first().getAttribute('data-drift-id');
    expect(await early.page.evaluate(() => location.hash)).toContain(`drift=${bucketDrift}`);
    await early.page.context().close();

    // The user went back (the browser's Back, past the click) before the drifts come: nothing opens
    // when they do.
    const moved = await openHoldingLatest();
    await moved.bucket.click();
    await expect.poll(() => moved.page.evaluate(() => location.hash)).toContain('node=');
    await moved.page.goBack();
    await expect.poll(() => moved.page.evaluate(() => location.hash)).not.toContain('node=');
    moved.release();
    await moved.bucket.locator('[data-testid=node-last]').waitFor();
    expect(await moved.page.locator('[data-testid=detail]').count()).toBe(0);
    expect(await moved.page.evaluate(() => location.hash)).not.toContain('drift=');
    await moved.page.context().close();
  });

  it('filters and sorts rows on the server, and keeps both in the URL', async () => {
    await page.getByRole('button', { name: 'unmanaged', exact: true }).click();
    await waitForRowCount(2);
    expect(await rowTexts('kind')).toEqual(['unmanaged', 'unmanaged']);
    expect(await page.evaluate(() => location.hash)).toContain('kind=unmanaged');
    await page.goBack();
    await waitForRowCount(4);

    await page.getByLabel('Free text search').fill('versioning');
    await waitForRowCount(1);
    expect(await rowTexts('address')).toEqual(['aws_s3_bucket_versioning.data']);
    await page.getByLabel('Free text search').fill('');
    await waitForRowCount(4);

    await page.locator('th button[data-sort=address]').click();
    const expected = await dashboard.api<{ items: Drift[] }>('/drifts?sort=address&order=desc');
    const labels = expected.items.map((d) => d.resource.address ?? d.resource.id);
    await expect.poll(() => rowTexts('address')).toEqual(labels);
    await page.locator('th button[data-sort=address]').click();
    await expect.poll(() => rowTexts('address')).toEqual([...labels].reverse());
    expect(await page.evaluate(() => location.hash)).toContain('sort=address');
    await page.locator('th button[data-sort=time]').click();
  });

  it('opens a drift with expected vs actual, then acknowledges it', async () => {
    await page.locator('tbody tr.drift-row', { hasText: 'aws_s3_bucket_versioning.data' }).click();
    const detail = page.locator('[data-testid=detail]');
    const change = detail.locator('[data-testid=change]');
    await expect.poll(() => change.count()).toBe(1);
    expect(await change.locator('.change-attr').textContent()).toBe('versioning_configuration[0].status');
    expect(await change.locator('.expected pre').textContent()).toBe('Enabled');
    expect(await change.locator('.actual pre').textContent()).toBe('Suspended');
    expect(await detail.locator('a', { hasText: 'CloudTrail event history' }).getAttribute('href')).toBe(
      `https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/${versioning.eventID}`,
    );
    // Selection is shared: the graph marks the drift's resource.
    expect(await page.locator('.react-flow__node.is-selected').getAttribute('data-id')).toBe(
      'aws_s3_bucket_versioning.data',
    );

    await detail.getByLabel('Comment').fill('expected: migration window');
    await detail.getByRole('button', { name: 'Acknowledge' }).click();
    // Locally there is no sign-in: the first action asks who is acting.
    await page.getByLabel('Your name or email').fill('dana@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    // The default (open-only) table drops the row at once; the panel shows the new status.
    const row = page.locator('tbody tr.drift-row', { hasText: 'aws_s3_bucket_versioning.data' });
    await expect.poll(() => row.count()).toBe(0);
    await expect
      .poll(() => detail.locator('[data-testid=status-note]').textContent())
      .toMatch(/^acknowledged by dana@example.com/);
    const stored = await dashboard.api<{ items: Drift[] }>('/drifts?status=acknowledged');
    expect(stored.items.map((d) => d.statusComment)).toEqual(['expected: migration window']);
    expect(stored.items.map((d) => d.statusChangedBy)).toEqual(['dana@example.com']);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=detail]').count()).toBe(0);
  });

  it('shows a drift posted to the server as a new row within 1 s', async () => {
    await expect.poll(() => page.locator('[data-testid=live-status]').textContent()).toBe('Live');
    // The header's counts come from a request of their own (GET /summary), not with the rows.
    await expect.poll(() => page.locator('[data-testid=open-total]').textContent()).toBe('4');
    const highBefore = Number.parseInt(
      (await page.locator('[data-testid=summary-high]').textContent()) ?? '',
      10,
    );
    expect(highBefore).toBeGreaterThan(0);
    // The moment the new row is in the page, taken in the page: Playwright's polling for it adds
    // its own lag on a loaded machine. The page and this process read the same clock.
    expect(await page.locator('tr.drift-row.is-new').count()).toBe(0);
    await page.evaluate(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('tr.drift-row.is-new')) return;
        (window as unknown as { newRowAt: number }).newRowAt = Date.now();
        observer.disconnect();
      }).observe(document.body, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['class'],
      });
    });
    const started = Date.now();
    const { findings } = await dashboard.postEvents(
      variant(versioning, '0b9d7c52-6a8e-4f0c-9a55-000000000001'),
    );
    expect(findings.length).toBe(1);
    await page.locator(`tr.drift-row.is-new[data-drift-id="${findings[0].id}"]`).waitFor({ timeout: 5_000 });
    const elapsed =
      (await page.evaluate(() => (window as unknown as { newRowAt: number }).newRowAt)) - started;
    console.log(`live drift: POST to new row in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
    expect(await rows().first().getAttribute('data-drift-id')).toBe(findings[0].id);
    // The header summary follows: one more open drift, and it is a high one.
    await expect.poll(() => page.locator('[data-testid=open-total]').textContent()).toBe('5');
    expect(await page.locator('[data-testid=summary-high]').textContent()).toContain(
      `${highBefore + 1} high`,
    );
  });

  it('renders hostile CloudTrail strings as text and runs none of them', async () => {
    const identity = structuredClone(versioning.userIdentity) as Record<string, unknown>;
    identity.arn = `arn:aws:sts::111111111111:assumed-role/sample-role-dreamy-yonath/${XSS_IMG}`;
    identity.principalId = `AAAAAAAAAAAAAAAAAAAAA:${XSS_IMG}`;
    const hostile = variant(versioning, '0b9d7c52-6a8e-4f0c-9a55-000000000002', {
      userIdentity: identity,
      userAgent: XSS_SCRIPT,
      requestParameters: {
        ...(versioning.requestParameters as Record<string, unknown>),
        note: `${XSS_IMG}${XSS_SCRIPT}`,
      },
    });
    const { findings } = await dashboard.postEvents(hostile);
    expect(findings.length).toBe(1);
    const row = page.locator(`tr.drift-row[data-drift-id="${findings[0].id}"]`);
    await row.waitFor();
    await row.focus();
    await page.keyboard.press('Enter');
    const detail = page.locator('[data-testid=detail]');
    await detail.locator('dd', { hasText: XSS_SCRIPT }).waitFor();
    expect(await detail.locator('dd', { hasText: XSS_IMG }).count()).toBeGreaterThan(0);
    await detail.locator('summary', { hasText: 'Raw CloudTrail event' }).click();
    const raw = await detail.locator('[data-testid=raw-event]').textContent();
    expect(raw).toContain(`${XSS_IMG}${XSS_SCRIPT}`);
    expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  });

  it('takes a token from #token=, sends it on the API and the WebSocket, and drops it from the URL', async () => {
    const guarded = await startDashboard({
      statePaths: [join(FIXTURES, 'tfdrift-falco-detector.tfstate')],
      token: 'local-secret-token',
      browser,
      webRoot: web.webRoot,
    });
    try {
      await guarded.postEvents(versioning);
      const tab = await guarded.newPage();
      await tab.goto(`${guarded.url}/#token=local-secret-token&view=table`);
      await tab.locator('tbody tr.drift-row').first().waitFor();
      await expect.poll(() => tab.locator('[data-testid=live-status]').textContent()).toBe('Live');
      expect(await tab.evaluate(() => location.hash)).toBe('#view=table');
      expect(await tab.locator('.graph-pane').count()).toBe(0);
      expect(guarded.problems).toEqual([]);
      await tab.close();
    } finally {
      await guarded.close();
    }
  });
});
