import { describe, expect, it } from 'vitest';
import { parseIpv4, parseIpv6 } from '../../src/decode/ip-address.js';
import { bytesHex, hexBytes } from '../../src/synth/teredo-hex.js';
import { concatBytes, ipv6Packet } from '../../src/synth/teredo-ipv6.js';
import {
  authenticationElement,
  bubble,
  echo,
  icmpv6Message,
  ipv6Data,
  ndOption,
  neighborMessage,
  originIndicationElement,
  routerAdvertisement,
  routerSolicitation,
  teredoPayload,
} from '../../src/synth/teredo-payload.js';
import { alternateAddressTrailer, nonceTrailer, randomPortTrailer, teredoTrailers } from '../../src/synth/teredo-trailers.js';
import {
  BWP_ECHO_REPLY,
  BWP_ECHO_REQUEST,
  GTP_BUBBLE_WITH_TRAILERS,
  GTP_RS_NO_OPTIONS,
  WIRESHARK_BUBBLE_TO_RELAY,
  WIRESHARK_RA,
  WIRESHARK_RS,
} from '../teredo/support/real-payloads.js';

const ip = (text: string): Uint8Array => parseIpv6(text)!;
const CLIENT = ip('2001:0:4137:9e50:8000:f12a:b9c8:2815');
const NATIVE = ip('2001:4860:0:2001::68');

/** Independent one's-complement sum over pseudo-header + upper layer: 0xffff when the checksum is right. */
function pseudoHeaderSum(ipv6: Uint8Array, upperOffset: number, protocol: number): number {
  const length = ipv6.length - upperOffset;
  const words: number[] = [];
  for (let i = 8; i < 40; i += 2) words.push((ipv6[i] << 8) | ipv6[i + 1]);
  words.push(length >>> 16, length & 0xffff, protocol);
  for (let i = upperOffset; i < ipv6.length; i += 2) words.push((ipv6[i] << 8) | (ipv6[i + 1] ?? 0));
  let sum = words.reduce((a, b) => a + b, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

describe('Teredo payload builders reproduce real packets byte for byte', () => {
  it('Router Solicitation with auth and source link-layer option (wireshark-teredo frame 6)', () => {
    const payload = routerSolicitation({
      cone: true,
      auth: { nonce: hexBytes('cd5669400b22df88') },
      sourceLinkLayer: hexBytes('0000000000008000f12ab9c82815'),
    });
    expect(bytesHex(payload)).toBe(WIRESHARK_RS.hex);
  });

  it('Router Solicitation without options, cone bit clear (zeek-gtp-teredo frame 6)', () => {
    expect(bytesHex(routerSolicitation({ cone: false, auth: { nonce: hexBytes('b4335666cce71d74') } }))).toBe(GTP_RS_NO_OPTIONS.hex);
  });

  it('Router Advertisement with auth, origin and one PIO (wireshark-teredo frame 7)', () => {
    const payload = routerAdvertisement({
      src: ip('fe80::8000:f227:bec8:61af'),
      dst: ip('fe80::8000:ffff:ffff:fffd'),
      prefix: hexBytes('2001000041379e50'),
      auth: { nonce: hexBytes('cd5669400b22df88') },
      origin: { address: parseIpv4('70.55.215.234')!, port: 3797 },
    });
    expect(bytesHex(payload)).toBe(WIRESHARK_RA.hex);
  });

  it('bubble (wireshark-teredo frame 29) and bubble with RFC 6081 trailers (zeek-gtp-teredo frame 1)', () => {
    expect(bytesHex(bubble({ src: CLIENT, dst: NATIVE }))).toBe(WIRESHARK_BUBBLE_TO_RELAY.hex);
    const trailers = teredoTrailers(
      nonceTrailer(hexBytes('77a05e76')),
      alternateAddressTrailer([{ address: parseIpv4('172.24.204.200')!, port: 56528 }]),
      randomPortTrailer(57208),
    );
    const withTrailers = bubble({ src: ip('2001:0:5ef5:79fd:3ca5:6ae6:2b37:be97'), dst: ip('2001:0:4137:9e76:201a:3f51:3afd:573e'), trailers });
    expect(bytesHex(withTrailers)).toBe(GTP_BUBBLE_WITH_TRAILERS.hex);
  });

  it('echo request and reply of the connectivity test (zeek-teredo-bubble-with-payload frames 4 and 7)', () => {
    const common = { identifier: 0xd373, sequence: 0xb69b, data: hexBytes('53aa0126') };
    expect(bytesHex(echo({ ...common, request: true, src: CLIENT, dst: NATIVE }))).toBe(BWP_ECHO_REQUEST.hex);
    expect(bytesHex(echo({ ...common, request: false, src: NATIVE, dst: CLIENT, hopLimit: 58 }))).toBe(BWP_ECHO_REPLY.hex);
  });
});

describe('envelope elements', () => {
  it('encodes the RFC 4380 origin indication example (1.2.3.4 port 337)', () => {
    expect(bytesHex(originIndicationElement({ address: parseIpv4('1.2.3.4')!, port: 337 }))).toBe('0000feaefefdfcfb');
  });

  it('encodes an authentication element with client id, auth value and confirmation', () => {
    const element = authenticationElement({ nonce: hexBytes('0102030405060708'), clientId: hexBytes('aabb'), authValue: hexBytes('ccddee'), confirmation: 1 });
    expect(bytesHex(element)).toBe('00010203aabbccddee010203040506070801');
  });

  it('rejects what it cannot encode', () => {
    expect(() => authenticationElement({ nonce: new Uint8Array(7) })).toThrow(RangeError);
    expect(() => authenticationElement({ nonce: new Uint8Array(8), confirmation: 256 })).toThrow(RangeError);
    expect(() => authenticationElement({ nonce: new Uint8Array(8), clientId: new Uint8Array(256) })).toThrow(RangeError);
    expect(() => routerAdvertisement({ src: CLIENT, dst: CLIENT, prefix: new Uint8Array(4) })).toThrow(RangeError);
    expect(() => bubble({ src: new Uint8Array(4), dst: CLIENT })).toThrow(RangeError);
    expect(() => nonceTrailer(new Uint8Array(8))).toThrow(RangeError);
  });

  it('orders auth, origin, IPv6, trailers', () => {
    const ipv6 = ipv6Packet({ src: CLIENT, dst: NATIVE, protocol: 59 });
    const payload = teredoPayload(ipv6, { auth: { nonce: new Uint8Array(8) }, origin: { address: 1, port: 2 }, trailers: Uint8Array.of(5, 2, 0, 1) });
    expect(payload.length).toBe(13 + 8 + 40 + 4);
    expect(bytesHex(payload.subarray(0, 2))).toBe('0001');
    expect(bytesHex(payload.subarray(13, 15))).toBe('0000');
    expect(payload[21] >> 4).toBe(6);
    expect(bytesHex(payload.subarray(61))).toBe('05020001');
  });
});

describe('checksums and layouts', () => {
  it('gives ICMPv6, TCP and UDP valid pseudo-header checksums', () => {
    const ra = routerAdvertisement({ src: ip('fe80::8000:f227:bec8:61af'), dst: CLIENT, prefix: hexBytes('2001000041379e50'), mtu: 1280 });
    expect(pseudoHeaderSum(ra, 40, 58)).toBe(0xffff);
    const tcp = ipv6Data({ src: CLIENT, dst: NATIVE, protocol: 6, srcPort: 1024, dstPort: 80, payload: new TextEncoder().encode('GET / HTTP/1.1\r\n') });
    expect(pseudoHeaderSum(tcp, 40, 6)).toBe(0xffff);
    const udp = ipv6Data({ src: CLIENT, dst: NATIVE, protocol: 17, srcPort: 53, dstPort: 5353, payload: Uint8Array.of(1, 2, 3) });
    expect(pseudoHeaderSum(udp, 40, 17)).toBe(0xffff);
    const ns = neighborMessage({ advertisement: false, src: CLIENT, dst: NATIVE, target: NATIVE, linkLayer: hexBytes('020000000001') });
    expect(pseudoHeaderSum(ns, 40, 58)).toBe(0xffff);
  });

  it('adds an MTU option and extra options to an RA', () => {
    const ra = routerAdvertisement({ src: CLIENT, dst: CLIENT, prefix: new Uint8Array(16), mtu: 1280, extraOptions: ndOption(25, new Uint8Array(6)) });
    expect(ra.length).toBe(40 + 16 + 32 + 8 + 8);
    expect(bytesHex(ra.subarray(40 + 48, 40 + 56))).toBe('0501000000000500');
  });

  it('pads ND options to 8-byte units', () => {
    expect(bytesHex(ndOption(1, hexBytes('020000000001')))).toBe('0101020000000001');
    expect(ndOption(1, new Uint8Array(7)).length).toBe(16);
  });

  it('places extension headers before the upper layer and chains Next Header', () => {
    const packet = ipv6Data({
      src: CLIENT,
      dst: NATIVE,
      protocol: 17,
      srcPort: 7,
      dstPort: 9,
      extensionHeaders: [{ type: 0 }, { type: 60, length: 16 }, { type: 44 }],
    });
    expect(packet[6]).toBe(0);
    expect(packet[40]).toBe(60);
    expect(packet[48]).toBe(44);
    expect(packet[49]).toBe(1);
    expect(packet[64]).toBe(17);
    expect((packet[4] << 8) | packet[5]).toBe(8 + 16 + 8 + 8);
    // The pseudo-header covers the upper layer only: check it with the extension headers cut out.
    expect(pseudoHeaderSum(concatBytes(packet.subarray(0, 40), packet.subarray(72)), 40, 17)).toBe(0xffff);
  });

  it('builds generic ICMPv6 messages with hop limit 255 by default', () => {
    const message = icmpv6Message({ src: CLIENT, dst: NATIVE, type: 1, code: 4, body: new Uint8Array(4) });
    expect(message[7]).toBe(255);
    expect(message[40]).toBe(1);
    expect(message[41]).toBe(4);
    expect(pseudoHeaderSum(message, 40, 58)).toBe(0xffff);
  });
});
