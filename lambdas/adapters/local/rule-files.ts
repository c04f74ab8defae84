// Rules on one machine: the YAML files of a folder (default: the repo's rules/).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuleSet } from '../../core/rule-load.js';
import type { RuleSet } from '../../core/rules.js';

export const DEFAULT_RULES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../rules');

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
  return loadRuleSet(readRuleFiles(dir));
}
