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
