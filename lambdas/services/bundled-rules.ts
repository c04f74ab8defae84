// The rule set compiled into a Lambda bundle: rules/rules.json is generated from rules/*.yaml by
// `npm run rules:build` (already schema-checked there, so no validator ships in the bundle).

import bundle from '../../rules/rules.json' with { type: 'json' };
import type { RuleFile } from '../core/rule-types.js';
import { compileRuleSet, type RuleSet } from '../core/rules.js';

let cached: RuleSet | undefined;

export function bundledRules(): RuleSet {
  cached ??= compileRuleSet(bundle as unknown as { file: string; content: RuleFile }[], { verified: true });
  return cached;
}
