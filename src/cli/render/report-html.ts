import type { ClientLadder } from '../../ladder/ladder-step.js';
import type { Report, ReportClient, ReportFinding } from '../../report/report.js';
import { escapeHtml } from './html-escape.js';
import { ladderSvg } from './ladder-svg.js';
import { captureLine, captureName, findingLocations, frameList, punchText, relayTexts, serverText } from './report-text.js';

export interface ReportHtmlInput {
  report: Report;
  /** Ladders by client id; a client without one gets a note instead. */
  ladders: ReadonlyMap<string, ClientLadder>;
  /** Clients left without a ladder by the ladder limit. */
  omittedLadders?: number;
}

/** Client table rows at most (the page must stay loadable for a capture of a million clients). */
const MAX_TABLE_ROWS = 1000;

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #111827; }
h1 { font-size: 1.5em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #e5e7eb; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #d1d5db; padding: .25em .6em; text-align: left; vertical-align: top; font-size: .92em; }
th { background: #f3f4f6; }
code { font-family: ui-monospace, monospace; font-size: .92em; }
.ladder-box { overflow-x: auto; border: 1px solid #e5e7eb; padding: .5em; }
.ladder { font-family: ui-monospace, monospace; font-size: 12px; }
.severity-error { color: #b91c1c; font-weight: bold; } .severity-warning { color: #b45309; font-weight: bold; } .severity-info { color: #1d4ed8; }
.filter { background: #f9fafb; padding: .1em .3em; }
`;

/**
 * The report as one self-contained HTML page: inline style and SVG, no script, no network
 * resource. Every text from the capture is escaped. Generated line by line.
 */
export function* reportHtmlLines(input: ReportHtmlInput): Generator<string> {
  const { report, ladders } = input;
  yield '<!DOCTYPE html>';
  yield '<html lang="en"><head><meta charset="utf-8">';
  yield '<meta name="viewport" content="width=device-width, initial-scale=1">';
  yield `<title>${escapeHtml(`Teredo analysis: ${report.captures.map((c) => c.file).join(', ')}`)}</title>`;
  yield `<style>${STYLE}</style></head><body>`;
  yield '<h1>Teredo analysis</h1>';
  yield '<h2>Captures</h2><ul class="captures">';
  for (const capture of report.captures) yield `<li>${escapeHtml(captureLine(capture))}</li>`;
  yield '</ul>';
  yield `<h2>Clients (${report.clients.size})</h2>`;
  if (report.clients.size === 0) yield '<p>No Teredo clients.</p>';
  else {
    yield '<table class="clients"><thead><tr><th>Client</th><th>Teredo address</th><th>Server</th><th>NAT type</th><th>Qualified</th><th>Relays</th><th>Punches</th><th>Findings</th></tr></thead><tbody>';
    let rows = 0;
    for (const client of report.clients) {
      if (rows++ === MAX_TABLE_ROWS) break;
      yield clientRow(client);
    }
    yield '</tbody></table>';
    if (report.clients.size > MAX_TABLE_ROWS) yield `<p class="note">First ${MAX_TABLE_ROWS} of ${report.clients.size} clients listed; the JSON report has them all.</p>`;
  }
  let index = 0;
  for (const client of report.clients) {
    // A section per drawn client: the ladders are capped, and so the page.
    if (index === ladders.size) break;
    const ladder = ladders.get(client.id);
    if (ladder === undefined) continue;
    yield `<section class="client" id="client-${index}">`;
    yield `<h2>Client ${escapeHtml(client.id)}</h2>`;
    yield '<div class="ladder-box">';
    yield ladderSvg(ladder, `l${index}`, { severalCaptures: report.captures.length > 1 });
    yield '</div>';
    const findings = report.findings.filter((finding) => finding.client === client.id);
    if (findings.length > 0) {
      yield '<ul class="findings">';
      for (const finding of findings) yield findingItem(finding, report);
      yield '</ul>';
    }
    yield '</section>';
    index += 1;
  }
  if ((input.omittedLadders ?? 0) > 0) yield `<p class="note">${input.omittedLadders ?? 0} clients have no ladder (ladder limit).</p>`;
  yield '<h2>Findings</h2>';
  if (report.findings.length === 0) yield '<p>No findings.</p>';
  else {
    // Findings of a drawn client are listed in its section; the rest here.
    const general = report.findings.filter((finding) => finding.client === null || !ladders.has(finding.client));
    const counts = (['error', 'warning', 'info'] as const).map((severity) => [severity, report.findings.filter((f) => f.severity === severity).length] as const).filter(([, n]) => n > 0);
    const ofClients = report.findings.length - general.length;
    yield `<p class="finding-counts">${counts.map(([severity, n]) => `${n} ${severity}`).join(', ')}${ofClients > 0 ? `; those of a drawn client are listed under it above` : ''}.</p>`;
    if (general.length > 0) {
      yield '<ul class="findings all">';
      for (const finding of general) yield findingItem(finding, report);
      yield '</ul>';
    }
  }
  const omittedKinds = Object.entries(report.findingsOmitted);
  if (omittedKinds.length > 0) yield `<p>Not listed: ${escapeHtml(omittedKinds.map(([kind, count]) => `${count} ${kind}`).join(', '))}.</p>`;
  yield '</body></html>';
}

function clientRow(client: ReportClient): string {
  const mapped = client.mapped !== null ? ` → ${client.mapped.address}:${client.mapped.port}` : '';
  const cells = [
    `<code>${escapeHtml(client.id)}</code>${escapeHtml(mapped)} (${client.vantage} NAT)`,
    client.teredoAddress !== null ? `<code>${escapeHtml(client.teredoAddress)}</code>` : '—',
    escapeHtml(serverText(client)),
    escapeHtml(client.natType),
    client.qualified ? 'yes' : 'no',
    client.relays.length > 0 ? relayTexts(client).map(escapeHtml).join('<br>') : '—',
    escapeHtml(punchText(client)),
    client.findings.length > 0 ? escapeHtml(client.findings.join(', ')) : '—',
  ];
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}

function findingItem(finding: ReportFinding, report: Report): string {
  const several = report.captures.length > 1;
  const where = findingLocations(finding)
    .map((l) => {
      const file = several ? `${escapeHtml(captureName(report, l.capture))} ` : '';
      const frames = l.frames.length === 0 ? '(no frame)' : `frame${l.frames.length === 1 ? '' : 's'} ${escapeHtml(frameList(l.frames))}`;
      return `${file}${frames}, filter <code class="filter">${escapeHtml(l.displayFilter)}</code>`;
    })
    .join('; ');
  const client = finding.client !== null ? ` client <code>${escapeHtml(finding.client)}</code>` : '';
  return `<li class="finding"><span class="severity-${finding.severity}">${finding.severity}</span> <code>${escapeHtml(finding.kind)}</code>${client}: ${escapeHtml(finding.message)}<br>${where}</li>`;
}
