import { frameDisplayFilter } from '../analysis/display-filter.js';
import { referenceCapture, referenceFrame } from '../analysis/frame-reference.js';
import type { FrameLocation } from './report.js';

/**
 * Frame references (analysis/frame-reference.ts) back to what a person can open: per capture, its
 * Wireshark frame numbers and a display filter (Wireshark opens one file at a time). Captures in
 * ascending index, frames ascending; empty when there are no frames.
 */
export function frameLocations(references: readonly number[]): FrameLocation[] {
  const byCapture = new Map<number, number[]>();
  for (const reference of references) {
    const capture = referenceCapture(reference);
    const frames = byCapture.get(capture);
    if (frames === undefined) byCapture.set(capture, [referenceFrame(reference)]);
    else frames.push(referenceFrame(reference));
  }
  return [...byCapture.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([capture, frames]) => {
      const sorted = [...new Set(frames)].sort((a, b) => a - b);
      return { capture, frames: sorted, displayFilter: frameDisplayFilter(sorted) };
    });
}
