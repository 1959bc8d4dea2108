import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../src/decode/ip-address.js';
import { teredoDatagram } from '../../src/synth/teredo-datagram.js';
import { bytesHex, hexBytes } from '../../src/synth/teredo-hex.js';
import { bubble, echo, ipv6Data, routerAdvertisement, routerSolicitation } from '../../src/synth/teredo-payload.js';
import { nonceTrailer } from '../../src/synth/teredo-trailers.js';
import { TeredoDissector } from '../../src/teredo/dissector.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';
import {
  BWP_BUBBLE_WITH_PAYLOAD,
  BWP_RELAYED_BUBBLE,
  GTP_BUBBLE_WITH_TRAILERS,
  realDatagram,
  SNORT_TCP,
  WIRESHARK_BUBBLE_TO_RELAY,
  WIRESHARK_RA,
  WIRESHARK_RS,
} from './support/real-payloads.js';

const ip4 = (text: string): number => parseIpv4(text)!;
const ip6 = (text: string): Uint8Array => parseIpv6(text)!;
const CLIENT = ip6('2001:0:4137:9e50:8000:f12a:b9c8:2815');
const NATIVE = ip6('2001:4860:0:2001::68');
const RELAY_LL = ip6('fe80::708d:fe83:4114:a512');
const PEER = { srcIp: ip4('198.51.100.7'), srcPort: 40000, dstIp: ip4('203.0.113.9'), dstPort: 50000 };

function collect(options: ConstructorParameters<typeof TeredoDissector>[0] = {}) {
  const malformed: [number, string][] = [];
  const dissector = new TeredoDissector({ ...options, onMalformed: (frame, reason) => malformed.push([frame, reason]) });
  return { dissector, malformed };
}

describe('TeredoDissector on real payloads', () => {
  it('dissects the RS of wireshark-teredo frame 6 (port 3544)', () => {
    const { dissector } = collect();
    const packet = dissector.dissect(realDatagram(WIRESHARK_RS))!;
    expect(packet.detection).toBe('port-3544');
    expect(packet.kind).toBe('router-solicitation');
    expect(packet.frame).toBe(6);
    expect(packet.outer).toEqual({ srcIp: ip4('192.168.2.16'), srcPort: 3797, dstIp: ip4('65.55.158.80'), dstPort: 3544 });
    expect(bytesHex(packet.auth!.nonce)).toBe('cd5669400b22df88');
    expect(packet.origin).toBeNull();
    expect(formatIpv6(packet.ipv6.src)).toBe('fe80::8000:ffff:ffff:fffd');
    expect(formatIpv6(packet.ipv6.dst)).toBe('ff02::2');
    expect(packet.ipv6).toMatchObject({ payloadLength: 24, nextHeader: 58, hopLimit: 255 });
    expect(packet.icmp!.type).toBe(133);
    expect(packet.data).toBeNull();
    expect(packet.trailers).toEqual([]);
    expect(packet.anomalies).toEqual([]);
  });

  it('dissects the RA of frame 7 with nonce, origin and prefix', () => {
    const { dissector } = collect();
    const packet = dissector.dissect(realDatagram(WIRESHARK_RA))!;
    expect(packet).toMatchObject({ kind: 'router-advertisement', detection: 'port-3544', anomalies: [] });
    expect(bytesHex(packet.auth!.nonce)).toBe('cd5669400b22df88');
    expect(`${formatIpv4(packet.origin!.address)}:${packet.origin!.port}`).toBe('70.55.215.234:3797');
    expect(formatIpv6(packet.icmp!.routerAdvertisement!.prefixes[0].prefix)).toBe('2001:0:4137:9e50::');
  });

  it('finds the bubble to the relay through the socket learned from the RS', () => {
    const { dissector } = collect();
    dissector.dissect(realDatagram(WIRESHARK_RS));
    const packet = dissector.dissect(realDatagram(WIRESHARK_BUBBLE_TO_RELAY))!;
    expect(packet).toMatchObject({ kind: 'bubble', detection: 'learned-endpoint', data: null, icmp: null, anomalies: [] });
    expect(packet.ipv6.hopLimit).toBe(21);
  });

  it('finds the same bubble by structure alone when nothing was learned', () => {
    const { dissector } = collect();
    expect(dissector.dissect(realDatagram(WIRESHARK_BUBBLE_TO_RELAY))?.detection).toBe('structure');
  });

  it('flags the edited bubbles of zeek-teredo-bubble-with-payload but still returns them from a learned socket', () => {
    const { dissector, malformed } = collect();
    // Without evidence the 4 stray bytes make the packet fail the strict structure test.
    expect(dissector.dissect(realDatagram(BWP_BUBBLE_WITH_PAYLOAD))).toBeNull();
    dissector.dissect(realDatagram(WIRESHARK_RS));
    const packet = dissector.dissect(realDatagram(BWP_BUBBLE_WITH_PAYLOAD))!;
    expect(packet).toMatchObject({ kind: 'bubble', detection: 'learned-endpoint', trailers: [] });
    expect(packet.anomalies).toEqual([{ kind: 'bubble-with-payload', message: 'bubble followed by 4 bytes that are not RFC 6081 trailers' }]);
    const relayed = dissector.dissect(realDatagram(BWP_RELAYED_BUBBLE))!;
    expect(relayed).toMatchObject({ kind: 'bubble', detection: 'port-3544' });
    expect(relayed.anomalies.map((a) => a.kind)).toEqual(['bubble-with-payload']);
    expect(malformed).toEqual([]);
  });

  it('reads RFC 6081 trailers without an anomaly, on port 3544 and by structure', () => {
    for (const ports of [{}, { srcPort: 56528, dstPort: 40000 }]) {
      const packet = new TeredoDissector().dissect(realDatagram(GTP_BUBBLE_WITH_TRAILERS, ports))!;
      expect(packet.kind).toBe('bubble');
      expect(packet.anomalies).toEqual([]);
      expect(packet.trailers.map((t) => t.name)).toEqual(['nonce', 'alternate-address', 'random-port']);
    }
  });

  it('dissects the crafted Snort TCP packet and flags its non-global embedded IPv4', () => {
    const packet = new TeredoDissector().dissect(realDatagram(SNORT_TCP))!;
    expect(packet).toMatchObject({ kind: 'data', detection: 'port-3544' });
    expect(packet.data).toEqual({ protocol: 6, srcPort: 48620, dstPort: 8, length: 20 });
    expect(packet.anomalies).toEqual([{ kind: 'non-global-embedded-ipv4', message: 'Teredo source address embeds non-global IPv4 245.254.253.250' }]);
  });
});

describe('learning endpoints', () => {
  // A relay's hole-punch bubble between non-Teredo addresses with stray bytes: only a learned socket makes it Teredo.
  const oddFromRelay = (extra: Partial<Parameters<typeof teredoDatagram>[1]> = {}) =>
    teredoDatagram(bubble({ src: RELAY_LL, dst: NATIVE, trailers: hexBytes('ffff') }), {
      srcIp: ip4('83.170.1.38'),
      srcPort: 32900,
      dstIp: ip4('192.168.2.99'),
      dstPort: 5000,
      ...extra,
    });

  it('learns the socket of an origin indication', () => {
    const { dissector } = collect();
    expect(dissector.dissect(oddFromRelay())).toBeNull();
    dissector.dissect(realDatagram(BWP_RELAYED_BUBBLE));
    expect(dissector.dissect(oddFromRelay())?.detection).toBe('learned-endpoint');
  });

  it('learns the mapped socket inside a Teredo address', () => {
    const { dissector } = collect();
    const fromMapping = { srcIp: ip4('70.55.215.234'), srcPort: 3797 };
    expect(dissector.dissect(oddFromRelay(fromMapping))).toBeNull();
    dissector.dissect(teredoDatagram(echo({ request: true, src: CLIENT, dst: NATIVE, identifier: 1, sequence: 1 }), { ...PEER, dstPort: 3544 }));
    expect(dissector.dissect(oddFromRelay(fromMapping))?.detection).toBe('learned-endpoint');
  });

  it('learns both sockets of a packet found by structure', () => {
    const { dissector } = collect();
    dissector.dissect(teredoDatagram(bubble({ src: CLIENT, dst: NATIVE }), PEER));
    expect(dissector.dissect(oddFromRelay({ srcIp: PEER.dstIp, srcPort: PEER.dstPort }))?.detection).toBe('learned-endpoint');
  });

  it('does not learn the server socket on port 3544, nor from learned-endpoint packets', () => {
    const { dissector } = collect({ learnedEndpointLimit: 1 });
    dissector.dissect(realDatagram(WIRESHARK_RS));
    // With room for one socket, the client socket must be the one kept.
    expect(dissector.dissect(realDatagram(BWP_BUBBLE_WITH_PAYLOAD))?.detection).toBe('learned-endpoint');
  });

  it('learns nothing when the limit is 0', () => {
    const { dissector } = collect({ learnedEndpointLimit: 0 });
    dissector.dissect(realDatagram(WIRESHARK_RS));
    expect(dissector.dissect(realDatagram(BWP_BUBBLE_WITH_PAYLOAD))).toBeNull();
    expect(dissector.dissect(realDatagram(WIRESHARK_BUBBLE_TO_RELAY))?.detection).toBe('structure');
  });

  it('evicts old sockets beyond the limit', () => {
    const { dissector } = collect({ learnedEndpointLimit: 2 });
    dissector.dissect(realDatagram(WIRESHARK_RS));
    for (let port = 1; port <= 2; port++) {
      dissector.dissect(teredoDatagram(routerSolicitation({ cone: false }), { srcIp: ip4('10.0.0.1'), srcPort: port, dstIp: ip4('65.55.158.80'), dstPort: 3544 }));
    }
    expect(dissector.dissect(realDatagram(BWP_BUBBLE_WITH_PAYLOAD))).toBeNull();
  });
});

describe('what the dissector returns', () => {
  it('owns its bytes although the datagram buffer is reused (also for a Node Buffer)', () => {
    const datagram = realDatagram(WIRESHARK_RA);
    const buffer = Buffer.from(datagram.buffer);
    const packet = new TeredoDissector().dissect({ ...datagram, buffer })!;
    const before = JSON.stringify(packet, (_k, v: unknown) => (v instanceof Uint8Array ? bytesHex(v) : v));
    buffer.fill(0x55);
    const after = JSON.stringify(packet, (_k, v: unknown) => (v instanceof Uint8Array ? bytesHex(v) : v));
    expect(after).toBe(before);
  });

  it('copies time and fragment frames', () => {
    const fragments = [3, 4];
    const datagram = { ...realDatagram(WIRESHARK_RS), seconds: 1210953052, nanos: 202579000, precision: 6, fragmentFrames: fragments };
    const packet = new TeredoDissector().dissect(datagram)!;
    fragments.push(5);
    datagram.seconds = 0;
    expect(packet.fragmentFrames).toEqual([3, 4]);
    expect(packet.time).toEqual({ seconds: 1210953052, nanos: 202579000, precision: 6 });
  });

  it('reads only the payload window, not the bytes around it', () => {
    const payload = bubble({ src: CLIENT, dst: NATIVE });
    const packet = new TeredoDissector().dissect(teredoDatagram(payload, { ...PEER, headroom: 3, tailroom: 50 }))!;
    expect(packet.anomalies).toEqual([]);
    expect(packet.trailers).toEqual([]);
  });

  it('classifies data packets with their upper layer', () => {
    const payload = ipv6Data({ src: CLIENT, dst: NATIVE, protocol: 6, srcPort: 1577, dstPort: 80, payload: new Uint8Array(100) });
    const packet = new TeredoDissector().dissect(teredoDatagram(payload, PEER))!;
    expect(packet).toMatchObject({ kind: 'data', detection: 'structure', icmp: null, data: { protocol: 6, srcPort: 1577, dstPort: 80, length: 120 } });
  });

  it('gives other ICMPv6 types kind data with protocol 58 and keeps their ICMPv6 header', () => {
    const unreachable = ipv6Data({ src: NATIVE, dst: CLIENT, protocol: 58, payload: new Uint8Array(8) });
    unreachable[40] = 1;
    const { dissector } = collect();
    const packet = dissector.dissect(teredoDatagram(unreachable, { ...PEER, srcPort: 3544 }))!;
    expect(packet.kind).toBe('data');
    expect(packet.data).toMatchObject({ protocol: 58, srcPort: null });
    expect(packet.icmp?.type).toBe(1);
  });

  it('reports a wrong ICMPv6 checksum on port 3544 and refuses it by structure alone', () => {
    const payload = echo({ request: true, src: CLIENT, dst: NATIVE, identifier: 5, sequence: 6 });
    payload[43] ^= 0xff;
    const onPort = new TeredoDissector().dissect(teredoDatagram(payload, { ...PEER, dstPort: 3544 }))!;
    expect(onPort.kind).toBe('echo-request');
    expect(onPort.anomalies.map((a) => a.kind)).toEqual(['bad-icmpv6']);
    expect(onPort.anomalies[0].message).toMatch(/^ICMPv6 checksum 0x[0-9a-f]{4}, expected 0x[0-9a-f]{4}$/);
    expect(new TeredoDissector().dissect(teredoDatagram(payload, PEER))).toBeNull();
  });

  it('reports bytes after a data packet that are not trailers', () => {
    const payload = echo({ request: false, src: NATIVE, dst: CLIENT, identifier: 5, sequence: 6, trailers: hexBytes('010203') });
    const packet = new TeredoDissector().dissect(teredoDatagram(payload, { ...PEER, srcPort: 3544 }))!;
    expect(packet.anomalies).toEqual([{ kind: 'trailing-bytes', message: '3 bytes after the IPv6 packet are not RFC 6081 trailers' }]);
  });

  it('reports a truncated extension header chain', () => {
    const payload = ipv6Data({ src: CLIENT, dst: NATIVE, protocol: 59, extensionHeaders: [{ type: 0, length: 16 }] });
    payload[41] = 5;
    const packet = new TeredoDissector().dissect(teredoDatagram(payload, { ...PEER, dstPort: 3544 }))!;
    expect(packet.kind).toBe('data');
    expect(packet.anomalies.map((a) => a.kind)).toEqual(['truncated-ipv6']);
  });

  it('accepts on port 3544 what Teredo nodes send even without Teredo addresses', () => {
    const server = { ...PEER, dstPort: 3544 };
    const d = new TeredoDissector();
    expect(d.dissect(teredoDatagram(routerSolicitation({ src: ip6('2001:db8::1') }), server))?.kind).toBe('router-solicitation');
    expect(d.dissect(teredoDatagram(bubble({ src: NATIVE, dst: ip6('2001:db8::1') }), server))?.kind).toBe('bubble');
    expect(d.dissect(teredoDatagram(echo({ request: true, src: NATIVE, dst: ip6('2001:db8::1'), identifier: 1, sequence: 1 }), server))?.kind).toBe('echo-request');
    const ra = routerAdvertisement({ src: ip6('2001:db8::1'), dst: NATIVE, prefix: hexBytes('2001000041379e50') });
    expect(d.dissect(teredoDatagram(ra, server))?.kind).toBe('router-advertisement');
  });

  it('finds every kind by structure when a Teredo address is involved', () => {
    const kinds = [
      routerSolicitation({ src: CLIENT }),
      echo({ request: false, src: NATIVE, dst: CLIENT, identifier: 1, sequence: 2 }),
      bubble({ src: CLIENT, dst: RELAY_LL, trailers: nonceTrailer(hexBytes('01020304')) }),
      ipv6Data({ src: CLIENT, dst: NATIVE, protocol: 17, srcPort: 1, dstPort: 2 }),
    ].map((payload) => new TeredoDissector().dissect(teredoDatagram(payload, PEER))?.kind);
    expect(kinds).toEqual(['router-solicitation', 'echo-reply', 'bubble', 'data']);
  });
});

describe('stats', () => {
  it('counts examined, Teredo, malformed and detections', () => {
    const OTHER = { srcIp: ip4('10.1.1.1'), srcPort: 1, dstIp: ip4('10.2.2.2'), dstPort: 2 };
    const { dissector } = collect();
    const results: (TeredoPacket | null)[] = [
      dissector.dissect(realDatagram(WIRESHARK_RS)),
      dissector.dissect(realDatagram(WIRESHARK_BUBBLE_TO_RELAY)),
      dissector.dissect(teredoDatagram(bubble({ src: CLIENT, dst: NATIVE }), PEER)),
      dissector.dissect(teredoDatagram(Uint8Array.of(0x45, 1, 2), OTHER)),
      dissector.dissect(teredoDatagram(Uint8Array.of(0x60, 1, 2), { ...OTHER, dstPort: 3544 })),
      // The structure-detected bubble taught the dissector PEER's sockets.
      dissector.dissect(teredoDatagram(Uint8Array.of(0x45, 1, 2), PEER)),
    ];
    expect(results.map((r) => r?.detection ?? null)).toEqual(['port-3544', 'learned-endpoint', 'structure', null, null, null]);
    expect(dissector.stats).toEqual({
      examined: 6,
      teredo: 3,
      malformed: 2,
      byDetection: { 'port-3544': 1, 'learned-endpoint': 1, structure: 1 },
    });
  });
});
