// `npm run screenshot`: docs/screenshot-split-view.png, the split view at 1440×900 with the demo
// state and the demo's sample events (examples/demo), replayed as if they happened over the last
// hour. The last one arrives while the page is open, so the picture shows a live "new" row.

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Set before the AWS SDK loads (the imports below are dynamic for that reason).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { DEMO_DIR, demoRecords } = await import('../../lambdas/local/demo.js');
const { startDashboard } = await import('./harness.js');

const OUT = fileURLToPath(new URL('../../docs/screenshot-split-view.png', import.meta.url));

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
    if (dashboard.problems.length) throw new Error(`page problems: ${dashboard.problems.join('; ')}`);
    console.log(`wrote ${OUT}`);
  } finally {
    await dashboard.close();
  }
}

await main();
