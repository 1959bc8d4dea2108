import { MAX_FINDING_FRAMES } from './finding.js';

/**
 * The frames of a repeated observation (e.g. every packet with a mismatching source): the first
 * MAX_FINDING_FRAMES are kept as evidence, the rest only counted, so a million bad packets cost
 * one small array.
 */
export class FrameSample {
  readonly frames: number[] = [];
  total = 0;

  add(frame: number): void {
    this.total++;
    if (this.frames.length < MAX_FINDING_FRAMES) this.frames.push(frame);
  }

  get first(): number {
    return this.frames.length > 0 ? this.frames[0] : 0;
  }
}
