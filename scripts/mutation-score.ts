// Merges per-file Stryker JSON reports into one score per folder (core / services / local / web) and
// lists the surviving mutants, so a score measured one file at a time can be reproduced and summed.
//
//   npx tsx scripts/mutation-score.ts [report.json | dir ...]     (default: reports/mutation/runs)
//
// Each report is one `npx stryker run --mutate <file>` (stryker.config.mjs), copied from
// reports/mutation/mutation.json (Stryker's --incremental files beside them are skipped). Where two
// reports hold the same file, the newer one counts.
// Survivors listed in scripts/mutation-equivalents.json (file, the mutated source text, its
// replacement, why no test can tell them apart) are reported as equivalent, and a second score
// leaves them out; the first score is Stryker's own.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Position {
  line: number;
  column: number;
}
interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: Position; end: Position };
}
interface FileReport {
  source: string;
  mutants: Mutant[];
}
interface Report {
  files: Record<string, FileReport>;
}
interface Equivalent {
  file: string;
  original: string;
  replacement: string;
  reason: string;
}

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const inputs = args.length > 0 ? args : [join(root, 'reports/mutation/runs')];

function reportFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.incremental.json'))
    .map((name) => join(path, name));
}

// Newest report wins per mutated file.
const latest = new Map<string, { mtime: number; file: FileReport }>();
for (const path of inputs.flatMap(reportFiles)) {
  const mtime = statSync(path).mtimeMs;
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  for (const [name, file] of Object.entries(report.files)) {
    const key = relative(root, join(root, name)).replaceAll('\\', '/');
    const seen = latest.get(key);
    if (!seen || seen.mtime < mtime) latest.set(key, { mtime, file });
  }
}

const equivalents = JSON.parse(
  readFileSync(join(import.meta.dirname, 'mutation-equivalents.json'), 'utf8'),
) as Equivalent[];

/** The source text a mutant replaced (locations are 1-based lines and columns). */
function originalText(source: string, { start, end }: Mutant['location']): string {
  const lines = source.split('\n');
  const offset = (p: Position) =>
    lines.slice(0, p.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + p.column - 1;
  return source.slice(offset(start), offset(end));
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function equivalentFor(file: string, original: string, replacement: string) {
  return equivalents.find(
    (e) =>
      e.file === file &&
      squash(e.original) === squash(original) &&
      squash(e.replacement) === squash(replacement),
  );
}

function folderOf(file: string): string {
  if (file.startsWith('lambdas/core/')) return 'core';
  if (file.startsWith('lambdas/services/')) return 'services';
  if (file.startsWith('lambdas/local/')) return 'local';
  if (file.startsWith('web/')) return 'web';
  return 'other';
}

interface Tally {
  mutants: number;
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  equivalent: number;
}
const empty = (): Tally => ({
  mutants: 0,
  killed: 0,
  survived: 0,
  timeout: 0,
  noCoverage: 0,
  equivalent: 0,
});
const perFile = new Map<string, Tally>();
const perFolder = new Map<string, Tally>();
const survivors: string[] = [];
const equivalentLines: string[] = [];

for (const [file, { file: report }] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
  const tally = empty();
  for (const mutant of report.mutants) {
    if (!['Killed', 'Survived', 'Timeout', 'NoCoverage'].includes(mutant.status)) continue;
    tally.mutants++;
    if (mutant.status === 'Killed') tally.killed++;
    if (mutant.status === 'Timeout') tally.timeout++;
    if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
      if (mutant.status === 'Survived') tally.survived++;
      else tally.noCoverage++;
      const original = originalText(report.source, mutant.location);
      const replacement = mutant.replacement ?? '';
      const where = `${file}:${mutant.location.start.line}:${mutant.location.start.column}`;
      const what = `${mutant.status} ${mutant.mutatorName}: ${squash(original).slice(0, 70)} -> ${squash(replacement).slice(0, 70)}`;
      const equivalent = equivalentFor(file, original, replacement);
      if (equivalent) {
        tally.equivalent++;
        equivalentLines.push(`  ${where} ${what}\n      equivalent: ${equivalent.reason}`);
      } else {
        survivors.push(`  ${where} ${what}`);
      }
    }
  }
  perFile.set(file, tally);
  const folder = folderOf(file);
  const sum = perFolder.get(folder) ?? empty();
  for (const key of Object.keys(sum) as (keyof Tally)[]) sum[key] += tally[key];
  perFolder.set(folder, sum);
}

const percent = (n: number, d: number) => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1)}%`);
const score = (t: Tally) => percent(t.killed + t.timeout, t.mutants);
const scoreWithoutEquivalents = (t: Tally) => percent(t.killed + t.timeout, t.mutants - t.equivalent);

function table(rows: Map<string, Tally>, label: string) {
  console.log(`${label.padEnd(44)} mutants killed survived timeout no-cov equiv  score  score-w/o-equiv`);
  for (const [name, t] of rows) {
    console.log(
      `${name.padEnd(44)} ${String(t.mutants).padStart(7)} ${String(t.killed).padStart(6)} ${String(t.survived).padStart(8)} ${String(t.timeout).padStart(7)} ${String(t.noCoverage).padStart(6)} ${String(t.equivalent).padStart(5)} ${score(t).padStart(6)} ${scoreWithoutEquivalents(t).padStart(8)}`,
    );
  }
}

table(perFile, 'file');
console.log();
table(perFolder, 'folder');
console.log(`\nsurvivors (${survivors.length}):`);
for (const line of survivors) console.log(line);
console.log(`\nequivalent (${equivalentLines.length}):`);
for (const line of equivalentLines) console.log(line);
