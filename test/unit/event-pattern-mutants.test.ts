// The EventBridge matcher's operators, address parsing and validation messages, both sides of each
// value: behaviours a mutation run of lambdas/core/event-pattern.ts found untested.

import { describe, expect, it } from 'vitest';
import { matchesPattern, parseCidr, parseIp, validatePattern } from '../../lambdas/core/event-pattern.js';

const on = (leaf: unknown) => ({ detail: { v: [leaf] } }) as never;
const m = (leaf: unknown, value: unknown) => matchesPattern(on(leaf), { detail: { v: value } });

describe('operators', () => {
  it('equals-ignore-case compares whole strings in any case, and nothing but strings', () => {
    expect(m({ 'equals-ignore-case': 'Alice' }, 'aLICE')).toBe(true);
    expect(m({ 'equals-ignore-case': 'Alice' }, 'Alice2')).toBe(false);
    expect(m({ 'equals-ignore-case': 'Alice' }, 5)).toBe(false);
    expect(m({ 'equals-ignore-case': 5 }, '5')).toBe(false);
  });

  it('wildcard matches stars anywhere, literal stars when escaped, and nothing but strings', () => {
    expect(m({ wildcard: 'arn:*:role/*' }, 'arn:aws:iam::1:role/x')).toBe(true);
    expect(m({ wildcard: 'a*b*c' }, 'abc')).toBe(true);
    expect(m({ wildcard: 'a*b*c' }, 'acb')).toBe(false);
    expect(m({ wildcard: 'a*bc*c' }, 'abcc')).toBe(true);
    expect(m({ wildcard: 'ab*ba' }, 'aba')).toBe(false);
    expect(m({ wildcard: 'a\\*b' }, 'a*b')).toBe(true);
    expect(m({ wildcard: 'a\\*b' }, 'axb')).toBe(false);
    expect(m({ wildcard: 'exact' }, 'exact')).toBe(true);
    expect(m({ wildcard: 'exact' }, 'exactly')).toBe(false);
    expect(m({ wildcard: '*' }, 5)).toBe(false);
    expect(m({ wildcard: 5 }, '5')).toBe(false);
  });

  it('an operator object with two keys, or an unknown one, matches nothing', () => {
    expect(m({ prefix: 'a', suffix: 'b' }, 'ab')).toBe(false);
    expect(m({ regex: '.*' }, 'ab')).toBe(false);
    expect(m({ prefix: 5 }, '5')).toBe(false);
    expect(m({ prefix: { other: 'a' } }, 'a')).toBe(false);
  });

  it('anything-but: a value, a list, or prefix/suffix/equals-ignore-case/wildcard, on strings only for those', () => {
    expect(m({ 'anything-but': 'a' }, 'b')).toBe(true);
    expect(m({ 'anything-but': 'a' }, 'a')).toBe(false);
    expect(m({ 'anything-but': ['a', 'b'] }, 'c')).toBe(true);
    expect(m({ 'anything-but': ['a', 'b'] }, 'b')).toBe(false);
    expect(m({ 'anything-but': { prefix: 'Get' } }, 'PutX')).toBe(true);
    expect(m({ 'anything-but': { prefix: 'Get' } }, 'GetX')).toBe(false);
    expect(m({ 'anything-but': { suffix: 'X' } }, 'GetY')).toBe(true);
    expect(m({ 'anything-but': { suffix: 'X' } }, 'GetX')).toBe(false);
    expect(m({ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }, 'b')).toBe(false);
    expect(m({ 'anything-but': { 'equals-ignore-case': 'a' } }, 'c')).toBe(true);
    expect(m({ 'anything-but': { wildcard: 'G*t' } }, 'Get')).toBe(false);
    expect(m({ 'anything-but': { wildcard: 'G*t' } }, 'Put')).toBe(true);
    expect(m({ 'anything-but': { prefix: 'a' } }, 5)).toBe(false);
    expect(m({ 'anything-but': { prefix: 'a', suffix: 'b' } }, 'c')).toBe(false);
    expect(m({ 'anything-but': { prefix: [1] } }, 'c')).toBe(false);
    expect(m({ 'anything-but': { numeric: 1 } }, 'c')).toBe(false);
  });

  it('numeric: every comparison at, below and above its bound, and ranges', () => {
    const cases: [string, number, boolean, boolean, boolean][] = [
      // op, bound, below, at, above
      ['<', 5, true, false, false],
      ['<=', 5, true, true, false],
      ['=', 5, false, true, false],
      ['>', 5, false, false, true],
      ['>=', 5, false, true, true],
    ];
    for (const [op, bound, below, at, above] of cases) {
      expect(
        [m({ numeric: [op, bound] }, 4), m({ numeric: [op, bound] }, 5), m({ numeric: [op, bound] }, 6)],
        op,
      ).toEqual([below, at, above]);
    }
    expect(m({ numeric: ['>', 0, '<=', 5] }, 5)).toBe(true);
    expect(m({ numeric: ['>', 0, '<=', 5] }, 0)).toBe(false);
    expect(m({ numeric: ['>', 0] }, '1')).toBe(false);
    expect(m({ numeric: [] }, 1)).toBe(false);
    expect(m({ numeric: ['>'] }, 1)).toBe(false);
    expect(m({ numeric: ['~', 0] }, 1)).toBe(false);
    expect(m({ numeric: ['>', '0'] }, 1)).toBe(false);
  });

  it('cidr: IPv4 and IPv6 blocks, partial bytes, and no mixing of families', () => {
    expect(m({ cidr: '10.0.0.0/24' }, '10.0.0.255')).toBe(true);
    expect(m({ cidr: '10.0.0.0/24' }, '10.0.1.0')).toBe(false);
    expect(m({ cidr: '10.0.0.0/12' }, '10.15.255.255')).toBe(true);
    expect(m({ cidr: '10.0.0.0/12' }, '10.16.0.0')).toBe(false);
    expect(m({ cidr: '0.0.0.0/0' }, '1.2.3.4')).toBe(true);
    expect(m({ cidr: '2001:db8::/32' }, '2001:db8:ffff::1')).toBe(true);
    expect(m({ cidr: '2001:db8::/32' }, '2001:db9::1')).toBe(false);
    expect(m({ cidr: '10.0.0.0/8' }, '::ffff:10.0.0.1')).toBe(false);
    expect(m({ cidr: '10.0.0.0/8' }, 'not-an-ip')).toBe(false);
    expect(m({ cidr: 'bogus' }, '10.0.0.1')).toBe(false);
  });
});

describe('edges the second mutation run found', () => {
  it('cidr ignores non-string values', () => {
    expect(m({ cidr: '10.0.0.0/8' }, 10)).toBe(false);
    expect(m({ cidr: '10.0.0.0/8' }, true)).toBe(false);
  });

  it('anything-but a list of prefixes, suffixes or wildcards excludes a value matching any one of them', () => {
    expect(m({ 'anything-but': { prefix: ['a', 'b'] } }, 'a1')).toBe(false);
    expect(m({ 'anything-but': { prefix: ['a', 'b'] } }, 'c1')).toBe(true);
    expect(m({ 'anything-but': { suffix: ['1', '2'] } }, 'a1')).toBe(false);
    expect(m({ 'anything-but': { wildcard: ['a*', 'b*'] } }, 'a1')).toBe(false);
    expect(m({ 'anything-but': { prefix: ['a', 1] } }, 'b')).toBe(false);
  });

  it('wildcard middles never overlap the ends or each other, and may sit at the start', () => {
    expect(m({ wildcard: 'a*b*b' }, 'ab')).toBe(false);
    expect(m({ wildcard: 'a*b*b' }, 'abb')).toBe(true);
    expect(m({ wildcard: '*b*' }, 'bx')).toBe(true);
    expect(m({ wildcard: '*b*b*' }, 'b')).toBe(false);
    expect(m({ wildcard: '*b*b*' }, 'bb')).toBe(true);
    expect(m({ wildcard: 'a\\' }, 'a\\')).toBe(true);
  });

  it('refuses IPv4 parts with anything around the digits, and reads a bare ::a.b.c.d', () => {
    expect(parseIp('1.2.3.x4')).toBeNull();
    expect(parseIp('1.2.3.4x')).toBeNull();
    expect(parseIp('::10.0.0.1')).toEqual([...Array(12).fill(0), 10, 0, 0, 1]);
    expect(parseCidr('10.0.0.0/x8')).toBeNull();
    expect(parseCidr('10.0.0.0/8x')).toBeNull();
    expect(parseCidr('/8')).toBeNull();
  });
});

describe('addresses', () => {
  it('parses IPv4 strictly', () => {
    expect(parseIp('1.2.3.4')).toEqual([1, 2, 3, 4]);
    expect(parseIp('255.255.255.255')).toEqual([255, 255, 255, 255]);
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.x', '1.2.3.1234', '']) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('parses IPv6 with ::, an embedded IPv4 tail, and refuses malformed ones', () => {
    expect(parseIp('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(parseIp('1::')).toEqual([0, 1, ...Array(14).fill(0)]);
    expect(parseIp('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(parseIp('::ffff:10.0.0.1')).toEqual([...Array(10).fill(0), 255, 255, 10, 0, 0, 1]);
    expect(parseIp('1:2:3:4:5:6:10.0.0.1')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 10, 0, 0, 1]);
    expect(parseIp('abcd::ABCD')).toEqual([0xab, 0xcd, ...Array(12).fill(0), 0xab, 0xcd]);
    for (const bad of [
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8',
      'g::1',
      '12345::1',
      '::ffff:10.0.0',
      '::ffff:300.0.0.1',
    ]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('parses CIDR blocks with a prefix length that fits the address', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ bytes: [10, 0, 0, 0], bits: 8 });
    expect(parseCidr('10.0.0.0/32')?.bits).toBe(32);
    expect(parseCidr('::/128')?.bits).toBe(128);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '::/129', '10.0.0.0/x', '10.0.0.0/1234', 'x/8']) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });
});

describe('validatePattern', () => {
  const problems = (pattern: unknown) => validatePattern(pattern);

  it('accepts a valid pattern of every operator', () => {
    expect(
      problems({
        source: ['aws.s3'],
        detail: {
          a: [{ prefix: 'x' }, { suffix: { 'equals-ignore-case': 'y' } }, { 'equals-ignore-case': 'z' }],
          b: [{ wildcard: 'a*b' }, { exists: true }, { cidr: '10.0.0.0/8' }, null, 1, true],
          c: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 1] }],
          d: [{ 'anything-but': 'x' }, { 'anything-but': [1, 2] }, { 'anything-but': { prefix: 'p' } }],
          e: [{ 'anything-but': { wildcard: ['a*', 'b*'] } }],
        },
        $or: [{ x: ['1'] }, { y: ['2'] }],
      }),
    ).toEqual([]);
  });

  it('names each problem where it is', () => {
    expect(problems([])).toEqual(['pattern must be a JSON object']);
    expect(problems({})).toEqual(['pattern: empty objects are not allowed']);
    expect(problems({ detail: {} })).toEqual(['detail: empty objects are not allowed']);
    expect(problems({ a: [] })).toEqual(['a: empty arrays are not allowed']);
    expect(problems({ a: 'x' })).toEqual([
      'a: must be an array of values or a nested object, got string "x"',
    ]);
    expect(problems({ a: null })).toEqual(['a: must be an array of values or a nested object, got null']);
    expect(problems({ a: 5 })).toEqual(['a: must be an array of values or a nested object, got number']);
    expect(problems({ $or: [{ a: ['1'] }] })).toEqual(['$or: must be an array of at least two patterns']);
    expect(problems({ $or: [{ a: ['1'] }, 'x'] })).toEqual(['$or[1]: must be an object']);
    expect(problems({ $or: [{ a: ['1'] }, { b: 'x' }] })).toEqual([
      '$or[1].b: must be an array of values or a nested object, got string "x"',
    ]);
    expect(problems({ d: { a: [[1]] } })).toEqual([
      'd.a[0]: must be a string, number, boolean, null or an operator object',
    ]);
    expect(problems({ a: [{ prefix: 'a', suffix: 'b' }] })).toEqual([
      'a[0]: an operator object must have exactly one key, got 2',
    ]);
    expect(problems({ a: [{ regex: 'x' }] })).toEqual(['a[0]: unknown operator "regex"']);
  });

  it('explains what each operator needs', () => {
    const one = (leaf: unknown) => problems({ a: [leaf] });
    expect(one({ prefix: 5 })).toEqual(['a[0]: prefix needs a string or {"equals-ignore-case": string}']);
    expect(one({ suffix: { 'equals-ignore-case': 5 } })).toEqual([
      'a[0]: suffix needs a string or {"equals-ignore-case": string}',
    ]);
    expect(one({ prefix: { 'equals-ignore-case': 'a', x: 1 } })).toHaveLength(1);
    expect(one({ 'equals-ignore-case': 5 })).toEqual(['a[0]: equals-ignore-case needs a string']);
    expect(one({ wildcard: 5 })).toEqual(['a[0]: wildcard needs a string']);
    expect(one({ wildcard: 'a**b' })).toEqual(['a[0]: wildcard may not contain consecutive * characters']);
    expect(one({ wildcard: '**' })).toHaveLength(1);
    expect(one({ wildcard: 'a\\**b' })).toEqual([]);
    expect(one({ exists: 'yes' })).toEqual(['a[0]: exists needs true or false']);
    expect(one({ cidr: '10.0.0.0/33' })).toEqual([
      'a[0]: cidr needs an IPv4 or IPv6 CIDR block such as "10.0.0.0/24"',
    ]);
    expect(one({ cidr: 5 })).toHaveLength(1);
  });

  it('explains numeric ranges', () => {
    const one = (arg: unknown) => problems({ a: [{ numeric: arg }] });
    const pairs = 'a[0]: numeric needs one or two [operator, number] pairs, e.g. [">", 0, "<=", 5]';
    expect(one('>')).toEqual([pairs]);
    expect(one([])).toEqual([pairs]);
    expect(one(['>'])).toEqual([pairs]);
    expect(one(['>', 0, '<', 5, '=', 1])).toEqual([pairs]);
    expect(one(['~', 0])).toEqual(['a[0]: numeric operator "~" is not one of < <= = > >=']);
    expect(one([0, 0])).toEqual(['a[0]: numeric operator 0 is not one of < <= = > >=']);
    expect(one(['>', '0'])).toEqual(['a[0]: numeric bound "0" must be a number between -5e9 and 5e9']);
    expect(one(['>', 5e9])).toEqual([]);
    expect(one(['>', -5e9])).toEqual([]);
    expect(one(['>', 5e9 + 1])).toHaveLength(1);
    expect(one(['>', -5e9 - 1])).toHaveLength(1);
    expect(one(['>', Number.POSITIVE_INFINITY])).toHaveLength(1);
    expect(one(['<', 0, '>', 5])).toEqual([
      'a[0]: numeric range must be a lower bound (> or >=) followed by an upper bound (< or <=)',
    ]);
    expect(one(['>', 0, '>', 5])).toHaveLength(1);
    expect(one(['>=', 0, '<=', 5])).toEqual([]);
    expect(one(['>', 5, '<', 5])).toEqual(['a[0]: numeric range lower bound must be below its upper bound']);
    expect(one(['>', 6, '<', 5])).toHaveLength(1);
    expect(one(['>', 4, '<', 5])).toEqual([]);
  });

  it('explains anything-but', () => {
    const one = (arg: unknown) => problems({ a: [{ 'anything-but': arg }] });
    expect(one('x')).toEqual([]);
    expect(one(5)).toEqual([]);
    expect(one([])).toEqual(['a[0]: anything-but needs a non-empty list']);
    expect(one(['a', 1])).toEqual(['a[0]: anything-but list must hold only strings or only numbers']);
    expect(one(['a', 'b'])).toEqual([]);
    expect(one([1, 2])).toEqual([]);
    expect(one({ prefix: 'a', suffix: 'b' })).toEqual([
      'a[0]: anything-but object must have exactly one key',
    ]);
    expect(one({ prefix: ['a'] })).toEqual(['a[0]: anything-but prefix needs a single string']);
    expect(one({ suffix: 5 })).toEqual(['a[0]: anything-but suffix needs a single string']);
    expect(one({ 'equals-ignore-case': [] })).toEqual([
      'a[0]: anything-but equals-ignore-case needs a string or a list of strings',
    ]);
    expect(one({ wildcard: ['a', 1] })).toEqual([
      'a[0]: anything-but wildcard needs a string or a list of strings',
    ]);
    expect(one({ wildcard: 'a*' })).toEqual([]);
    expect(one({ numeric: ['>', 1] })).toEqual(['a[0]: anything-but does not support "numeric"']);
    expect(one(true)).toEqual([
      'a[0]: anything-but needs a string, a number, a list, or {prefix|suffix|equals-ignore-case|wildcard}',
    ]);
  });
});

describe('structure', () => {
  it('a field spec that is neither a list nor an object matches nothing', () => {
    expect(matchesPattern({ a: 'x' } as never, { a: 'x' })).toBe(false);
    expect(matchesPattern({ $or: 'x' } as never, { a: 'x' })).toBe(false);
    expect(matchesPattern({ $or: [{ a: ['y'] }, { a: ['x'] }] }, { a: 'x' })).toBe(true);
    expect(matchesPattern({ $or: [{ a: ['y'] }, { a: ['z'] }] }, { a: 'x' })).toBe(false);
  });

  it('a nested pattern matches within one element of an array of objects, and a missing value as empty', () => {
    const pattern = { d: { k: ['a'], v: ['1'] } };
    expect(
      matchesPattern(pattern, {
        d: [
          { k: 'a', v: '2' },
          { k: 'a', v: '1' },
        ],
      }),
    ).toBe(true);
    expect(
      matchesPattern(pattern, {
        d: [
          { k: 'a', v: '2' },
          { k: 'b', v: '1' },
        ],
      }),
    ).toBe(false);
    expect(matchesPattern({ d: { k: [{ exists: false }] } }, { d: ['x', 'y'] })).toBe(true);
    expect(matchesPattern({ d: { k: [{ exists: false }] } }, { d: [{ k: 'x' }] })).toBe(false);
    expect(matchesPattern({ d: { k: [{ exists: false }] } }, {})).toBe(true);
    expect(matchesPattern({ d: { k: ['x'] } }, { d: 'x' })).toBe(false);
  });

  it('leaf values of nested arrays all count, and own fields only', () => {
    expect(m('b', [['a', ['b']]])).toBe(true);
    expect(m('c', [['a', ['b']]])).toBe(false);
    expect(matchesPattern({ toString: [{ exists: true }] }, {})).toBe(false);
  });
});

describe('operators and addresses the second mutation run found untested', () => {
  it('suffix matches the end of a value only', () => {
    expect(m({ suffix: '.png' }, 'logo.png')).toBe(true);
    expect(m({ suffix: '.png' }, 'logo.png.txt')).toBe(false);
  });

  it('an operator with an argument of the wrong type, or an unknown anything-but, matches nothing and never throws', () => {
    expect(m({ wildcard: 5 }, '')).toBe(false);
    expect(m({ wildcard: '*' }, '')).toBe(true);
    expect(m({ cidr: 5 }, '10.0.0.1')).toBe(false);
    expect(m({ cidr: '10.0.0.0/8' }, '10.0.0.1')).toBe(true);
    expect(m({ 'anything-but': { colour: 'red' } }, 'blue')).toBe(false);
    expect(m({ 'anything-but': { prefix: 'r' } }, 'blue')).toBe(true);
  });

  it('reads IPv6 addresses with :: standing for one or more zero groups, at either end, and only once', () => {
    expect(m({ cidr: '1::/16' }, '1:2:3:4:5:6:7::')).toBe(true);
    expect(m({ cidr: '::/16' }, '::2:3:4:5:6:7:8')).toBe(true);
    expect(m({ cidr: '1::/16' }, '1:2:3:4:5:6::8')).toBe(true);
    expect(parseIp('1:2:3:4:5:6::8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 0, 0, 8]);
    expect(parseIp('1::2::3')).toBeNull();
    expect(m({ cidr: '1::/16' }, '1::2::3')).toBe(false);
  });

  it('matches an address only against a block of its own family, and checks every byte of the prefix', () => {
    expect(m({ cidr: '::/0' }, '10.0.0.1')).toBe(false);
    expect(m({ cidr: '0.0.0.0/0' }, '::1')).toBe(false);
    expect(m({ cidr: '0.0.0.0/0' }, '10.0.0.1')).toBe(true);
    expect(m({ cidr: '10.1.0.0/16' }, '11.1.0.1')).toBe(false);
    expect(m({ cidr: '10.1.0.0/16' }, '10.1.200.1')).toBe(true);
  });

  it('validates equals-ignore-case as any string, and a numeric range as lower then upper bound', () => {
    expect(validatePattern({ a: [{ 'equals-ignore-case': 'a**b' }] })).toEqual([]);
    expect(validatePattern({ a: [{ numeric: ['<', 1, '<', 5] }] })).toEqual([
      'a[0]: numeric range must be a lower bound (> or >=) followed by an upper bound (< or <=)',
    ]);
    expect(validatePattern({ a: [{ numeric: ['>=', 1, '<', 5] }] })).toEqual([]);
  });
});
