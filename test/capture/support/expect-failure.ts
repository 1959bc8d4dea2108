import { expect } from 'vitest';
import type { CaptureErrorKind } from '../../../src/capture/capture-error.js';
import { writeCaptureFile } from '../../../src/capture/capture-file.js';
import { readAll } from './read-all.js';

export interface ExpectedFailure {
  kind: CaptureErrorKind;
  message: string | RegExp;
  /** Frames delivered before the error (all of them, numbered 1..framesRead). */
  framesRead: number;
  /** The format the error carries; by default any format for damage found past the magic number, none otherwise. */
  format?: 'pcap' | 'pcapng' | null;
}

/** Chunk sizes that put the damage inside one chunk, across chunks, and byte by byte in between. */
const CHUNK_SIZES = [undefined, 7, 3];

/**
 * Writes `bytes` to `path` and checks that reading it at every chunk size delivers exactly the
 * frames before the damage and then fails as expected.
 */
export async function expectFailure(path: string, bytes: Uint8Array, expected: ExpectedFailure, gzip = false): Promise<void> {
  await writeCaptureFile(path, bytes, { gzip });
  for (const chunkSize of CHUNK_SIZES) {
    const outcome = await readAll(path, { chunkSize });
    const label = `chunk size ${chunkSize ?? 'default'}`;
    expect(outcome.summary, label).toBeNull();
    expect(outcome.error, label).not.toBeNull();
    const error = outcome.error!;
    expect(error.kind, label).toBe(expected.kind);
    if (typeof expected.message === 'string') expect(error.message, label).toBe(expected.message);
    else expect(error.message, label).toMatch(expected.message);
    expect(error.message, label).not.toContain(path);
    expect(error.framesRead, label).toBe(expected.framesRead);
    // Damage usually comes after the magic number told the format, which the report still gives.
    if (expected.format !== undefined) expect(error.format, label).toBe(expected.format);
    else if (expected.kind === 'truncated' || expected.kind === 'damaged') expect(error.format, label).toMatch(/^pcap(ng)?$/);
    else expect(error.format, label).toBeNull();
    expect(outcome.records.map((record) => record.frame), label).toEqual(
      Array.from({ length: expected.framesRead }, (_, i) => i + 1),
    );
  }
}
