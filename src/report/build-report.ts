import type { AnalysisResult, CaptureAnalysis } from '../analysis/analysis-result.js';
import type { ClientSummary, HolePunchSummary, RelaySummary } from '../analysis/client-summary.js';
import type { Endpoint } from '../analysis/endpoint.js';
import type { Finding } from '../analysis/finding.js';
import { formatIsoTime } from '../capture/timestamp.js';
import { formatIpv4 } from '../decode/ip-address.js';
import { REPORT_SCHEMA, type CaptureReportEntry, type Report, type ReportCapture, type ReportClient, type ReportFinding, type ReportHolePunch, type ReportRelay, type ReportSocket } from './report.js';
import { ReportClientList } from './report-client-list.js';

/**
 * The report of an analysis. `captures[i]` describes the capture whose packets were analysed
 * after `beginCapture(i)` (or the only one). Clients are converted lazily, one per access.
 */
export function buildReport(input: { captures: CaptureReportEntry[]; analysis: AnalysisResult }): Report {
  const { analysis } = input;
  const captures = input.captures.map((entry, index) => reportCapture(entry, analysis.captures[index]));
  return {
    schema: REPORT_SCHEMA,
    captures,
    clients: new ReportClientList(analysis.clients.size, (index) => reportClient(analysis.clients.get(index))),
    findings: analysis.findings.map(reportFinding),
    findingsOmitted: { ...analysis.findingsOmitted },
  };
}

function reportCapture(entry: CaptureReportEntry, analysis: CaptureAnalysis | undefined): ReportCapture {
  const first = analysis?.firstTime ?? null;
  const last = analysis?.lastTime ?? null;
  const duration = first !== null && last !== null ? last.seconds - first.seconds + (last.nanos - first.nanos) / 1e9 : null;
  return {
    file: entry.file,
    format: entry.format,
    packets: entry.packets,
    teredoPackets: entry.teredoPackets,
    truncated: entry.truncated,
    start: first !== null ? formatIsoTime(first) : null,
    end: last !== null ? formatIsoTime(last) : null,
    durationSeconds: duration !== null ? Math.round(duration * 1e6) / 1e6 : null,
  };
}

export function reportClient(summary: ClientSummary): ReportClient {
  return {
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
    holePunches: summary.holePunches.map(holePunch),
    findings: summary.findings,
    capture: summary.capture,
    vantage: summary.vantage,
    rsRaRoundTripMs: summary.rsRaRoundTripMs,
    qualificationMs: summary.qualificationMs,
    refreshIntervalSeconds: summary.refreshIntervalSeconds,
    packets: summary.packets,
    firstFrame: summary.firstFrame,
    lastFrame: summary.lastFrame,
  };
}

function reportFinding(finding: Finding): ReportFinding {
  return {
    kind: finding.kind,
    severity: finding.severity,
    client: finding.client,
    frames: [...finding.frames],
    message: finding.message,
    displayFilter: finding.displayFilter,
    capture: finding.capture,
  };
}

function socket(endpoint: Endpoint): ReportSocket {
  return { address: formatIpv4(endpoint.address), port: endpoint.port };
}

function relay(summary: RelaySummary): ReportRelay {
  return { ...socket(summary.endpoint), ipv6: summary.ipv6 };
}

function holePunch(punch: HolePunchSummary): ReportHolePunch {
  return {
    peer: punch.peer,
    relay: punch.relay !== null ? socket(punch.relay.endpoint) : null,
    outcome: punch.outcome,
    frames: [...punch.frames],
    path: punch.path,
    missingStep: punch.missingStep,
    latencyMs: punch.latencyMs,
  };
}
