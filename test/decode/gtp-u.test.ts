import { describe, expect, it } from 'vitest';
import { decodeGtpU, GtpUHeader } from '../../src/decode/gtp-u.js';
import { MAX_TUNNEL_DEPTH } from '../../src/decode/packet-decoder.js';
import { buildGtpU, buildIpv4Udp, encapsulate } from '../../src/synth/frame-builder.js';
import type { GtpUOptions } from '../../src/synth/frame-builder.js';
import { decodeOne, ip, ipv6Packet, payloadOf, teredoLikeSpec } from './support/frames.js';

const ENODEB = ip('190.104.181.57');
const SGW = ip('174.94.190.213');

function inGtp(inner: Uint8Array, options: GtpUOptions = {}): Uint8Array {
  return buildIpv4Udp({ srcIp: SGW, dstIp: ENODEB, srcPort: 2152, dstPort: 2152, payload: buildGtpU(inner, 0x981137bc, options), ttl: 60 });
}

describe('GTP-U analyzer', () => {
  it('finds the user packet after the 8-byte header', () => {
    const message = buildGtpU(Uint8Array.of(0x45, 1, 2), 0xdeadbeef);
    const header = new GtpUHeader();
    expect(decodeGtpU(message, 0, message.length, false, header)).toBe(true);
    expect(header).toMatchObject({ flags: 0x30, teid: 0xdeadbeef, innerOffset: 8, innerEnd: 11 });
  });

  it('skips the optional fields and a chain of extension headers', () => {
    const options: GtpUOptions = { sequence: 7, nPduNumber: 3, extensionHeaders: [{ type: 0x85, content: Uint8Array.of(1, 2) }, { type: 0x40, content: Uint8Array.of(1, 2, 3, 4, 5) }] };
    const message = buildGtpU(Uint8Array.of(0x45, 9), 1, options);
    const header = new GtpUHeader();
    expect(decodeGtpU(message, 0, message.length, false, header)).toBe(true);
    expect(header.flags).toBe(0x37);
    expect(header.innerOffset).toBe(12 + 4 + 8);
    expect(Array.from(message.subarray(header.innerOffset, header.innerEnd))).toEqual([0x45, 9]);
  });

  it('rejects non-G-PDU messages, other versions, lying lengths and broken extension chains', () => {
    const header = new GtpUHeader();
    const message = buildGtpU(Uint8Array.of(0x45, 1, 2, 3), 1);
    const echo = message.slice();
    echo[1] = 1;
    expect(decodeGtpU(echo, 0, echo.length, false, header)).toBe(false);
    const gtpPrime = message.slice();
    gtpPrime[0] = 0x20;
    expect(decodeGtpU(gtpPrime, 0, gtpPrime.length, false, header)).toBe(false);
    const long = message.slice();
    long[3] += 1;
    expect(decodeGtpU(long, 0, long.length, false, header)).toBe(false);
    expect(decodeGtpU(long, 0, long.length, true, header)).toBe(true);
    const withExtension = buildGtpU(Uint8Array.of(0x45), 1, { extensionHeaders: [{ type: 0x85, content: Uint8Array.of(1, 2) }] });
    withExtension[12] = 0; // extension length 0
    expect(decodeGtpU(withExtension, 0, withExtension.length, false, header)).toBe(false);
    expect(decodeGtpU(message, 0, 7, false, header)).toBe(false);
  });
});

describe('PacketDecoder through GTP-U', () => {
  it('returns the inner UDP/IPv4 datagram with tunnelDepth 1', () => {
    const spec = teredoLikeSpec({ ttl: 128 });
    const { datagram, decoder } = decodeOne(encapsulate(inGtp(buildIpv4Udp(spec)), { linkType: 1 }), 1);
    expect(datagram).not.toBeNull();
    expect([datagram!.srcIp, datagram!.dstIp, datagram!.srcPort, datagram!.dstPort, datagram!.ttl]).toEqual([spec.srcIp, spec.dstIp, 3797, 3544, 128]);
    expect(datagram!.tunnelDepth).toBe(1);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
    expect(decoder.stats).toMatchObject({ ipv4: 1, udp: 1, tunnels: 1 });
  });

  it('decapsulates with sequence numbers and extension headers present', () => {
    const spec = teredoLikeSpec();
    const options: GtpUOptions = { sequence: 1, extensionHeaders: [{ type: 0x85, content: Uint8Array.of(0, 9) }] };
    const { datagram } = decodeOne(inGtp(buildIpv4Udp(spec), options), 101);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
  });

  it('counts inner IPv6 and returns null', () => {
    const { datagram, decoder } = decodeOne(inGtp(ipv6Packet()), 101);
    expect(datagram).toBeNull();
    expect(decoder.stats).toMatchObject({ ipv4: 1, ipv6: 1, tunnels: 1, udp: 0 });
  });

  it('counts a malformed inner IPv4 header as malformed', () => {
    const inner = buildIpv4Udp(teredoLikeSpec());
    inner[0] = 0x43;
    expect(decodeOne(inGtp(inner), 101).decoder.stats.malformed).toBe(1);
  });

  it('delivers a GTP echo request on port 2152 as the plain UDP datagram', () => {
    const packet = inGtp(Uint8Array.of(0x45));
    packet[28 + 1] = 1;
    const { datagram, decoder } = decodeOne(packet, 101);
    expect([datagram!.dstPort, datagram!.tunnelDepth]).toEqual([2152, 0]);
    expect(decoder.stats.tunnels).toBe(0);
  });

  it('stops decapsulating at the depth bound and delivers the datagram reached', () => {
    let packet = buildIpv4Udp(teredoLikeSpec());
    for (let i = 0; i < MAX_TUNNEL_DEPTH + 3; i++) packet = inGtp(packet);
    const { datagram, decoder } = decodeOne(packet, 101);
    expect(datagram!.tunnelDepth).toBe(MAX_TUNNEL_DEPTH);
    expect(datagram!.dstPort).toBe(2152);
    expect(decoder.stats.tunnels).toBe(MAX_TUNNEL_DEPTH);
  });

  it('follows a snaplen-cut tunnel as far as the bytes go', () => {
    const spec = teredoLikeSpec();
    const packet = inGtp(buildIpv4Udp(spec));
    const cut = packet.slice(0, packet.length - 10);
    const { datagram } = decodeOne(cut, 101, { originalLength: packet.length });
    expect(datagram!.tunnelDepth).toBe(1);
    expect(datagram!.payloadLength).toBe(spec.payload.length - 10);
  });
});
