// The scan's duplicate keys as fingerprints: a key counts once, different keys stay apart (also the
// near-identical ones a trail is full of), the set grows past its first table, and a set handed to
// another thread as its table goes on where it stopped.

import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../lambdas/core/fingerprints.js';

// Duplicate keys as eventDuplicateKey makes them: eventID, time, source, name, error code, request.
const keyOf = (i: number) =>
  `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}\u00002026-01-01T00:00:00Z\u0000ec2.amazonaws.com\u0000CreateTags\u0000undefined`;

describe('FingerprintSet', () => {
  it('adds a key once: the second add says it was there', () => {
    // Prepare
    const set = new FingerprintSet(42);

    // Act
    const first = set.add('a');
    const again = set.add('a');
    const other = set.add('b');

    // Assess
    expect([first, again, other]).toEqual([true, false, true]);
    expect(set.size).toBe(2);
  });

  it('keeps 200k keys that differ in one character apart, through many growths', () => {
    // Prepare
    const set = new FingerprintSet(7);
    const n = 200_000;

    // Act
    let added = 0;
    for (let i = 0; i < n; i++) if (set.add(keyOf(i))) added++;
    let again = 0;
    for (let i = 0; i < n; i++) if (set.add(keyOf(i))) again++;

    // Assess: every key new the first time, none the second; the table stays at most half full.
    expect(added).toBe(n);
    expect(again).toBe(0);
    expect(set.size).toBe(n);
    expect(set.table().slots.length / 2).toBeGreaterThanOrEqual(2 * n);
    expect(set.table().slots.length / 2).toBeLessThanOrEqual(8 * n);
  });

  it('tells apart keys that differ only in the request, and the empty key from no key', () => {
    const set = new FingerprintSet(1);
    expect(set.add(`${keyOf(1)}\u0000{"instanceId":"i-1"}`)).toBe(true);
    expect(set.add(`${keyOf(1)}\u0000{"instanceId":"i-2"}`)).toBe(true);
    expect(set.add(keyOf(1))).toBe(true);
    expect(set.add('')).toBe(true);
    expect(set.add('')).toBe(false);
  });

  it('a set rebuilt from its table (another thread) knows its keys and takes new ones', () => {
    // Prepare
    const set = new FingerprintSet(123456789);
    for (let i = 0; i < 5000; i++) set.add(keyOf(i));

    // Act: a structured clone, as postMessage makes it.
    const moved = new FingerprintSet(structuredClone(set.table()));

    // Assess
    expect(moved.size).toBe(5000);
    expect(moved.seed).toBe(123456789);
    expect(moved.add(keyOf(4999))).toBe(false);
    expect(moved.add(keyOf(5000))).toBe(true);
    expect(moved.size).toBe(5001);
  });

  it('the seed changes every fingerprint: the same key under two seeds is two different slots', () => {
    const a = new FingerprintSet(1);
    const b = new FingerprintSet(2);
    a.add('key');
    b.add('key');
    expect([...a.table().slots]).not.toEqual([...b.table().slots]);
  });

  it('refuses a table that is not one', () => {
    expect(() => new FingerprintSet({ seed: 1, size: 0, slots: new Uint32Array(6) })).toThrow(
      'not a fingerprint table',
    );
    expect(() => new FingerprintSet({ seed: 1, size: 9000, slots: new Uint32Array(2 * 4096) })).toThrow(
      'not a fingerprint table',
    );
  });
});
