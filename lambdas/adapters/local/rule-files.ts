// Rules on one machine: the YAML files of a folder (default: the repo's rules/).
// Parsing ~1,000 rules of YAML takes seconds, so the validated result is cached as JSON keyed by
// the exact texts of the rule files and the schema: an edited file can never be served stale.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRuleFile } from '../../core/rule-load.js';
import type { RuleFile } from '../../core/rule-types.js';
import { compileRuleSet, type RuleSet } from '../../core/rules.js';

export const DEFAULT_RULES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../rules');
const CACHE_DIR = resolve(DEFAULT_RULES_DIR, '../node_modules/.cache/tfdrift');

/** Rule file texts of a folder, sorted by name (stable rule order). */
export function readRuleFiles(dir = DEFAULT_RULES_DIR): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({
      file: relative(process.cwd(), join(dir, name)) || name,
      text: readFileSync(join(dir, name), 'utf8'),
    }));
}

export function loadRulesFromDir(dir = DEFAULT_RULES_DIR): RuleSet {
  const files = readRuleFiles(dir);
  const schema = readFileSync(join(DEFAULT_RULES_DIR, 'schema.json'), 'utf8');
  const key = createHash('sha256')
    .update([schema, ...files.flatMap((f) => [f.file, f.text])].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  const cached = join(CACHE_DIR, `rules-${key}.json`);
  let parsed: { file: string; content: RuleFile }[] | undefined;
  try {
    parsed = JSON.parse(readFileSync(cached, 'utf8'));
  } catch {
    // not cached yet (or unreadable): parse and validate below
  }
  if (!parsed) {
    parsed = files.map(({ file, text }) => ({ file, content: parseRuleFile(file, text) }));
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(parsed));
      renameSync(temp, cached); // atomic: parallel test workers never read half a file
    } catch {
      // a read-only install just parses every time
    }
  }
  return compileRuleSet(parsed);
}
