// Reading rule files: YAML text → schema check (rules/schema.json) → a rule file to compile
// (rules.ts compileRuleSet). A bad rule file is a RuleError naming the file and the field.

import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import schema from '../../rules/schema.json' with { type: 'json' };
import { RuleError } from './errors.js';
import type { RuleFile, RuleSpec } from './rule-types.js';

// Compiled when a rule file is first parsed, not on import: the installed CLI imports this module
// for `--rules DIR` but reads its built-in rules precompiled, and compiling the schema takes ~0.1 s.
let compiledSchema: ValidateFunction<RuleFile> | undefined;
const validator = () => {
  compiledSchema ??= new Ajv({ allErrors: true, strict: false }).compile<RuleFile>(schema);
  return compiledSchema;
};

/**
 * Parses and validates one rule file's text (YAML or JSON). The `tests` of its rules and of the file
 * (test records, run by the repository's rule tests) are validated with it and left out: no rule set
 * carries them.
 */
export function parseRuleFile(file: string, text: string): RuleFile {
  let content: unknown;
  try {
    content = parseYaml(text);
  } catch (error) {
    throw new RuleError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const validate = validator();
  if (!validate(content)) {
    const problems = (validate.errors ?? []).slice(0, 5).map((e) => {
      const field = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(root)';
      const extra = e.params && 'additionalProperty' in e.params ? ` "${e.params.additionalProperty}"` : '';
      return `${field}: ${e.message}${extra}`;
    });
    throw new RuleError(`${file}: invalid rule file: ${problems.join('; ')}`);
  }
  const { tests: _fileTests, ...rest } = content as RuleFile & { readonly tests?: unknown };
  return { ...rest, rules: content.rules.map(withoutTests) };
}

function withoutTests(rule: RuleSpec & { readonly tests?: unknown }): RuleSpec {
  const { tests: _tests, ...spec } = rule;
  return spec;
}
