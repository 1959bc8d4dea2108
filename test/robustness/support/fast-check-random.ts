import fc from 'fast-check';
import type { Random } from '../../../src/fuzz/random.js';

const MAX_INT32 = 0x7fffffff;

/**
 * The fuzz generators' source of choices, drawn through fast-check: the same generators as
 * `npm run fuzz`, but a failing property shrinks to a smaller input and prints its seed.
 */
export class FastCheckRandom implements Random {
  constructor(private readonly draw: fc.GeneratorValue) {}

  int(bound: number): number {
    if (bound - 1 <= MAX_INT32) return this.draw(fc.integer, { min: 0, max: bound - 1 });
    return Number(this.draw(fc.bigInt, { min: 0n, max: BigInt(bound - 1) }));
  }

  bytes(length: number): Uint8Array {
    return this.draw(fc.uint8Array, { minLength: length, maxLength: length });
  }
}

export const randomSource: fc.Arbitrary<Random> = fc.gen().map((draw) => new FastCheckRandom(draw));
