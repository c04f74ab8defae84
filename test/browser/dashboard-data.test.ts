// The dashboard's data layer in real headless Chromium against the real local server: a page of
// the drift table belongs to the filters it was asked for. A response that arrives late, for
// filters the user has since left, must not replace the table of the filters on screen.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import { type CloudTrailRecord, type Dashboard, FIXTURES, readFixture, startDashboard } from './harness.js';

let dashboard: Dashboard;
let versioning: CloudTrailRecord;

/** `count` drifts made by `actor` (new event ids); returned newest first, as the table lists them. */
async function seed(actor: string, count: number): Promise<string[]> {
  const records = Array.from({ length: count }, (_, i) => {
    const copy = structuredClone(versioning);
    const identity = copy.userIdentity as Record<string, unknown>;
    identity.arn = `arn:aws:sts::230446364776:assumed-role/Triage/${actor}`;
    identity.principalId = `AAAAAAAAAAAAAAAAAAAAA:${actor}`;
    return {
      ...copy,
      eventID: randomUUID(),
      eventTime: new Date(Date.now() - (count - i) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  });
  expect((await dashboard.postEvents(records)).findings).toHaveLength(count);
  const listed = await dashboard.api<{ items: Drift[] }>(`/drifts?actor=${actor}`);
  return listed.items.map((drift) => drift.id);
}

const rowIds = (page: Page) =>
  page.$$eval('tbody tr.drift-row', (rows) => rows.map((row) => row.getAttribute('data-drift-id')));

/** The URL of a GET /drifts for this actor filter. */
const listsActor = (actor: string) => (url: URL) =>
  url.pathname.endsWith('/api/v1/drifts') && url.searchParams.get('actor') === actor;

/**
 * Until the page has the whole body of a GET /drifts for this actor filter (its resource timing
 * entry is written then, before the page's own code reads it), and two frames more: whatever the
 * page does with that response is on screen by then.
 */
const received = async (page: Page, actor: string) => {
  await page.waitForFunction(
    (name) =>
      performance
        .getEntriesByType('resource')
        .some(
          (entry) =>
            new URL(entry.name).pathname.endsWith('/api/v1/drifts') &&
            new URL(entry.name).searchParams.get('actor') === name,
        ),
    actor,
  );
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
};

/** Keeps, in the page, every list of rows the table shows from now on (read with rowsSeen). */
const recordRows = (page: Page) =>
  page.evaluate(() => {
    const seen: string[][] = [];
    const read = () =>
      [...document.querySelectorAll('tbody tr.drift-row')].map(
        (row) => row.getAttribute('data-drift-id') ?? '',
      );
    new MutationObserver(() => seen.push(read())).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['data-drift-id'],
    });
    (window as unknown as { rowsSeen: string[][] }).rowsSeen = seen;
  });
const rowsSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { rowsSeen: string[][] }).rowsSeen);

beforeAll(async () => {
  dashboard = await startDashboard({ statePaths: [join(FIXTURES, 'tfdrift-falco-detector.tfstate')] });
  versioning = await readFixture('s3-suspend-versioning.json');
}, 60_000);

afterAll(async () => {
  const problems = [...(dashboard?.problems ?? [])];
  await dashboard?.close();
  expect(problems).toEqual([]);
});

describe('drift table data', () => {
  it('keeps the table of the newer filters when a slow page for older filters arrives after it', async () => {
    const run = `order-${randomUUID().slice(0, 8)}`;
    const older = `${run}-older`;
    const newer = `${run}-newer`;
    const olderIds = await seed(older, 2);
    const newerIds = await seed(newer, 3);
    const page = await dashboard.newPage();
    // The older filters' pages wait until released; everything else goes straight through.
    let release: () => void = () => undefined;
    let held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let heldRequests = 0;
    await page.route(listsActor(older), async (route) => {
      heldRequests += 1;
      await held;
      await route.continue();
    });
    // Both actors match the run's prefix (the actor filter is a substring).
    await page.goto(`${dashboard.url}/#actor=${run}`);
    await expect.poll(async () => (await rowIds(page)).sort()).toEqual([...olderIds, ...newerIds].sort());

    // The older filters, whose page is slow, then at once the newer ones, whose page is fast.
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#actor=${older}`);
    await expect.poll(() => heldRequests).toBe(1);
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#actor=${newer}`);
    await expect.poll(() => rowIds(page)).toEqual(newerIds);

    // Now the older filters' page arrives, last: the table never shows it, from its arrival on.
    await recordRows(page);
    const lateResponse = page.waitForResponse((response) => listsActor(older)(new URL(response.url())));
    release();
    expect((await lateResponse).status()).toBe(200);
    await received(page, older);
    expect(await rowIds(page)).toEqual(newerIds);
    expect(await page.locator('[data-testid=pager-info]').textContent()).toBe('3 shown');
    expect(await page.evaluate(() => location.hash)).toBe(`#actor=${newer}`);
    expect((await rowsSeen(page)).filter((ids) => ids.join() !== newerIds.join())).toEqual([]);

    // It was kept for its own filters: back on them, it shows at once, before the server answers again.
    held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#actor=${older}`);
    await expect.poll(() => rowIds(page)).toEqual(olderIds);
    // Its refetch is held all the while: the rows came from the cache.
    await expect.poll(() => heldRequests).toBe(2);
    release();
    await page.close();
  });
});
