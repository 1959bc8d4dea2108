const TWO_POW_32 = 4294967296;

/**
 * A running 64-bit fingerprint (two independent 32-bit FNV-style lanes) of everything a pipeline
 * run produced, so that two runs over the same input (whole, in recycled chunks, gzipped) can be
 * compared without keeping their output.
 */
export class OutcomeDigest {
  private low = 0x811c9dc5;
  private high = 0x01000193;

  number(value: number): this {
    if (Number.isInteger(value) && value >= -0x80000000 && value <= 0xffffffff) return this.word(value | 0);
    if (!Number.isFinite(value)) return this.word(Number.isNaN(value) ? 0x7ff80000 : value > 0 ? 0x7ff00000 : 0xfff00000);
    const whole = Math.floor(value);
    return this.word(whole % TWO_POW_32 | 0)
      .word(Math.floor(whole / TWO_POW_32) | 0)
      .word(Math.round((value - whole) * 1e9) | 0);
  }

  text(value: string): this {
    this.word(value.length);
    for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
    return this;
  }

  /** Up to `limit` bytes of bytes[start, end), plus the length. */
  bytes(bytes: Uint8Array, start = 0, end = bytes.length, limit = Number.POSITIVE_INFINITY): this {
    this.word(end - start);
    const stop = Math.min(end, start + limit);
    for (let i = start; i < stop; i++) this.word(bytes[i]);
    return this;
  }

  toString(): string {
    return (this.high >>> 0).toString(16).padStart(8, '0') + (this.low >>> 0).toString(16).padStart(8, '0');
  }

  private word(value: number): this {
    this.low = Math.imul(this.low ^ value, 0x01000193);
    this.high = Math.imul(this.high ^ (value + 0x9e3779b9), 0x5bd1e995);
    this.high ^= this.high >>> 15;
    return this;
  }
}
