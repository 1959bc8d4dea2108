// Defect 1 of issue 12: a frame cut by the snap length is dissected as far as it goes and marked,
// not called malformed. miredo-vantages-outside-s96.pcap is miredo-vantages-outside.pcap's exchange
// captured at the same interface with `tcpdump -s 96` (fixtures/real/miredo/README.md).
import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6 } from '../../src/decode/ip-address.js';
import { streamTeredoPackets } from '../../src/cli/teredo-stream.js';
import { teredoDatagram } from '../../src/synth/teredo-datagram.js';
import { hexBytes } from '../../src/synth/teredo-hex.js';
import { TeredoDissector } from '../../src/teredo/dissector.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';
import { clonePacket } from '../../src/teredo/packet-copy.js';
import { analyzeCapture } from '../analysis/support/analyze-capture.js';

const DIR = 'fixtures/real/miredo/';

async function dissectAll(name: string): Promise<{ packets: TeredoPacket[]; malformed: string[] }> {
  const packets: TeredoPacket[] = [];
  const malformed: string[] = [];
  await streamTeredoPackets(`${DIR}${name}`, (p) => packets.push(clonePacket(p)), { onMalformed: (frame, reason) => malformed.push(`${frame}: ${reason}`) });
  return { packets, malformed };
}

const cut = (p: TeredoPacket): boolean => p.anomalies.some((a) => a.kind === 'snap-cut');

describe('a capture taken with -s 96', () => {
  it('dissects every Teredo frame the whole capture has, marks the cut ones, calls none malformed', async () => {
    const whole = await dissectAll('miredo-vantages-outside.pcap');
    const snapped = await dissectAll('miredo-vantages-outside-s96.pcap');
    expect(snapped.malformed).toEqual([]);
    expect(snapped.packets.map((p) => p.frame)).toEqual(whole.packets.map((p) => p.frame));
    expect(snapped.packets.map((p) => p.kind)).toEqual(whole.packets.map((p) => p.kind));
    // Bubbles are 61 bytes or less: whole. Everything longer is cut at 54 bytes of UDP payload.
    expect(snapped.packets.filter(cut).map((p) => p.frame)).toEqual([3, 4, 5, 11, 12, 13, 14, 15]);
    expect(snapped.packets.filter((p) => !cut(p)).every((p) => p.kind === 'bubble')).toBe(true);
    for (let i = 0; i < whole.packets.length; i++) {
      const [a, b] = [whole.packets[i], snapped.packets[i]];
      expect(formatIpv6(b.ipv6.src)).toBe(formatIpv6(a.ipv6.src));
      expect(b.auth?.nonce).toEqual(a.auth?.nonce);
      expect(b.origin).toEqual(a.origin);
    }
  });

  it('the cut RA (its ICMPv6 type and part of its destination lost) is still an RA with its nonce and origin indication', async () => {
    const { packets } = await dissectAll('miredo-vantages-outside-s96.pcap');
    const ra = packets.find((p) => p.frame === 4)!;
    expect(ra.kind).toBe('router-advertisement');
    expect(ra.icmp).toBeNull();
    expect(ra.origin !== null && `${formatIpv4(ra.origin.address)}:${ra.origin.port}`).toBe('203.0.113.1:37887');
    expect(ra.anomalies.map((a) => a.kind)).toEqual(['snap-cut']);
  });

  it('gives the analysis of the whole capture, and reports the capture as snap-limited, not malformed', async () => {
    const whole = (await analyzeCapture(`${DIR}miredo-vantages-outside.pcap`)).analysis;
    const snapped = (await analyzeCapture(`${DIR}miredo-vantages-outside-s96.pcap`)).analysis;
    const verdict = (c: ReturnType<typeof whole.clients.get>) => ({ ...c, rsRaRoundTripMs: null, holePunches: c.holePunches.map((p) => ({ ...p, latencyMs: null })) });
    expect(verdict(snapped.clients.get(0))).toEqual(verdict(whole.clients.get(0)));
    expect(snapped.captures[0].malformed).toBe(0);
    expect(snapped.findings.map((f) => `${f.kind}:${f.severity}@${f.frames.join(',')}`)).toEqual(['snap-limited:info@3,4,5,11,12,13,14,15']);
  });
});

describe('a cut datagram fed to the dissector', () => {
  // Miredo's RS (fixtures/real/miredo, frame 3 of the port-preserving capture): auth, IPv6, RS.
  const rs = hexBytes('00010000' + '0000000000000000' + '00' + '6000000000083aff' + 'fe800000000000000000ffffffffffff' + 'ff020000000000000000000000000002' + '8500' + '7b9b' + '00000000');
  const spec = { srcIp: 0xcb007101, srcPort: 40000, dstIp: 0xc000020a, dstPort: 3544 };

  it('cut inside the ICMPv6 header: a router solicitation, marked as cut', () => {
    const d = teredoDatagram(rs.subarray(0, 54), { ...spec, cutBytes: rs.length - 54, tailroom: 32 });
    const packet = new TeredoDissector().dissect(d);
    expect(packet?.kind).toBe('router-solicitation');
    expect(packet?.anomalies.map((a) => a.kind)).toEqual(['snap-cut']);
  });

  it('cut before the IPv6 source address: not dissected, and the reason says cut, not malformed', () => {
    const reasons: string[] = [];
    const d = teredoDatagram(rs.subarray(0, 30), { ...spec, cutBytes: rs.length - 30, tailroom: 32 });
    expect(new TeredoDissector({ onMalformed: (_, reason) => reasons.push(reason) }).dissect(d)).toBeNull();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/snap length/);
  });

  it('the same bytes not cut but short (the UDP length says so): still malformed', () => {
    const reasons: string[] = [];
    const d = teredoDatagram(rs.subarray(0, 54), spec);
    expect(new TeredoDissector({ onMalformed: (_, reason) => reasons.push(reason) }).dissect(d)).toBeNull();
    expect(reasons[0]).toMatch(/payload length/);
  });
});
