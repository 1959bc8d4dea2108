import { describe, expect, it } from 'vitest';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import type { AnalysisResult } from '../../src/analysis/analysis-result.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';
import { ra, rs } from './support/packet-factory.js';

const P = '65.55.158.80';
const S = '65.55.158.81';

function analyze(packets: TeredoPacket[]): AnalysisResult {
  const analyzer = new TeredoAnalyzer();
  for (const p of packets) analyzer.add(p);
  return analyzer.finish();
}

function kinds(result: AnalysisResult): string[] {
  return result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`);
}

describe('qualification', () => {
  it('cone: the RA to a cone RS comes from the secondary address (inside)', () => {
    const result = analyze([rs(6, 5.61, '192.168.2.16:3797', P, 'cd5669400b22df88', true), ra(7, 5.73, S, '192.168.2.16:3797', 'cd5669400b22df88', '70.55.215.234:3797', P, true)]);
    expect(result.clients.size).toBe(1);
    const client = result.clients.get(0);
    expect(client).toMatchObject({ id: '192.168.2.16:3797', vantage: 'inside', natType: 'cone', qualified: true, serverPrimary: 0x41379e50, serverSecondary: 0x41379e51 });
    expect(client.mapped).toEqual({ address: 0x4637d7ea, port: 3797 });
    expect(client.rsRaRoundTripMs).toBeCloseTo(120, 3);
    expect(client.qualificationMs).toBeCloseTo(120, 3);
    expect(result.findings).toEqual([]);
  });

  it('restricted, inside: three cone RSs unanswered, plain RS answered by the primary, same mapping from the secondary', () => {
    const c = '192.168.1.10:40000';
    const m = '198.51.100.7:40000';
    const result = analyze([
      rs(1, 0, c, P, '0000000000000001', true),
      rs(2, 4, c, P, '0000000000000002', true),
      rs(3, 8, c, P, '0000000000000003', true),
      rs(4, 12, c, P, '0000000000000004'),
      ra(5, 12.1, P, c, '0000000000000004', m),
      rs(6, 12.2, c, S, '0000000000000005'),
      ra(7, 12.3, S, c, '0000000000000005', m, P),
    ]);
    expect(result.clients.get(0)).toMatchObject({ natType: 'restricted', qualified: true, vantage: 'inside' });
    expect(result.clients.get(0).qualificationMs).toBeCloseTo(12300, 3);
    expect(result.findings).toEqual([]);
  });

  it('restricted, outside: the cone RAs reach the NAT but the client falls back to C = 0 anyway', () => {
    const m = '198.51.100.7:40000';
    const result = analyze([
      rs(1, 0, m, P, '0000000000000001', true),
      ra(2, 0.1, S, m, '0000000000000001', m, P, true),
      rs(3, 4, m, P, '0000000000000002', true),
      ra(4, 4.1, S, m, '0000000000000002', m, P, true),
      rs(5, 8, m, P, '0000000000000003'),
      ra(6, 8.1, P, m, '0000000000000003', m),
      rs(7, 8.2, m, S, '0000000000000004'),
      ra(8, 8.3, S, m, '0000000000000004', m, P),
    ]);
    expect(result.clients.size).toBe(1);
    expect(result.clients.get(0)).toMatchObject({ natType: 'restricted', qualified: true, vantage: 'outside' });
    expect(result.findings).toEqual([]);
  });

  it('symmetric, outside: the probe to the secondary leaves from a new port and is linked to the same client', () => {
    const m1 = '198.51.100.7:40000';
    const m2 = '198.51.100.7:40001';
    const result = analyze([
      rs(1, 0, m1, P, '0000000000000001'),
      ra(2, 0.1, P, m1, '0000000000000001', m1),
      rs(3, 0.2, m2, S, '0000000000000002'),
      ra(4, 0.3, S, m2, '0000000000000002', m2, P),
    ]);
    expect(result.clients.size).toBe(1);
    const client = result.clients.get(0);
    expect(client).toMatchObject({ natType: 'symmetric', qualified: false });
    expect(client.endpoints).toHaveLength(2);
    expect(kinds(result)).toEqual(['symmetric-nat@2,4']);
    expect(result.findings[0].severity).toBe('error');
  });

  it('offline: plain RSs never answered', () => {
    const c = '10.0.0.5:5000';
    const result = analyze([rs(1, 0, c, P, '01'.repeat(8)), rs(2, 4, c, P, '02'.repeat(8)), rs(3, 8, c, P, '03'.repeat(8))]);
    expect(result.clients.get(0)).toMatchObject({ natType: 'offline', qualified: false });
    expect(kinds(result)).toEqual(['offline@1,2,3']);
    expect(result.findings[0].displayFilter).toBe('(frame.number >= 1 && frame.number <= 3)');
  });

  it('two unanswered RSs are not yet off-line', () => {
    const c = '10.0.0.5:5000';
    const result = analyze([rs(1, 0, c, P, '01'.repeat(8)), rs(2, 4, c, P, '02'.repeat(8))]);
    expect(result.clients.get(0)).toMatchObject({ natType: 'unknown', qualified: false });
    expect(result.findings).toEqual([]);
  });

  it('nonce mismatch: an RA answering no RS is reported and ignored', () => {
    const c = '192.168.1.10:40000';
    const m = '198.51.100.7:40000';
    const result = analyze([rs(1, 0, c, P, 'aaaaaaaaaaaaaaaa'), ra(2, 0.05, P, c, 'bbbbbbbbbbbbbbbb', '203.0.113.66:1'), ra(3, 0.1, P, c, 'aaaaaaaaaaaaaaaa', m)]);
    expect(kinds(result)).toEqual(['nonce-mismatch@1,2']);
    expect(result.clients.get(0).mapped).toEqual({ address: 0xc6336407, port: 40000 });
    expect(result.clients.get(0).findings).toEqual(['nonce-mismatch']);
  });

  it('mapping change between refresh RAs, and the refresh cadence', () => {
    const c = '192.168.1.10:40000';
    const result = analyze([
      rs(1, 0, c, P, '0000000000000001', true),
      ra(2, 0.1, S, c, '0000000000000001', '198.51.100.7:40000', P, true),
      rs(3, 30, c, P, '0000000000000002', true),
      ra(4, 30.1, S, c, '0000000000000002', '198.51.100.7:40000', P, true),
      rs(5, 60, c, P, '0000000000000003', true),
      ra(6, 60.1, S, c, '0000000000000003', '198.51.100.9:1025', P, true),
    ]);
    expect(kinds(result)).toEqual(['mapping-changed@4,6']);
    const client = result.clients.get(0);
    expect(client.refreshIntervalSeconds).toBeCloseTo(30, 3);
    expect(client.mapped).toEqual({ address: 0xc6336409, port: 1025 });
    expect(client.natType).toBe('cone');
  });
});

describe('a client using port 3544 itself', () => {
  it('is still told apart from its server by the message', () => {
    const c = '203.0.113.9:3544';
    const result = analyze([rs(1, 0, c, P, '0000000000000001', true), ra(2, 0.1, S, c, '0000000000000001', c, P, true)]);
    expect(result.clients.size).toBe(1);
    expect(result.clients.get(0)).toMatchObject({ id: c, natType: 'cone', qualified: true });
  });
});
