import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRangeSet } from '../../src/decode/byte-range-set.js';

describe('ByteRangeSet', () => {
  it('merges touching and overlapping ranges and reports new bytes', () => {
    const set = new ByteRangeSet();
    expect(set.add(10, 20)).toBe(10);
    expect(set.add(30, 40)).toBe(10);
    expect(set.rangeCount).toBe(2);
    expect(set.add(20, 30)).toBe(10);
    expect(set.equals(10, 40)).toBe(true);
    expect(set.add(15, 35)).toBe(0);
    expect(set.add(0, 50)).toBe(20);
    expect([set.rangeCount, set.maxEnd]).toEqual([1, 50]);
    set.clear();
    expect([set.rangeCount, set.maxEnd]).toEqual([0, 0]);
  });

  it('agrees with a bitmap model (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 200 }), fc.nat({ max: 60 })), { maxLength: 40 }), (ranges) => {
        const set = new ByteRangeSet();
        const model = new Uint8Array(300);
        for (const [start, length] of ranges) {
          let fresh = 0;
          for (let i = start; i < start + length; i++) {
            if (model[i] === 0) fresh++;
            model[i] = 1;
          }
          expect(set.add(start, start + length)).toBe(fresh);
        }
        const first = model.indexOf(1);
        const last = model.lastIndexOf(1);
        const contiguous = first >= 0 && model.subarray(first, last + 1).every((bit) => bit === 1);
        expect(set.equals(first, last + 1)).toBe(contiguous);
        expect(set.maxEnd).toBe(last + 1);
      }),
    );
  });
});
