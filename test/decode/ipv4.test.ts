import { describe, expect, it } from 'vitest';
import { decodeIpv4, Ipv4Header } from '../../src/decode/ipv4.js';
import { LayerCursor } from '../../src/decode/layer-cursor.js';
import { buildIpv4Udp } from '../../src/synth/frame-builder.js';
import { CLIENT, decodeOne, payloadOf, SERVER, teredoLikeSpec } from './support/frames.js';

function parse(packet: Uint8Array, truncated = false, end = packet.length): { ok: boolean; header: Ipv4Header; cursor: LayerCursor } {
  const cursor = new LayerCursor();
  cursor.reset(packet, 0, end, truncated);
  const header = new Ipv4Header();
  return { ok: decodeIpv4(cursor, header), header, cursor };
}

function setTotalLength(packet: Uint8Array, length: number): void {
  packet[2] = length >> 8;
  packet[3] = length & 0xff;
}

describe('IPv4 analyzer', () => {
  it('reads addresses, TTL, protocol, id and moves the cursor to the payload', () => {
    const packet = buildIpv4Udp(teredoLikeSpec({ ttl: 21, id: 0xbeef }));
    const { ok, header, cursor } = parse(packet);
    expect(ok).toBe(true);
    expect(header).toMatchObject({ srcIp: CLIENT, dstIp: SERVER, ttl: 21, id: 0xbeef, protocol: 17, headerLength: 20, isFragment: false });
    expect([cursor.offset, cursor.end, header.payloadLength]).toEqual([20, packet.length, packet.length - 20]);
  });

  it('skips options using the IHL', () => {
    // Record Route (7, 11 bytes) + NOP: 12 bytes of options → IHL 8.
    const options = Uint8Array.of(7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    const spec = teredoLikeSpec({ options });
    const packet = buildIpv4Udp(spec);
    expect(packet[0]).toBe(0x48);
    const { header } = parse(packet);
    expect(header.headerLength).toBe(32);
    const { datagram } = decodeOne(packet, 101);
    expect(datagram!.payloadOffset).toBe(32 + 8);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
  });

  it('pads options that are not a multiple of 4', () => {
    const packet = buildIpv4Udp(teredoLikeSpec({ options: Uint8Array.of(1, 1, 1) }));
    expect(parse(packet).header.headerLength).toBe(24);
  });

  it.each([
    ['shorter than 20 bytes', (p: Uint8Array) => p.subarray(0, 19)],
    ['version 5', (p: Uint8Array) => ((p[0] = 0x55), p)],
    ['IHL 4', (p: Uint8Array) => ((p[0] = 0x44), p)],
    ['IHL beyond the captured bytes', (p: Uint8Array) => ((p[0] = 0x4f), p.subarray(0, 40))],
    ['total length shorter than the header', (p: Uint8Array) => (setTotalLength(p, 19), p)],
    ['total length longer than the frame (not cut by snaplen)', (p: Uint8Array) => (setTotalLength(p, p.length + 1), p)],
  ])('rejects %s', (_name, damage) => {
    const packet = damage(buildIpv4Udp(teredoLikeSpec()));
    expect(parse(packet).ok).toBe(false);
    const { datagram, decoder } = decodeOne(packet, 101);
    expect(datagram).toBeNull();
    expect(decoder.stats.malformed).toBe(1);
  });

  it('believes a total length past the frame when the capture was cut by snaplen', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    const { ok, header, cursor } = parse(packet, true, 40);
    expect(ok).toBe(true);
    expect(header.payloadLength).toBe(packet.length - 20);
    expect(cursor.end).toBe(40);
  });

  it('reads total length 0 on an unfragmented packet as a TSO capture of the whole frame', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    setTotalLength(packet, 0);
    const { datagram } = decodeOne(packet, 101);
    expect(datagram!.payloadLength).toBe(48);
  });

  it('stops the payload at the total length, leaving trailers out', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    const withTrailer = new Uint8Array(packet.length + 6);
    withTrailer.set(packet);
    expect(parse(withTrailer).cursor.end).toBe(packet.length);
  });

  it('reads fragment flags and offsets', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    packet[6] = 0x20 | 0x01;
    packet[7] = 0x02; // MF, offset 0x102 * 8
    const { header } = parse(packet);
    expect(header).toMatchObject({ moreFragments: true, fragmentOffset: 0x102 * 8, isFragment: true });
  });

  it('counts non-UDP IPv4 as other', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    packet[9] = 6;
    const { datagram, decoder } = decodeOne(packet, 101);
    expect(datagram).toBeNull();
    expect(decoder.stats).toMatchObject({ ipv4: 1, other: 1, udp: 0, malformed: 0 });
  });
});
