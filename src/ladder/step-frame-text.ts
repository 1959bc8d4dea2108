import { referenceCapture, referenceFrame } from '../analysis/frame-reference.js';
import type { LadderStep } from './ladder-step.js';

/**
 * The frame(s) of a step as people read them: `6`, `34–57`, `—` for a missing step. With several
 * captures in one timeline, `2:15` is frame 15 of the second capture (`2:15–20` a run within it).
 */
export function stepFrameText(step: LadderStep, severalCaptures: boolean): string {
  if (step.frame === null) return '—';
  const first = frameText(step.frame, severalCaptures);
  if (step.lastFrame === null || step.lastFrame === step.frame) return first;
  const sameCapture = referenceCapture(step.lastFrame) === referenceCapture(step.frame);
  return `${first}–${frameText(step.lastFrame, severalCaptures && !sameCapture)}`;
}

function frameText(reference: number, severalCaptures: boolean): string {
  const frame = referenceFrame(reference);
  return severalCaptures ? `${referenceCapture(reference) + 1}:${frame}` : String(frame);
}

/** Relative time in seconds, `9.110`. */
export function stepTimeText(step: LadderStep): string {
  return step.time.toFixed(3);
}
