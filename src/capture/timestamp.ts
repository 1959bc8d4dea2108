/** A capture timestamp with the precision the file recorded. */
export interface Timestamp {
  seconds: number;
  nanos: number;
  /** Fractional digits that are meaningful (0..9). */
  precision: number;
}

/**
 * ISO 8601 in UTC with exactly `precision` fractional digits, e.g. 2008-05-16T15:50:52.202579Z.
 * Written by hand because Date only keeps milliseconds.
 */
export function formatIsoTime(ts: Timestamp): string {
  const date = new Date(ts.seconds * 1000);
  const base = date.toISOString().slice(0, 19);
  if (ts.precision <= 0) return `${base}Z`;
  const digits = String(ts.nanos).padStart(9, '0').slice(0, Math.min(9, ts.precision));
  return `${base}.${digits}Z`;
}
