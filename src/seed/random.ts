/**
 * A small seeded PRNG (sfc32, from PractRand) and the helpers the demo generator draws with.
 * Deterministic: the same seed and stream give the same numbers on every platform, so the
 * same seed seeds the same region. Not for anything secret.
 */

/** Mixes 32-bit words into one well-spread 32-bit word (murmur3's finaliser over a running hash). */
export function mix32(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    h = Math.imul(h ^ (w >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A stream of pseudo-random numbers. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` separates independent sequences under one seed (e.g. one per patient). */
  constructor(seed: number, stream = 0) {
    this.a = mix32(seed, 1);
    this.b = mix32(stream, 2);
    this.c = mix32(seed, stream, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    const last = choices[choices.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** Up to `n` distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle([...items]).slice(0, n);
  }

  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

const hex = (n: number, width: number): string => (n >>> 0).toString(16).padStart(width, '0').slice(-width);

/**
 * A v4-shaped uuid that is unique by construction for each (seed, kind, n, sub): a PRNG alone
 * would collide among a million rows (2^32 states), so the counters are written into the id.
 * The counter comes last and grows, so that index inserts append instead of scattering.
 */
export function seededUuid(seed: number, kind: number, n: number, sub = 0): string {
  const hi = Math.floor(n / 2 ** 32);
  return `${hex(mix32(seed, 0x5eed), 8)}-${hex(kind, 4)}-4${hex(sub, 3)}-8000-${hex(hi, 4)}${hex(n, 8)}`;
}
