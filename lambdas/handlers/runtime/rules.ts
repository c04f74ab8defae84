// The compiled rule set (rules/rules.json, copied beside the bundle at deploy) read at cold start.
// Data is read with JSON.parse rather than bundled as a JS literal: faster to load, and the code
// bundle stays the size of the code. TFDRIFT_RULES_FILE points elsewhere (tests, local runs).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleFile } from '../../core/rule-types.js';
import { compileRuleSet, type RuleSet } from '../../core/rules.js';

export function rulesFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TFDRIFT_RULES_FILE || join(dirname(fileURLToPath(import.meta.url)), 'rules.json');
}

export function loadCompiledRules(path = rulesFilePath()): RuleSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `rule set not found at ${path} (${(error as NodeJS.ErrnoException).code}): run npm run rules:build`,
    );
  }
  return compileRuleSet(JSON.parse(text) as { file: string; content: RuleFile }[], { verified: true });
}
