// A small seeded PRNG (mulberry32) so hostile tests are random but replayable: print the seed on
// failure, set it back with TFDRIFT_SEED=<n> to run the same case again.

export interface Rng {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

/** The seed to use: TFDRIFT_SEED when set (to replay a failure), else `fallback`. */
export function testSeed(fallback: number): number {
  const given = Number(process.env.TFDRIFT_SEED);
  return Number.isInteger(given) ? given : fallback;
}
