import { describe, expect, it } from 'vitest';
import { formatIpv6, parseIpv6 } from '../../src/decode/ip-address.js';
import { ipv6Packet } from '../../src/synth/teredo-ipv6.js';
import { ipv6NextHeader, ipv6PayloadLength, ipv6Version, readIpv6Header } from '../../src/teredo/ipv6-header.js';
import { realBytes, SNORT_TCP, WIRESHARK_RA } from './support/real-payloads.js';

describe('IPv6 header', () => {
  it('reads the RA header of wireshark-teredo frame 7 at offset 21', () => {
    const bytes = realBytes(WIRESHARK_RA);
    expect(ipv6Version(bytes, 21)).toBe(6);
    expect(ipv6PayloadLength(bytes, 21)).toBe(48);
    expect(ipv6NextHeader(bytes, 21)).toBe(58);
    const header = readIpv6Header(bytes, 21);
    expect(header).toMatchObject({ trafficClass: 0, flowLabel: 0, payloadLength: 48, nextHeader: 58, hopLimit: 255 });
    expect(formatIpv6(header.src)).toBe('fe80::8000:f227:bec8:61af');
    expect(formatIpv6(header.dst)).toBe('fe80::8000:ffff:ffff:fffd');
  });

  it('reads the flow label of the Snort TCP packet', () => {
    const header = readIpv6Header(realBytes(SNORT_TCP), 0);
    expect(header).toMatchObject({ flowLabel: 1, payloadLength: 20, nextHeader: 6, hopLimit: 64 });
    expect(formatIpv6(header.src)).toBe('2001::ffff:a01:205');
  });

  it('splits traffic class and flow label across their nibbles', () => {
    const a = parseIpv6('2001::1')!;
    const header = readIpv6Header(ipv6Packet({ src: a, dst: a, protocol: 59, trafficClass: 0xb8, flowLabel: 0xabcde }), 0);
    expect(header.trafficClass).toBe(0xb8);
    expect(header.flowLabel).toBe(0xabcde);
  });

  it('owns copies of the addresses', () => {
    const bytes = realBytes(WIRESHARK_RA);
    const header = readIpv6Header(bytes, 21);
    bytes.fill(0);
    expect(formatIpv6(header.src)).toBe('fe80::8000:f227:bec8:61af');
    expect(header.src.buffer).not.toBe(bytes.buffer);
  });
});
