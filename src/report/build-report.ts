import type { AnalysisResult, CaptureAnalysis } from '../analysis/analysis-result.js';
import type { ClientSummary, HolePunchSummary, RelaySummary } from '../analysis/client-summary.js';
import type { Endpoint } from '../analysis/endpoint.js';
import type { Finding } from '../analysis/finding.js';
import { referenceCapture, referenceFrame } from '../analysis/frame-reference.js';
import { formatIsoTime } from '../capture/timestamp.js';
import { formatIpv4 } from '../decode/ip-address.js';
import { REPORT_SCHEMA, type CaptureReportEntry, type Report, type ReportCapture, type ReportClient, type ReportFinding, type ReportHolePunch, type ReportRelay, type ReportSocket } from './report.js';
import { frameLocations } from './frame-locations.js';
import { ReportClientList } from './report-client-list.js';
import { teredoWords } from './teredo-words.js';

/**
 * The report of an analysis. `captures[i]` describes capture i, the one whose frames the analysis
 * saw as frame references into capture i (see analysis/frame-reference.ts). With one capture the
 * frame numbers pass through untouched; with several each reference is decoded into its capture
 * and frame, and findings and hole punches list their `locations`. Clients are converted lazily,
 * one per access.
 */
export function buildReport(input: { captures: CaptureReportEntry[]; analysis: AnalysisResult }): Report {
  const { analysis } = input;
  const several = input.captures.length > 1;
  const captures = input.captures.map((entry, index) => reportCapture(entry, analysis.captures[index]));
  return {
    schema: REPORT_SCHEMA,
    captures,
    clients: new ReportClientList(analysis.clients.size, (index) => reportClient(analysis.clients.get(index), several)),
    findings: analysis.findings.map((finding) => reportFinding(finding, several)),
    findingsOmitted: { ...analysis.findingsOmitted },
  };
}

function reportCapture(entry: CaptureReportEntry, analysis: CaptureAnalysis | undefined): ReportCapture {
  const first = analysis?.firstTime ?? null;
  const last = analysis?.lastTime ?? null;
  const duration = first !== null && last !== null ? last.seconds - first.seconds + (last.nanos - first.nanos) / 1e9 : null;
  const capture: ReportCapture = {
    file: entry.file,
    format: entry.format,
    packets: entry.packets,
    teredoPackets: entry.teredoPackets,
    truncated: entry.truncated,
    start: first !== null ? formatIsoTime(first) : null,
    end: last !== null ? formatIsoTime(last) : null,
    durationSeconds: duration !== null ? Math.round(duration * 1e6) / 1e6 : null,
  };
  if (entry.error !== undefined) capture.error = entry.error;
  return capture;
}

/** `severalCaptures`: the frames are frame references to decode (see buildReport). */
export function reportClient(summary: ClientSummary, severalCaptures = false): ReportClient {
  const client: ReportClient = {
    id: summary.id,
    endpoints: summary.endpoints.map(socket),
    mapped: summary.mapped !== null ? socket(summary.mapped) : null,
    teredoAddress: summary.teredoAddress,
    server: {
      primary: summary.serverPrimary !== null ? formatIpv4(summary.serverPrimary) : null,
      secondary: summary.serverSecondary !== null ? formatIpv4(summary.serverSecondary) : null,
    },
    natType: summary.natType,
    qualified: summary.qualified,
    relays: summary.relays.map(relay),
    holePunches: summary.holePunches.map((punch) => holePunch(punch, severalCaptures, referenceCapture(summary.firstFrame))),
    findings: summary.findings,
    capture: summary.capture,
    vantage: summary.vantage,
    rsRaRoundTripMs: summary.rsRaRoundTripMs,
    qualificationMs: summary.qualificationMs,
    refreshIntervalSeconds: summary.refreshIntervalSeconds,
    packets: summary.packets,
    firstFrame: summary.firstFrame,
    lastFrame: summary.lastFrame,
  } as ReportClient;
  Object.assign(client, teredoWords(client));
  if (severalCaptures) {
    client.capture = referenceCapture(summary.firstFrame);
    client.firstFrame = referenceFrame(summary.firstFrame);
    client.lastFrame = referenceFrame(summary.lastFrame);
    client.lastCapture = referenceCapture(summary.lastFrame);
  }
  return client;
}

function reportFinding(finding: Finding, severalCaptures: boolean): ReportFinding {
  const report: ReportFinding = {
    kind: finding.kind,
    severity: finding.severity,
    client: finding.client,
    frames: [...finding.frames],
    message: finding.message,
    displayFilter: finding.displayFilter,
    capture: finding.capture,
  };
  if (!severalCaptures) return report;
  const locations = frameLocations(finding.frames);
  const first = locations[0];
  if (first !== undefined) Object.assign(report, { frames: first.frames, displayFilter: first.displayFilter, capture: first.capture });
  report.locations = locations;
  return report;
}

function socket(endpoint: Endpoint): ReportSocket {
  return { address: formatIpv4(endpoint.address), port: endpoint.port };
}

function relay(summary: RelaySummary): ReportRelay {
  return { ...socket(summary.endpoint), ipv6: summary.ipv6 };
}

/** `clientCapture`: where a punch without frames (none are) would be. */
function holePunch(punch: HolePunchSummary, severalCaptures: boolean, clientCapture: number): ReportHolePunch {
  const report: ReportHolePunch = {
    peer: punch.peer,
    relay: punch.relay !== null ? socket(punch.relay.endpoint) : null,
    outcome: punch.outcome,
    frames: [...punch.frames],
    path: punch.path,
    missingStep: punch.missingStep,
    latencyMs: punch.latencyMs,
  };
  if (!severalCaptures) return report;
  const locations = frameLocations(punch.frames);
  report.frames = locations[0]?.frames ?? [];
  report.capture = locations[0]?.capture ?? clientCapture;
  report.locations = locations;
  return report;
}
