/** A capture timestamp with the precision the file recorded. */
export interface Timestamp {
  seconds: number;
  nanos: number;
  /** Fractional digits that are meaningful (0..9). */
  precision: number;
}

/** Capture time in (fractional) seconds, the unit timeouts are measured in. */
export function timestampSeconds(ts: { seconds: number; nanos: number }): number {
  return ts.seconds + ts.nanos / 1e9;
}

/**
 * ISO 8601 in UTC with exactly `precision` fractional digits, e.g. 2008-05-16T15:50:52.202579Z.
 * Written by hand because Date only keeps milliseconds.
 */
export function formatIsoTime(ts: Timestamp): string {
  const base = isoDateTime(ts.seconds);
  if (ts.precision <= 0) return `${base}Z`;
  const digits = String(ts.nanos).padStart(9, '0').slice(0, Math.min(9, ts.precision));
  return `${base}.${digits}Z`;
}

const SECONDS_PER_DAY = 86400;

/**
 * Date and time to the second. Date writes years past 9999 (and before 0) with a sign and six
 * digits, and covers only ±8.64e15 ms; a pcapng 64-bit timestamp reaches far beyond, so those are
 * converted by hand, proleptic Gregorian like Wireshark (H. Hinnant's civil_from_days).
 */
function isoDateTime(seconds: number): string {
  // Packets come in bursts within one second: that second's text is kept (dissect --json prints one per packet).
  if (seconds === lastSeconds) return lastText;
  lastText = isoDateTimeUncached(seconds);
  lastSeconds = seconds;
  return lastText;
}

let lastSeconds = Number.NaN;
let lastText = '';

function isoDateTimeUncached(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (!Number.isNaN(date.getTime())) return date.toISOString().slice(0, -5);
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  // Beyond 2^53 the seconds are not exact anyway; keep the time of day in range.
  const time = Math.min(SECONDS_PER_DAY - 1, Math.max(0, Math.floor(seconds - days * SECONDS_PER_DAY)));
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const two = (value: number): string => String(value).padStart(2, '0');
  const clock = `${two(Math.floor(time / 3600))}:${two(Math.floor(time / 60) % 60)}:${two(time % 60)}`;
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}-${two(month)}-${two(day)}T${clock}`;
}
