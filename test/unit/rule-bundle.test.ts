// The rule bundle the Lambdas read (rules/rules.json): written one rule per line so a cold start can
// index it by eventSource + eventName and parse a rule only when an event needs it. Read lazily it
// must be the same rule set as the rule files compiled whole, and filter events exactly as the
// EventBridge patterns do.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRuleFiles } from '../../lambdas/adapters/local/rule-files.js';
import { matchesPattern } from '../../lambdas/core/event-pattern.js';
import { parseRuleFile } from '../../lambdas/core/rule-load.js';
import type { RuleFile, RuleSpec } from '../../lambdas/core/rule-types.js';
import {
  compileRuleSet,
  deferredRuleSet,
  eventFilter,
  eventPatterns,
  lazyRuleSet,
  type RuleSet,
  serialiseRuleBundle,
} from '../../lambdas/core/rules.js';

type Files = { file: string; content: RuleFile }[];

const files: Files = readRuleFiles().map(({ file, text }) => ({
  file: `rules/${file.split('/').pop()}`,
  content: parseRuleFile(file, text),
}));

/** Every eventSource + eventName the rules handle. */
function eventKeys(ruleSet: RuleSet): [string, string][] {
  const keys = new Map<string, [string, string]>();
  for (const rule of ruleSet.rules)
    for (const name of rule.eventNames) keys.set(`${rule.eventSource} ${name}`, [rule.eventSource, name]);
  return [...keys.values()];
}

const ids = (rules: readonly { id: string }[]) => rules.map((r) => r.id);

function rule(id: string, eventNames: string[], extra: Partial<RuleSpec> = {}): RuleSpec {
  return {
    id,
    eventNames,
    change: 'modify',
    severity: 'low',
    targets: [
      { types: ['aws_s3_bucket'], identity: [{ path: 'requestParameters.bucketName', by: 'bucket' }] },
    ],
    ...extra,
  };
}

describe('serialiseRuleBundle', () => {
  it('writes the same JSON value, one rule per line, in ASCII', () => {
    // Act
    const text = serialiseRuleBundle(files);
    // Assess
    expect(JSON.parse(text)).toEqual(files);
    const ruleCount = files.reduce((n, f) => n + f.content.rules.length, 0);
    expect(text.split('\n').filter((line) => line.startsWith('{"id":'))).toHaveLength(ruleCount);
    expect(Buffer.byteLength(text, 'utf8')).toBe(text.length);
  });

  it('escapes non-ASCII text rather than losing it', () => {
    // Prepare
    const own: Files = [
      {
        file: 'rules/caf\u00e9.yaml',
        content: {
          service: 's3',
          eventSource: 's3.amazonaws.com',
          rules: [rule('s3.x', ['PutBucketTagging'], { description: 'a \u2192 b' })],
        },
      },
    ];
    // Act
    const text = serialiseRuleBundle(own);
    // Assess
    expect(Buffer.byteLength(text, 'utf8')).toBe(text.length);
    expect(text).toContain('a \\u2192 b');
    expect(JSON.parse(text)).toEqual(own);
  });

  it('is what rules/rules.json holds (npm run rules:build)', () => {
    const committed = readFileSync(new URL('../../rules/rules.json', import.meta.url), 'utf8');
    expect(committed).toBe(serialiseRuleBundle(files));
  });

  it("leaves the rules' tests out: the bundle does not grow with them", () => {
    // Prepare: the rule files hold tests, per rule and per file.
    const texts = readRuleFiles().map(({ text }) => text);
    const withTests = texts.filter((text) => /^ {4}tests:$/m.test(text)).length;
    const withFileTests = texts.filter((text) => /^tests:$/m.test(text)).length;

    // Act
    const bundle = serialiseRuleBundle(files);

    // Assess: every file has rule tests, some have file tests; none reaches a parsed file or the bundle.
    expect([withTests, withFileTests > 0]).toEqual([texts.length, true]);
    expect(
      files.filter(({ content }) => 'tests' in content || content.rules.some((r) => 'tests' in r)),
    ).toEqual([]);
    expect(bundle).not.toContain('"tests"');
    expect(bundle).not.toContain('"expect"');
  });
});

describe('lazyRuleSet', () => {
  const whole = compileRuleSet(files, { verified: true });

  it('gives every event the rules the whole compiled set gives it, in file order', () => {
    // Prepare
    const lazy = lazyRuleSet(serialiseRuleBundle(files));
    // Act + Assess
    const keys = eventKeys(whole);
    expect(keys.length).toBeGreaterThan(1000);
    for (const [source, name] of keys)
      expect(ids(lazy.forEvent(source, name))).toEqual(ids(whole.forEvent(source, name)));
    expect(lazy.forEvent('s3.amazonaws.com', 'GetObject')).toEqual([]);
    expect(lazy.forEvent('no.amazonaws.com', 'PutBucketVersioning')).toEqual([]);
    expect(lazy.rules).toEqual(whole.rules);
  });

  it('parses only the rules an event needs: a damaged rule fails its own events, not the others', () => {
    // Prepare: break the PutBucketVersioning rule's line after its leading keys.
    const lines = serialiseRuleBundle(files).split('\n');
    const at = lines.findIndex(
      (l) => l.startsWith('{"id":') && l.includes('"eventNames":["PutBucketVersioning"]'),
    );
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at].replace('"targets":', '"targets":{{');
    const lazy = lazyRuleSet(lines.join('\n'));
    // Act + Assess
    expect(ids(lazy.forEvent('ec2.amazonaws.com', 'ModifyInstanceAttribute'))).toEqual(
      ids(whole.forEvent('ec2.amazonaws.com', 'ModifyInstanceAttribute')),
    );
    expect(() => lazy.forEvent('s3.amazonaws.com', 'PutBucketVersioning')).toThrowError(
      new RegExp(`rules/s3\\.yaml \\(bundle line ${at + 1}\\): rule does not parse`),
    );
  });

  it('indexes a rule under its own eventSource and names with escapes', () => {
    // Prepare
    const own: Files = [
      {
        file: 'rules/mixed.yaml',
        content: {
          service: 's3',
          eventSource: 's3.amazonaws.com',
          rules: [
            rule('mixed.first', ['PutBucketTagging', 'Odd"Name]', 'Caf\u00e9']),
            rule('mixed.control', ['CreateTrail'], { eventSource: 'cloudtrail.amazonaws.com' }),
            rule('mixed.again', ['PutBucketTagging']),
          ],
        },
      },
    ];
    // Act
    const lazy = lazyRuleSet(serialiseRuleBundle(own));
    // Assess
    expect(ids(lazy.forEvent('s3.amazonaws.com', 'PutBucketTagging'))).toEqual([
      'mixed.first',
      'mixed.again',
    ]);
    expect(ids(lazy.forEvent('s3.amazonaws.com', 'Odd"Name]'))).toEqual(['mixed.first']);
    expect(ids(lazy.forEvent('s3.amazonaws.com', 'Caf\u00e9'))).toEqual(['mixed.first']);
    expect(ids(lazy.forEvent('cloudtrail.amazonaws.com', 'CreateTrail'))).toEqual(['mixed.control']);
    expect(lazy.forEvent('s3.amazonaws.com', 'CreateTrail')).toEqual([]);
    expect(lazy.forEvent('cloudtrail.amazonaws.com', 'CreateTrail')[0]).toMatchObject({
      service: 's3',
      file: 'rules/mixed.yaml',
      eventSource: 'cloudtrail.amazonaws.com',
    });
  });

  it('reads a bundle laid out any other way whole (a compact rules.json)', () => {
    // Act
    const compact = lazyRuleSet(JSON.stringify(files));
    // Assess
    expect(compact.rules).toEqual(whole.rules);
    expect(ids(compact.forEvent('s3.amazonaws.com', 'PutBucketVersioning'))).toEqual(
      ids(whole.forEvent('s3.amazonaws.com', 'PutBucketVersioning')),
    );
    expect(() => lazyRuleSet('[\n{"file":')).toThrowError(SyntaxError);
  });
});

describe('deferredRuleSet', () => {
  const whole = compileRuleSet(files, { verified: true });

  it('reads nothing until an event needs a rule, then reads once and gives what the lazy set gives', () => {
    // Prepare
    let reads = 0;
    const deferred = deferredRuleSet(() => {
      reads += 1;
      return serialiseRuleBundle(files);
    });
    const filter = eventFilter(deferred);
    expect(reads).toBe(0);
    // Act
    const first = deferred.forEvent('s3.amazonaws.com', 'PutBucketVersioning');
    const matched = filter.matches({
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.s3',
      detail: { eventSource: 's3.amazonaws.com', eventName: 'PutBucketTagging' },
    });
    // Assess
    expect(reads).toBe(1);
    expect(ids(first)).toEqual(ids(whole.forEvent('s3.amazonaws.com', 'PutBucketVersioning')));
    expect(ids(first).length).toBeGreaterThan(0);
    expect(matched).toBe(true);
    expect(deferred.rules).toEqual(whole.rules);
    expect(reads).toBe(1);
  });

  it('fails the use that could not read, and reads again on the next', () => {
    // Prepare
    let available = false;
    const deferred = deferredRuleSet(() => {
      if (!available) throw new Error('rules.json: not there yet');
      return serialiseRuleBundle(files);
    });
    // Act + Assess
    expect(() => deferred.forEvent('s3.amazonaws.com', 'PutBucketVersioning')).toThrowError(
      'rules.json: not there yet',
    );
    available = true;
    expect(ids(deferred.forEvent('s3.amazonaws.com', 'PutBucketVersioning'))).toEqual(
      ids(whole.forEvent('s3.amazonaws.com', 'PutBucketVersioning')),
    );
  });
});

describe('eventFilter', () => {
  const whole = compileRuleSet(files, { verified: true });
  const patterns = eventPatterns(whole);
  const envelope = (detail: Record<string, unknown>) => ({
    version: '0',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    detail,
  });
  const envelopes = [
    ...eventKeys(whole).flatMap(([eventSource, eventName], i) => [
      envelope({ eventSource, eventName }),
      ...(i % 50 === 0 ? [envelope({ eventSource, eventName, errorCode: 'AccessDenied' })] : []),
    ]),
    envelope({ eventSource: 's3.amazonaws.com', eventName: 'GetObject' }),
    envelope({ eventSource: 'nothing.amazonaws.com', eventName: 'PutBucketVersioning' }),
    envelope({ eventSource: ['s3.amazonaws.com'], eventName: 'PutBucketVersioning' }),
    envelope({ eventSource: 7, eventName: 'PutBucketVersioning' }),
    {
      ...envelope({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketVersioning' }),
      'detail-type': 'Object Created',
    },
    { version: '0', 'detail-type': 'AWS API Call via CloudTrail' },
  ];

  it.each([
    ['the whole compiled set', () => whole],
    ['the lazy bundle', () => lazyRuleSet(serialiseRuleBundle(files))],
    ['the lazy bundle read on first use', () => deferredRuleSet(() => serialiseRuleBundle(files))],
    ['a compact bundle read on first use', () => deferredRuleSet(() => JSON.stringify(files))],
  ])('matches exactly what the EventBridge patterns match, with %s', (_, ruleSet) => {
    // Prepare
    const filter = eventFilter(ruleSet());
    // Act
    const got = envelopes.map((e) => filter.matches(e));
    // Assess
    const expected = envelopes.map((e) => patterns.some((p) => matchesPattern(p, e)));
    expect(got).toEqual(expected);
    expect(expected.filter(Boolean).length).toBeGreaterThan(1000);
    expect(expected.filter((m) => !m).length).toBeGreaterThan(20);
  });
});
