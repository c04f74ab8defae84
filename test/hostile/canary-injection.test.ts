// Injection canary: CloudTrail records whose every string field carries HTML, script, markdown and
// terminal-escape payloads. The table format strips the escapes, the markdown format escapes the
// syntax, SNS and console alerts stay plain single-line text, and the dashboard in a real Chromium
// shows them as text and runs nothing. The same dashboard session checks the secrets canary in the
// DOM (see canary-secrets.test.ts for every other way out).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertText } from '../../lambdas/core/alert-text.js';
import type { Drift } from '../../lambdas/core/types.js';
import { runScan } from '../../lambdas/local/scan.js';
import { type Dashboard, startDashboard } from '../browser/harness.js';
import { canaryEvents, canaryState, leakedCanaries } from '../support/canaries.js';
import { fixtureJson, fixtureText, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';

const PAYLOAD =
  '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><svg onload="window.__xss=3">' +
  '[link](javascript:window.__xss=4) **bold** | pipe | `code` # head\n- item' +
  '\u001b[31mRED\u001b[0m\u001b]8;;https://evil.example\u0007hyper\u001b]8;;\u0007\u001b[2J\u001b[1A' +
  '\r\nX-Forged: header\u202egnp.exe\u0000\u0007\u009b31m';

/** A copy with PAYLOAD appended to every string except the keys that select the rule and resource. */
function infect<T>(value: T, keep: ReadonlySet<string>, key = ''): T {
  if (typeof value === 'string') return (keep.has(key) ? value : `${value}${PAYLOAD}`) as T;
  if (Array.isArray(value)) return value.map((v) => infect(v, keep, key)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, infect(v, keep, k)])) as T;
  }
  return value;
}

const RULE_KEYS = ['eventName', 'eventSource', 'detail-type'];
// A managed bucket's versioning suspended (identity kept, so it drifts; the new value is hostile)...
const versioning = infect(suspendEvent(700), new Set([...RULE_KEYS, 'bucketName']));
// ...and an unmanaged bucket whose very name is hostile (an EventBridge envelope from the corpus).
const created = infect(
  fixtureJson('cloudtrail/cloud-custodian-event-cloud-trail-create-bucket.json'),
  new Set(RULE_KEYS),
);

const root = mkdtempSync(join(tmpdir(), 'tfdrift-injection-'));
const stateDir = join(root, 'state');
const eventsFile = join(root, 'events.json');
beforeAll(() => {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'app.tfstate'), fixtureText(STATE_NAME));
  writeFileSync(join(stateDir, 'db.tfstate'), canaryState());
  writeFileSync(eventsFile, JSON.stringify([versioning, created]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// C0 (but line feed), DEL, C1 controls and bidi overrides: nothing that steers a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

async function scanText(format: 'json' | 'table' | 'markdown'): Promise<string> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c) => {
    text += String(c);
  });
  const code = await runScan({
    state: [stateDir],
    events: [eventsFile],
    format,
    stdout,
    stderr: new PassThrough(),
    width: 400, // a wide terminal: the table shows the payloads whole, none cut off to fit
  });
  expect(code).toBe(2);
  return text;
}

describe('injection canary outside the browser', () => {
  it('json keeps the payloads as exact data', async () => {
    const report = JSON.parse(await scanText('json')) as { findings: Drift[] };
    expect(report.findings).toHaveLength(2);
    const modified = report.findings.find((f) => f.kind === 'modified');
    expect(modified?.changes[0]).toEqual({
      attribute: 'versioning_configuration[0].status',
      expected: 'Enabled',
      actual: `Suspended${PAYLOAD}`,
    });
    const unmanaged = report.findings.find((f) => f.kind === 'unmanaged');
    expect(unmanaged?.resource.id?.endsWith(PAYLOAD)).toBe(true);
    expect(modified?.actor.userAgent?.endsWith(PAYLOAD)).toBe(true);
  });

  it('table strips every terminal control sequence', async () => {
    const text = await scanText('table');
    expect(text).toContain('PutBucketVersioning');
    expect(text).toContain('<script>'); // text, not markup, on a terminal
    expect(text).not.toMatch(CONTROL);
    expect(text).not.toContain('\u001b');
    // No forged lines: header, two rows, blank, summary.
    expect(text.trimEnd().split('\n')).toHaveLength(5);
  });

  it('markdown escapes HTML, links and table syntax', async () => {
    const text = await scanText('markdown');
    expect(text).not.toMatch(CONTROL);
    expect(text.match(/<[^b]|<b[^r]/g)).toBeNull(); // the only tag is our own <br>
    expect(text).toContain('&lt;script&gt;');
    expect(text).not.toContain('](javascript:');
    expect(text).not.toMatch(/[^\\]\*\*bold/);
    const rows = text.split('\n').filter((l) => l.startsWith('| **'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(9); // 7 cells, no injected pipes
  });

  it('SNS and console alerts stay plain, one field per line', async () => {
    const report = JSON.parse(await scanText('json')) as { findings: Drift[] };
    for (const finding of report.findings) {
      const { subject, body } = alertText(
        { ...finding, status: 'open', detectedAt: '2026-01-01T00:00:00Z' },
        'https://d.example/#drift=x',
      );
      expect(subject).toMatch(/^[\x20-\x7e]{1,99}$/);
      expect(body).not.toMatch(CONTROL);
      expect(body.split('\n').some((l) => l.startsWith('X-Forged'))).toBe(false);
      expect(body).not.toMatch(/^- item/m);
    }
  });
});

describe('injection and secrets canaries in the dashboard (real Chromium)', () => {
  let dashboard: Dashboard;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    dashboard = await startDashboard({ statePaths: [stateDir] });
    page = await dashboard.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const posted = await dashboard.postEvents([versioning, created, ...canaryEvents()]);
    expect(posted.findings).toHaveLength(6);
    await page.goto(`${dashboard.url}/#view=table`);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr.drift-row').length === 6);
  }, 90_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  it('opens every drift with its raw event and runs nothing', async () => {
    // The table view, whichever view the other test left the page on.
    await page.goto(`${dashboard.url}/#view=table`);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr.drift-row').length === 6);
    const ids = await page
      .locator('tbody tr.drift-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-drift-id')));
    expect(ids).toHaveLength(6);
    for (const id of ids) {
      const row = page.locator(`tr.drift-row[data-drift-id="${id}"]`);
      await row.focus();
      await page.keyboard.press('Enter');
      const detail = page.locator('[data-testid=detail]');
      await detail.waitFor();
      await detail.locator('summary', { hasText: 'Raw CloudTrail event' }).click();
      await detail.locator('[data-testid=raw-event]').waitFor();
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('[data-testid=detail]'));
    }
    // The hostile text is on the page, as text.
    await page.locator('tr.drift-row').first().focus();
    const bodyText = await page.evaluate(() => document.body.textContent ?? '');
    expect(bodyText).toContain('<script>window.__xss=2</script>');
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(
      await page.locator('img[src="x"], svg[onload], script:not([src]), a[href^="javascript:"]').count(),
    ).toBe(0);
    expect(dashboard.problems).toEqual([]);
  }, 60_000);

  it('the whole DOM (graph view too) holds no secret canary', async () => {
    const html = [await page.content(), await page.evaluate(() => document.body.textContent ?? '')];
    await page.goto(`${dashboard.url}/#view=graph`);
    await page.locator('.react-flow__node').first().waitFor();
    html.push(await page.content());
    expect(html.join('\n')).toContain('aws_db_instance.main');
    expect(leakedCanaries(html.join('\n'))).toEqual([]);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  }, 60_000);
});
