import type { AnalysisResult } from '../analysis/analysis-result.js';
import { packetJsonLine } from '../cli/dissect/packet-json-line.js';
import { packetToJson } from '../cli/dissect/packet-json.js';
import { packetSummaryLine } from '../cli/dissect/packet-summary.js';
import { packetTree } from '../cli/dissect/packet-tree.js';
import { reportJsonLines } from '../cli/render/report-json.js';
import { reportMarkdownLines } from '../cli/render/report-markdown.js';
import { reportTableLines } from '../cli/render/report-table.js';
import { buildReport } from '../report/build-report.js';
import { checkJsonSchema } from '../report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../report/report-json-schema.js';
import type { CaptureReportEntry } from '../report/report.js';
import type { TeredoPacket } from '../teredo/packet.js';

/** C0 controls and DEL, line feed excepted: bytes from a capture must never reach a terminal raw. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x0a) || code === 0x7f) return true;
  }
  return false;
}

/**
 * Renders a packet the three ways `dissect` does (one line, field tree, NDJSON). Returns what is
 * wrong with the text (a renderer that throws is left to the caller to report).
 */
export function renderPacket(packet: TeredoPacket): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(packetToJson(packet, 'fuzz.pcap'));
  if (json === undefined || JSON.parse(json).frame !== packet.frame) problems.push('packet JSON does not round-trip');
  if (packetJsonLine(packet, 'fuzz.pcap', '"fuzz.pcap"') !== json) problems.push('the NDJSON line template differs from the packet object stringified');
  for (const text of [packetSummaryLine(packet), ...packetTree(packet)]) {
    if (hasControlCharacter(text)) problems.push(`rendered packet text holds a control character: ${JSON.stringify(text)}`);
  }
  return problems;
}

/**
 * Builds the `analyze` report and renders it as JSON, table and Markdown: the JSON must parse and
 * satisfy the report schema, and no text may carry control characters.
 */
export function renderReport(capture: CaptureReportEntry, analysis: AnalysisResult): string[] {
  const report = buildReport({ captures: [capture], analysis });
  const problems = checkJsonSchema(JSON.parse([...reportJsonLines(report)].join('\n')), REPORT_JSON_SCHEMA).map((error) => `report JSON: ${error}`);
  for (const chunk of [...reportTableLines(report, { color: false }), ...reportMarkdownLines(report)]) {
    if (hasControlCharacter(chunk)) problems.push(`rendered report holds a control character: ${JSON.stringify(chunk.slice(0, 200))}`);
  }
  return problems;
}
