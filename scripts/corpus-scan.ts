// Scans every loadable state of the corpus (test/fixtures/corpus/tfstate) against the whole CloudTrail
// corpus (test/fixtures/corpus/cloudtrail), net and per event, and prints the counts: the before/after
// figure of a detection change. `--out DIR` also writes both finding lists (one line each: kind,
// rule, resource, event) to DIR/net.txt and DIR/per-event.txt, to diff two runs.
//
//   npx tsx scripts/corpus-scan.ts [--out /tmp/corpus-after]

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRulesFromDir } from '../lambdas/adapters/local/rule-files.js';
import { LocalStateFiles } from '../lambdas/adapters/local/state-files.js';
import { parseConfig } from '../lambdas/core/config.js';
import { buildStateIndex } from '../lambdas/core/state.js';
import type { Finding } from '../lambdas/core/types.js';
import { scan } from '../lambdas/local/scan.js';

const root = join(import.meta.dirname, '..', 'test', 'fixtures', 'corpus');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;

// Only the states that load on their own: one unreadable file (format v1/v3, broken JSON) makes a
// scan refuse the whole set, as it should for a user's states.
const { documents } = await new LocalStateFiles([join(root, 'tfstate')]).load();
const loadable = documents
  .filter((d) => buildStateIndex([{ file: d.file, text: d.text }]).files.length === 1)
  .map((d) => d.file);

const rules = loadRulesFromDir();
const config = parseConfig(undefined);
const line = (f: Finding) =>
  [
    f.kind,
    f.ruleId,
    f.resource.address ?? `${f.resource.type} ${f.resource.id ?? f.resource.arn ?? ''}`,
    f.resource.stateFile?.replace(`${root}/`, '') ?? '-',
    f.event.name,
    f.event.id,
    f.severity,
    JSON.stringify(f.changes.map((c) => c.attribute)),
  ].join('\t');

for (const mode of ['net', 'per-event'] as const) {
  const report = await scan({ state: loadable, events: [join(root, 'cloudtrail')], mode }, rules, config);
  const { summary } = report;
  console.log(
    `${mode}: ${summary.findings} findings ${JSON.stringify(summary.byKind)} — ${loadable.length} states, ${summary.events} events (${summary.duplicates} duplicates), ${summary.errors} errors`,
  );
  console.log(`  not drift: ${JSON.stringify(summary.ignored)}`);
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${mode}.txt`), `${report.findings.map(line).sort().join('\n')}\n`);
  }
}
