/**
 * 64-bit fingerprints as two unsigned 32-bit halves: of a string (a state's key), and of a run of
 * 32-bit words (a dense row). Both are cyrb53-style double multiply-xor hashes widened to 64
 * bits with a final avalanche; uniform enough for TLC's missed-state estimate.
 */

/** Fingerprint of a string, written to `out[0]` (low) and `out[1]` (high). */
export function fingerprint(key: string, out: Uint32Array): void {
  let h1 = 0xdeadbeef ^ key.length;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  fingerprintFinish(h1, h2, out);
}

/** The final avalanche of `fingerprint`, for code that mixes its own words (start from
 *  h1 = 0xdeadbeef ^ length-or-0, h2 = 0x41c6ce57 and mix each word c as
 *  `h1 = imul(h1 ^ c, 2654435761); h2 = imul(h2 ^ c, 1597334677)`). */
export function fingerprintFinish(h1: number, h2: number, out: Uint32Array): void {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h1 = Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d);
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

/** Fingerprint of `words` 32-bit words at `src[off..]`: two murmur3-style streams (multiply,
 *  rotate, multiply per word, then rotate-multiply-add into the state) with different constants,
 *  then `fingerprintFinish`. The rotations matter: rows differ in high bits of several words
 *  (packed fields), which a multiply-xor without them never carries down, so that such rows
 *  collide in both halves at once (18,790 collisions among the 5.2M rows of one seqcount space). */
export function rowFingerprint(src: Int32Array, off: number, words: number, out: Uint32Array): void {
  let h1 = ROW_SEED1 ^ words;
  let h2 = ROW_SEED2;
  for (let i = 0; i < words; i++) {
    const c = src[off + i];
    let k = Math.imul(c, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h1 ^= k;
    h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
    let j = Math.imul(c, 0x85ebca6b);
    j = Math.imul((j << 16) | (j >>> 16), 0xc2b2ae35);
    h2 ^= j;
    h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 5) + 0x561ccd1b) | 0;
  }
  fingerprintFinish(h1, h2, out);
}

export const ROW_SEED1 = 0x9747b28c;
export const ROW_SEED2 = 0x3c6ef372;
