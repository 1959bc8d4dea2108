/**
 * A frame reference: one number naming a frame of one of several captures analysed as one
 * timeline, `capture × 2^32 + frame`. The analysis treats frames as opaque numbers, so references
 * flow through it unchanged; ascending references are ascending frames within each capture, and
 * frames of capture 0 are their own references (a single capture needs no decoding at all).
 * Exact in a double for 2^21 captures of up to 2^32 − 1 frames each.
 */
const CAPTURE_SPAN = 2 ** 32;

/** Captures a reference can name (2^53 / 2^32). */
export const MAX_REFERENCE_CAPTURES = 2 ** 21;

export function frameReference(capture: number, frame: number): number {
  return capture * CAPTURE_SPAN + frame;
}

export function referenceCapture(reference: number): number {
  return Math.floor(reference / CAPTURE_SPAN);
}

export function referenceFrame(reference: number): number {
  return reference % CAPTURE_SPAN;
}

/** How messages name a frame (the number alone when there is one capture). */
export type FrameNamer = (reference: number) => string;

/**
 * `names[i]` names capture i when several captures form one timeline: frames then read
 * `name:frame` (like the renderers' `file:frame`). Without names a frame of capture 0 is its bare
 * number and a frame of capture k reads `frame (capture k+1)`.
 */
export function frameNamer(names: readonly string[] = []): FrameNamer {
  return (reference) => {
    const capture = referenceCapture(reference);
    const frame = referenceFrame(reference);
    if (names.length > 1 && capture < names.length) return `${names[capture]}:${frame}`;
    return capture === 0 ? String(frame) : `${frame} (capture ${capture + 1})`;
  };
}
