import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../src/decode/ip-address.js';
import { analyzeCapture } from './support/analyze-capture.js';

describe('wireshark-teredo.pcap (Windows client inside its NAT, 2008)', () => {
  it('reconstructs the qualification and the hole punch through relay 83.170.1.38', async () => {
    const { analysis, stream } = await analyzeCapture('fixtures/real/wireshark-teredo.pcap');
    expect(stream.error).toBeNull();
    expect(analysis.captures[0].teredoPackets).toBe(29);
    expect(analysis.clients.size).toBe(1);
    const client = analysis.clients.get(0);
    expect(client.id).toBe('192.168.2.16:3797');
    expect(client.vantage).toBe('inside');
    expect(client.endpoints).toEqual([{ address: 0xc0a80210, port: 3797 }]);
    expect(client.mapped && `${formatIpv4(client.mapped.address)}:${client.mapped.port}`).toBe('70.55.215.234:3797');
    expect(client.teredoAddress).toBe('2001:0:4137:9e50:8000:f12a:b9c8:2815');
    expect(client.serverPrimary !== null && formatIpv4(client.serverPrimary)).toBe('65.55.158.80');
    expect(client.serverSecondary !== null && formatIpv4(client.serverSecondary)).toBe('65.55.158.81');
    expect(client.natType).toBe('cone');
    expect(client.qualified).toBe(true);
    expect(client.rsRaRoundTripMs).toBeCloseTo(122.05, 2);
    expect(client.relays.map((r) => [formatIpv4(r.endpoint.address), r.endpoint.port, r.ipv6])).toEqual([['83.170.1.38', 32900, 'fe80::708d:fe83:4114:a512']]);
    expect(client.holePunches).toHaveLength(1);
    expect(client.holePunches[0]).toMatchObject({
      peer: '2001:4860:0:2001::68',
      path: 'relay',
      outcome: 'success',
      missingStep: null,
      frames: [30, 31, 32, 33],
    });
    expect(client.holePunches[0].latencyMs).toBeCloseTo(463.615, 3);
    expect(client.packets).toBe(29);
    expect(analysis.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('the other real captures', () => {
  it('zeek-teredo-bubble-with-payload.pcap: the bubbles with 4 extra bytes are reported (frames 3, 5 and 6)', async () => {
    const { analysis } = await analyzeCapture('fixtures/real/zeek-teredo-bubble-with-payload.pcap');
    expect(analysis.clients.size).toBe(1);
    const kinds = analysis.findings.map((f) => `${f.kind}@${f.frames.join(',')}`);
    expect(kinds).toEqual(['bubble-with-payload@3,5,6']);
    expect(analysis.clients.get(0).holePunches[0]?.outcome).toBe('success');
  });

  it('snort-teredo-tcp.pcap and zeek-teredo-udp-in-udp.pcap do not break the analysis', async () => {
    const snort = await analyzeCapture('fixtures/real/snort-teredo-tcp.pcap');
    expect(snort.analysis.clients.size).toBeGreaterThanOrEqual(1);
    const udp = await analyzeCapture('fixtures/real/zeek-teredo-udp-in-udp.pcap');
    expect(udp.analysis.clients.size).toBe(0);
  });

  it('zeek-gtp-teredo.pcap: clients inside GTP-U, two plain RSs at one instant to both server addresses', async () => {
    const { analysis } = await analyzeCapture('fixtures/real/zeek-gtp-teredo.pcap');
    expect(analysis.clients.size).toBeGreaterThan(0);
  });
});
