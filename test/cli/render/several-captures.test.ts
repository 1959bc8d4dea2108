import { describe, expect, it } from 'vitest';
import { frameReference as ref } from '../../../src/analysis/frame-reference.js';
import { TeredoAnalyzer } from '../../../src/analysis/teredo-analyzer.js';
import { renderReportJson } from '../../../src/cli/render/report-json.js';
import { renderReportMarkdown } from '../../../src/cli/render/report-markdown.js';
import { renderReportTable } from '../../../src/cli/render/report-table.js';
import { buildReport } from '../../../src/report/build-report.js';
import type { Report } from '../../../src/report/report.js';
import { packet, ra, rs } from '../../analysis/support/packet-factory.js';
import { CLIENT, HOST, MAPPED, ME, P, RING_FILES as FILES, captureEntry, rotatedPunchReport } from '../../report/support/rotated-punch.js';

const rotatedReport = (): Report => rotatedPunchReport(3);

describe('renderers for a report of several captures', () => {
  it('table: numbered captures, the client\'s span of captures, frames and a display filter per file', () => {
    const text = renderReportTable(rotatedReport(), { color: false });
    expect(text).toMatch(/^\[1\] ring_1\.pcap \(pcap\): 10 packets/m);
    expect(text).toMatch(/^\[2\] ring_2\.pcap \(pcap\): 10 packets/m);
    expect(text).toContain(`${CLIENT} [1–2]`);
    expect(text).toContain(`ERROR   hole-punch-failed  client ${CLIENT}  ring_1.pcap frames 8, 9, ring_2.pcap frames 1–3`);
    expect(text).toContain('filter (ring_1.pcap): frame.number == 8 || frame.number == 9');
    expect(text).toContain('filter (ring_2.pcap): (frame.number >= 1 && frame.number <= 3)');
  });

  it('table: a finding wholly in a later file than the client\'s first frame still colours the client\'s row', () => {
    const analyzer = new TeredoAnalyzer({ captureNames: FILES });
    analyzer.add(rs(ref(0, 3), 0, CLIENT, P, '0000000000000001'));
    analyzer.add(ra(ref(0, 4), 0.1, P, CLIENT, '0000000000000001', MAPPED));
    for (const [frame, t] of [[1, 1], [2, 1.5], [3, 2]]) analyzer.add(packet({ frame: ref(1, frame), t, from: CLIENT, to: `${P}:3544`, kind: 'echo-request', src: ME, dst: HOST }));
    analyzer.add(rs(ref(1, 9), 60, CLIENT, P, '0000000000000002'));
    const report = buildReport({ captures: FILES.map(captureEntry), analysis: analyzer.finish() });
    expect(report.findings.map((f) => [f.kind, f.severity, f.capture])).toEqual([['missing-relay', 'error', 1]]);
    expect(report.clients.get(0).capture).toBe(0);
    const row = renderReportTable(report, { color: true }).split('\n').find((line) => line.includes(CLIENT));
    expect(row).toContain('\u001b[31mmissing-relay\u001b[39m');
  });

  it('Markdown: frames and a display filter per file', () => {
    const text = renderReportMarkdown(rotatedReport());
    expect(text).toContain('- [1] ring\\_1.pcap (pcap)');
    expect(text).toContain(`| \`${CLIENT}\` [1–2] →`);
    expect(text).toContain(`— client \`${CLIENT}\`, \`ring_1.pcap\` frames 8, 9, \`ring_2.pcap\` frames 1–3: `);
    expect(text).toContain('  - display filter for `ring_2.pcap`: `(frame.number >= 1 && frame.number <= 3)`');
  });

  it('JSON: the extensions are serialised as they are', () => {
    const report = rotatedReport();
    expect(renderReportJson(report)).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(renderReportJson(report)).toContain('"locations": [');
  });
});
