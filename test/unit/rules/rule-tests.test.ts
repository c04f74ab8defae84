// The rules' own tests: every rules/*.yaml rule carries its test records (`tests:`, see
// rules/README.md), run here. Each test is one record + one state and every finding it must give,
// with both sides of every change; the same record as a failed call and as Terraform's own call must
// give nothing, the generated EventBridge patterns must deliver it (and drop its failed form), and
// an `unchanged` state must make it no change. A test may instead expect the record to be ignored,
// for a reason. A file's own `tests:` hold the calls no one rule owns. Every rule must have a test.

import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readRuleFiles } from '../../../lambdas/adapters/local/rule-files.js';
import { type EventPattern, matchesPattern, validatePattern } from '../../../lambdas/core/event-pattern.js';
import { parseRuleFile } from '../../../lambdas/core/rule-load.js';
import { eventPatterns } from '../../../lambdas/core/rules.js';
import type { Finding, IgnoreReason } from '../../../lambdas/core/types.js';
import {
  asFailed,
  asTerraform,
  findings,
  repoRules,
  run,
  type StateResourceInput,
  stateOf,
} from './harness.js';
import { patched, placedAt, recordAt } from './rule-records.js';

type Json = Record<string, unknown>;

interface ExpectedFinding {
  /** The rule that gives it, when not the rule the test belongs to. */
  readonly rule?: string;
  readonly kind: Finding['kind'];
  readonly type: string;
  readonly address?: string;
  readonly id?: string;
  readonly arn?: string;
  readonly severity: Finding['severity'];
  readonly changes?: Record<string, { state: unknown; event: unknown }>;
}

interface RuleTest {
  readonly label?: string;
  readonly record: string;
  readonly set?: Json;
  readonly unset?: string[];
  readonly state?: StateResourceInput[];
  readonly expect?: ExpectedFinding[];
  readonly ignored?: IgnoreReason;
  readonly never?: string[];
  readonly unchanged?: StateResourceInput[];
}

interface TestedRuleFile {
  readonly eventSource: string;
  readonly rules: {
    readonly id: string;
    readonly when?: EventPattern;
    readonly escalate?: { readonly when: EventPattern }[];
    readonly tests?: RuleTest[];
  }[];
  readonly tests?: RuleTest[];
}

// Read whole (parseRuleFile, which the schema check below uses, leaves the tests out).
const files = readRuleFiles().map(({ file, text }) => ({
  path: file,
  text,
  file: `rules/${file.split('/').pop()}`,
  content: parseYaml(text) as TestedRuleFile,
}));
const eventSources = new Map(files.map(({ file, content }) => [file, content.eventSource]));
const eventSourceOf = (service: string): string => {
  const source = eventSources.get(`rules/${service}.yaml`);
  if (!source) throw new Error(`no rules/${service}.yaml for the records of test/fixtures/rules/${service}`);
  return source;
};

let patterns: EventPattern[] | undefined;
/** True when a generated pattern matches the record as EventBridge delivers it. */
function deliveredByPatterns(record: Json): boolean {
  patterns ??= eventPatterns(repoRules());
  // Panther's test records carry `errorCode: ""` on success; CloudTrail omits the field.
  const { errorCode, ...rest } = record;
  const detail = errorCode === '' ? rest : record;
  const envelope = { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.test', detail };
  return patterns.some((p) => matchesPattern(p, envelope));
}

/** A finding in the shape of a test's `expect` entry. */
function asExpected(finding: Finding): ExpectedFinding & { rule: string } {
  const { resource } = finding;
  return {
    rule: finding.ruleId,
    kind: finding.kind,
    type: resource.type,
    ...(resource.address
      ? { address: resource.address }
      : {
          ...(resource.id == null ? {} : { id: resource.id }),
          ...(resource.arn == null ? {} : { arn: resource.arn }),
        }),
    severity: finding.severity,
    ...(finding.changes.length > 0
      ? {
          changes: Object.fromEntries(
            finding.changes.map((c) => [c.attribute, { state: c.expected ?? null, event: c.actual ?? null }]),
          ),
        }
      : {}),
  };
}

for (const { path, text, file, content } of files) {
  describe(file, () => {
    it('is a valid rule file, tests included', () => {
      expect(() => parseRuleFile(path, text)).not.toThrow();
    });

    const tests = [
      ...content.rules.flatMap((rule) =>
        (rule.tests ?? []).map(
          (test) => [`${rule.id}${test.label ? ` (${test.label})` : ''}`, rule.id, test] as const,
        ),
      ),
      ...(content.tests ?? []).map((test) => [test.label ?? test.record, undefined, test] as const),
    ];

    it.each(tests)('%s', (_, ruleId, test) => {
      // Prepare
      const record = patched(recordAt(test.record, eventSourceOf), test.set, test.unset);
      const state = stateOf(...placedAt(record, test.state ?? []));

      // Act
      const outcome = run(record, state).outcome;
      const found = findings(record, state);

      // Assess
      if (test.expect) {
        // Exactly the expected findings, each of its rule, with both sides of every change.
        const expected = test.expect.map(({ rule, ...e }) => {
          if (!(rule ?? ruleId)) throw new Error(`${file}: a file's test names the rule of each finding`);
          return { rule: rule ?? ruleId, ...e };
        });
        expect(found.map(asExpected), JSON.stringify(outcome)).toEqual(expected);
        expect(new Set(found.map((f) => f.id)).size, 'one id per finding').toBe(found.length);
        // The same call failed, or made by Terraform, is nothing.
        expect(run(asFailed(record), state).outcome).toMatchObject({
          result: 'ignored',
          reason: 'failed-call',
        });
        expect(run(asTerraform(record), state).outcome).toMatchObject({
          result: 'ignored',
          reason: 'terraform',
        });
        // The EventBridge patterns generated from the rules deliver the call, and drop its failed form.
        expect(deliveredByPatterns(record), 'no generated EventBridge pattern matches').toBe(true);
        expect(deliveredByPatterns(asFailed(record)), 'a pattern matches the failed call').toBe(false);
      } else {
        expect(outcome.result === 'ignored' ? { ignored: outcome.reason } : outcome).toEqual({
          ignored: test.ignored,
        });
      }
      const text = JSON.stringify(found);
      for (const secret of test.never ?? []) expect(text, `a finding shows ${secret}`).not.toContain(secret);
      if (test.unchanged) {
        expect(run(record, stateOf(...placedAt(record, test.unchanged))).outcome).toMatchObject({
          result: 'ignored',
          reason: 'no-change',
        });
      }
    });

    it('has a test for every rule', () => {
      expect(content.rules.length).toBeGreaterThan(0);
      expect(content.rules.filter((r) => !r.tests?.length).map((r) => r.id)).toEqual([]);
    });

    it('has only patterns the bus accepts', () => {
      const problems = content.rules.flatMap((rule) =>
        [rule.when, ...(rule.escalate ?? []).map((e) => e.when)]
          .filter((p) => p !== undefined)
          .flatMap((p) => validatePattern(p).map((problem) => `${rule.id}: ${problem}`)),
      );
      expect(problems).toEqual([]);
    });
  });
}
