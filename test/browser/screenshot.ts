// `npm run screenshot`: the dashboard with the demo state and the demo's sample events
// (examples/demo), replayed as if they happened over the last hour, at three sizes:
// - docs/screenshot-split-view.png: desktop 1440×900, split view; the last event arrives while the
//   page is open, so the picture shows a live "new" row;
// - docs/screenshot-tablet.png and docs/screenshot-tablet-table.png: tablet 1024×768, split and
//   table views;
// - docs/screenshot-phone.png and docs/screenshot-phone-graph.png: phone 390×844, the table first
//   and the graph one tap away.

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Set before the AWS SDK loads (the imports below are dynamic for that reason).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { DEMO_DIR, demoRecords } = await import('../../lambdas/local/demo.js');
const { startDashboard } = await import('./harness.js');

const docs = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
const OUT = docs('screenshot-split-view.png');
const SMALLER = [
  { file: docs('screenshot-tablet.png'), width: 1024, height: 768, hash: '' },
  { file: docs('screenshot-tablet-table.png'), width: 1024, height: 768, hash: '#view=table' },
  { file: docs('screenshot-phone.png'), width: 390, height: 844, hash: '' },
  { file: docs('screenshot-phone-graph.png'), width: 390, height: 844, hash: '#view=graph' },
];

function stamped(record: Record<string, unknown>, minutesAgo: number): Record<string, unknown> {
  const time = new Date(Date.now() - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { ...record, eventID: randomUUID(), eventTime: time };
}

async function main(): Promise<void> {
  const dashboard = await startDashboard({ statePaths: [join(DEMO_DIR, 'shop.tfstate')], demo: true });
  try {
    const records = demoRecords();
    const last = records.length - 1;
    for (const [i, record] of records.slice(0, last).entries()) {
      await dashboard.postEvents(stamped(record, (last - i) * 5));
    }
    const page = await dashboard.newPage({ width: 1440, height: 900 });
    await page.goto(`${dashboard.url}/`);
    await page.locator('tbody tr.drift-row').first().waitFor();
    await page.locator('.react-flow__node.rf-resource').first().waitFor();
    await dashboard.postEvents(stamped(records[last], 0));
    await page.locator('tbody tr.drift-row.is-new').first().waitFor({ timeout: 5_000 });
    // Select the most severe open drift so that the picture shows the graph/table link.
    const critical = page.locator('tbody tr.drift-row.row-sev-critical').first();
    if (await critical.count()) await critical.click();
    else await page.locator('tbody tr.drift-row').nth(1).click();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(600);
    // No focus ring in the picture (Escape returns focus to the row, for keyboard users).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await mkdir(join(OUT, '..'), { recursive: true });
    await page.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
    for (const size of SMALLER) {
      const small = await dashboard.newPage({ width: size.width, height: size.height });
      await small.goto(`${dashboard.url}/${size.hash}`);
      await small.locator('tbody tr.drift-row, .react-flow__node.rf-resource').first().waitFor();
      await small.waitForTimeout(600);
      await small.screenshot({ path: size.file });
      await small.close();
      console.log(`wrote ${size.file}`);
    }
    if (dashboard.problems.length) throw new Error(`page problems: ${dashboard.problems.join('; ')}`);
  } finally {
    await dashboard.close();
  }
}

await main();
