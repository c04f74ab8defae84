// A set of strings kept as 63-bit fingerprints in one typed array: 8 bytes a key at most half full,
// where a Set of the keys themselves holds ~150–500 bytes per key. A scan remembers every event's
// duplicate key (CloudTrail delivers at least once), so this is what keeps its memory near flat
// as the input grows. Pure: the caller picks the seed.
//
// Two different keys share a fingerprint with probability ~n²/2⁶⁴ (a million keys: about 1 in
// 10⁷), and the hash is seeded per run so no input can be crafted to collide with another's key.

import { cyrb53Lanes, hex8 } from './hash.js';

/** The two lanes of a seeded cyrb53 (core/hash.ts) over the key, top bit set (0 marks a free slot). */
function lanes(key: string, seed: number): [number, number] {
  const [h1, h2] = cyrb53Lanes(key, seed);
  return [(h1 | 0x80000000) >>> 0, h2 >>> 0];
}

/**
 * A key's fingerprint as its two lanes (FingerprintSet.addLanes): one thread computes them, another
 * keeps the set, and only 8 bytes a key cross between them.
 */
export function fingerprintLanes(key: string, seed: number): [number, number] {
  return lanes(key, seed >>> 0);
}

/** A key's fingerprint as 16 hex characters: a short stand-in for a long key kept until the end. */
export function fingerprintOf(key: string, seed: number): string {
  const [hi, lo] = lanes(key, seed);
  return hex8(hi) + hex8(lo);
}

/** What crosses threads: the seed, the count and the table (its buffer can be transferred). */
export interface FingerprintTable {
  readonly seed: number;
  readonly size: number;
  readonly slots: Uint32Array;
}

const INITIAL_SLOTS = 1 << 12;

export class FingerprintSet {
  readonly seed: number;
  private slots: Uint32Array;
  private count: number;

  /** An empty set with this seed (a random 32-bit number), or the set a table describes. */
  constructor(seed: number | FingerprintTable) {
    if (typeof seed === 'number') {
      this.seed = seed >>> 0;
      this.slots = new Uint32Array(INITIAL_SLOTS * 2);
      this.count = 0;
    } else {
      const slotCount = seed.slots.length / 2;
      if (slotCount < INITIAL_SLOTS || (slotCount & (slotCount - 1)) !== 0 || seed.size > slotCount / 2)
        throw new Error('not a fingerprint table');
      this.seed = seed.seed >>> 0;
      this.slots = seed.slots;
      this.count = seed.size;
    }
  }

  get size(): number {
    return this.count;
  }

  /** Adds the key; false when it (its fingerprint) was there already. */
  add(key: string): boolean {
    const [hi, lo] = lanes(key, this.seed);
    return this.addLanes(hi, lo);
  }

  /** Adds a key by its fingerprintLanes (computed with this set's seed); false when it was there. */
  addLanes(hi: number, lo: number): boolean {
    if (!this.insert(hi, lo)) return false;
    this.count++;
    if (this.count * 2 > this.slots.length / 2) this.grow();
    return true;
  }

  /** The table, for handing the set to another thread (the set must not be used afterwards). */
  table(): FingerprintTable {
    return { seed: this.seed, size: this.count, slots: this.slots };
  }

  private insert(hi: number, lo: number): boolean {
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = i * 2;
      const h = slots[at];
      if (h === 0) {
        slots[at] = hi;
        slots[at + 1] = lo;
        return true;
      }
      if (h === hi && slots[at + 1] === lo) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) if (old[at] !== 0) this.insert(old[at], old[at + 1]);
  }
}
