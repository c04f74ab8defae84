// The compiled rule set: the EventBridge patterns cut under the size limit, and rules/rules.json
// (what the Lambdas load, trusting `npm run rules:build`'s checks) equal to the rule files.

import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import type { RuleFile } from '../../lambdas/core/rule-types.js';
import { compileRuleSet, eventPatterns } from '../../lambdas/core/rules.js';
import { loadCompiledRules } from '../../lambdas/handlers/runtime/rules.js';

type Pattern = { detail: { eventSource: string[]; eventName: string[] } };

describe('eventPatterns', () => {
  it('cuts each source into the fewest patterns under the size limit, every name once', () => {
    const rules = loadRulesFromDir();
    for (const maxChars of [300, 700, 2048]) {
      const patterns = eventPatterns(rules, maxChars) as unknown as Pattern[];
      const bySource = new Map<string, string[][]>();
      for (const p of patterns) {
        expect(JSON.stringify(p).length).toBeLessThanOrEqual(maxChars);
        const source = p.detail.eventSource[0];
        bySource.set(source, [...(bySource.get(source) ?? []), p.detail.eventName]);
      }
      for (const [source, chunks] of bySource) {
        const names = new Set(
          rules.rules.filter((r) => r.eventSource === source).flatMap((r) => r.eventNames),
        );
        expect(chunks.flat()).toEqual([...names].sort());
        // Greedy and maximal: the next chunk's first name would not have fitted in the one before.
        for (let i = 1; i < chunks.length; i++) {
          const grown = {
            ...patterns[0],
            detail: {
              ...patterns[0].detail,
              eventSource: [source],
              eventName: [...chunks[i - 1], chunks[i][0]],
            },
          };
          expect(JSON.stringify(grown).length).toBeGreaterThan(maxChars);
        }
      }
    }
  });
});

describe('the compiled rule set', () => {
  const committed = new URL('../../rules/rules.json', import.meta.url).pathname;

  it('fails a cold start without the file, naming it; reads the file when an event first needs it', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'tfdrift-rules-'));
    const path = join(dir, 'rules.json');
    try {
      // Act + Assess: no file, no cold start
      expect(() => loadCompiledRules(path)).toThrowError(
        `rule set not found at ${path} (ENOENT): run npm run rules:build`,
      );
      // Act: loaded, then the file goes before any event came
      copyFileSync(committed, path);
      const loaded = loadCompiledRules(path);
      rmSync(path);
      // Assess: the first event that needs a rule fails naming the file; once back, it reads it
      expect(() => loaded.forEvent('s3.amazonaws.com', 'PutBucketVersioning')).toThrowError(
        `rule set not found at ${path} (ENOENT): run npm run rules:build`,
      );
      copyFileSync(committed, path);
      expect(loaded.forEvent('s3.amazonaws.com', 'PutBucketVersioning').length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads rules/rules.json to the same rules as the rule files', () => {
    const fromFiles = loadRulesFromDir();
    const compiled = loadCompiledRules(committed);
    expect(compiled.rules.map((r) => [r.id, r.eventSource, r.file])).toEqual(
      fromFiles.rules.map((r) => [r.id, r.eventSource, `rules/${r.file.split('/').pop()}`]),
    );
    for (const rule of fromFiles.rules) {
      for (const name of rule.eventNames) {
        expect(compiled.forEvent(rule.eventSource, name).map((r) => r.id)).toEqual(
          fromFiles.forEvent(rule.eventSource, name).map((r) => r.id),
        );
      }
    }
  });

  it('checks each rule unless told the files were checked already', () => {
    const bundle = JSON.parse(readFileSync(new URL('../../rules/rules.json', import.meta.url), 'utf8')) as {
      file: string;
      content: RuleFile;
    }[];
    const broken = structuredClone(bundle.slice(0, 1));
    const rule = broken[0].content.rules[0] as unknown as {
      targets: { identity: { transform?: string }[] }[];
    };
    rule.targets[0].identity[0].transform = 'no-such-normaliser';
    expect(() => compileRuleSet(broken)).toThrowError(/unknown normaliser "no-such-normaliser"/);
    expect(compileRuleSet(broken, { verified: true }).rules).toHaveLength(broken[0].content.rules.length);
  });
});
