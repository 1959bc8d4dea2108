/**
 * A set of byte positions kept as sorted, disjoint, non-touching [start, end) ranges: which parts
 * of a fragmented datagram have arrived. Searches are binary, so a train of many small fragments
 * costs O(log n) per fragment plus one array splice.
 */
export class ByteRangeSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  get rangeCount(): number {
    return this.starts.length;
  }

  /** End of the highest range, 0 when empty. */
  get maxEnd(): number {
    return this.ends.length === 0 ? 0 : this.ends[this.ends.length - 1];
  }

  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
  }

  /** True when the set is exactly [start, end). */
  equals(start: number, end: number): boolean {
    return this.starts.length === 1 && this.starts[0] === start && this.ends[0] === end;
  }

  /** Adds [start, end) and returns how many of its bytes were not in the set before. */
  add(start: number, end: number): number {
    if (end <= start) return 0;
    const first = firstIndexAtLeast(this.ends, start);
    const afterLast = firstIndexAbove(this.starts, end);
    if (first >= afterLast) {
      this.starts.splice(first, 0, start);
      this.ends.splice(first, 0, end);
      return end - start;
    }
    const mergedStart = Math.min(start, this.starts[first]);
    const mergedEnd = Math.max(end, this.ends[afterLast - 1]);
    let alreadyCovered = 0;
    for (let i = first; i < afterLast; i++) alreadyCovered += this.ends[i] - this.starts[i];
    this.starts.splice(first, afterLast - first, mergedStart);
    this.ends.splice(first, afterLast - first, mergedEnd);
    return mergedEnd - mergedStart - alreadyCovered;
  }
}

function firstIndexAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function firstIndexAbove(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
