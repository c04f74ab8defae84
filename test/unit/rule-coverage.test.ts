// Issue #3's measure over the real corpus: the share of successful write calls (of services that
// manage resources Terraform can own) that a rule matches or rules/not-drift explains.

import { describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { eventPatterns, MAX_PATTERN_CHARS } from '../../lambdas/core/rules.js';
import { notDriftReasons, ruleCoverage } from '../support/rule-coverage.js';

describe('rule coverage of the corpus', () => {
  it('matches or explains at least 95% of write calls', () => {
    const report = ruleCoverage();
    expect(report.inScope).toBeGreaterThan(400);
    expect(report.share, JSON.stringify(report.unexplained.slice(0, 20))).toBeGreaterThanOrEqual(0.95);
  });

  it('gives a reason for every call it explains, and explains nothing a rule matches', () => {
    const rules = loadRulesFromDir();
    for (const [key, reason] of notDriftReasons()) {
      expect(reason.trim().length, key).toBeGreaterThan(10);
      const [source, name] = key.split(/:(?=[^:]+$)/);
      expect(rules.forEvent(source, name), `${key} is both a rule and not drift`).toHaveLength(0);
    }
  });

  it('reaches the counts of issue #3 and keeps every pattern within EventBridge limits', () => {
    const rules = loadRulesFromDir();
    const eventNames = new Set(rules.rules.flatMap((r) => r.eventNames.map((n) => `${r.eventSource}:${n}`)));
    const types = new Set(
      rules.rules.flatMap((r) => r.targets.flatMap((t) => t.types)).filter((t) => t !== '*'),
    );
    const compared = new Set(
      rules.rules
        .filter((r) => r.targets.some((t) => (t.attributes ?? []).length > 0))
        .flatMap((r) => r.eventNames.map((n) => `${r.eventSource}:${n}`)),
    );
    const services = new Set(rules.rules.map((r) => r.eventSource));
    expect(eventNames.size).toBeGreaterThanOrEqual(350);
    expect(types.size).toBeGreaterThanOrEqual(150);
    expect(compared.size).toBeGreaterThanOrEqual(200);
    expect(services.size).toBeGreaterThanOrEqual(40);
    const patterns = eventPatterns(rules);
    for (const pattern of patterns)
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(MAX_PATTERN_CHARS);
    const delivered = new Set(
      patterns.flatMap((p) => {
        const detail = p.detail as { eventSource: string[]; eventName: string[] };
        return detail.eventName.map((n) => `${detail.eventSource[0]}:${n}`);
      }),
    );
    expect(delivered).toEqual(eventNames);
  });
});
