import type { NatType, PunchOutcome, PunchPath, PunchStep, Vantage } from '../analysis/client-summary.js';
import type { FindingKind, Severity } from '../analysis/finding.js';
import type { ReportClientList } from './report-client-list.js';
import type { ConsoleNatLabel, TeredoState } from './teredo-words.js';

/**
 * The `analyze` report, schema `teredoscope.report/1`. Later versions only add fields; the names
 * and meanings below never change. Addresses are text (IPv4 dotted quad, IPv6 RFC 5952).
 *
 * Frame numbers are always those Wireshark shows for one file, and a `capture` index (into
 * `captures`) says which file. Several captures are analysed as one timeline (a client seen across
 * rotated files is one client), so a finding or a hole punch may span files: in a report of
 * several captures every finding and hole punch also lists `locations`, its frames per capture,
 * while `capture` + `frames` + `displayFilter` keep meaning "frames of capture `capture`" (the
 * first location). A report of one capture has none of these extensions and is unchanged.
 */
export const REPORT_SCHEMA = 'teredoscope.report/1';

/** What the CLI knows of a capture it read. */
export interface CaptureReportEntry {
  file: string;
  format: 'pcap' | 'pcapng' | null;
  /** Frames in the file (or read before it broke off). */
  packets: number;
  teredoPackets: number;
  /** The file ended early or was damaged; exchanges open at that point are `pending`. */
  truncated: boolean;
  /** Extension, only when reading the file failed (not found, not a capture, cut short): why, in one line. */
  error?: string;
}

export interface ReportCapture extends CaptureReportEntry {
  /** Times of the first and last Teredo packet (ISO 8601 UTC), null without Teredo packets. */
  start: string | null;
  end: string | null;
  durationSeconds: number | null;
}

/** The frames of a finding or hole punch that one capture holds, for opening that file in Wireshark. */
export interface FrameLocation {
  /** Index into `captures`. */
  capture: number;
  /** Wireshark frame numbers of that file, ascending. */
  frames: number[];
  /** Display filter selecting exactly `frames` in that file. */
  displayFilter: string;
}

export interface ReportSocket {
  address: string;
  port: number;
}

export interface ReportRelay extends ReportSocket {
  /** The relay's own IPv6 (source of its bubble); null when only its traffic was seen. */
  ipv6: string | null;
}

export interface ReportHolePunch {
  /** Native host or peer Teredo address; null when a relay bubble came for a peer never seen. */
  peer: string | null;
  relay: ReportSocket | null;
  outcome: PunchOutcome;
  frames: number[];
  /** Extensions: how the peer was reached, the step missing in a failure, and the time it took. */
  path: PunchPath;
  missingStep: PunchStep | null;
  latencyMs: number | null;
  /** Extensions, only in reports of several captures: the capture `frames` belong to, and every capture's frames. */
  capture?: number;
  locations?: FrameLocation[];
}

export interface ReportClient {
  id: string;
  endpoints: ReportSocket[];
  mapped: ReportSocket | null;
  teredoAddress: string | null;
  server: { primary: string | null; secondary: string | null };
  natType: NatType;
  qualified: boolean;
  relays: ReportRelay[];
  holePunches: ReportHolePunch[];
  findings: FindingKind[];
  /** Extensions. `capture`: the capture of `firstFrame`. */
  capture: number;
  vantage: Vantage;
  rsRaRoundTripMs: number | null;
  qualificationMs: number | null;
  refreshIntervalSeconds: number | null;
  packets: number;
  firstFrame: number;
  lastFrame: number;
  /** Extension, only in reports of several captures: the capture of `lastFrame`. */
  lastCapture?: number;
  /** Extensions in netsh's and the Xbox app's words (report/teredo-words.ts). */
  state: TeredoState;
  portPreserving: boolean | null;
  console: ConsoleNatLabel | null;
  cause: string | null;
}

export interface ReportFinding {
  kind: FindingKind;
  severity: Severity;
  client: string | null;
  frames: number[];
  message: string;
  displayFilter: string;
  /** Extension: index into `captures` the frame numbers refer to. */
  capture: number;
  /** Extension, only in reports of several captures: the frames per capture, the first being `capture`/`frames`/`displayFilter`. */
  locations?: FrameLocation[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  captures: ReportCapture[];
  /** Iterable (and JSON-serialisable as an array) without holding every client object at once. */
  clients: ReportClientList;
  findings: ReportFinding[];
  /** Extension: findings not listed because a kind had too many, by kind. */
  findingsOmitted: Partial<Record<FindingKind, number>>;
  /**
   * Extension, only when the captures were not all analysed as one timeline: the indexes into
   * `captures` of each timeline analysed on its own. Client ids are unique within a timeline.
   */
  timelines?: number[][];
}
