import { describe, expect, it } from 'vitest';
import { decodeUdp, UdpHeader } from '../../src/decode/udp.js';
import { buildIpv4Udp } from '../../src/synth/frame-builder.js';
import { decodeOne, teredoLikeSpec } from './support/frames.js';

function setUdpLength(packet: Uint8Array, length: number): void {
  packet[24] = length >> 8;
  packet[25] = length & 0xff;
}

describe('UDP analyzer', () => {
  it('reads ports, length and the payload window', () => {
    const bytes = Uint8Array.of(0x0e, 0xd5, 0x0d, 0xd8, 0x00, 0x0b, 0x12, 0x34, 9, 8, 7);
    const header = new UdpHeader();
    expect(decodeUdp(bytes, 0, bytes.length, bytes.length, header)).toBe(true);
    expect(header).toMatchObject({ srcPort: 3797, dstPort: 3544, length: 11, payloadOffset: 8, payloadLength: 3 });
  });

  it('rejects a cut header, a length below 8 and a length beyond the IP payload', () => {
    const header = new UdpHeader();
    const bytes = Uint8Array.of(0, 1, 0, 2, 0, 8, 0, 0);
    expect(decodeUdp(bytes, 0, 7, 8, header)).toBe(false);
    bytes[5] = 7;
    expect(decodeUdp(bytes, 0, 8, 8, header)).toBe(false);
    bytes[5] = 9;
    expect(decodeUdp(bytes, 0, 8, 8, header)).toBe(false);
  });

  it('takes the UDP length, not the IP payload, when the IP packet has slack after the datagram', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    setUdpLength(packet, 8 + 10);
    const { datagram } = decodeOne(packet, 101);
    expect(datagram!.payloadLength).toBe(10);
  });

  it('counts a UDP length that lies as malformed', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    setUdpLength(packet, packet.length - 20 + 1);
    const { datagram, decoder } = decodeOne(packet, 101);
    expect(datagram).toBeNull();
    expect(decoder.stats.malformed).toBe(1);
  });

  it('clips the payload to the captured bytes when snaplen cut the frame', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    const cut = packet.slice(0, 20 + 8 + 5);
    const { datagram } = decodeOne(cut, 101, { originalLength: packet.length });
    expect(datagram!.payloadLength).toBe(5);
  });

  it('calls a frame cut inside the UDP header malformed', () => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    const { datagram, decoder } = decodeOne(packet.slice(0, 25), 101, { originalLength: packet.length });
    expect(datagram).toBeNull();
    expect(decoder.stats.malformed).toBe(1);
  });
});
