// The compiled rule set (rules/rules.json, copied beside the bundle at deploy). A cold start only
// checks that the file is there: it is read and indexed by eventSource + eventName when the first
// event needs a rule, and each rule is parsed when an event first needs it (core/rules.ts
// deferredRuleSet, lazyRuleSet). TFDRIFT_RULES_FILE points elsewhere (tests, local runs).

import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferredRuleSet, type RuleSet } from '../../core/rules.js';

export function rulesFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TFDRIFT_RULES_FILE || join(dirname(fileURLToPath(import.meta.url)), 'rules.json');
}

const notFound = (path: string, error: unknown) =>
  new Error(
    `rule set not found at ${path} (${(error as NodeJS.ErrnoException).code}): run npm run rules:build`,
  );

/** The rule set of a file that exists now (a missing one fails the cold start), read on first use. */
export function loadCompiledRules(path = rulesFilePath()): RuleSet {
  try {
    statSync(path);
  } catch (error) {
    throw notFound(path, error);
  }
  return deferredRuleSet(() => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw notFound(path, error);
    }
  });
}
