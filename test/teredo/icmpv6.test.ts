import { describe, expect, it } from 'vitest';
import { formatIpv6, parseIpv6 } from '../../src/decode/ip-address.js';
import { bytesHex, hexBytes } from '../../src/synth/teredo-hex.js';
import { echo, icmpv6Message, ndOption, neighborMessage, routerAdvertisement, routerSolicitation } from '../../src/synth/teredo-payload.js';
import { icmpv6Kind, parseIcmpv6 } from '../../src/teredo/icmpv6.js';
import { ipv6UpperLayerChecksum } from '../../src/teredo/ipv6-checksum.js';
import type { Anomaly } from '../../src/teredo/packet.js';
import { realBytes, WIRESHARK_RA, WIRESHARK_RS, BWP_ECHO_REQUEST } from './support/real-payloads.js';

const A = parseIpv6('2001:0:4137:9e50:8000:f12a:b9c8:2815')!;
const B = parseIpv6('2001:4860:0:2001::68')!;

/** Parses the ICMPv6 message of a payload whose IPv6 header starts at `ipv6`. */
function parse(bytes: Uint8Array, ipv6 = 0) {
  const anomalies: Anomaly[] = [];
  const summary = parseIcmpv6(bytes, ipv6 + 40, bytes.length, anomalies);
  return { summary, anomalies };
}

describe('parseIcmpv6', () => {
  it('reads the RS of wireshark-teredo frame 6 with its source link-layer option', () => {
    const { summary, anomalies } = parse(realBytes(WIRESHARK_RS), 13);
    expect(anomalies).toEqual([]);
    expect(summary).toMatchObject({ type: 133, code: 0, checksum: 0xa91d, echo: null, routerAdvertisement: null, target: null });
    expect(bytesHex(summary!.sourceLinkLayer!)).toBe('0000000000008000f12ab9c82815');
  });

  it('reads the RA of wireshark-teredo frame 7: timers and one PIO, no MTU', () => {
    const { summary, anomalies } = parse(realBytes(WIRESHARK_RA), 21);
    expect(anomalies).toEqual([]);
    expect(summary!.checksum).toBe(0x1f57);
    const ra = summary!.routerAdvertisement!;
    expect(ra).toMatchObject({ curHopLimit: 0, flags: 0, routerLifetime: 0, reachableTime: 0, retransTimer: 2000, mtu: null });
    expect(ra.prefixes).toHaveLength(1);
    expect(ra.prefixes[0]).toMatchObject({ prefixLength: 64, flags: 0x40, validLifetime: 0xffffffff, preferredLifetime: 0xffffffff });
    expect(formatIpv6(ra.prefixes[0].prefix)).toBe('2001:0:4137:9e50::');
  });

  it('reads an MTU option and skips unknown options by their length', () => {
    const extra = ndOption(25, new Uint8Array(22));
    const bytes = routerAdvertisement({ src: A, dst: B, prefix: new Uint8Array(16), mtu: 1280, routerLifetime: 1800, extraOptions: extra });
    const { summary, anomalies } = parse(bytes);
    expect(anomalies).toEqual([]);
    expect(summary!.routerAdvertisement).toMatchObject({ mtu: 1280, routerLifetime: 1800 });
    expect(summary!.routerAdvertisement!.prefixes).toHaveLength(1);
  });

  it('keeps several PIOs (an invalid RA for Teredo, but the analyzer must see it)', () => {
    const second = new Uint8Array(32);
    second.set([3, 4, 48, 0xc0], 0);
    const { summary } = parse(routerAdvertisement({ src: A, dst: B, prefix: new Uint8Array(8), extraOptions: second }));
    expect(summary!.routerAdvertisement!.prefixes.map((p) => p.prefixLength)).toEqual([64, 48]);
  });

  it('reports a zero-length option and stops walking', () => {
    const bytes = routerSolicitation({ src: A, sourceLinkLayer: new Uint8Array(6) });
    bytes[40 + 9] = 0;
    const { summary, anomalies } = parse(bytes);
    expect(summary!.type).toBe(133);
    expect(summary!.sourceLinkLayer).toBeNull();
    expect(anomalies).toEqual([{ kind: 'bad-icmpv6', message: 'ICMPv6 option type 1 with length 0' }]);
  });

  it('reports an option running past the message', () => {
    const bytes = routerSolicitation({ src: A, sourceLinkLayer: new Uint8Array(6) });
    bytes[40 + 9] = 3;
    expect(parse(bytes).anomalies[0].message).toBe('ICMPv6 option type 1 needs 24 bytes, 8 left');
    expect(parse(bytes.subarray(0, bytes.length - 7)).anomalies[0].message).toBe('ICMPv6 option truncated at byte 0 of the options');
  });

  it('reports a PIO or MTU option of the wrong size and ignores it', () => {
    const badPio = Uint8Array.of(3, 1, 64, 0, 0, 0, 0, 0);
    const badMtu = ndOption(5, new Uint8Array(12));
    const { summary, anomalies } = parse(routerAdvertisement({ src: A, dst: B, prefix: new Uint8Array(8), extraOptions: Uint8Array.from([...badPio, ...badMtu]) }));
    expect(summary!.routerAdvertisement!.prefixes).toHaveLength(1);
    expect(summary!.routerAdvertisement!.mtu).toBeNull();
    expect(anomalies.map((a) => a.message)).toEqual(['Prefix Information option of 8 bytes (must be 32)', 'MTU option of 16 bytes (must be 8)']);
  });

  it('reads NS and NA targets and the NS source link-layer option', () => {
    const ns = parse(neighborMessage({ advertisement: false, src: A, dst: B, target: B, linkLayer: hexBytes('020000000001') }));
    expect(ns.anomalies).toEqual([]);
    expect(formatIpv6(ns.summary!.target!)).toBe('2001:4860:0:2001::68');
    expect(bytesHex(ns.summary!.sourceLinkLayer!)).toBe('020000000001');
    const na = parse(neighborMessage({ advertisement: true, flags: 0x60, src: B, dst: A, target: A, linkLayer: hexBytes('020000000002') }));
    expect(na.summary!.type).toBe(136);
    expect(formatIpv6(na.summary!.target!)).toBe('2001:0:4137:9e50:8000:f12a:b9c8:2815');
    // Target link-layer (type 2) is not a source link-layer address.
    expect(na.summary!.sourceLinkLayer).toBeNull();
  });

  it('reads echo identifier, sequence and data (bubble-with-payload frame 4)', () => {
    const { summary } = parse(realBytes(BWP_ECHO_REQUEST));
    expect(summary!.echo).toMatchObject({ identifier: 0xd373, sequence: 0xb69b });
    expect(bytesHex(summary!.echo!.data)).toBe('53aa0126');
    const empty = parse(echo({ request: false, src: A, dst: B, identifier: 1, sequence: 2 })).summary!;
    expect(empty.echo!.data.length).toBe(0);
  });

  it('flags messages too short for their type or with a non-zero code', () => {
    const short = parse(icmpv6Message({ src: A, dst: B, type: 134, body: new Uint8Array(4) }));
    expect(short.summary!.routerAdvertisement).toBeNull();
    expect(short.anomalies[0].message).toBe('ICMPv6 type 134 needs 16 bytes, 8 present');
    const coded = parse(icmpv6Message({ src: A, dst: B, type: 128, code: 1, body: new Uint8Array(4) }));
    expect(coded.anomalies[0].message).toBe('ICMPv6 type 128 with code 1 (must be 0)');
    const tiny = parseIcmpv6(Uint8Array.of(128, 0, 0), 0, 3, []);
    expect(tiny).toBeNull();
  });

  it('returns other types with only the common fields', () => {
    const { summary, anomalies } = parse(icmpv6Message({ src: A, dst: B, type: 1, code: 3, body: new Uint8Array(4) }));
    expect(anomalies).toEqual([]);
    expect(summary).toMatchObject({ type: 1, code: 3, echo: null, target: null, routerAdvertisement: null });
  });

  it('maps types to packet kinds', () => {
    expect([133, 134, 135, 136, 128, 129, 1, 143].map(icmpv6Kind)).toEqual([
      'router-solicitation',
      'router-advertisement',
      'neighbor-solicitation',
      'neighbor-advertisement',
      'echo-request',
      'echo-reply',
      'data',
      'data',
    ]);
  });
});

describe('ipv6UpperLayerChecksum', () => {
  it('computes the checksums real Teredo nodes sent', () => {
    const rs = realBytes(WIRESHARK_RS);
    expect(ipv6UpperLayerChecksum(rs, 13, 58, 53, rs.length - 53, 55)).toBe(0xa91d);
    const ra = realBytes(WIRESHARK_RA);
    expect(ipv6UpperLayerChecksum(ra, 21, 58, 61, ra.length - 61, 63)).toBe(0x1f57);
  });

  it('pads an odd final byte with zero', () => {
    const bytes = echo({ request: true, src: A, dst: B, identifier: 7, sequence: 9, data: Uint8Array.of(0xab, 0xcd, 0xef) });
    const field = (bytes[42] << 8) | bytes[43];
    expect(ipv6UpperLayerChecksum(bytes, 0, 58, 40, bytes.length - 40, 42)).toBe(field);
    bytes[bytes.length - 1] ^= 1;
    expect(ipv6UpperLayerChecksum(bytes, 0, 58, 40, bytes.length - 40, 42)).not.toBe(field);
  });
});
