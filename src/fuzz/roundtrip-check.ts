import { gzipSync } from 'node:zlib';
import { CaptureError } from '../capture/capture-error.js';
import type { CaptureSummary } from '../capture/capture-summary.js';
import { readCapture } from '../capture/reader.js';
import type { CaptureRecord } from '../capture/record.js';
import { writeCaptureSpec, type CaptureSpec, type ExpectedCapture, type ExpectedRecord } from './capture-spec.js';
import { describeError } from './pipeline-probe.js';
import { plainStream, RecyclingStream } from './recycling-stream.js';

export interface RoundTripOptions {
  chunkSize?: number;
  /** Stream chunk size (recycled unless gzip); default one chunk. */
  streamChunkSize?: number;
  gzip?: boolean;
}

const RECORD_FIELDS = ['frame', 'seconds', 'nanos', 'precision', 'linkType', 'interfaceId', 'capturedLength', 'originalLength'] as const;
const MAX_VIOLATIONS = 10;

/**
 * Writes `spec` with the capture writers, reads it back and returns every difference between what
 * was written and what was read (empty when the round trip is faithful): each record's fields and
 * bytes, the number of records and frames, the link-type counts, and no error at all.
 */
export async function checkRoundTrip(spec: CaptureSpec, options: RoundTripOptions = {}): Promise<string[]> {
  const expected = writeCaptureSpec(spec);
  return checkReadBack(expected, expected.bytes, options);
}

/** Reads `bytes` (what was written, or a tampered copy) and compares with `expected`. */
export async function checkReadBack(expected: ExpectedCapture, bytes: Uint8Array, options: RoundTripOptions = {}): Promise<string[]> {
  const violations: string[] = [];
  const report = (message: string): void => {
    if (violations.length < MAX_VIOLATIONS) violations.push(message);
  };
  let index = 0;
  const onRecord = (record: CaptureRecord): void => {
    const want = expected.records[index++];
    if (want === undefined) {
      report(`frame ${record.frame} was read, but only ${expected.records.length} packets were written`);
      return;
    }
    compareRecord(record, want, report);
  };
  const input = options.gzip === true ? gzipSync(bytes) : bytes;
  const stream = options.gzip === true
    ? plainStream(input, options.streamChunkSize)
    : new RecyclingStream(input, options.streamChunkSize ?? Math.max(1, input.length));
  let summary: CaptureSummary | null = null;
  try {
    summary = await readCapture('-', onRecord, { input: stream, chunkSize: options.chunkSize });
  } catch (error) {
    report(`reading back failed: ${error instanceof CaptureError ? `${error.kind}: ${error.message}` : describeError(error)}`);
  }
  if (index < expected.records.length) report(`${index} of ${expected.records.length} packets were read back`);
  if (summary !== null) {
    if (summary.format !== expected.format || summary.compressed !== (options.gzip === true)) {
      report(`read as ${summary.format}${summary.compressed ? ' (gzip)' : ''}`);
    }
    if (summary.frames !== expected.frames) report(`summary counts ${summary.frames} frames, ${expected.frames} written`);
    if (summary.bytes !== expected.bytes.length) report(`summary counts ${summary.bytes} bytes, ${expected.bytes.length} written`);
    const counts = [...summary.linkTypes].sort((a, b) => a[0] - b[0]);
    const wanted = [...expected.linkTypes].sort((a, b) => a[0] - b[0]);
    if (JSON.stringify(counts) !== JSON.stringify(wanted)) report(`link types ${JSON.stringify(counts)}, written ${JSON.stringify(wanted)}`);
  }
  return violations;
}

function compareRecord(record: CaptureRecord, want: ExpectedRecord, report: (message: string) => void): void {
  for (const field of RECORD_FIELDS) {
    if (record[field] !== want[field]) {
      report(`frame ${want.frame}: ${field} read back as ${record[field]}, written ${want[field]}`);
      return;
    }
  }
  const got = record.buffer.subarray(record.offset, record.offset + record.capturedLength);
  if (Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.byteLength), Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength)) !== 0) {
    report(`frame ${want.frame}: the packet bytes differ`);
  }
}
