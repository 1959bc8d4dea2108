import type { FindingKind, Severity } from './finding.js';
import type { ClientState } from './client-state.js';

export interface ClientFinding {
  kind: FindingKind;
  /** Only where the analysis deliberately departs from the kind's default (FINDING_CATALOG). */
  severity?: Severity;
  frames: readonly number[];
  message: string;
  /** The capture it concerns when `frames` may be empty (else the capture of its first frame). */
  capture?: number;
}

/** How the per-client trackers hand their conclusions to the analyzer. */
export interface FindingReporter {
  report(client: ClientState | null, finding: ClientFinding): void;
  /** Whether a finding of `kind` would be kept; when not, `tally` it instead of building its message and frames. */
  accepts(kind: FindingKind): boolean;
  /** A finding of `kind` that was not built because its kind is full: counted, and noted on the client. */
  tally(client: ClientState | null, kind: FindingKind): void;
  /** How messages name a frame reference: its number, with its capture when there are several. */
  frameText(frame: number): string;
}

/**
 * Reports the client's finding of `kind` that `build` makes, or, when the kind is full, only tallies
 * it: past the cap nothing of the message or frame list is built.
 */
export function reportFinding(reporter: FindingReporter, client: ClientState, kind: FindingKind, build: () => Omit<ClientFinding, 'kind'>): void {
  if (!reporter.accepts(kind)) reporter.tally(client, kind);
  else reporter.report(client, { kind, ...build() });
}
