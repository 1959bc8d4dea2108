import type { Severity } from '../../analysis/finding.js';
import type { Report, ReportClient, ReportFinding } from '../../report/report.js';
import { painter, type Painter } from './ansi.js';
import { boxTable } from './box-table.js';
import { escapeControl } from './control-escape.js';
import { captureLine, clientCaptureTag, findingLocations, frameList, locationsText, NAT_STYLE, punchCounts, relayTexts, captureName, SEVERITY_STYLE } from './report-text.js';
import { terminalSummary } from './report-summary.js';
import { wrapText } from './wrap-text.js';

export interface TableRenderOptions {
  color: boolean;
  /** Clients per table; longer lists continue in further tables (default 500). */
  rowsPerTable?: number;
  /** Terminal columns to fit every line into; null or absent: no fitting (output to a pipe or file). */
  width?: number | null;
  /**
   * At most this many client rows and findings, after a summary, worst clients first (a terminal
   * without --all); absent: every client in report order and every finding, no summary.
   */
  maxRows?: number;
}

const HEADINGS = ['Client', 'Teredo address', 'Server / RS→RA', 'NAT type', 'State', 'Console', 'Relays', 'Punches ok/failed', 'Findings', 'Cause'];
/** Dropped in this order while a table is wider than the terminal: what the JSON has in full goes first. */
const DROP_ORDER = [6, 9, 1, 7, 2, 5, 8];
const CAUSE_WIDTH = 40;

/**
 * The report for a person: capture summary, a table of clients, then the findings with their
 * frames and display filters. Produced in chunks (each ends at a line boundary) so that a huge
 * report never exists as one string, and in time linear in the clients.
 */
export function* reportTableLines(report: Report, options: TableRenderOptions): Generator<string> {
  const paint = painter(options.color);
  const width = options.width ?? null;
  const fit = (line: string): string => (width === null ? line : wrapText(line, width, '    '));
  const rowsPerTable = Math.max(1, options.rowsPerTable ?? 500);
  const several = report.captures.length > 1;
  for (const [index, capture] of report.captures.entries()) {
    yield fit(paint(`${several ? `[${index + 1}] ` : ''}${escapeControl(captureLine(capture))}`, 'bold'));
    if (capture.error !== undefined) yield fit(paint(`    not read: ${escapeControl(capture.error)}`, 'red'));
  }

  const severities = new Map<string, Severity>();
  for (const f of report.findings) if (f.client !== null) severities.set(`${f.client} ${f.kind}`, f.severity);
  const row = (client: ReportClient): string[] => clientRow(client, report, paint, severities);
  const table = (rows: string[][]): string => boxTable(HEADINGS, rows, { paint: options.color ? paint : (t) => t, maxWidth: width, dropOrder: DROP_ORDER });

  if (options.maxRows !== undefined) {
    const { lines, worst } = terminalSummary(report, severities, options.maxRows);
    for (const line of lines) yield fit(line);
    if (worst.length > 0) {
      yield fit(worst.length < report.clients.size ? `Worst ${worst.length} of ${report.clients.size} clients (--all for every row):` : 'Clients, worst first:');
      yield table(worst.map((index) => row(report.clients.get(index))));
    }
    yield '';
    yield* findingLines(report, paint, options.maxRows, fit);
    return;
  }

  const clients = report.clients.size;
  yield `${clients} Teredo client${clients === 1 ? '' : 's'}`;
  let rows: string[][] = [];
  for (const client of report.clients) {
    rows.push(row(client));
    if (rows.length >= rowsPerTable) {
      yield table(rows);
      rows = [];
    }
  }
  if (rows.length > 0) yield table(rows);
  yield '';
  yield* findingLines(report, paint, Number.POSITIVE_INFINITY, fit);
}

export function renderReportTable(report: Report, options: TableRenderOptions): string {
  return `${[...reportTableLines(report, options)].join('\n')}\n`;
}

/** `severities`: by "client kind" (ids are unique in a report); a kind whose finding was omitted counts as a warning. */
function clientRow(client: ReportClient, report: Report, paint: Painter, severities: Map<string, Severity>): string[] {
  const { ok, failed, pending, unobservable } = punchCounts(client);
  const id = report.captures.length > 1 ? `${client.id} ${clientCaptureTag(client)}` : client.id;
  const mapped = client.mapped !== null && (client.mapped.address !== client.endpoints[0]?.address || client.mapped.port !== client.endpoints[0]?.port)
    ? `\n→ ${client.mapped.address}:${client.mapped.port}`
    : '';
  const relays = relayTexts(client);
  const server = [client.server.primary, client.server.secondary].filter((s) => s !== null).join('\n') || '—';
  const rtt = client.rsRaRoundTripMs !== null ? `\nRS→RA ${formatMs(client.rsRaRoundTripMs)}` : '';
  return [
    `${id}${mapped}\n${paint(client.vantage === 'inside' ? 'inside NAT' : 'outside NAT', 'dim')}`,
    client.teredoAddress ?? '—',
    server + rtt,
    paint(client.natType, NAT_STYLE[client.natType]) + (client.portPreserving === true ? '\nport-preserving' : ''),
    paint(client.state, client.state === 'qualified' ? 'green' : 'red'),
    client.console ?? '—',
    relays.length > 0 ? relays.join('\n') : '—',
    `${ok > 0 ? paint(String(ok), 'green') : '0'} / ${failed > 0 ? paint(String(failed), 'red') : '0'}${pending > 0 ? ` (${pending} pending)` : ''}${unobservable > 0 ? ` (${unobservable} unobservable here)` : ''}`,
    client.findings.length > 0
      ? client.findings.map((kind) => paint(kind, SEVERITY_STYLE[severities.get(`${client.id} ${kind}`) ?? 'warning'])).join('\n')
      : '—',
    client.cause !== null ? wrapText(client.cause, CAUSE_WIDTH) : '—',
  ];
}

function formatMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toFixed(1))} ms`;
}

function* findingLines(report: Report, paint: Painter, max: number, fit: (line: string) => string): Generator<string> {
  const omitted = Object.values(report.findingsOmitted).reduce((a, b) => a + (b ?? 0), 0);
  if (report.findings.length === 0 && omitted === 0) {
    yield 'No findings.';
    return;
  }
  yield paint(`Findings (${report.findings.length + omitted})`, 'bold');
  let shown = 0;
  for (const finding of report.findings) {
    if (shown >= max) break;
    shown++;
    for (const line of findingText(finding, report, paint).split('\n')) yield fit(line);
  }
  if (shown < report.findings.length) yield fit(paint(`… and ${report.findings.length - shown} more (--all lists every one; --format json has them all)`, 'dim'));
  if (omitted > 0) {
    const detail = Object.entries(report.findingsOmitted).map(([kind, count]) => `${count} ${kind}`).join(', ');
    yield fit(paint(`… and ${omitted} more not listed (${detail}); every client's row names its kinds`, 'dim'));
  }
}

function findingText(finding: ReportFinding, report: Report, paint: Painter): string {
  const severity = paint(finding.severity.toUpperCase().padEnd(7), SEVERITY_STYLE[finding.severity]);
  const where = finding.client !== null ? `client ${finding.client}` : 'capture';
  const message = escapeControl(finding.message);
  if (report.captures.length === 1) {
    return [
      `${severity} ${paint(finding.kind, 'bold')}  ${where}  frame${finding.frames.length === 1 ? '' : 's'} ${frameList(finding.frames)}`,
      `        ${message}`,
      `        ${paint('filter:', 'dim')} ${finding.displayFilter}`,
    ].join('\n');
  }
  // Frames per file, and a display filter per file: Wireshark opens one file at a time.
  const locations = findingLocations(finding);
  return [
    `${severity} ${paint(finding.kind, 'bold')}  ${where}  ${escapeControl(locationsText(report, locations))}`,
    `        ${message}`,
    ...locations.map((l) => `        ${paint(`filter (${escapeControl(captureName(report, l.capture))}):`, 'dim')} ${l.displayFilter}`),
  ].join('\n');
}
