import type { Report, ReportClient, ReportFinding } from '../../report/report.js';
import { escapeControl } from './control-escape.js';
import { captureLine, captureName, clientCaptureTag, findingLocations, frameList, punchText, relayTexts, serverText } from './report-text.js';

/** The report as GitHub-flavoured Markdown (for tickets and wikis), in line-boundary chunks. */
export function* reportMarkdownLines(report: Report): Generator<string> {
  yield '# Teredo analysis';
  yield '';
  yield '## Captures';
  yield '';
  const several = report.captures.length > 1;
  for (const [index, capture] of report.captures.entries()) yield `- ${several ? `[${index + 1}] ` : ''}${escapeText(captureLine(capture))}`;
  yield '';
  yield `## Clients (${report.clients.size})`;
  yield '';
  if (report.clients.size === 0) {
    yield 'No Teredo clients.';
  } else {
    yield '| Client | Teredo address | Server | RS→RA | NAT type | State | Console | Relays | Punches ok/failed | Findings | Cause |';
    yield '|---|---|---|---|---|---|---|---|---|---|---|';
    for (const client of report.clients) yield clientRow(client, report);
  }
  yield '';
  yield '## Findings';
  yield '';
  if (report.findings.length === 0) yield 'No findings.';
  for (const finding of report.findings) yield* findingItem(finding, report);
  const omitted = Object.entries(report.findingsOmitted);
  if (omitted.length > 0) yield `- … not listed: ${omitted.map(([kind, count]) => `${count} ${kind}`).join(', ')}`;
}

export function renderReportMarkdown(report: Report): string {
  return `${[...reportMarkdownLines(report)].join('\n')}\n`;
}

function clientRow(client: ReportClient, report: Report): string {
  const mapped = client.mapped !== null ? ` → ${client.mapped.address}:${client.mapped.port}` : '';
  const capture = report.captures.length > 1 ? ` ${clientCaptureTag(client)}` : '';
  const cells = [
    `${code(client.id)}${capture}${mapped} (${client.vantage} NAT)`,
    client.teredoAddress !== null ? code(client.teredoAddress) : '—',
    serverText(client),
    client.rsRaRoundTripMs !== null ? `${Number(client.rsRaRoundTripMs.toFixed(1))} ms` : '—',
    client.natType + (client.portPreserving === true ? ', port-preserving' : ''),
    client.state,
    client.console ?? '—',
    client.relays.length > 0 ? relayTexts(client).join('<br>') : '—',
    punchText(client),
    client.findings.length > 0 ? client.findings.join(', ') : '—',
    client.cause !== null ? escapeText(client.cause) : '—',
  ];
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

function* findingItem(finding: ReportFinding, report: Report): Generator<string> {
  const where = finding.client !== null ? `client ${code(finding.client)}` : 'capture';
  if (report.captures.length === 1) {
    yield `- **${finding.severity}** \`${finding.kind}\` — ${where}, frame${finding.frames.length === 1 ? '' : 's'} ${frameList(finding.frames)}: ${escapeText(finding.message)}`;
    yield `  - display filter: ${code(finding.displayFilter)}`;
    return;
  }
  // Frames and a display filter per file: Wireshark opens one file at a time.
  const locations = findingLocations(finding);
  const frames = locations.map((l) => `${code(captureName(report, l.capture))} ${framesText(l.frames)}`).join(', ');
  yield `- **${finding.severity}** \`${finding.kind}\` — ${where}, ${frames}: ${escapeText(finding.message)}`;
  for (const l of locations) yield `  - display filter for ${code(captureName(report, l.capture))}: ${code(l.displayFilter)}`;
}

function framesText(frames: readonly number[]): string {
  return frames.length === 0 ? '(no frame)' : `frame${frames.length === 1 ? '' : 's'} ${frameList(frames)}`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Table cells may not contain a raw pipe or newline. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/** Markdown's own characters, and the controls a file name or packet may carry (escapeControl). */
function escapeText(text: string): string {
  return escapeControl(text).replace(/([\\*_[\]<>])/g, '\\$1');
}
