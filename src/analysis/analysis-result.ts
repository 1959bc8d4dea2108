import type { Timestamp } from '../capture/timestamp.js';
import type { ClientSummary } from './client-summary.js';
import type { Finding, FindingKind } from './finding.js';

export interface AnalyzerOptions {
  /** Capture seconds without a packet after which a client is closed out (default 300). */
  idleTimeoutSeconds?: number;
  /**
   * Most clients kept live at once (default DEFAULT_MAX_LIVE_CLIENTS). Past it the least recently
   * active client is closed out early, as if idle; it is revived if it comes back. This bounds
   * memory whatever the capture holds (a flood of fake clients included).
   */
  maxLiveClients?: number;
  /** Findings kept per kind; the rest are only counted in `findingsOmitted` (default 1000). */
  maxFindingsPerKind?: number;
  /**
   * Names of the captures whose frame references are analysed together (index = capture), used in
   * messages as `name:frame`; messages name bare frame numbers when there is one capture.
   */
  captureNames?: readonly string[];
  /**
   * Bounds of the window within which packets stamped out of order are put back in time order
   * before the analysis (reorder-buffer.ts): packets held at most (default 256) and capture
   * seconds spanned (default 1). Packets later than the window are analysed in arrival order.
   */
  reorderWindowPackets?: number;
  reorderWindowSeconds?: number;
}

/** What the analyzer saw of one capture. */
export interface CaptureAnalysis {
  teredoPackets: number;
  /** Time of the first and last Teredo packet. */
  firstTime: Timestamp | null;
  lastTime: Timestamp | null;
  malformed: number;
  truncated: boolean;
}

/** Read access to the client summaries without materialising them all at once. */
export interface ClientSummaryList extends Iterable<ClientSummary> {
  readonly size: number;
  /** Summary number `index` (0-based, in order of first appearance); a fresh object each call. */
  get(index: number): ClientSummary;
}

export interface AnalysisResult {
  clients: ClientSummaryList;
  /** In capture order, then by first frame (frames are frame references, see frame-reference.ts). */
  findings: Finding[];
  /** Findings left out because a kind exceeded `maxFindingsPerKind`, by kind. */
  findingsOmitted: Partial<Record<FindingKind, number>>;
  /** Indexed by capture (the capture part of the frame references); at least one entry. */
  captures: CaptureAnalysis[];
}
