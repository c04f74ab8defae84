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

/**
 * A 32-bit lane as 8 hex digits, written 16 bits at a time: small integers print fast, while a
 * number past 2³¹ (or cyrb53's 53-bit value) takes V8's slow path for doubles, ~1 µs a call.
 */
export function hex8(lane: number): string {
  return (
    ((lane >>> 16) & 0xffff).toString(16).padStart(4, '0') + (lane & 0xffff).toString(16).padStart(4, '0')
  );
}

/** cyrb53 (its top 21 bits from h2, the low 32 from h1) as 14 hex digits. */
function cyrb53Hex(text: string, seed: number): string {
  const [h1, h2] = cyrb53Lanes(text, seed);
  return (2097151 & h2).toString(16).padStart(6, '0') + hex8(h1);
}

export function stableHash(text: string): string {
  return cyrb53Hex(text, 0) + cyrb53Hex(text, 0x9e3779b9);
}
