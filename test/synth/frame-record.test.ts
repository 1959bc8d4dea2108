import { describe, expect, it } from 'vitest';
import { makeCaptureRecord } from '../../src/synth/frame-record.js';

describe('makeCaptureRecord', () => {
  it('wraps bytes as a whole, uncut record with defaults', () => {
    const bytes = new Uint8Array(60);
    expect(makeCaptureRecord(bytes, { linkType: 1 })).toEqual({
      frame: 1, seconds: 0, nanos: 0, precision: 6, linkType: 1, interfaceId: 0, capturedLength: 60, originalLength: 60, buffer: bytes, offset: 0,
    });
  });

  it('can simulate a snaplen cut and a timestamp', () => {
    const record = makeCaptureRecord(new Uint8Array(10), { linkType: 101, frame: 7, seconds: 5, nanos: 9, precision: 9, originalLength: 1500 });
    expect([record.frame, record.seconds, record.nanos, record.precision, record.capturedLength, record.originalLength]).toEqual([7, 5, 9, 9, 10, 1500]);
  });
});
