/**
 * pcapng timestamp resolutions (if_tsresol) and the exact conversion between a 64-bit count of
 * time units and seconds + nanoseconds, in both directions.
 *
 * A nanosecond timestamp of today is about 1.7·10^18 units, beyond 2^53, so a plain
 * `hi * 2^32 + lo` in a double would lose the last digits. Decimal resolutions are therefore
 * divided exactly without BigInt or allocation (this runs once per packet): one floating-point
 * division corrected with 32-bit integer arithmetic, or long division over four 16-bit limbs in
 * the rare cases where that shortcut is not exact. Only power-of-two resolutions, which are rare,
 * use BigInt.
 */

/** How one pcapng interface counts time. */
export interface TimestampResolution {
  /** true: units of 2^-exponent s; false: units of 10^-exponent s. */
  readonly binary: boolean;
  readonly exponent: number;
  /** Fraction digits this resolution really gives (capped at 9). */
  readonly precision: number;
  /** Units per second for decimal resolutions up to 1 ns (10^exponent), else 0. */
  readonly divisor: number;
  /** Nanoseconds per unit when divisor is set. */
  readonly nanosPerUnit: number;
}

/** Where a conversion writes its result (the reader passes its reused record). */
export interface TimeTarget {
  seconds: number;
  nanos: number;
}

/** An unsigned 64-bit unit count as two 32-bit halves. */
export interface UnitCount {
  high: number;
  low: number;
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const TWO_POW_32 = 4294967296;
const NANOS_PER_SECOND = 1_000_000_000;
/** Divisors from which the one-division shortcut is exact for every 64-bit count. */
const MIN_ROUNDED_DIVISOR = 1e5;
/** A high half below this means the whole count is below 2^53 and exact in a double. */
const SAFE_HIGH_LIMIT = 0x200000;

/** The raw if_tsresol option byte: bit 7 clear → 10^-n, set → 2^-n (n = low 7 bits). */
export function resolutionFromTsresol(raw: number): TimestampResolution {
  const binary = (raw & 0x80) !== 0;
  const exponent = raw & 0x7f;
  const digits = binary ? Math.ceil(exponent * Math.log10(2)) : exponent;
  const exact = !binary && exponent <= 9;
  return {
    binary,
    exponent,
    precision: Math.min(digits, 9),
    divisor: exact ? POWERS_OF_TEN[exponent] : 0,
    nanosPerUnit: exact ? POWERS_OF_TEN[9 - exponent] : 0,
  };
}

export const MICROSECOND_RESOLUTION: TimestampResolution = resolutionFromTsresol(6);

// Long-division scratch: limbs[0] is the most significant 16 bits. Module-level so that the per
// packet conversion allocates nothing.
const limbs = new Float64Array(4);

function loadLimbs(high: number, low: number): void {
  limbs[0] = high >>> 16;
  limbs[1] = high & 0xffff;
  limbs[2] = low >>> 16;
  limbs[3] = low & 0xffff;
}

/** limbs ← floor(limbs / divisor); returns the remainder. divisor ≤ 10^9 keeps every step exact. */
function divideLimbs(divisor: number): number {
  let remainder = 0;
  for (let i = 0; i < 4; i++) {
    const current = remainder * 65536 + limbs[i];
    const quotient = Math.floor(current / divisor);
    remainder = current - quotient * divisor;
    limbs[i] = quotient;
  }
  return remainder;
}

/** Exact below 2^53; beyond that (hundreds of millions of years) the seconds round. */
function limbsValue(): number {
  return ((limbs[0] * 65536 + limbs[1]) * 65536 + limbs[2]) * 65536 + limbs[3];
}

/**
 * Writes the time of `high·2^32 + low` units into target (seconds may exceed 2^32; the caller adds
 * if_tsoffset). Fractions finer than a nanosecond are truncated, as Wireshark does.
 */
export function unitsToTime(high: number, low: number, resolution: TimestampResolution, target: TimeTarget): void {
  const divisor = resolution.divisor;
  if (divisor >= MIN_ROUNDED_DIVISOR || (divisor !== 0 && high < SAFE_HIGH_LIMIT)) {
    // The per-packet path (µs, ns): one division, corrected with exact 32-bit arithmetic. The
    // double quotient is off by at most one (its rounding error is ≤ 2^11 / divisor +
    // 2^-53 · quotient), and the true remainder lies in (-divisor, 2·divisor), within int32, so
    // its low 32 bits computed with Math.imul are the remainder itself.
    let seconds = Math.floor((high * TWO_POW_32 + low) / divisor);
    let rest = (low - Math.imul(seconds | 0, divisor)) | 0;
    if (rest < 0) {
      seconds -= 1;
      rest += divisor;
    } else if (rest >= divisor) {
      seconds += 1;
      rest -= divisor;
    }
    target.seconds = seconds;
    target.nanos = rest * resolution.nanosPerUnit;
    return;
  }
  if (resolution.binary) binaryUnitsToTime(high, low, resolution.exponent, target);
  else decimalUnitsToTimeByLimbs(high, low, resolution.exponent, target);
}

/** Rare decimal cases: coarse units with counts beyond 2^53, or units finer than 1 ns. */
function decimalUnitsToTimeByLimbs(high: number, low: number, exponent: number, target: TimeTarget): void {
  loadLimbs(high, low);
  if (exponent <= 9) {
    const rest = divideLimbs(POWERS_OF_TEN[exponent]);
    target.seconds = limbsValue();
    target.nanos = rest * POWERS_OF_TEN[9 - exponent];
    return;
  }
  // floor(floor(T / a) / b) = floor(T / ab): strip the sub-nanosecond digits in steps of at most
  // 10^9, and what is left counts nanoseconds.
  let extraDigits = exponent - 9;
  while (extraDigits > 0) {
    const step = Math.min(extraDigits, 9);
    divideLimbs(POWERS_OF_TEN[step]);
    extraDigits -= step;
  }
  target.nanos = divideLimbs(NANOS_PER_SECOND);
  target.seconds = limbsValue();
}

function binaryUnitsToTime(high: number, low: number, exponent: number, target: TimeTarget): void {
  const units = (BigInt(high) << 32n) | BigInt(low);
  const shift = BigInt(exponent);
  const fraction = units & ((1n << shift) - 1n);
  target.seconds = Number(units >> shift);
  target.nanos = Number((fraction * 1_000_000_000n) >> shift);
}

/**
 * The unit count that the reader turns back into exactly (seconds, nanos) whenever the resolution
 * can represent that instant. Decimal resolutions coarser than 1 ns truncate (as libpcap does for
 * µs); power-of-two ones round the fraction up, because the reader truncates: the smallest count
 * that reads back as `nanos` is the ceiling, and it makes write(read(units)) = units hold too.
 * Throws RangeError if the time is negative or needs more than 64 bits.
 */
export function timeToUnits(seconds: number, nanos: number, resolution: TimestampResolution): UnitCount {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`timestamp seconds ${seconds} cannot be written (must be a whole number ≥ 0)`);
  }
  if (!Number.isInteger(nanos) || nanos < 0 || nanos >= NANOS_PER_SECOND) {
    throw new RangeError(`timestamp nanoseconds ${nanos} cannot be written (must be 0..999999999)`);
  }
  if (!resolution.binary && resolution.exponent <= 9) {
    const units =
      seconds * POWERS_OF_TEN[resolution.exponent] + Math.floor(nanos / POWERS_OF_TEN[9 - resolution.exponent]);
    if (Number.isSafeInteger(units)) {
      const high = Math.floor(units / TWO_POW_32);
      return { high, low: units - high * TWO_POW_32 };
    }
  }
  const bigSeconds = BigInt(seconds);
  const bigNanos = BigInt(nanos);
  let units: bigint;
  if (resolution.binary) {
    const scale = 1n << BigInt(resolution.exponent);
    units = bigSeconds * scale + (bigNanos * scale + 999_999_999n) / 1_000_000_000n;
  } else if (resolution.exponent <= 9) {
    units = bigSeconds * 10n ** BigInt(resolution.exponent) + bigNanos / 10n ** BigInt(9 - resolution.exponent);
  } else {
    units = (bigSeconds * 1_000_000_000n + bigNanos) * 10n ** BigInt(resolution.exponent - 9);
  }
  if (units >= 1n << 64n) {
    throw new RangeError(`timestamp ${seconds}.${nanos} does not fit in 64 bits at this resolution`);
  }
  return { high: Number(units >> 32n), low: Number(units & 0xffffffffn) };
}
