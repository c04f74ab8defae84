// Class 10 of issue #12 in the dashboard: people read event names without their API version suffix
// and security-group rules as words, in the drift table and the detail panel; the API keeps the raw
// values. Real server, real detector, real Chromium; corpus records against a state written for them.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import { buildDashboard, CHROMIUM_ARGS, type Dashboard, FIXTURES, startDashboard } from './harness.js';

const REPO_FIXTURES = join(FIXTURES, '..');
const readJson = async (path: string) => JSON.parse(await readFile(join(REPO_FIXTURES, path), 'utf8'));

let browser: Browser;
let web: { webRoot: string; remove(): Promise<void> };
let dashboard: Dashboard;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  web = await buildDashboard();
}, 60_000);

beforeEach(async () => {
  dashboard = await startDashboard({
    statePaths: [join(FIXTURES, 'readable-names.tfstate')],
    browser,
    webRoot: web.webRoot,
  });
  const records = [
    // UpdateFunctionConfiguration20150331v2: the timeout 3 → 10.
    await readJson('corpus/cloudtrail/terraform-aws-cloudtrail-to-slack/src/tests/test_events__9.json'),
    // AuthorizeSecurityGroupIngress: SSH from 0.0.0.0/0 added beside 443 from 10.0.0.0/16.
    await readJson(
      'rules/security-groups/corpus/panther-analysis__aws_ec2_manual_security_group_changes__4.json',
    ),
  ];
  for (const record of records) expect((await dashboard.postEvents(record)).findings.length).toBe(1);
  // Wide enough for the table to show its Event column beside the graph.
  page = await dashboard.newPage({ width: 2400, height: 1000 });
  await page.goto(`${dashboard.url}/`);
  await page.waitForFunction(() => document.querySelectorAll('tbody tr.drift-row').length === 2);
}, 60_000);

afterEach(async () => {
  const problems = [...dashboard.problems];
  await page.context().close();
  await dashboard.close();
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await web?.remove();
});

const row = (address: string) => page.locator('tbody tr.drift-row', { hasText: address });
const detail = () => page.locator('[data-testid=detail]');

describe('readable names in the dashboard', () => {
  it('shows event names without the API version suffix; the API and the cell title keep the raw name', async () => {
    // Prepare: the API's raw contract.
    const api = await dashboard.api<{ items: Drift[] }>('/drifts');
    const raw = api.items.map((d) => d.event.name).sort();

    // Act: read the event column (shown once the table has measured its width).
    await expect.poll(() => page.locator('tbody tr.drift-row td.col-event').count()).toBe(2);
    const events = await page.$$eval('tbody tr.drift-row td.col-event', (cells) =>
      cells.map((cell) => [cell.textContent ?? '', cell.getAttribute('title') ?? '']),
    );

    // Assess
    expect(raw).toEqual(['AuthorizeSecurityGroupIngress', 'UpdateFunctionConfiguration20150331v2']);
    expect(events.map(([text]) => text).sort()).toEqual([
      'AuthorizeSecurityGroupIngress',
      'UpdateFunctionConfiguration',
    ]);
    expect(events.map(([, title]) => title).sort()).toEqual(raw);
  });

  it('names the event readably in the detail panel', async () => {
    await row('aws_lambda_function.notifier').click();

    const facts = await detail().locator('dl.facts').textContent();

    expect(facts).toContain('UpdateFunctionConfiguration (lambda.amazonaws.com)');
    expect(facts).not.toContain('20150331v2');
  });

  it('shows security-group rules as words in the detail panel, both sides', async () => {
    await row('aws_security_group.web').click();

    const change = detail().locator('[data-testid=change]');
    await expect.poll(() => change.count()).toBe(1);
    const text = (await change.textContent()) ?? '';

    expect(await change.locator('.change-attr').textContent()).toBe('ingress');
    // State side: the rule Terraform manages; event side: that rule and the new one.
    expect(text).toContain('tcp 443 from 10.0.0.0/16');
    expect(text).toContain('tcp 22 from 0.0.0.0/0');
    expect(text).not.toContain('tcp|');
    expect(text).not.toContain('cidr:');
  });
});
