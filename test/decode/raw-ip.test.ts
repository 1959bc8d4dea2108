import { describe, expect, it } from 'vitest';
import { buildIpv4Udp, encapsulate } from '../../src/synth/frame-builder.js';
import { decodeOne, ipv6Packet, payloadOf, teredoLikeSpec } from './support/frames.js';

describe('raw IP link types', () => {
  it.each([12, 14, 101, 228] as const)('decodes UDP/IPv4 under link type %i', (linkType) => {
    const spec = teredoLikeSpec();
    const { datagram, decoder } = decodeOne(encapsulate(buildIpv4Udp(spec), { linkType }), linkType);
    expect(datagram!.payloadOffset).toBe(28);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
    expect(decoder.stats.ipv4).toBe(1);
  });

  it.each([12, 14, 101])('counts IPv6 under link type %i', (linkType) => {
    const { datagram, decoder } = decodeOne(ipv6Packet(), linkType);
    expect(datagram).toBeNull();
    expect(decoder.stats.ipv6).toBe(1);
  });

  it('takes link type 228 as IPv4 only: an IPv6 packet there is a malformed IPv4 header', () => {
    const { datagram, decoder } = decodeOne(ipv6Packet(), 228);
    expect(datagram).toBeNull();
    expect(decoder.stats).toMatchObject({ ipv4: 1, ipv6: 0, malformed: 1 });
  });

  it('counts IPv6 under LINKTYPE_IPV6 (229)', () => {
    expect(decodeOne(ipv6Packet(), 229).decoder.stats.ipv6).toBe(1);
  });

  it('calls an unknown IP version or an empty frame malformed', () => {
    const bad = buildIpv4Udp(teredoLikeSpec());
    bad[0] = 0x55;
    expect(decodeOne(bad, 101).decoder.stats.malformed).toBe(1);
    expect(decodeOne(new Uint8Array(0), 101).decoder.stats.malformed).toBe(1);
  });

  it('refuses to wrap IPv6 as LINKTYPE_IPV4', () => {
    expect(() => encapsulate(ipv6Packet(), { linkType: 228 })).toThrow(RangeError);
  });
});
