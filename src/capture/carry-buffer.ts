/**
 * Holds the start of a record that straddles two input chunks until the rest arrives, so that
 * the record can still be handed over as one contiguous run of bytes.
 *
 * It is reused for every straddling record and only grows, up to a fixed bound: the parsers check
 * a record's claimed length against their limits before asking for room, so an absurd length in a
 * damaged file can never size an allocation.
 */
export class CarryBuffer {
  bytes: Uint8Array;
  view: DataView;
  length = 0;
  private readonly limit: number;

  constructor(limit: number, initialSize = 64 * 1024) {
    this.limit = limit;
    this.bytes = new Uint8Array(Math.min(initialSize, limit));
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `size` bytes in total, keeping what is held. */
  reserve(size: number): void {
    if (size <= this.bytes.length) return;
    if (size > this.limit) throw new RangeError(`carry of ${size} bytes exceeds its bound of ${this.limit}`);
    const grown = new Uint8Array(Math.min(Math.max(size, this.bytes.length * 2), this.limit));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Appends source[from, to); room must have been reserved. */
  append(source: Uint8Array, from: number, to: number): void {
    this.bytes.set(source.subarray(from, to), this.length);
    this.length += to - from;
  }

  /**
   * Appends from source[from, end) until `needed` bytes are held; returns the new read position
   * in source.
   */
  fill(source: Uint8Array, from: number, end: number, needed: number): number {
    const take = Math.min(needed - this.length, end - from);
    if (take <= 0) return from;
    this.append(source, from, from + take);
    return from + take;
  }

  clear(): void {
    this.length = 0;
  }
}
