// Triage at volume in real headless Chromium against the real local server, at desktop (1440×900),
// tablet (1024×768) and phone (390×844) sizes: open drifts by default, the table's page in the URL,
// bulk acknowledge/resolve (ticked rows, or every drift matching the filters, through the
// per-drift endpoints a few at a time), the acting person asked once and remembered, a resolve
// without a comment that does not show the acknowledge comment, and a status change from the
// detail panel (or from elsewhere, live) that the open-only table follows at once.
//
// One server and one browser for the file; each test posts its own drifts under an actor of its
// own and filters the table to that actor, so the tests pass alone, in any order, at any size.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import {
  type CloudTrailRecord,
  type Dashboard,
  FIXTURES,
  readFixture,
  SIZES,
  type Size,
  startDashboard,
} from './harness.js';

let dashboard: Dashboard;
let versioning: CloudTrailRecord;
let deletion: CloudTrailRecord;
/** More than a page (50) of drifts by one actor, for the tests that only read (no test changes them). */
const PAGED_TAG = `pages-${randomUUID().slice(0, 8)}`;
let paged: Drift[];

interface DriftPage {
  items: Drift[];
  nextCursor: string | null;
  total?: number;
}

/** An actor name of the test's own: its drifts, and only those, match `#actor=<tag>`. */
const newTag = (size: Size, what: string) => `${what}-${size.name}-${randomUUID().slice(0, 8)}`;

/** `count` copies of a record (new event ids, a minute apart, oldest first), made by `tag`. */
function copies(record: CloudTrailRecord, count: number, tag: string): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const copy = structuredClone(record);
    const identity = copy.userIdentity as Record<string, unknown>;
    identity.arn = `arn:aws:sts::230446364776:assumed-role/Triage/${tag}`;
    identity.principalId = `AAAAAAAAAAAAAAAAAAAAA:${tag}`;
    return {
      ...copy,
      eventID: randomUUID(),
      eventTime: new Date(Date.now() - (count - i) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  });
}

/** Posts `count` drifts made by `tag`; returns them newest first (the table's order). */
async function seed(record: CloudTrailRecord, count: number, tag: string): Promise<Drift[]> {
  expect((await dashboard.postEvents(copies(record, count, tag))).findings).toHaveLength(count);
  const listed = await dashboard.api<DriftPage>(`/drifts?actor=${tag}&limit=500`);
  expect(listed.items).toHaveLength(count);
  return listed.items;
}

async function post(path: string, body: unknown): Promise<Drift> {
  const response = await fetch(`${dashboard.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status}`);
  return response.json() as Promise<Drift>;
}

async function open(size: Size, hash: string, actor?: string): Promise<Page> {
  const page = await dashboard.newPage(size);
  // Who acts, as remembered by an earlier visit (the tests of the prompt itself leave it out).
  if (actor) await page.addInitScript((name) => localStorage.setItem('tfdrift.actor', name), actor);
  await page.goto(`${dashboard.url}/${hash}`);
  await page.locator('.drift-table').waitFor();
  await page.waitForFunction(
    () => document.querySelector('.drift-table')?.getAttribute('aria-busy') === 'false',
  );
  return page;
}

const rowIds = (page: Page) =>
  page.$$eval('tbody tr.drift-row', (rows) => rows.map((row) => row.getAttribute('data-drift-id')));

beforeAll(async () => {
  dashboard = await startDashboard({ statePaths: [join(FIXTURES, 'tfdrift-falco-detector.tfstate')] });
  versioning = await readFixture('s3-suspend-versioning.json');
  deletion = await readFixture('s3-delete-bucket.json');
  paged = await seed(versioning, 60, PAGED_TAG);
}, 60_000);

afterAll(async () => {
  await dashboard?.close();
});

// Every test, in whatever order: no CSP violation and no page error on its pages.
afterEach(() => {
  expect(dashboard.problems).toEqual([]);
});

describe.each(SIZES)('triage at $name size ($width×$height)', (size) => {
  it('shows open drifts by default, and every status when asked', async () => {
    const tag = newTag(size, 'default');
    const [stillOpen, resolved] = await seed(versioning, 2, tag);
    await post(`/drifts/${resolved.id}/resolve`, { by: 'setup', comment: 'known change' });
    const page = await open(size, `#actor=${tag}`);
    expect(await page.getByRole('button', { name: 'open', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await expect.poll(() => rowIds(page)).toEqual([stillOpen.id]);
    // Un-pressing "open" shows every status, and says so in the URL.
    await page.getByRole('button', { name: 'open', exact: true }).click();
    await expect.poll(() => rowIds(page)).toEqual([stillOpen.id, resolved.id]);
    expect(await page.evaluate(() => location.hash)).toContain('status=any');
    await page.close();
  });

  it('keeps the page in the URL: Older, reload and a pasted link land on the same rows', async () => {
    const tag = PAGED_TAG;
    const first = paged.slice(0, 50).map((d) => d.id);
    const second = paged.slice(50).map((d) => d.id);
    const page = await open(size, `#actor=${tag}`);
    await expect.poll(() => rowIds(page)).toEqual(first);
    await page.getByRole('button', { name: 'Older →' }).click();
    await expect.poll(() => rowIds(page)).toEqual(second);
    expect(await page.evaluate(() => location.hash)).toContain('page=2');
    expect(await page.locator('[data-testid=pager-info]').textContent()).toContain('page 2');
    await page.reload();
    await expect.poll(() => rowIds(page)).toEqual(second);
    const pasted = await open(size, `#actor=${tag}&page=2`);
    await expect.poll(() => rowIds(pasted)).toEqual(second);
    await pasted.getByRole('button', { name: '← Newer' }).click();
    await expect.poll(() => rowIds(pasted)).toEqual(first);
    expect(await pasted.evaluate(() => location.hash)).not.toContain('page=');
    await page.close();
    await pasted.close();
  });

  it('acknowledges ticked rows at once, asking who acts only the first time', async () => {
    const tag = newTag(size, 'ticked');
    const seeded = await seed(versioning, 4, tag);
    const ids = seeded.slice(0, 3).map((d) => d.id);
    const page = await open(size, `#actor=${tag}`);
    await expect.poll(() => rowIds(page)).toEqual(seeded.map((d) => d.id));
    for (const id of ids) await page.locator(`tr[data-drift-id="${id}"] input[type=checkbox]`).check();
    expect(await page.locator('[data-testid=bulk-count]').textContent()).toBe('3 selected');
    await page.getByLabel('Comment for the selected drifts').fill('change window CHG-42');
    await page.locator('[data-testid=bulkbar]').getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByLabel('Your name or email').fill('ops@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => page.locator('[data-testid=bulk-message]').textContent())
      .toBe('3 drifts acknowledged');
    const stored = await Promise.all(ids.map((id) => dashboard.api<Drift>(`/drifts/${id}`)));
    expect(stored.map((d) => [d.status, d.statusChangedBy, d.statusComment])).toEqual(
      ids.map(() => ['acknowledged', 'ops@example.com', 'change window CHG-42']),
    );
    // The open-only table drops them; the untouched one stays; the name is kept in this browser.
    await expect.poll(() => rowIds(page)).toEqual([seeded[3].id]);
    expect((await dashboard.api<Drift>(`/drifts/${seeded[3].id}`)).status).toBe('open');
    expect(await page.evaluate(() => localStorage.getItem('tfdrift.actor'))).toBe('ops@example.com');

    // Again, after a reload: nobody asks, the same name is recorded.
    await page.reload();
    await page.locator('tbody tr.drift-row').first().waitFor();
    await page.locator(`tr[data-drift-id="${seeded[3].id}"] input[type=checkbox]`).check();
    await page.locator('[data-testid=bulkbar]').getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.locator('[data-testid=bulk-message]').textContent())
      .toBe('1 drift acknowledged');
    expect(await page.locator('[data-testid=actor-prompt]').count()).toBe(0);
    const last = await dashboard.api<Drift>(`/drifts/${seeded[3].id}`);
    expect([last.status, last.statusChangedBy]).toEqual(['acknowledged', 'ops@example.com']);
    await page.close();
  });

  it('resolving without a comment does not show the acknowledge comment', async () => {
    const tag = newTag(size, 'comment');
    const [drift] = await seed(versioning, 1, tag);
    const page = await open(size, `#actor=${tag}`, 'lee@example.com');
    await page.locator(`tr[data-drift-id="${drift.id}"]`).click();
    const detail = page.locator('[data-testid=detail]');
    await detail.getByLabel('Comment').fill('looking into it');
    await detail.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect
      .poll(() => detail.locator('[data-testid=status-note]').textContent())
      .toContain('looking into it');
    await detail.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect
      .poll(() => detail.locator('[data-testid=status-note]').textContent())
      .toMatch(/^resolved by lee@example.com/);
    expect(await detail.locator('[data-testid=status-note]').textContent()).not.toContain('looking into it');
    const stored = await dashboard.api<Drift>(`/drifts/${drift.id}`);
    expect([stored.status, stored.statusComment]).toEqual(['resolved', undefined]);
    await page.close();
  });

  it('takes a drift acknowledged or resolved in the detail panel out of the open table at once', async () => {
    const tag = newTag(size, 'panel');
    const [newest, middle, oldest] = await seed(versioning, 3, tag);
    const page = await open(size, `#actor=${tag}`, 'kim@example.com');
    await expect.poll(() => rowIds(page)).toEqual([newest.id, middle.id, oldest.id]);
    expect(await page.locator('[data-testid=pager-info]').textContent()).toBe('3 shown');

    // Acknowledged in the panel: the row leaves without a reload; the panel shows the new status.
    await page.locator(`tr[data-drift-id="${middle.id}"]`).click();
    const detail = page.locator('[data-testid=detail]');
    await detail.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect.poll(() => rowIds(page)).toEqual([newest.id, oldest.id]);
    expect(await page.locator('[data-testid=pager-info]').textContent()).toBe('2 shown');
    await expect
      .poll(() => detail.locator('[data-testid=status-note]').textContent())
      .toMatch(/^acknowledged by kim@example.com/);
    // Resolved in the panel, from the open table, the same.
    await page.keyboard.press('Escape');
    await page.locator(`tr[data-drift-id="${newest.id}"]`).click();
    await detail.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(() => rowIds(page)).toEqual([oldest.id]);

    // Someone else resolves the last one: its live message takes it out too; the server's live
    // messages for the two changed here (sent before it) brought neither back.
    await post(`/drifts/${oldest.id}/resolve`, { by: 'elsewhere@example.com' });
    await expect.poll(() => rowIds(page)).toEqual([]);
    expect(await page.locator('[data-testid=pager-info]').textContent()).toBe('0 shown');
    expect(await page.locator('tbody tr.drift-row.is-new').count()).toBe(0);

    // With every status shown, the rows stay and show what happened to each.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'open', exact: true }).click();
    await expect.poll(() => rowIds(page)).toEqual([newest.id, middle.id, oldest.id]);
    const statuses = () =>
      page.$$eval('tbody tr.drift-row td.col-status', (cells) => cells.map((c) => c.textContent));
    expect(await statuses()).toEqual(['resolved', 'acknowledged', 'resolved']);
    await page.locator(`tr[data-drift-id="${middle.id}"]`).click();
    await detail.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(statuses).toEqual(['resolved', 'resolved', 'resolved']);
    expect(await rowIds(page)).toEqual([newest.id, middle.id, oldest.id]);
    await page.close();
  });

  it('resolves every drift that matches the filters, a few requests at a time', async () => {
    /** Just over a page: "select all that match" reaches the ones the page does not show. */
    const DELETED = 53;
    const tag = newTag(size, 'matching');
    await seed(deletion, DELETED, tag);
    const page = await open(size, `#actor=${tag}`, 'ops@example.com');
    const openTotal = async () => {
      const summary = await dashboard.api<{ open: Record<string, number> }>('/summary');
      return Object.values(summary.open).reduce((a, b) => a + b, 0);
    };
    const openBefore = await openTotal();
    expect(openBefore).toBeGreaterThanOrEqual(DELETED);
    await expect.poll(() => page.locator('[data-testid=open-total]').textContent()).toBe(String(openBefore));
    let inFlight = 0;
    let most = 0;
    await page.route('**/api/v1/drifts/*/resolve', async (route) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 40));
      await route.continue();
      inFlight--;
    });
    await page.getByTestId('check-page').check();
    expect(await page.locator('[data-testid=bulk-count]').textContent()).toBe('50 selected');
    await page.getByTestId('select-all-matching').click();
    await expect
      .poll(() => page.locator('[data-testid=bulk-count]').textContent())
      .toBe(`All ${DELETED} matching drifts selected`);
    await page.locator('[data-testid=bulkbar]').getByRole('button', { name: 'Resolve' }).click();
    await expect
      .poll(() => page.locator('[data-testid=bulkbar]').textContent(), { timeout: 20_000 })
      .toContain(`${DELETED} drifts resolved`);
    const after = await dashboard.api<DriftPage>(`/drifts?actor=${tag}&status=resolved&limit=500`);
    expect(after.items).toHaveLength(DELETED);
    expect(new Set(after.items.map((d) => d.statusChangedBy))).toEqual(new Set(['ops@example.com']));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(6);
    await expect.poll(() => page.locator('tbody tr.drift-row').count()).toBe(0);
    // The header's open count follows.
    const openAfter = await openTotal();
    expect(openAfter).toBe(openBefore - DELETED);
    await expect.poll(() => page.locator('[data-testid=open-total]').textContent()).toBe(String(openAfter));
    await page.close();
  });

  it('in AWS records the signed-in user, without asking', async () => {
    const tag = newTag(size, 'cognito');
    const [drift] = await seed(versioning, 1, tag);
    // The dashboard as CloudFront serves it: config.json names a Cognito pool, and the tab holds
    // an unexpired ID token (what the hosted-UI sign-in leaves in sessionStorage).
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      email: 'sam@example.com',
      'cognito:username': 'sam',
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    const idToken = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
    const page = await dashboard.newPage(size);
    await page.route('**/config.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          apiBase: '/api/v1',
          wsUrl: '/ws',
          auth: {
            type: 'cognito',
            userPoolId: 'eu-west-1_example',
            clientId: 'exampleclient',
            domain: 'example.auth.eu-west-1.amazoncognito.com',
            region: 'eu-west-1',
          },
        }),
      }),
    );
    await page.addInitScript((token) => sessionStorage.setItem('tfdrift.token', token), idToken);
    await page.goto(`${dashboard.url}/#actor=${tag}`);
    await page.locator(`tr[data-drift-id="${drift.id}"]`).waitFor();
    expect(await page.locator('[data-testid=sign-out]').count()).toBe(1);
    await page.locator(`tr[data-drift-id="${drift.id}"] input[type=checkbox]`).check();
    await page.locator('[data-testid=bulkbar]').getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.locator('[data-testid=bulk-message]').textContent())
      .toBe('1 drift acknowledged');
    expect(await page.locator('[data-testid=actor-prompt]').count()).toBe(0);
    expect((await dashboard.api<Drift>(`/drifts/${drift.id}`)).statusChangedBy).toBe('sam@example.com');
    await page.close();
  });
});
