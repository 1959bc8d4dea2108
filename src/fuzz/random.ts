/**
 * The one source of choices for every generator of the robustness checks. The fuzz runner backs it
 * with a seeded PRNG (a case is reproducible from its seed and index alone); the property tests
 * back it with fast-check, so that the same generators shrink failures there.
 */
export interface Random {
  /** A uniformly chosen integer in [0, bound); bound is a positive integer ≤ 2^32. */
  int(bound: number): number;
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
}

const TWO_POW_32 = 4294967296;

/**
 * sfc32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, passes
 * PractRand, and needs only 32-bit integer arithmetic.
 */
export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number, stream = 0) {
    this.a = seed >>> 0;
    this.b = mix32(stream + 0x9e3779b9);
    this.c = mix32(seed ^ 0x85ebca6b);
    // The generator's authors discard the first outputs so that similar seeds diverge.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** The next 32 random bits as an unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  int(bound: number): number {
    if (!(bound >= 1 && bound <= TWO_POW_32)) throw new RangeError(`random bound ${bound} is not in 1..2^32`);
    return Math.floor((this.next() / TWO_POW_32) * bound);
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      let word = this.next();
      for (let j = i; j < Math.min(i + 4, length); j++) {
        out[j] = word & 0xff;
        word >>>= 8;
      }
    }
    return out;
  }
}

/** The generator of case `index` of a run seeded with `seed`: any case can be replayed alone. */
export function caseRandom(seed: number, index: number): SeededRandom {
  return new SeededRandom(mix32(seed ^ mix32(index)), index);
}

/** murmur3's 32-bit finalizer: spreads nearby integers over the whole range. */
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** True with probability numerator/denominator. */
export function chance(random: Random, numerator: number, denominator: number): boolean {
  return random.int(denominator) < numerator;
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)];
}

/** An integer in [min, max], biased towards small values (half of the draws are below min + span/16). */
export function smallInt(random: Random, min: number, max: number): number {
  const span = max - min + 1;
  if (chance(random, 1, 2)) return min + random.int(Math.max(1, Math.ceil(span / 16)));
  return min + random.int(span);
}
