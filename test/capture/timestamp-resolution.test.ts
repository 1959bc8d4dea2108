import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  resolutionFromTsresol,
  timeToUnits,
  unitsToTime,
  type TimeTarget,
} from '../../src/capture/timestamp-resolution.js';

/** The obvious BigInt computation, as the reference. */
function referenceTime(units: bigint, raw: number): TimeTarget {
  const exponent = BigInt(raw & 0x7f);
  const perSecond = (raw & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
  return { seconds: Number(units / perSecond), nanos: Number(((units % perSecond) * 1_000_000_000n) / perSecond) };
}

function split(units: bigint): [number, number] {
  return [Number(units >> 32n), Number(units & 0xffffffffn)];
}

const units64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
/** Seconds as a double stay exact below 2^53 (what the reference's Number() also gives). */
const safeUnits = (raw: number): fc.Arbitrary<bigint> => {
  const exponent = BigInt(raw & 0x7f);
  const perSecond = (raw & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
  const max = (1n << 64n) - 1n < perSecond * (1n << 53n) ? (1n << 64n) - 1n : perSecond * (1n << 53n) - 1n;
  return fc.bigInt({ min: 0n, max });
};
const decimalRaw = fc.integer({ min: 0, max: 24 });
const binaryRaw = fc.integer({ min: 0, max: 80 }).map((n) => 0x80 | n);

describe('timestamp resolution', () => {
  it('derives the precision from if_tsresol', () => {
    const cases: Array<[number, number]> = [
      [6, 6],
      [9, 9],
      [3, 3],
      [0, 0],
      [12, 9],
      [0x80, 0],
      [0x80 | 10, 4],
      [0x80 | 20, 7],
      [0x80 | 29, 9],
      [0x80 | 30, 9],
    ];
    for (const [raw, precision] of cases) expect(resolutionFromTsresol(raw).precision, `tsresol ${raw}`).toBe(precision);
    expect(resolutionFromTsresol(0x80 | 10)).toMatchObject({ binary: true, exponent: 10, precision: 4 });
    expect(resolutionFromTsresol(6)).toMatchObject({ binary: false, exponent: 6, divisor: 1e6, nanosPerUnit: 1000 });
  });

  it('converts typical nanosecond counts beyond 2^53 exactly', () => {
    const target: TimeTarget = { seconds: 0, nanos: 0 };
    const units = 1_700_000_000_123_456_789n;
    unitsToTime(...split(units), resolutionFromTsresol(9), target);
    expect(target).toEqual({ seconds: 1_700_000_000, nanos: 123_456_789 });
    unitsToTime(0xffffffff, 0xffffffff, resolutionFromTsresol(9), target);
    expect(target).toEqual({ seconds: 18_446_744_073, nanos: 709_551_615 });
  });

  it('matches the BigInt reference for every decimal and binary resolution', () => {
    const target: TimeTarget = { seconds: 0, nanos: 0 };
    fc.assert(
      fc.property(fc.oneof(decimalRaw, binaryRaw).chain((raw) => fc.tuple(fc.constant(raw), safeUnits(raw))), ([raw, units]) => {
        unitsToTime(...split(units), resolutionFromTsresol(raw), target);
        expect(target).toEqual(referenceTime(units, raw));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps nanos exact for any 64-bit count at µs and ns resolution', () => {
    const target: TimeTarget = { seconds: 0, nanos: 0 };
    fc.assert(
      fc.property(fc.constantFrom(6, 9), units64, (raw, units) => {
        unitsToTime(...split(units), resolutionFromTsresol(raw), target);
        expect(target.nanos).toBe(referenceTime(units, raw).nanos);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes back the very unit count it read (decimal up to ns, binary coarser than 2^-30)', () => {
    const target: TimeTarget = { seconds: 0, nanos: 0 };
    const raws = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 29 }).map((n) => 0x80 | n));
    fc.assert(
      fc.property(raws.chain((raw) => fc.tuple(fc.constant(raw), safeUnits(raw))), ([raw, units]) => {
        const resolution = resolutionFromTsresol(raw);
        unitsToTime(...split(units), resolution, target);
        const written = timeToUnits(target.seconds, target.nanos, resolution);
        expect((BigInt(written.high) << 32n) | BigInt(written.low)).toBe(units);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads back the time it wrote whenever the resolution is at least a nanosecond', () => {
    const target: TimeTarget = { seconds: 0, nanos: 0 };
    const raws = fc.oneof(fc.integer({ min: 9, max: 10 }), fc.integer({ min: 30, max: 32 }).map((n) => 0x80 | n));
    fc.assert(
      fc.property(raws, fc.integer({ min: 0, max: 1_800_000_000 }), fc.integer({ min: 0, max: 999_999_999 }), (raw, seconds, nanos) => {
        const resolution = resolutionFromTsresol(raw);
        const units = timeToUnits(seconds, nanos, resolution);
        unitsToTime(units.high, units.low, resolution, target);
        expect(target).toEqual({ seconds, nanos });
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses times that do not fit', () => {
    expect(() => timeToUnits(-1, 0, resolutionFromTsresol(6))).toThrow(RangeError);
    expect(() => timeToUnits(1.5, 0, resolutionFromTsresol(6))).toThrow(RangeError);
    expect(() => timeToUnits(1, 1e9, resolutionFromTsresol(6))).toThrow(RangeError);
    expect(() => timeToUnits(1_700_000_000, 0, resolutionFromTsresol(12))).toThrow(RangeError);
  });
});
