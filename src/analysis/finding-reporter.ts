import type { FindingKind, Severity } from './finding.js';
import type { ClientState } from './client-state.js';

export interface ClientFinding {
  kind: FindingKind;
  severity: Severity;
  frames: readonly number[];
  message: string;
}

/** How the per-client trackers hand their conclusions to the analyzer. */
export interface FindingReporter {
  report(client: ClientState | null, finding: ClientFinding): void;
}
