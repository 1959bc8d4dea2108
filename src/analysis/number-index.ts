/**
 * Map from non-negative integers below 2^53 to int32 values in two typed arrays
 * (open addressing, linear probing). It holds the endpoints of clients, live and closed out: a million
 * entries cost ~24 MB here instead of ~80 MB of Map entries and boxed keys, and never move
 * through the garbage collector.
 */
export class NumberIndex {
  private keys: Float64Array;
  private values: Int32Array;
  private count = 0;
  private mask: number;
  private shift: number;
  /** Where a key passed by value is put to be read like a per-packet caller's (see getAt). */
  private readonly scratch = new Float64Array(1);

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(-1);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
  }

  get size(): number {
    return this.count;
  }

  get(key: number): number | undefined {
    this.scratch[0] = key;
    return this.getAt(this.scratch, 0);
  }

  /**
   * get() for the key held in keys[index]. Per-packet callers keep their keys in a Float64Array
   * and look them up this way, because a key above 2^31 passed as an argument to a call V8 does not
   * inline is boxed into a fresh heap number, and whether V8 inlines varies from run to run.
   */
  getAt(keys: Float64Array, index: number): number | undefined {
    const key = keys[index];
    let i = this.slotOfAt(keys, index);
    for (;;) {
      const k = this.keys[i];
      if (k === key) return this.values[i];
      if (k === -1) return undefined;
      i = (i + 1) & this.mask;
    }
  }

  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    let i = this.slotOf(key);
    for (;;) {
      const k = this.keys[i];
      if (k === key) {
        this.values[i] = value;
        return;
      }
      if (k === -1) {
        this.keys[i] = key;
        this.values[i] = value;
        this.count++;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Backward-shift deletion keeps probe chains intact without tombstones. */
  delete(key: number): boolean {
    let i = this.slotOf(key);
    for (;;) {
      const k = this.keys[i];
      if (k === -1) return false;
      if (k === key) break;
      i = (i + 1) & this.mask;
    }
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const k = this.keys[j];
      if (k === -1) break;
      const home = this.slotOf(k);
      // Move k into the hole unless its home lies cyclically in (hole, j].
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        this.keys[hole] = k;
        this.values[hole] = this.values[j];
        hole = j;
      }
    }
    this.keys[hole] = -1;
    this.count--;
    return true;
  }

  private slotOf(key: number): number {
    this.scratch[0] = key;
    return this.slotOfAt(this.scratch, 0);
  }

  private slotOfAt(keys: Float64Array, index: number): number {
    const key = keys[index];
    const low = key >>> 0;
    const high = Math.floor(key / 4294967296) >>> 0;
    // Fibonacci hashing: the top bits of the product are the well-mixed ones.
    return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(oldKeys.length * 2).fill(-1);
    this.values = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.shift = 32 - Math.log2(this.keys.length);
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== -1) this.set(oldKeys[i], oldValues[i]);
  }
}
