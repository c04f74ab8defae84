// A small, pure, stable string hash (cyrb53 twice with different seeds → 28 hex chars, 14 each).
// Used for deterministic ids; not for security.

/** cyrb53's two 32-bit lanes over the text, before they are combined (core/fingerprints.ts uses both). */
export function cyrb53Lanes(text: string, seed: number): [number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1, h2];
}

function cyrb53(text: string, seed: number): number {
  const [h1, h2] = cyrb53Lanes(text, seed);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function stableHash(text: string): string {
  return (
    cyrb53(text, 0).toString(16).padStart(14, '0') + cyrb53(text, 0x9e3779b9).toString(16).padStart(14, '0')
  );
}
