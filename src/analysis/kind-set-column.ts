/**
 * A set of kinds per row, one bit per kind, in as many bytes a row as the kinds need: a client's
 * finding kinds without an object per client, and without a fixed width that would silently drop
 * a kind added to the catalog past it.
 */
export class KindSetColumn {
  readonly bytesPerRow: number;
  private readonly kindCount: number;
  private readonly bits: Uint8Array;

  constructor(rows: number, kindCount: number) {
    this.kindCount = kindCount;
    this.bytesPerRow = Math.max(1, Math.ceil(kindCount / 8));
    this.bits = new Uint8Array(rows * this.bytesPerRow);
  }

  /** Takes the rows of a smaller column of the same kinds. */
  copyFrom(other: KindSetColumn): void {
    this.bits.set(other.bits);
  }

  add(row: number, kindIndex: number): void {
    this.checkKind(kindIndex);
    this.bits[row * this.bytesPerRow + (kindIndex >> 3)] |= 1 << (kindIndex & 7);
  }

  has(row: number, kindIndex: number): boolean {
    this.checkKind(kindIndex);
    return (this.bits[row * this.bytesPerRow + (kindIndex >> 3)] & (1 << (kindIndex & 7))) !== 0;
  }

  /** The row's kind indexes, ascending. */
  indexes(row: number): number[] {
    const found: number[] = [];
    const base = row * this.bytesPerRow;
    for (let byte = 0; byte < this.bytesPerRow; byte++) {
      const value = this.bits[base + byte];
      if (value === 0) continue;
      for (let bit = 0; bit < 8; bit++) if ((value & (1 << bit)) !== 0) found.push(byte * 8 + bit);
    }
    return found;
  }

  private checkKind(kindIndex: number): void {
    if (!Number.isInteger(kindIndex) || kindIndex < 0 || kindIndex >= this.kindCount) throw new RangeError(`kind index ${kindIndex} outside 0..${this.kindCount - 1}`);
  }
}
