import type { CaptureRecord } from '../capture/record.js';

export interface FrameRecordSpec {
  linkType: number;
  /** Default 1. */
  frame?: number;
  /** Default 0. */
  seconds?: number;
  /** Default 0. */
  nanos?: number;
  /** Default 6 (microsecond pcap). */
  precision?: number;
  /** Bytes on the wire; larger than the frame's length simulates a snaplen cut. Default: the frame's length. */
  originalLength?: number;
  interfaceId?: number;
}

/** A CaptureRecord over `bytes`, as a capture reader would deliver it (for tests and generators). */
export function makeCaptureRecord(bytes: Uint8Array, spec: FrameRecordSpec): CaptureRecord {
  return {
    frame: spec.frame ?? 1,
    seconds: spec.seconds ?? 0,
    nanos: spec.nanos ?? 0,
    precision: spec.precision ?? 6,
    linkType: spec.linkType,
    interfaceId: spec.interfaceId ?? 0,
    capturedLength: bytes.length,
    originalLength: spec.originalLength ?? bytes.length,
    buffer: bytes,
    offset: 0,
  };
}
