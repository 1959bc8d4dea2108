import { describe, expect, it } from 'vitest';
import { buildGtpU, buildIpv4Udp, encapsulate, fragmentIpv4 } from '../../src/synth/frame-builder.js';
import type { Ipv4UdpSpec } from '../../src/synth/frame-builder.js';

/** One's-complement sum of 16-bit words, folded: 0xffff for data whose checksum is right. */
function foldedSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

const spec: Ipv4UdpSpec = {
  srcIp: 0xc0a80210,
  dstIp: 0x41379e50,
  srcPort: 3797,
  dstPort: 3544,
  payload: Uint8Array.from({ length: 1001 }, (_, i) => (i * 13) & 0xff),
  ttl: 21,
  id: 0xabcd,
};

describe('buildIpv4Udp', () => {
  it('writes a valid IPv4 header and a valid UDP checksum', () => {
    const packet = buildIpv4Udp(spec);
    expect(packet.length).toBe(20 + 8 + 1001);
    expect([packet[0], u16(packet, 2), u16(packet, 4), u16(packet, 6), packet[8], packet[9]]).toEqual([0x45, packet.length, 0xabcd, 0, 21, 17]);
    expect(foldedSum(packet.subarray(0, 20))).toBe(0xffff);
    const udp = packet.subarray(20);
    expect([u16(udp, 0), u16(udp, 2), u16(udp, 4)]).toEqual([3797, 3544, udp.length]);
    const pseudo = (spec.srcIp >>> 16) + (spec.srcIp & 0xffff) + (spec.dstIp >>> 16) + (spec.dstIp & 0xffff) + 17 + udp.length;
    expect(foldedSum(udp, pseudo)).toBe(0xffff);
    expect(u16(udp, 6)).not.toBe(0);
    expect(udp.subarray(8)).toEqual(spec.payload);
  });

  it('uses TTL 64 and id 0 by default, and pads options', () => {
    const packet = buildIpv4Udp({ ...spec, ttl: undefined, id: undefined, options: Uint8Array.of(0x94, 4, 0, 0, 1) });
    expect([packet[0], packet[8], u16(packet, 4)]).toEqual([0x47, 64, 0]);
    expect(Array.from(packet.subarray(20, 28))).toEqual([0x94, 4, 0, 0, 1, 0, 0, 0]);
    expect(foldedSum(packet.subarray(0, 28))).toBe(0xffff);
  });

  it('refuses packets past 65535 bytes and options past 40 bytes', () => {
    expect(() => buildIpv4Udp({ ...spec, payload: new Uint8Array(65535 - 28 + 1) })).toThrow(RangeError);
    expect(() => buildIpv4Udp({ ...spec, options: new Uint8Array(41) })).toThrow(RangeError);
  });
});

describe('fragmentIpv4', () => {
  it('splits the payload at multiples of 8 with MF on all but the last, valid checksums each', () => {
    const packet = buildIpv4Udp(spec);
    const fragments = fragmentIpv4(packet, 400);
    expect(fragments.map((f) => f.length - 20)).toEqual([400, 400, 209]);
    expect(fragments.map((f) => u16(f, 6))).toEqual([0x2000, 0x2000 | 50, 100]);
    for (const fragment of fragments) {
      expect(u16(fragment, 2)).toBe(fragment.length);
      expect(u16(fragment, 4)).toBe(0xabcd);
      expect(foldedSum(fragment.subarray(0, 20))).toBe(0xffff);
    }
    const joined = new Uint8Array(packet.length - 20);
    fragments.forEach((fragment, i) => joined.set(fragment.subarray(20), i * 400));
    expect(joined).toEqual(packet.subarray(20));
  });

  it('copies only the options with the copied flag into later fragments', () => {
    // Router Alert (0x94, copied) then Record Route (7, not copied).
    const options = Uint8Array.of(0x94, 4, 0, 0, 7, 7, 4, 0, 0, 0, 0, 1);
    const fragments = fragmentIpv4(buildIpv4Udp({ ...spec, options }), 512);
    expect(fragments[0][0]).toBe(0x48);
    expect(Array.from(fragments[0].subarray(20, 32))).toEqual(Array.from(options));
    expect(fragments[1][0]).toBe(0x46);
    expect(Array.from(fragments[1].subarray(20, 24))).toEqual([0x94, 4, 0, 0]);
    expect(foldedSum(fragments[1].subarray(0, 24))).toBe(0xffff);
  });

  it('returns one copy when the packet fits, and rejects sizes that are not multiples of 8', () => {
    const packet = buildIpv4Udp(spec);
    const [only] = fragmentIpv4(packet, 2048);
    expect(only).toEqual(packet);
    expect(only).not.toBe(packet);
    expect(() => fragmentIpv4(packet, 100)).toThrow(RangeError);
    expect(() => fragmentIpv4(packet, 0)).toThrow(RangeError);
  });
});

describe('encapsulate', () => {
  const packet = buildIpv4Udp({ ...spec, payload: Uint8Array.of(1) });

  it('Ethernet with stacked tags', () => {
    const frame = encapsulate(packet, { linkType: 1, vlanTags: [{ tpid: 0x88a8, id: 10 }, { tpid: 0x8100, id: 4095 }] });
    expect([u16(frame, 12), u16(frame, 14), u16(frame, 16), u16(frame, 18), u16(frame, 20)]).toEqual([0x88a8, 10, 0x8100, 4095, 0x0800]);
    expect(frame.subarray(22)).toEqual(packet);
  });

  it('Linux cooked v1 and v2 put the ethertype where each version keeps it', () => {
    const v1 = encapsulate(packet, { linkType: 113 });
    expect([v1.length, u16(v1, 2), u16(v1, 14)]).toEqual([16 + packet.length, 1, 0x0800]);
    const v2 = encapsulate(packet, { linkType: 276 });
    expect([v2.length, u16(v2, 0), u16(v2, 8)]).toEqual([20 + packet.length, 0x0800, 1]);
  });

  it('NULL in either byte order, LOOP in network order, raw IP as is', () => {
    expect(Array.from(encapsulate(packet, { linkType: 0 }).subarray(0, 4))).toEqual([2, 0, 0, 0]);
    expect(Array.from(encapsulate(packet, { linkType: 0, bigEndian: true }).subarray(0, 4))).toEqual([0, 0, 0, 2]);
    expect(Array.from(encapsulate(packet, { linkType: 108 }).subarray(0, 4))).toEqual([0, 0, 0, 2]);
    for (const linkType of [12, 14, 101, 228] as const) expect(encapsulate(packet, { linkType })).toEqual(packet);
  });

  it('rejects bytes that are not an IP packet', () => {
    expect(() => encapsulate(Uint8Array.of(0x12, 0), { linkType: 1 })).toThrow(RangeError);
  });
});

describe('buildGtpU', () => {
  it('writes a minimal G-PDU header', () => {
    const message = buildGtpU(Uint8Array.of(0x45, 0, 0), 0x981137bc);
    expect(Array.from(message.subarray(0, 8))).toEqual([0x30, 0xff, 0, 3, 0x98, 0x11, 0x37, 0xbc]);
    expect(Array.from(message.subarray(8))).toEqual([0x45, 0, 0]);
  });

  it('writes sequence, N-PDU and a chain of extension headers', () => {
    const message = buildGtpU(Uint8Array.of(0x45), 1, { sequence: 0x0102, nPduNumber: 9, extensionHeaders: [{ type: 0x85, content: Uint8Array.of(0xaa, 0xbb) }, { type: 0x40, content: Uint8Array.of(1, 2, 3) }] });
    expect(message[0]).toBe(0x37);
    expect(u16(message, 2)).toBe(message.length - 8);
    expect(Array.from(message.subarray(8, 12))).toEqual([1, 2, 9, 0x85]);
    expect(Array.from(message.subarray(12, 16))).toEqual([1, 0xaa, 0xbb, 0x40]);
    expect(Array.from(message.subarray(16, 24))).toEqual([2, 1, 2, 3, 0, 0, 0, 0]);
    expect(message[24]).toBe(0x45);
  });
});
