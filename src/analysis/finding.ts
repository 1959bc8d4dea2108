/**
 * The stable finding vocabulary of the `analyze` stage. Kinds are part of the documented report
 * schema: later versions may add kinds, never rename or remove them.
 */
export const FINDING_KINDS = [
  'symmetric-nat',
  'offline',
  'missing-relay',
  'hole-punch-failed',
  'nonce-mismatch',
  'mapping-changed',
  'address-mismatch',
  'bubble-with-payload',
  'malformed-teredo',
  'truncated-capture',
  'client-limit',
  'snap-limited',
  'ra-filtered',
  'secondary-unanswered',
  'clock-jump',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = 'error' | 'warning' | 'info';

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

/** Bit of a kind in a client's finding mask (a client keeps its kinds as one small number). */
export function findingBit(kind: FindingKind): number {
  return 1 << FINDING_KINDS.indexOf(kind);
}

export function kindsFromMask(mask: number): FindingKind[] {
  const kinds: FindingKind[] = [];
  for (let i = 0; i < FINDING_KINDS.length; i++) if ((mask & (1 << i)) !== 0) kinds.push(FINDING_KINDS[i]);
  return kinds;
}
