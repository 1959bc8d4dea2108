import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError } from '../../../src/capture/capture-error.js';
import type { CaptureSummary } from '../../../src/capture/capture-summary.js';
import { readCapture, type ReadOptions } from '../../../src/capture/reader.js';
import type { CaptureRecord } from '../../../src/capture/record.js';

/** A record copied out of the reader's reused object. */
export interface CopiedRecord {
  frame: number;
  seconds: number;
  nanos: number;
  precision: number;
  linkType: number;
  interfaceId: number;
  capturedLength: number;
  originalLength: number;
  /** The packet bytes in hex (deep equality of long strings is far faster than of byte arrays). */
  hex: string;
}

export interface ReadOutcome {
  records: CopiedRecord[];
  summary: CaptureSummary | null;
  error: CaptureError | null;
}

export function copyRecord(record: CaptureRecord): CopiedRecord {
  return {
    frame: record.frame,
    seconds: record.seconds,
    nanos: record.nanos,
    precision: record.precision,
    linkType: record.linkType,
    interfaceId: record.interfaceId,
    capturedLength: record.capturedLength,
    originalLength: record.originalLength,
    hex: toHex(record.buffer.subarray(record.offset, record.offset + record.capturedLength)),
  };
}

/** Reads a whole capture, keeping copies of the records and the error (CaptureError only). */
export async function readAll(path: string, options?: ReadOptions): Promise<ReadOutcome> {
  const records: CopiedRecord[] = [];
  try {
    const summary = await readCapture(path, (record) => records.push(copyRecord(record)), options);
    return { records, summary, error: null };
  } catch (error) {
    if (error instanceof CaptureError) return { records, summary: null, error };
    throw error;
  }
}

/** A fresh temporary directory for one test file. */
export function temporaryDirectory(label: string): (name: string) => string {
  const directory = mkdtempSync(join(tmpdir(), `teredoscope-capture-${label}-`));
  return (name) => join(directory, name);
}

/** Deterministic packet bytes of the given length (a pattern that differs from frame to frame). */
export function packetBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** Lengths that exercise padding (not multiples of 4), empty packets and large ones. */
export const PACKET_LENGTHS = [60, 1, 0, 1514, 2, 3, 97, 5000, 54, 65535, 13, 4];

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
