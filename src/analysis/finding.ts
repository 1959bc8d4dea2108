import type { FindingKind, Severity } from './finding-catalog.js';

// The vocabulary and default severities live in the catalog; re-exported for the many importers.
export { FINDING_CATALOG, FINDING_KINDS, SEVERITIES, type FindingKind, type Severity } from './finding-catalog.js';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** Id of the client it concerns (see ClientSummary.id), or null for capture-wide findings. */
  client: string | null;
  /**
   * Frames that prove it, ascending (at most MAX_FINDING_FRAMES): Wireshark frame numbers, or frame
   * references (frame-reference.ts) when several captures were analysed as one timeline.
   */
  frames: number[];
  message: string;
  /** A Wireshark display filter that shows exactly the frames of `capture` among `frames`. */
  displayFilter: string;
  /** Index of the capture of the first frame (of the capture concerned when there are no frames). */
  capture: number;
}

/** Frames kept per finding; the message states the full count when there were more. */
export const MAX_FINDING_FRAMES = 64;
