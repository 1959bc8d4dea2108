import { describe, expect, it } from 'vitest';
import { reportJsonLines, renderReportJson } from '../../../src/cli/render/report-json.js';
import { renderReportMarkdown } from '../../../src/cli/render/report-markdown.js';
import { renderReportTable } from '../../../src/cli/render/report-table.js';
import { buildReport } from '../../../src/report/build-report.js';
import { checkJsonSchema } from '../../../src/report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../../../src/report/report-json-schema.js';
import type { Report } from '../../../src/report/report.js';
import { analyzeCapture } from '../../analysis/support/analyze-capture.js';

const FILE = 'fixtures/real/wireshark-teredo.pcap';

async function realReport(): Promise<Report> {
  const { stream, analysis } = await analyzeCapture(FILE);
  return buildReport({
    captures: [{ file: FILE, format: stream.summary?.format ?? null, packets: stream.frames, teredoPackets: stream.dissect.teredo, truncated: false }],
    analysis,
  });
}

const ANSI_ESCAPE = '\u001b[';

describe('table renderer', () => {
  it('prints the capture summary, the client row and no findings for the real capture', async () => {
    const text = renderReportTable(await realReport(), { color: false });
    expect(text).not.toContain(ANSI_ESCAPE);
    expect(text).toContain(`${FILE} (pcap): 78 packets, 29 Teredo packets, 2008-`);
    expect(text).toMatch(/\(21\.92\d* s\)/);
    for (const heading of ['Client', 'Teredo address', 'Server / RS→RA', 'NAT type', 'State', 'Console', 'Relays', 'Punches ok/failed', 'Findings', 'Cause']) expect(text).toContain(heading);
    expect(text).toContain('192.168.2.16:3797');
    expect(text).toContain('→ 70.55.215.234:3797');
    expect(text).toContain('2001:0:4137:9e50:8000:f12a:b9c8:2815');
    expect(text).toContain('65.55.158.80');
    expect(text).toContain('65.55.158.81');
    expect(text).toMatch(/│ cone\s+│ qualified │ Open\s+│ 83\.170\.1\.38:32900 │ 1 \/ 0\s+│/);
    expect(text).toMatch(/│ port-preserving │/);
    expect(text).toContain('RS→RA 122 ms');
    expect(text).toContain('No findings.');
  });

  it('colours only when asked', async () => {
    const text = renderReportTable(await realReport(), { color: true });
    expect(text).toContain(ANSI_ESCAPE);
    expect(text).toContain('\u001b[32mcone\u001b[39m');
  });

  it('lists findings with severity, frames and display filter', async () => {
    const report = await realReport();
    report.findings.push({ kind: 'missing-relay', severity: 'error', client: '192.168.2.16:3797', frames: [10, 11, 12], message: 'no relay', displayFilter: '(frame.number >= 10 && frame.number <= 12)', capture: 0 });
    const text = renderReportTable(report, { color: false });
    expect(text).toContain('Findings (1)');
    expect(text).toContain('ERROR   missing-relay  client 192.168.2.16:3797  frames 10–12');
    expect(text).toContain('filter: (frame.number >= 10 && frame.number <= 12)');
  });
});

describe('JSON renderer', () => {
  it('equals JSON.stringify(report, null, 2) and satisfies the schema', async () => {
    const report = await realReport();
    const text = renderReportJson(report);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    const parsed: unknown = JSON.parse(text);
    expect(checkJsonSchema(parsed, REPORT_JSON_SCHEMA)).toEqual([]);
    expect((parsed as { clients: { natType: string }[] }).clients[0].natType).toBe('cone');
  });

  it('streams one chunk per client', async () => {
    const report = await realReport();
    const chunks = [...reportJsonLines(report)];
    expect(chunks.filter((c) => c.startsWith('    {') && c.includes('"id": "192.168.2.16:3797"'))).toHaveLength(1);
    const empty: Report = { ...report, clients: report.clients.filter(() => false), findings: [] };
    const emptyText = renderReportJson(empty);
    expect(emptyText).toBe(`${JSON.stringify(empty, null, 2)}\n`);
  });
});

describe('Markdown renderer', () => {
  it('renders captures, a client table row and findings', async () => {
    const text = renderReportMarkdown(await realReport());
    expect(text).toContain('# Teredo analysis');
    expect(text).toContain('| Client | Teredo address | Server | RS→RA | NAT type | State | Console | Relays | Punches ok/failed | Findings | Cause |');
    expect(text).toContain('| cone, port-preserving | qualified | Open |');
    expect(text).toContain('| `192.168.2.16:3797` → 70.55.215.234:3797 (inside NAT) | `2001:0:4137:9e50:8000:f12a:b9c8:2815` | 65.55.158.80 / 65.55.158.81 | 122 ms | cone, port-preserving | qualified | Open | 83.170.1.38:32900 | 1 ok / 0 failed | — | — |');
    expect(text).toContain('No findings.');
  });
});
