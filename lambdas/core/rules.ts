// Rules as data: compile rule files into a look-up by eventSource + eventName, and generate the
// EventBridge patterns that deliver exactly those events.

import { RuleError } from './errors.js';
import { type EventPattern, matchesPattern } from './event-pattern.js';
import { parsePath } from './paths.js';
import type { ChangeKind, RuleFile, RuleSpec, TargetSpec } from './rule-types.js';
import { compareText } from './text-order.js';
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
      checkNormaliser(`${field}.whereTransform`, identity.whereTransform);
      for (const path of Object.values(identity.where ?? {})) checkPath(`${field}.where`, path);
    });
    target.attributes?.forEach((attribute, a) => {
      const field = `targets[${t}].attributes[${a}]`;
      if (attribute.path === undefined && !('value' in attribute)) fail(field, 'needs a path or a value');
      checkPath(`${field}.path`, attribute.path);
      checkPath(`${field}.configuration`, attribute.configuration);
      if (attribute.configuration !== undefined && attribute.path === undefined)
        fail(field, 'a configuration needs a path inside it');
      checkPath(`${field}.attribute`, attribute.attribute);
      for (const s of [attribute.state ?? []].flat()) checkPath(`${field}.state`, s);
      checkNormaliser(`${field}.normalise`, attribute.normalise);
      attribute.splitInto?.identity.forEach((identity, i) => {
        checkPath(`${field}.splitInto.identity[${i}].path`, identity.path);
        checkNormaliser(`${field}.splitInto.identity[${i}].transform`, identity.transform);
      });
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
  for (const [source, nameSet] of [...namesBySource].sort(([a], [b]) => compareText(a, b))) {
    patterns.push(...sourcePatterns(source, nameSet, maxChars));
  }
  return patterns;
}

/** eventPatterns' patterns of one eventSource, for the names its rules handle. */
function sourcePatterns(source: string, nameSet: ReadonlySet<string>, maxChars: number): EventPattern[] {
  const patterns: EventPattern[] = [];
  const build = (names: string[]): EventPattern => ({
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: [source], eventName: names, errorCode: [{ exists: false }] },
  });
  // Sizes add up (one quoted name and a comma each), so chunks are cut in one pass.
  const emptySize = JSON.stringify(build([])).length;
  let chunk: string[] = [];
  let size = emptySize;
  for (const name of [...nameSet].sort()) {
    const added = JSON.stringify(name).length + (chunk.length > 0 ? 1 : 0);
    if (chunk.length > 0 && size + added > maxChars) {
      patterns.push(build(chunk));
      chunk = [];
      size = emptySize;
    }
    size += JSON.stringify(name).length + (chunk.length > 0 ? 1 : 0);
    chunk.push(name);
  }
  if (chunk.length > 0) patterns.push(build(chunk));
  return patterns;
}

// ---- the compiled bundle (rules/rules.json), read lazily ----
//
// `npm run rules:build` writes the bundle one rule per line, each rule's eventSource (when it has its
// own) and eventNames first. It is still one JSON document ([{file, content}], as compileRuleSet
// takes), but a reader can index it by eventSource + eventName from those leading keys alone and
// JSON.parse a rule only when an event first needs it: a cold start parses none of ~500 KB of rules.

/** The bundle text: a JSON array of rule files, one rule per line (see lazyRuleSet). */
export function serialiseRuleBundle(files: readonly { file: string; content: RuleFile }[]): string {
  const lines = ['['];
  files.forEach(({ file, content }, f) => {
    const { rules, ...head } = content;
    // {"file":…,"content":{…head…,"rules":[   — the head's keys in their order, rules last.
    const headJson = JSON.stringify(head);
    const open = headJson === '{}' ? '{"rules":[' : `${headJson.slice(0, -1)},"rules":[`;
    lines.push(`{"file":${JSON.stringify(file)},"content":${open}`);
    rules.forEach((rule, r) => {
      const { id, eventSource, eventNames, ...rest } = rule;
      const ordered = { id, ...(eventSource === undefined ? {} : { eventSource }), eventNames, ...rest };
      lines.push(JSON.stringify(ordered) + (r < rules.length - 1 ? ',' : ''));
    });
    lines.push(`]}}${f < files.length - 1 ? ',' : ''}`);
  });
  lines.push(']');
  // ASCII only (\uXXXX escapes, the same JSON): one non-ASCII character would make the reader's
  // string of the whole file two bytes a character, twice the memory and slower to scan.
  return `${lines.join('\n')}\n`.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** An EventBridge-pattern test per event, made per eventSource when an event of it first comes. */
export interface EventFilter {
  /** True when the rule set's EventBridge patterns (eventPatterns) match this envelope. */
  matches(envelope: Record<string, unknown>): boolean;
}

interface LazyIndex {
  /** The eventNames the rules of one eventSource handle (no rule parsed). */
  eventNamesOf(eventSource: string): ReadonlySet<string>;
}

const LAZY = Symbol('lazy rule index');

const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
// The leading keys serialiseRuleBundle writes: "id", the rule's own "eventSource" if any, "eventNames".
// Matched (sticky) at the start of a rule's line in the whole text: no line is copied or scanned further.
const RULE_HEAD = new RegExp(
  String.raw`\{"id":${JSON_STRING},(?:"eventSource":(${JSON_STRING}),)?"eventNames":\[((?:${JSON_STRING},?)*)\]`,
  'y',
);

interface PendingRule {
  /** The rule's line: text.slice(start, end). */
  readonly start: number;
  readonly end: number;
  readonly file: { readonly file: string; readonly service: string; readonly eventSource: string };
  /** 1-based line of the bundle, for errors. */
  readonly line: number;
}

/**
 * The rule set of a bundle serialiseRuleBundle wrote (already checked by `npm run rules:build`):
 * indexed from each line's leading keys, each rule parsed the first time an event needs it. Any other
 * JSON of the same shape (a compact bundle) is parsed whole, as compileRuleSet with `verified`.
 * A rule line that does not parse throws a RuleError naming its file and line when it is needed —
 * the events of other rules are not held up by it.
 */
export function lazyRuleSet(text: string): RuleSet {
  const indexed = indexBundle(text);
  if (!indexed)
    return compileRuleSet(JSON.parse(text) as { file: string; content: RuleFile }[], { verified: true });
  const { pending, byEvent } = indexed;
  const compiled: (CompiledRule | undefined)[] = new Array(pending.length);
  const compile = (i: number): CompiledRule => {
    const cachedRule = compiled[i];
    if (cachedRule) return cachedRule;
    const { start, end, file, line } = pending[i];
    const ruleText = text.slice(start, end);
    let spec: RuleSpec;
    try {
      spec = JSON.parse(ruleText.endsWith(',') ? ruleText.slice(0, -1) : ruleText) as RuleSpec;
    } catch (error) {
      throw new RuleError(
        `${file.file} (bundle line ${line}): rule does not parse: ${(error as Error).message}`,
      );
    }
    const rule: CompiledRule = {
      ...spec,
      eventSource: spec.eventSource ?? file.eventSource,
      service: file.service,
      file: file.file,
    };
    compiled[i] = rule;
    return rule;
  };
  const forEventCache = new Map<string, readonly CompiledRule[]>();
  const none: readonly CompiledRule[] = [];
  let all: readonly CompiledRule[] | undefined;
  const namesBySource = new Map<string, ReadonlySet<string>>();
  const lazyIndex: LazyIndex = {
    eventNamesOf(source) {
      let names = namesBySource.get(source);
      if (!names) {
        names = new Set(byEvent.get(source)?.keys());
        namesBySource.set(source, names);
      }
      return names;
    },
  };
  const ruleSet: RuleSet & { [LAZY]: LazyIndex } = {
    get rules() {
      all ??= pending.map((_, i) => compile(i));
      return all;
    },
    forEvent(source, name) {
      const k = key(source, name);
      let rules = forEventCache.get(k);
      if (!rules) {
        const positions = byEvent.get(source)?.get(name);
        rules = positions ? positions.map(compile) : none;
        forEventCache.set(k, rules);
      }
      return rules;
    },
    [LAZY]: lazyIndex,
  };
  return ruleSet;
}

/**
 * The line index of a serialiseRuleBundle text, or null when the text is laid out otherwise: each
 * rule's line, and eventSource → eventName → the rules' positions.
 */
function indexBundle(text: string) {
  if (!text.startsWith('[\n')) return null;
  const pending: PendingRule[] = [];
  const byEvent = new Map<string, Map<string, number[]>>();
  let file: PendingRule['file'] | undefined;
  let lineNo = 1;
  let start = 2;
  let closed = false;
  for (; start < text.length; start += 1) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo += 1;
    RULE_HEAD.lastIndex = start;
    const rule = file && text.startsWith('{"id":', start) ? RULE_HEAD.exec(text) : null;
    if (rule && file && RULE_HEAD.lastIndex <= end) {
      const [, ownSource, names] = rule;
      const source = ownSource === undefined ? file.eventSource : (JSON.parse(ownSource) as string);
      // "A","B" split as is, unless a name holds an escape.
      const list =
        names === ''
          ? []
          : names.includes('\\')
            ? (JSON.parse(`[${names}]`) as string[])
            : names.slice(1, -1).split('","');
      const position = pending.length;
      pending.push({ start, end, file, line: lineNo });
      let byName = byEvent.get(source);
      if (!byName) {
        byName = new Map();
        byEvent.set(source, byName);
      }
      for (const name of list) {
        const positions = byName.get(name);
        if (positions) positions.push(position);
        else byName.set(name, [position]);
      }
    } else {
      const line = text.slice(start, end);
      if (!file && !closed && line.startsWith('{"file":')) {
        let head: { file: string; content: { service?: string; eventSource?: string } };
        try {
          head = JSON.parse(`${line}]}}`);
        } catch {
          return null;
        }
        const { service, eventSource } = head.content;
        file = { file: head.file, service: String(service), eventSource: String(eventSource) };
      } else if (file && (line === ']}}' || line === ']}},')) {
        file = undefined;
      } else if (!file && !closed && line === ']') {
        closed = true;
      } else if (!(closed && line === '')) {
        return null;
      }
    }
    start = end;
  }
  return closed ? { pending, byEvent } : null;
}

/**
 * lazyRuleSet of a text read when an event first needs a rule: a cold start neither reads nor indexes
 * the rule set. `read` runs once (again on the next use if it threw).
 */
export function deferredRuleSet(read: () => string): RuleSet {
  let inner: RuleSet | undefined;
  const ruleSet = () => {
    inner ??= lazyRuleSet(read());
    return inner;
  };
  const deferred: RuleSet & { [LAZY]: LazyIndex } = {
    get rules() {
      return ruleSet().rules;
    },
    forEvent: (source, name) => ruleSet().forEvent(source, name),
    [LAZY]: { eventNamesOf: (source) => eventNamesOf(ruleSet(), source) },
  };
  return deferred;
}

const namesBySourceOf = new WeakMap<RuleSet, Map<string, Set<string>>>();

/** The eventNames a rule set's rules of one eventSource handle: from a lazy set's index, unparsed. */
function eventNamesOf(ruleSet: RuleSet, source: string): ReadonlySet<string> {
  const lazy = (ruleSet as Partial<Record<typeof LAZY, LazyIndex>>)[LAZY];
  if (lazy) return lazy.eventNamesOf(source);
  let namesBySource = namesBySourceOf.get(ruleSet);
  if (!namesBySource) {
    namesBySource = new Map();
    for (const rule of ruleSet.rules) {
      const names = namesBySource.get(rule.eventSource) ?? new Set<string>();
      for (const name of rule.eventNames) names.add(name);
      namesBySource.set(rule.eventSource, names);
    }
    namesBySourceOf.set(ruleSet, namesBySource);
  }
  return namesBySource.get(source) ?? new Set();
}

/**
 * The rule set's EventBridge patterns (eventPatterns) as a test per envelope, each eventSource's
 * patterns made when an event of it first comes: a pattern names one eventSource, so an envelope
 * can only match those of its own. A lazy rule set gives each source's names without parsing rules.
 */
export function eventFilter(ruleSet: RuleSet): EventFilter {
  const namesOf = (source: string) => eventNamesOf(ruleSet, source);
  const bySource = new Map<string, EventPattern[]>();
  let everyPattern: EventPattern[] | undefined;
  return {
    matches(envelope) {
      const source = (envelope.detail as { eventSource?: unknown } | undefined)?.eventSource;
      if (typeof source !== 'string') {
        // Not one eventSource string (EventBridge would match an array by any element): all patterns.
        everyPattern ??= eventPatterns(ruleSet);
        return everyPattern.some((p) => matchesPattern(p, envelope));
      }
      let patterns = bySource.get(source);
      if (!patterns) {
        patterns = sourcePatterns(source, namesOf(source), MAX_PATTERN_CHARS);
        bySource.set(source, patterns);
      }
      return patterns.some((p) => matchesPattern(p, envelope));
    },
  };
}
