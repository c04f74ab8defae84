// The rule files as the installed command reads them: scripts/build-cli.ts puts this module in
// place of ../adapters/local/rule-files.ts in the CLI bundle. The built-in rules are the compiled
// rules/rules.json that the build wrote and checked (no YAML parsing or schema validation at start);
// a folder given with --rules is read as its YAML files, as in a checkout.

import { join } from 'node:path';
import {
  DEFAULT_RULES_DIR,
  loadRulesFromDir as loadRuleFolder,
  readRuleFiles,
} from '../adapters/local/rule-files.js';
import type { RuleSet } from '../core/rules.js';
import { loadCompiledRules } from '../handlers/runtime/rules.js';

export { DEFAULT_RULES_DIR, readRuleFiles };

export function loadRulesFromDir(dir?: string): RuleSet {
  if (dir !== undefined && dir !== DEFAULT_RULES_DIR) return loadRuleFolder(dir);
  return loadCompiledRules(join(DEFAULT_RULES_DIR, 'rules.json'));
}
