import { MAX_FINDING_FRAMES } from '../../src/analysis/finding.js';
import { describe, expect, it } from 'vitest';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { MAX_ENDPOINTS_PER_CLIENT } from '../../src/capture/input-limits.js';
import { packet, ra, rs } from './support/packet-factory.js';
import { CLIENT, HOST, MAPPED, ME, P, S } from './support/sample-network.js';

/*
 * Issue 16, class 3: packets from ever new sockets that all carry one client's Teredo address
 * joined that client as endpoints without end (300,000 packets: 299,928 endpoints, 184 MB). The
 * client keeps its first MAX_ENDPOINTS_PER_CLIENT endpoints; the packets from the others are
 * counted and reported as an address-mismatch finding (a flood, or spoofing).
 */

/** The client qualifies behind its NAT (frames 1–2), then `count` packets claim its address from new inside sockets. */
function flood(count: number): TeredoAnalyzer {
  const analyzer = new TeredoAnalyzer();
  analyzer.add(rs(1, 1, CLIENT, P, 'cd5669400b22df88', true));
  analyzer.add(ra(2, 1.1, S, CLIENT, 'cd5669400b22df88', MAPPED, P, true));
  for (let i = 0; i < count; i++) {
    // Ports from 20000 up: none is the Teredo port 3544 (which would make the packet a server's).
    const from = `192.168.${3 + Math.floor(i / 40000)}.${1 + (Math.floor(i / 250) % 240)}:${20000 + (i % 40000)}`;
    analyzer.add(packet({ frame: 3 + i, t: 2 + i / 1000, from, to: '83.170.1.38:32900', kind: 'data', src: ME, dst: HOST }));
  }
  return analyzer;
}

describe('one client claimed from many sockets', () => {
  it('keeps the first endpoints and reports the rest as one address-mismatch finding, with the count', () => {
    const result = flood(20_000).finish();
    expect(result.clients.size).toBe(1);
    const client = result.clients.get(0);
    expect(client.endpoints).toHaveLength(MAX_ENDPOINTS_PER_CLIENT);
    expect(client.findings).toContain('address-mismatch');
    const finding = result.findings.find((f) => f.kind === 'address-mismatch' && f.message.includes('endpoints kept per client'));
    expect(finding).toBeDefined();
    const refused = 20_000 - (MAX_ENDPOINTS_PER_CLIENT - 1);
    expect(finding?.message).toBe(
      `${refused} packets (the first ${MAX_FINDING_FRAMES} of their frames are listed) came from further sockets claiming to be this client, past the ${MAX_ENDPOINTS_PER_CLIENT} endpoints kept per client: a flood or spoofing (those sockets are not listed)`,
    );
    expect(finding?.severity).toBe('warning');
    expect(finding?.frames[0]).toBe(3 + MAX_ENDPOINTS_PER_CLIENT - 1);
  });

  it('a client with few sockets is unchanged: no such finding', () => {
    const result = flood(10).finish();
    expect(result.clients.get(0).endpoints).toHaveLength(11);
    expect(result.findings.some((f) => f.message.includes('endpoints kept per client'))).toBe(false);
  });
});

describe("a symmetric NAT's probe ports past the endpoint bound (seen at the server)", () => {
  it('stay with the client that probes: no phantom client per answered probe, an info finding with the count', () => {
    const analyzer = new TeredoAnalyzer();
    const home = '203.0.113.5:40000';
    let frame = 1;
    const rounds = MAX_ENDPOINTS_PER_CLIENT + 10;
    for (let round = 0; round < rounds; round++) {
      const t = round * 30;
      const primaryNonce = (0x1000 + round).toString(16).padStart(16, '0');
      const probeNonce = (0x9000 + round).toString(16).padStart(16, '0');
      // Each probe of the secondary address leaves from a port of its own (symmetric NAT).
      const probe = `203.0.113.5:${41000 + round}`;
      analyzer.add(rs(frame++, t, home, P, primaryNonce));
      analyzer.add(ra(frame++, t + 0.01, P, home, primaryNonce, home, P));
      analyzer.add(rs(frame++, t + 0.02, probe, S, probeNonce));
      analyzer.add(ra(frame++, t + 0.03, S, probe, probeNonce, probe, P));
    }
    const result = analyzer.finish();
    expect([...result.clients].map((c) => c.id)).toEqual([home]);
    const client = result.clients.get(0);
    expect(client.natType).toBe('symmetric');
    expect(client.endpoints).toHaveLength(MAX_ENDPOINTS_PER_CLIENT);
    const bound = result.findings.find((f) => f.kind === 'address-mismatch' && f.message.includes('endpoints kept per client'));
    expect(bound?.severity).toBe('info');
    // Past the bound, each round's probe RS and the RA answering it are counted.
    expect(bound?.message).toMatch(new RegExp(`^${2 * (rounds - (MAX_ENDPOINTS_PER_CLIENT - 1))} packets .*ports of the client's symmetric NAT`));
  });
});
