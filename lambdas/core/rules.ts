// Rules as data: compile rule files into a look-up by eventSource + eventName, and generate the
// EventBridge patterns that deliver exactly those events.

import { RuleError } from './errors.js';
import type { EventPattern } from './event-pattern.js';
import { parsePath } from './paths.js';
import type { ChangeKind, RuleFile, RuleSpec, TargetSpec } from './rule-types.js';
import { SEVERITIES, type Severity } from './types.js';
import { NORMALISERS } from './values.js';

export interface CompiledRule extends RuleSpec {
  readonly eventSource: string;
  readonly service: string;
  /** Rule file it came from (for error messages and docs). */
  readonly file: string;
}

export interface RuleSet {
  readonly rules: readonly CompiledRule[];
  /** Rules for one eventSource + eventName, in file order. */
  forEvent(eventSource: string, eventName: string): readonly CompiledRule[];
}

export interface RuleSummary {
  readonly id: string;
  readonly service: string;
  readonly eventSource: string;
  readonly eventNames: readonly string[];
  readonly change: ChangeKind;
  readonly severity: Severity;
  readonly resourceTypes: readonly string[];
  readonly attributes: readonly string[];
}

const key = (source: string, name: string) => `${source}\u0000${name}`;

/** Checks what a JSON schema cannot: paths parse, normalisers exist, ids are unique. */
function checkRule(rule: CompiledRule, where: string): void {
  const fail = (field: string, message: string) => {
    throw new RuleError(`${where}: rule "${rule.id}" ${field}: ${message}`);
  };
  if (!SEVERITIES.includes(rule.severity)) fail('severity', `must be one of ${SEVERITIES.join(', ')}`);
  const checkPath = (field: string, path: string | undefined) => {
    if (path === undefined) return;
    try {
      parsePath(path);
    } catch (error) {
      fail(field, (error as Error).message);
    }
  };
  const checkNormaliser = (field: string, name: string | undefined) => {
    if (name !== undefined && !(name in NORMALISERS)) {
      fail(field, `unknown normaliser "${name}" (known: ${Object.keys(NORMALISERS).join(', ')})`);
    }
  };
  rule.targets.forEach((target: TargetSpec, t) => {
    target.identity.forEach((identity, i) => {
      const field = `targets[${t}].identity[${i}]`;
      if (!identity.path && !identity.template && identity.by !== 'type')
        fail(field, 'needs a path or a template');
      checkPath(`${field}.path`, identity.path);
      for (const m of identity.template?.matchAll(/\{([^}]+)\}/g) ?? []) checkPath(`${field}.template`, m[1]);
      checkNormaliser(`${field}.transform`, identity.transform);
      for (const path of Object.values(identity.where ?? {})) checkPath(`${field}.where`, path);
    });
    target.attributes?.forEach((attribute, a) => {
      const field = `targets[${t}].attributes[${a}]`;
      if (attribute.path === undefined && !('value' in attribute)) fail(field, 'needs a path or a value');
      checkPath(`${field}.path`, attribute.path);
      checkPath(`${field}.attribute`, attribute.attribute);
      for (const s of [attribute.state ?? []].flat()) checkPath(`${field}.state`, s);
      checkNormaliser(`${field}.normalise`, attribute.normalise);
    });
  });
}

export interface CompileOptions {
  /**
   * The files were compiled and checked before (rules/rules.json, written by `npm run rules:build`
   * and kept current by CI): skip the per-rule checks, which are a third of a Lambda's cold start.
   */
  readonly verified?: boolean;
}

/** Builds a rule set from parsed (schema-valid) rule files. Throws RuleError naming file and field. */
export function compileRuleSet(
  files: readonly { file: string; content: RuleFile }[],
  options: CompileOptions = {},
): RuleSet {
  const rules: CompiledRule[] = [];
  const byEvent = new Map<string, CompiledRule[]>();
  const seen = new Map<string, string>();
  for (const { file, content } of files) {
    content.rules.forEach((spec, index) => {
      const rule: CompiledRule = {
        ...spec,
        eventSource: spec.eventSource ?? content.eventSource,
        service: content.service,
        file,
      };
      const where = `${file} rules[${index}]`;
      const previous = seen.get(rule.id);
      if (previous) throw new RuleError(`${where}: rule id "${rule.id}" is also used in ${previous}`);
      seen.set(rule.id, where);
      if (!options.verified) checkRule(rule, where);
      rules.push(rule);
      for (const name of rule.eventNames) {
        const k = key(rule.eventSource, name);
        const list = byEvent.get(k);
        if (list) list.push(rule);
        else byEvent.set(k, [rule]);
      }
    });
  }
  const none: readonly CompiledRule[] = [];
  return {
    rules,
    forEvent: (source, name) => byEvent.get(key(source, name)) ?? none,
  };
}

export function summariseRule(rule: CompiledRule): RuleSummary {
  const types = new Set<string>();
  const attributes = new Set<string>();
  for (const target of rule.targets) {
    for (const type of target.types) types.add(type);
    for (const attribute of target.attributes ?? []) attributes.add(attribute.attribute);
  }
  return {
    id: rule.id,
    service: rule.service,
    eventSource: rule.eventSource,
    eventNames: rule.eventNames,
    change: rule.change,
    severity: rule.severity,
    resourceTypes: [...types],
    attributes: [...attributes],
  };
}

/** EventBridge's limit on an event pattern's size (characters of its JSON). */
export const MAX_PATTERN_CHARS = 2048;

/**
 * One EventBridge pattern per eventSource (split into chunks under the size limit) that matches the
 * successful write calls the rules handle. Failed calls are dropped at the bus (errorCode absent).
 */
export function eventPatterns(ruleSet: RuleSet, maxChars = MAX_PATTERN_CHARS): EventPattern[] {
  const namesBySource = new Map<string, Set<string>>();
  for (const rule of ruleSet.rules) {
    const names = namesBySource.get(rule.eventSource) ?? new Set<string>();
    for (const name of rule.eventNames) names.add(name);
    namesBySource.set(rule.eventSource, names);
  }
  const patterns: EventPattern[] = [];
  const build = (source: string, names: string[]): EventPattern => ({
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: [source], eventName: names, errorCode: [{ exists: false }] },
  });
  // Sizes add up (one quoted name and a comma each), so chunks are cut in one pass.
  for (const [source, nameSet] of [...namesBySource].sort(([a], [b]) => a.localeCompare(b))) {
    const emptySize = JSON.stringify(build(source, [])).length;
    let chunk: string[] = [];
    let size = emptySize;
    for (const name of [...nameSet].sort()) {
      const added = JSON.stringify(name).length + (chunk.length > 0 ? 1 : 0);
      if (chunk.length > 0 && size + added > maxChars) {
        patterns.push(build(source, chunk));
        chunk = [];
        size = emptySize;
      }
      size += JSON.stringify(name).length + (chunk.length > 0 ? 1 : 0);
      chunk.push(name);
    }
    if (chunk.length > 0) patterns.push(build(source, chunk));
  }
  return patterns;
}
