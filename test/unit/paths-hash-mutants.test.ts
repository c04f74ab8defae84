// The rule path language (lambdas/core/paths.ts) and the id hash (lambdas/core/hash.ts): behaviours
// a mutation run found untested (npx stryker run --mutate lambdas/core/paths.ts,lambdas/core/hash.ts).

import { describe, expect, it } from 'vitest';
import { stableHash } from '../../lambdas/core/hash.js';
import { parsePath, valueAt, valuesAt } from '../../lambdas/core/paths.js';

describe('paths', () => {
  const record = {
    attributes: [
      { key: 'deletion_protection.enabled', value: 'true' },
      { key: 'idle_timeout', value: 60 },
      null,
      ['nested'],
      { key: { not: 'text' }, value: 'x' },
      { key: null, value: 'n' },
    ],
    flags: { enabled: true, count: 3 },
    list: ['a', undefined, 'c'],
  };

  it('[field=value] keeps the items whose field equals the value as text, dots and all', () => {
    expect(valuesAt(record, 'attributes[key=deletion_protection.enabled].value')).toEqual(['true']);
    expect(valuesAt(record, 'attributes[value=60].key')).toEqual(['idle_timeout']);
    expect(valuesAt(record, 'attributes[key=missing].value')).toEqual([]);
    // On an object the filter keeps the object itself when it matches.
    expect(valuesAt(record, 'flags[enabled=true].count')).toEqual([3]);
    expect(valuesAt(record, 'flags[count=3].enabled')).toEqual([true]);
    expect(valuesAt(record, 'flags[enabled=false].count')).toEqual([]);
  });

  it('keeps nothing a filter or key does not reach: no null, no string property, no missing value', () => {
    expect(valuesAt(record, 'attributes[key=missing]')).toEqual([]);
    expect(valuesAt(record, 'attributes[key=null].value')).toEqual([]);
    expect(valuesAt({ l: ['abc'] }, 'l[length=3]')).toEqual([]);
    expect(valuesAt({ s: 'abc' }, 's.length')).toEqual([]);
    expect(valuesAt({ n: null }, 'n.k')).toEqual([]);
    expect(valuesAt(record, 'nothing')).toEqual([]);
    expect(valuesAt({ n: null }, 'n')).toEqual([null]);
  });

  it('an index may have several digits', () => {
    expect(valuesAt({ a: Array.from({ length: 13 }, (_, i) => i) }, 'a[12]')).toEqual([12]);
  });

  it('[n] picks one element, [*] every present one, and neither reaches into a non-array', () => {
    expect(valuesAt(record, 'list[2]')).toEqual(['c']);
    expect(valuesAt(record, 'list[1]')).toEqual([]);
    expect(valuesAt(record, 'list[*]')).toEqual(['a', 'c']);
    expect(valuesAt(record, 'flags[0]')).toEqual([]);
    expect(valuesAt(record, 'flags[*]')).toEqual([]);
    expect(valuesAt(record, 'list.length')).toEqual([]);
    expect(valueAt(record, 'list[*]')).toBe('a');
    expect(valueAt(record, 'nothing')).toBeUndefined();
  });

  it('refuses a malformed or empty path, naming it', () => {
    expect(() => parsePath('a[x')).toThrowError('invalid path "a[x" at "a[x"');
    expect(() => parsePath('a.b[1]c')).toThrowError('invalid path "a.b[1]c" at "b[1]c"');
    expect(() => parsePath('')).toThrowError('empty path ""');
    expect(parsePath('a[0][*][k=v]')).toEqual([
      { kind: 'key', key: 'a' },
      { kind: 'index', index: 0 },
      { kind: 'all' },
      { kind: 'filter', field: 'k', value: 'v' },
    ]);
  });
});

describe('stableHash', () => {
  // Reference outputs of cyrb53 (seed 0) published with the algorithm (github.com/bryc/code, cyrb53).
  it('is cyrb53: its first half matches the published values', () => {
    const reference: [string, number][] = [
      ['a', 7929297801672961],
      ['b', 8684336938537663],
      ['revenge', 4051478007546757],
      ['revenue', 8309097637345594],
    ];
    for (const [text, value] of reference)
      expect([text, stableHash(text).slice(0, 14)]).toEqual([text, value.toString(16).padStart(14, '0')]);
  });

  it('is 28 hex characters, and tells close texts apart in both halves', () => {
    const a = stableHash('revenge');
    const b = stableHash('revenue');
    expect(a).toMatch(/^[0-9a-f]{28}$/);
    expect(stableHash('')).toMatch(/^[0-9a-f]{28}$/);
    // Its second half is a 13-digit number: padded to 14 like the first.
    expect(stableHash('id-1')).toMatch(/^[0-9a-f]{28}$/);
    expect(a.slice(0, 14)).not.toBe(b.slice(0, 14));
    expect(a.slice(14)).not.toBe(b.slice(14));
    expect(a.slice(14)).not.toBe(a.slice(0, 14));
  });
});
