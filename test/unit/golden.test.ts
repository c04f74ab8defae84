// Golden tests (driftctl style): each folder under test/golden holds state files (state/), CloudTrail
// input (events.json or events/) and the expected scan output (expected.json). Regenerate with
// UPDATE_GOLDEN=1 npx vitest run test/unit/golden.test.ts, then review the diff like code.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { parseConfig } from '../../lambdas/core/config.js';
import { renderReport } from '../../lambdas/local/report.js';
import { scan } from '../../lambdas/local/scan.js';

const GOLDEN = join(import.meta.dirname, '../golden');
const update = process.env.UPDATE_GOLDEN === '1';
const rules = loadRulesFromDir();

/** Paths inside the report are made relative to the case folder so the files are portable. */
function portable(report: unknown, dir: string): unknown {
  return JSON.parse(JSON.stringify(report).split(`${dir}/`).join(''));
}

const cases = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('golden scans', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(GOLDEN, name);
    const events = existsSync(join(dir, 'events')) ? join(dir, 'events') : join(dir, 'events.json');
    const configPath = join(dir, 'config.json');
    const config = parseConfig(
      existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : undefined,
    );
    // The CLI's default: net drift.
    const report = await scan({ state: [join(dir, 'state')], events: [events], mode: 'net' }, rules, config);
    const actual = portable(report, dir);
    const expectedPath = join(dir, 'expected.json');
    // A missing expected.json fails: only a reviewed UPDATE_GOLDEN=1 run may write one.
    if (update) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(existsSync(expectedPath), `${name}/expected.json is missing (UPDATE_GOLDEN=1 writes it)`).toBe(
      true,
    );
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));

    // A planted secret (any state string starting with CANARY-) must not appear in any format.
    const canaries = [
      ...new Set(
        readdirSync(join(dir, 'state')).flatMap(
          (f) => readFileSync(join(dir, 'state', f), 'utf8').match(/CANARY-[A-Za-z0-9-]+/g) ?? [],
        ),
      ),
    ];
    const eventCanaries =
      readFileSync(existsSync(events) && !events.endsWith('events') ? events : expectedPath, 'utf8').match(
        /CANARY-[A-Za-z0-9-]+/g,
      ) ?? [];
    for (const format of ['json', 'table', 'markdown'] as const) {
      const text = renderReport(report, format);
      for (const canary of [...canaries, ...eventCanaries])
        expect(text, `${format} leaks ${canary}`).not.toContain(canary);
    }
  });
});
