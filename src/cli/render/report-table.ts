import Table from 'cli-table3';
import type { Severity } from '../../analysis/finding.js';
import type { Report, ReportClient, ReportFinding } from '../../report/report.js';
import { painter, type Painter } from './ansi.js';
import { captureLine, clientCaptureTag, findingLocations, frameList, locationsText, NAT_STYLE, punchCounts, relayTexts, captureName, serverText, SEVERITY_STYLE } from './report-text.js';

export interface TableRenderOptions {
  color: boolean;
  /** Clients per cli-table3 table; longer lists continue in further tables (default 500). */
  rowsPerTable?: number;
}

const HEADINGS = ['Client', 'Teredo address', 'Server', 'NAT type', 'Qualified', 'Relays', 'Punches ok/failed', 'Findings'];

/**
 * The report for a person: capture summary, a table of clients, then the findings with their
 * frames and display filters. Produced in chunks (each ends at a line boundary) so that a huge
 * report never exists as one string.
 */
export function* reportTableLines(report: Report, options: TableRenderOptions): Generator<string> {
  const paint = painter(options.color);
  const rowsPerTable = Math.max(1, options.rowsPerTable ?? 500);
  const several = report.captures.length > 1;
  for (const [index, capture] of report.captures.entries()) yield paint(`${several ? `[${index + 1}] ` : ''}${captureLine(capture)}`, 'bold');
  const clients = report.clients.size;
  yield `${clients} Teredo client${clients === 1 ? '' : 's'}`;

  const severities = new Map<string, Severity>();
  for (const f of report.findings) if (f.client !== null) severities.set(`${f.client} ${f.kind}`, f.severity);
  let table: Table.Table | null = null;
  for (const client of report.clients) {
    table ??= newTable(options.color);
    table.push(clientRow(client, report, paint, severities));
    if (table.length >= rowsPerTable) {
      yield table.toString();
      table = null;
    }
  }
  if (table !== null) yield table.toString();

  yield '';
  yield* findingLines(report, paint);
}

export function renderReportTable(report: Report, options: TableRenderOptions): string {
  return `${[...reportTableLines(report, options)].join('\n')}\n`;
}

function newTable(color: boolean): Table.Table {
  return new Table({
    head: HEADINGS,
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
}

/** `severities`: by "client kind" (ids are unique in a report); a kind whose finding was omitted counts as a warning. */
function clientRow(client: ReportClient, report: Report, paint: Painter, severities: Map<string, Severity>): string[] {
  const { ok, failed, pending, unobservable } = punchCounts(client);
  const id = report.captures.length > 1 ? `${client.id} ${clientCaptureTag(client)}` : client.id;
  const mapped = client.mapped !== null && (client.mapped.address !== client.endpoints[0]?.address || client.mapped.port !== client.endpoints[0]?.port)
    ? `\n→ ${client.mapped.address}:${client.mapped.port}`
    : '';
  const relays = relayTexts(client);
  return [
    `${id}${mapped}\n${paint(client.vantage === 'inside' ? 'inside NAT' : 'outside NAT', 'dim')}`,
    client.teredoAddress ?? '—',
    serverText(client).replace(' / ', '\n'),
    paint(client.natType, NAT_STYLE[client.natType]),
    client.qualified ? paint('yes', 'green') : paint('no', 'red'),
    relays.length > 0 ? relays.join('\n') : '—',
    `${ok > 0 ? paint(String(ok), 'green') : '0'} / ${failed > 0 ? paint(String(failed), 'red') : '0'}${pending > 0 ? ` (${pending} pending)` : ''}${unobservable > 0 ? ` (${unobservable} unobservable here)` : ''}`,
    client.findings.length > 0
      ? client.findings.map((kind) => paint(kind, SEVERITY_STYLE[severities.get(`${client.id} ${kind}`) ?? 'warning'])).join('\n')
      : '—',
  ];
}

function* findingLines(report: Report, paint: Painter): Generator<string> {
  const omitted = Object.values(report.findingsOmitted).reduce((a, b) => a + (b ?? 0), 0);
  if (report.findings.length === 0 && omitted === 0) {
    yield 'No findings.';
    return;
  }
  yield paint(`Findings (${report.findings.length + omitted})`, 'bold');
  for (const finding of report.findings) yield findingText(finding, report, paint);
  if (omitted > 0) {
    const detail = Object.entries(report.findingsOmitted).map(([kind, count]) => `${count} ${kind}`).join(', ');
    yield paint(`… and ${omitted} more not listed (${detail}); every client's row names its kinds`, 'dim');
  }
}

function findingText(finding: ReportFinding, report: Report, paint: Painter): string {
  const severity = paint(finding.severity.toUpperCase().padEnd(7), SEVERITY_STYLE[finding.severity]);
  const where = finding.client !== null ? `client ${finding.client}` : 'capture';
  if (report.captures.length === 1) {
    return [
      `${severity} ${paint(finding.kind, 'bold')}  ${where}  frame${finding.frames.length === 1 ? '' : 's'} ${frameList(finding.frames)}`,
      `        ${finding.message}`,
      `        ${paint('filter:', 'dim')} ${finding.displayFilter}`,
    ].join('\n');
  }
  // Frames per file, and a display filter per file: Wireshark opens one file at a time.
  const locations = findingLocations(finding);
  return [
    `${severity} ${paint(finding.kind, 'bold')}  ${where}  ${locationsText(report, locations)}`,
    `        ${finding.message}`,
    ...locations.map((l) => `        ${paint(`filter (${captureName(report, l.capture)}):`, 'dim')} ${l.displayFilter}`),
  ].join('\n');
}
