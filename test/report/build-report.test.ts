import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { filterReportByClient, parseClientQuery } from '../../src/report/client-filter.js';
import { checkJsonSchema } from '../../src/report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-json-schema.js';
import type { Report } from '../../src/report/report.js';
import { analyzeCapture } from '../analysis/support/analyze-capture.js';

async function realReport(): Promise<Report> {
  const file = 'fixtures/real/wireshark-teredo.pcap';
  const { stream, analysis } = await analyzeCapture(file);
  return buildReport({
    captures: [{ file, format: stream.summary?.format ?? null, packets: stream.frames, teredoPackets: stream.dissect.teredo, truncated: stream.error !== null }],
    analysis,
  });
}

describe('buildReport on wireshark-teredo.pcap', () => {
  it('gives the documented shape with the expected values', async () => {
    const report = await realReport();
    expect(report.schema).toBe('teredoscope.report/1');
    expect(report.captures).toEqual([
      {
        file: 'fixtures/real/wireshark-teredo.pcap',
        format: 'pcap',
        packets: 78,
        teredoPackets: 29,
        truncated: false,
        start: report.captures[0].start,
        end: report.captures[0].end,
        durationSeconds: report.captures[0].durationSeconds,
      },
    ]);
    expect(report.captures[0].durationSeconds).toBeCloseTo(27.531294 - 5.610646, 5);
    expect(report.clients.size).toBe(1);
    const client = report.clients.get(0);
    expect(client).toMatchObject({
      id: '192.168.2.16:3797',
      endpoints: [{ address: '192.168.2.16', port: 3797 }],
      mapped: { address: '70.55.215.234', port: 3797 },
      teredoAddress: '2001:0:4137:9e50:8000:f12a:b9c8:2815',
      server: { primary: '65.55.158.80', secondary: '65.55.158.81' },
      natType: 'cone',
      qualified: true,
      relays: [{ address: '83.170.1.38', port: 32900, ipv6: 'fe80::708d:fe83:4114:a512' }],
      holePunches: [{ peer: '2001:4860:0:2001::68', relay: { address: '83.170.1.38', port: 32900 }, outcome: 'success', frames: [30, 31, 32, 33] }],
      findings: [],
      vantage: 'inside',
    });
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('serialises to JSON that satisfies the published schema', async () => {
    const json: unknown = JSON.parse(JSON.stringify(await realReport()));
    expect(checkJsonSchema(json, REPORT_JSON_SCHEMA)).toEqual([]);
    expect(Array.isArray((json as { clients: unknown }).clients)).toBe(true);
  });

  it('the schema check does catch a broken report', async () => {
    const json = JSON.parse(JSON.stringify(await realReport())) as { clients: Record<string, unknown>[]; schema: string };
    json.clients[0].natType = 'full-cone';
    delete json.clients[0].mapped;
    json.schema = 'teredoscope.report/2';
    expect(checkJsonSchema(json, REPORT_JSON_SCHEMA)).toEqual([
      '/schema: expected "teredoscope.report/1"',
      '/clients/0: missing mapped',
      '/clients/0/natType: "full-cone" is not one of ["cone","restricted","symmetric","offline","unknown"]',
    ]);
  });

  it('filters by client address (endpoint, mapped socket or Teredo address)', async () => {
    const report = await realReport();
    for (const text of ['192.168.2.16', '192.168.2.16:3797', '70.55.215.234', '2001:0:4137:9e50:8000:f12a:b9c8:2815', '2001:0000:4137:9E50:8000:F12A:B9C8:2815']) {
      expect(filterReportByClient(report, parseClientQuery(text)!).clients.size, text).toBe(1);
    }
    for (const text of ['192.168.2.17', '192.168.2.16:3798', '2001:0:4137:9e50::1']) {
      expect(filterReportByClient(report, parseClientQuery(text)!).clients.size, text).toBe(0);
    }
    expect(parseClientQuery('not-an-address')).toBeNull();
    expect(parseClientQuery('1.2.3.4:70000')).toBeNull();
  });
});
