// Event fingerprints (lambdas/core/fingerprints.ts): the format and the table checks a mutation run
// found untested (npx stryker run --mutate lambdas/core/fingerprints.ts).

import { describe, expect, it } from 'vitest';
import { FingerprintSet, fingerprintOf } from '../../lambdas/core/fingerprints.js';

describe('fingerprintOf', () => {
  it('is always 16 hex characters (both halves padded), stable per seed, different across seeds', () => {
    for (let i = 0; i < 300; i++) expect(fingerprintOf(`event-${i}`, 7)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintOf('a', 7)).toBe(fingerprintOf('a', 7));
    expect(fingerprintOf('a', 7)).not.toBe(fingerprintOf('a', 8));
    expect(fingerprintOf('ab', 7)).not.toBe(fingerprintOf('ba', 7));
  });
});

describe('FingerprintSet tables', () => {
  it('a set handed over as its table goes on where it stopped', () => {
    const set = new FingerprintSet(3);
    for (let i = 0; i < 5000; i++) set.add(`k${i}`);
    expect(set.size).toBe(5000);
    const again = new FingerprintSet(set.table());
    expect(again.size).toBe(5000);
    expect(again.add('k42')).toBe(false);
    expect(again.add('new')).toBe(true);
    expect(again.size).toBe(5001);
  });

  it('refuses a table that is too small, not a power of two, or over half full', () => {
    const ok = new FingerprintSet(1).table();
    expect(() => new FingerprintSet({ ...ok, slots: new Uint32Array(4096) })).toThrowError(
      'not a fingerprint table',
    );
    expect(() => new FingerprintSet({ ...ok, slots: new Uint32Array(3 * 4096) })).toThrowError(
      'not a fingerprint table',
    );
    expect(() => new FingerprintSet({ ...ok, size: 2049 })).toThrowError('not a fingerprint table');
    expect(new FingerprintSet({ ...ok, size: 2048 }).size).toBe(2048);
    expect(new FingerprintSet({ ...ok, slots: new Uint32Array(4 * 4096) }).size).toBe(0);
  });
});

describe('FingerprintSet growth and probing', () => {
  it('fills its first table up to half before it grows, then doubles', () => {
    const set = new FingerprintSet(5);
    const first = set.table().slots.length;
    for (let i = 0; i < first / 4; i++) set.add(`k${i}`);
    expect(set.size).toBe(first / 4);
    expect(set.table().slots.length).toBe(first);
    set.add('one more');
    expect(set.table().slots.length).toBe(2 * first);
  });

  it('tells a key from another whose fingerprint shares its high half', () => {
    // Prepare: a table whose only entry sits in the key's first slot with the key's high half and
    // another low half (a 31-bit partial collision, built by hand).
    const seed = 9;
    const key = 'event-1';
    const fingerprint = fingerprintOf(key, seed);
    const hi = Number.parseInt(fingerprint.slice(0, 8), 16);
    const lo = Number.parseInt(fingerprint.slice(8), 16);
    const slots = new Uint32Array(2 * 4096);
    const at = 2 * (lo & 4095);
    slots[at] = hi;
    slots[at + 1] = (lo ^ 1) >>> 0;
    const set = new FingerprintSet({ seed, size: 1, slots });
    // Act + Assess: the key is new; then it is there.
    expect(set.add(key)).toBe(true);
    expect(set.add(key)).toBe(false);
    expect(set.size).toBe(2);
  });

  it('tells a key from another whose fingerprint shares its low half', () => {
    const seed = 11;
    const key = 'event-2';
    const fingerprint = fingerprintOf(key, seed);
    const hi = Number.parseInt(fingerprint.slice(0, 8), 16);
    const lo = Number.parseInt(fingerprint.slice(8), 16);
    const slots = new Uint32Array(2 * 4096);
    const at = 2 * (lo & 4095);
    slots[at] = (hi ^ 1) >>> 0;
    slots[at + 1] = lo;
    const set = new FingerprintSet({ seed, size: 1, slots });
    expect(set.add(key)).toBe(true);
    expect(set.add(key)).toBe(false);
  });
});
