// The compiled rule set (rules/rules.json, copied beside the bundle at deploy) read at cold start.
// It is data read from a file rather than bundled as a JS literal, and it is read lazily: the cold
// start indexes it by eventSource + eventName from each rule's line and parses none of it; a rule
// is parsed when an event first needs it (core/rules.ts lazyRuleSet). TFDRIFT_RULES_FILE points
// elsewhere (tests, local runs).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyRuleSet, type RuleSet } from '../../core/rules.js';

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
  return lazyRuleSet(text);
}
