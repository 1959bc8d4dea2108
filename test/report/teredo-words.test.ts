import { describe, expect, it } from 'vitest';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { buildReport } from '../../src/report/build-report.js';
import { checkJsonSchema } from '../../src/report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-json-schema.js';
import { teredoWords, type TeredoWordsInput } from '../../src/report/teredo-words.js';
import { ra, rs } from '../analysis/support/packet-factory.js';

const CAPTURE = { file: 'x.pcap', format: 'pcap' as const, packets: 2, teredoPackets: 2, truncated: false };

function qualifiedBehind(mapped: string): ReturnType<typeof buildReport> {
  const analyzer = new TeredoAnalyzer();
  analyzer.add(rs(1, 0, '192.168.1.10:40000', '198.51.100.80', '0000000000000001'));
  analyzer.add(ra(2, 0.1, '198.51.100.80', '192.168.1.10:40000', '0000000000000001', `${mapped}:40000`));
  return buildReport({ captures: [CAPTURE], analysis: analyzer.finish() });
}

const base: TeredoWordsInput = {
  natType: 'cone',
  qualified: true,
  vantage: 'inside',
  endpoints: [{ address: '192.168.1.10', port: 40000 }],
  mapped: { address: '203.0.113.7', port: 40000 },
  server: { primary: '198.51.100.80' },
  rsRaRoundTripMs: 100,
  findings: [],
};

describe('a client in netsh and console words', () => {
  it('maps NAT types to the console labels and states', () => {
    expect(teredoWords(base)).toEqual({ state: 'qualified', portPreserving: true, console: 'Open', cause: null });
    expect(teredoWords({ ...base, natType: 'restricted', mapped: { address: '203.0.113.7', port: 1 } })).toMatchObject({ console: 'Moderate', portPreserving: false });
    expect(teredoWords({ ...base, natType: 'symmetric', qualified: false })).toMatchObject({ state: 'probe', console: 'Strict', cause: expect.stringMatching(/^symmetric NAT/) });
    expect(teredoWords({ ...base, natType: 'unknown', vantage: 'outside' })).toMatchObject({ console: null, portPreserving: null });
  });

  it('says why an offline client is offline, and that offline after qualifying is a lost qualification', () => {
    expect(teredoWords({ ...base, natType: 'offline', qualified: false, mapped: null, rsRaRoundTripMs: null })).toEqual({
      state: 'offline',
      portPreserving: null,
      console: 'Teredo unable to qualify',
      cause: 'Router Solicitations to UDP 3544 never answered: the port is blocked or the server is down',
    });
    expect(teredoWords({ ...base, natType: 'offline', qualified: true }).cause).toMatch(/^qualified, then its refresh/);
    expect(teredoWords({ ...base, natType: 'offline', qualified: false, vantage: 'outside' }).cause).toMatch(/reach the NAT but not the client \(inbound filtering\)/);
  });

  it.each(['100.64.1.2', '100.127.255.254', '10.1.2.3', '172.20.0.1', '192.168.0.9'])('a mapped address %s is double NAT: a finding and a cause', (mapped) => {
    const report = qualifiedBehind(mapped);
    const client = report.clients.get(0);
    expect(client.findings).toContain('double-nat');
    expect(client.cause).toMatch(/^double NAT: the server saw /);
    const finding = report.findings.find((f) => f.kind === 'double-nat');
    expect(finding).toMatchObject({ severity: 'warning', frames: [2] });
    expect(checkJsonSchema(JSON.parse(JSON.stringify(report)), REPORT_JSON_SCHEMA)).toEqual([]);
  });

  it.each(['100.63.255.255', '100.128.0.1', '203.0.113.7', '172.32.0.1'])('a public mapped address %s is not double NAT', (mapped) => {
    const report = qualifiedBehind(mapped);
    expect(report.clients.get(0).findings).not.toContain('double-nat');
    expect(report.clients.get(0)).toMatchObject({ state: 'qualified', cause: null });
  });
});
