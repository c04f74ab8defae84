// Triage at volume in real headless Chromium against the real local server: open drifts by
// default, the table's page in the URL, bulk acknowledge/resolve (ticked rows, or every drift
// matching the filters, through the per-drift endpoints a few at a time), the acting person asked
// once and remembered, and a resolve without a comment that does not show the acknowledge comment.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import { type CloudTrailRecord, type Dashboard, FIXTURES, readFixture, startDashboard } from './harness.js';

/** Modified drifts (bucket versioning suspended): more than one page of 50. */
const MODIFIED = 60;
/** Deleted drifts (bucket deleted): for "select all that match". */
const DELETED = 55;

let dashboard: Dashboard;

interface DriftPage {
  items: Drift[];
  nextCursor: string | null;
  total?: number;
}

function copies(record: CloudTrailRecord, count: number): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    ...structuredClone(record),
    eventID: randomUUID(),
    eventTime: new Date(Date.now() - (count - i) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }));
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

async function open(hash = ''): Promise<Page> {
  const page = await dashboard.newPage();
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
  const versioning = await readFixture('s3-suspend-versioning.json');
  const deletion = await readFixture('s3-delete-bucket.json');
  const created = await readFixture('cloud-custodian-event-cloud-trail-create-bucket.json');
  expect((await dashboard.postEvents(copies(versioning, MODIFIED))).findings).toHaveLength(MODIFIED);
  expect((await dashboard.postEvents(copies(deletion, DELETED))).findings).toHaveLength(DELETED);
  expect((await dashboard.postEvents(created)).findings).toHaveLength(1);
}, 90_000);

afterAll(async () => {
  await dashboard?.close();
});

describe('triage at volume (real server, real Chromium)', () => {
  it('shows open drifts by default, and every status when asked', async () => {
    const [unmanaged] = (await dashboard.api<DriftPage>('/drifts?kind=unmanaged')).items;
    await post(`/drifts/${unmanaged.id}/resolve`, { by: 'setup', comment: 'known bucket' });
    const page = await open('#kind=unmanaged');
    expect(await page.getByRole('button', { name: 'open', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await page.locator('tbody tr.drift-row').count()).toBe(0);
    // Un-pressing "open" shows every status, and says so in the URL.
    await page.getByRole('button', { name: 'open', exact: true }).click();
    await expect.poll(() => rowIds(page)).toEqual([unmanaged.id]);
    expect(await page.evaluate(() => location.hash)).toContain('status=any');
    await page.close();
  });

  it('keeps the page in the URL: Older, reload and a pasted link land on the same rows', async () => {
    const first = await dashboard.api<DriftPage>('/drifts?kind=modified&status=open&limit=50');
    expect(first.nextCursor).not.toBeNull();
    const second = await dashboard.api<DriftPage>(
      `/drifts?kind=modified&status=open&limit=50&cursor=${encodeURIComponent(first.nextCursor!)}`,
    );
    const page = await open('#kind=modified');
    await expect.poll(() => rowIds(page)).toEqual(first.items.map((d) => d.id));
    await page.getByRole('button', { name: 'Older →' }).click();
    await expect.poll(() => rowIds(page)).toEqual(second.items.map((d) => d.id));
    expect(await page.evaluate(() => location.hash)).toContain('page=2');
    expect(await page.locator('[data-testid=pager-info]').textContent()).toContain('page 2');
    await page.reload();
    await expect.poll(() => rowIds(page)).toEqual(second.items.map((d) => d.id));
    const pasted = await open('#kind=modified&page=2');
    await expect.poll(() => rowIds(pasted)).toEqual(second.items.map((d) => d.id));
    await pasted.getByRole('button', { name: '← Newer' }).click();
    await expect.poll(() => rowIds(pasted)).toEqual(first.items.map((d) => d.id));
    expect(await pasted.evaluate(() => location.hash)).not.toContain('page=');
    await page.close();
    await pasted.close();
  });

  it('acknowledges ticked rows at once, asking who acts only the first time', async () => {
    const page = await open('#kind=modified');
    const ids = (await rowIds(page)).slice(0, 3) as string[];
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
    // The open-only table drops them; the remembered name is in this browser.
    await expect.poll(async () => (await rowIds(page)).some((id) => ids.includes(id!))).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('tfdrift.actor'))).toBe('ops@example.com');

    // Again, after a reload: nobody asks, the same name is recorded.
    await page.reload();
    await page.locator('tbody tr.drift-row').first().waitFor();
    const next = (await rowIds(page))[0]!;
    await page.locator(`tr[data-drift-id="${next}"] input[type=checkbox]`).check();
    await page.locator('[data-testid=bulkbar]').getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.locator('[data-testid=bulk-message]').textContent())
      .toBe('1 drift acknowledged');
    expect(await page.locator('[data-testid=actor-prompt]').count()).toBe(0);
    expect((await dashboard.api<Drift>(`/drifts/${next}`)).statusChangedBy).toBe('ops@example.com');
    expect((await dashboard.api<Drift>(`/drifts/${next}`)).statusChangedBy).not.toBe('anonymous');
    await page.close();
  });

  it('resolving without a comment does not show the acknowledge comment', async () => {
    const page = await open('#kind=modified');
    await page.evaluate(() => localStorage.setItem('tfdrift.actor', 'lee@example.com'));
    const id = (await rowIds(page))[0]!;
    await page.locator(`tr[data-drift-id="${id}"]`).click();
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
    const stored = await dashboard.api<Drift>(`/drifts/${id}`);
    expect([stored.status, stored.statusComment]).toEqual(['resolved', undefined]);
    await page.close();
  });

  it('resolves every drift that matches the filters, a few requests at a time', async () => {
    const before = await dashboard.api<DriftPage>('/drifts?kind=deleted&status=open&limit=500');
    expect(before.items).toHaveLength(DELETED);
    const page = await open('#kind=deleted');
    await page.evaluate(() => localStorage.setItem('tfdrift.actor', 'ops@example.com'));
    const openBefore = Number(await page.locator('[data-testid=open-total]').textContent());
    expect(openBefore).toBeGreaterThan(DELETED);
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
    const after = await dashboard.api<DriftPage>('/drifts?kind=deleted&status=resolved&limit=500');
    expect(after.items).toHaveLength(DELETED);
    expect(new Set(after.items.map((d) => d.statusChangedBy))).toEqual(new Set(['ops@example.com']));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(6);
    await expect.poll(() => page.locator('tbody tr.drift-row').count()).toBe(0);
    // The header's open count follows.
    const summary = await dashboard.api<{ open: Record<string, number> }>('/summary');
    const openAfter = Object.values(summary.open).reduce((a, b) => a + b, 0);
    expect(openAfter).toBe(openBefore - DELETED);
    await expect.poll(() => page.locator('[data-testid=open-total]').textContent()).toBe(String(openAfter));
    await page.close();
  });

  it('in AWS records the signed-in user, without asking', async () => {
    // The dashboard as CloudFront serves it: config.json names a Cognito pool, and the tab holds
    // an unexpired ID token (what the hosted-UI sign-in leaves in sessionStorage).
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      email: 'sam@example.com',
      'cognito:username': 'sam',
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    const idToken = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
    const page = await dashboard.newPage();
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
    await page.goto(`${dashboard.url}/#kind=modified`);
    await page.locator('tbody tr.drift-row').first().waitFor();
    expect(await page.locator('[data-testid=sign-out]').count()).toBe(1);
    const id = (await rowIds(page))[0]!;
    await page.locator(`tr[data-drift-id="${id}"] input[type=checkbox]`).check();
    await page.locator('[data-testid=bulkbar]').getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.locator('[data-testid=bulk-message]').textContent())
      .toBe('1 drift acknowledged');
    expect(await page.locator('[data-testid=actor-prompt]').count()).toBe(0);
    expect((await dashboard.api<Drift>(`/drifts/${id}`)).statusChangedBy).toBe('sam@example.com');
    await page.close();
  });

  it('logged no CSP violation and no page error', () => {
    expect(dashboard.problems).toEqual([]);
  });
});
