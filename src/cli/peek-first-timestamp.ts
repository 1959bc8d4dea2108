import { readCapture } from '../capture/reader.js';
import type { Timestamp } from '../capture/timestamp.js';

class FirstRecordSeen extends Error {}

/**
 * The timestamp of a capture's first frame, read without going further; null when the file has no
 * readable frame (its error is reported when it is read for real).
 */
export async function peekFirstTimestamp(file: string): Promise<Timestamp | null> {
  let first: Timestamp | null = null;
  try {
    await readCapture(
      file,
      (record) => {
        first = { seconds: record.seconds, nanos: record.nanos, precision: record.precision };
        throw new FirstRecordSeen();
      },
      { chunkSize: 64 * 1024 },
    );
  } catch {
    // FirstRecordSeen is the normal way out; any other error is reported by the real read.
  }
  return first;
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}
