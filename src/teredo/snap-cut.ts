import type { Anomaly } from './packet.js';

/** Room for the parts of a cut IPv6 header the analysis may read (the 40-byte header itself). */
const PADDING = 40;

/**
 * A frame cut by the capture's snap length (tshark: "[Packet size limited during capture]") keeps
 * the start of its Teredo payload. The dissector reads it from a copy followed by zeros, so that
 * readers of fixed-size fields never run past the bytes present into whatever follows in a reused
 * buffer; the scan is told where the real bytes stop (scanEncapsulation's `cutEnd`).
 */
export class SnapCutCopy {
  bytes = new Uint8Array(2048);

  /** Copies bytes[start, end) to offset 0 followed by zeros; returns the end of the padded copy. */
  copy(source: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.bytes.length < length + PADDING) this.bytes = new Uint8Array(length + PADDING);
    this.bytes.set(source.subarray(start, end), 0);
    this.bytes.fill(0, length, length + PADDING);
    return length + PADDING;
  }
}

/** The anomaly that marks a cut packet (not a malformation: the analysis uses what survived). */
export function snapCutAnomaly(kept: number, cut: number): Anomaly {
  return { kind: 'snap-cut', message: `packet size limited during capture: ${kept} of ${kept + cut} UDP payload bytes kept` };
}

export function isSnapCut(anomalies: readonly Anomaly[]): boolean {
  for (const anomaly of anomalies) if (anomaly.kind === 'snap-cut') return true;
  return false;
}
