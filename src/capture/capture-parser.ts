import { CaptureError } from './capture-error.js';
import type { CaptureRecord } from './record.js';

/**
 * A push parser for one capture format: the reader hands it the (decompressed) bytes chunk by
 * chunk and it calls back once per packet record. Chunks may be any size, down to one byte.
 */
export interface CaptureParser {
  /** Parses the next bytes; the chunk is not kept after the call returns. */
  push(chunk: Uint8Array): void;
  /** End of input: throws CaptureError('truncated') if a header or record was cut. */
  finish(): void;
  /** Records delivered so far (= the last frame number). */
  readonly frames: number;
  /** Records delivered per link type. */
  linkTypeCounts(): Map<number, number>;
}

/** Largest captured length accepted in any format (Wireshark's limit for ordinary link types). */
export const MAX_CAPTURED_LENGTH = 262144;

/** The one record object a parser reuses, created with every field so its shape never changes. */
export function createRecord(): CaptureRecord {
  return {
    frame: 0,
    seconds: 0,
    nanos: 0,
    precision: 6,
    linkType: 0,
    interfaceId: 0,
    capturedLength: 0,
    originalLength: 0,
    buffer: new Uint8Array(0),
    offset: 0,
  };
}

export function truncatedHeader(got: number, size: number): CaptureError {
  return new CaptureError('truncated', `truncated file header (${got} of ${size} bytes)`, 0);
}

export function truncatedRecord(frames: number, size: number, got: number): CaptureError {
  return new CaptureError('truncated', `truncated after frame ${frames}: record of ${size} bytes cut at ${got}`, frames);
}

/** A record header cut before it says how long the record is. */
export function truncatedRecordHeader(frames: number, size: number, got: number): CaptureError {
  return new CaptureError(
    'truncated',
    `truncated after frame ${frames}: record header of ${size} bytes cut at ${got}`,
    frames,
  );
}

export function absurdLength(frame: number, capturedLength: number): string {
  return `frame ${frame}: captured length ${capturedLength} is absurd (over 256 KiB)`;
}
