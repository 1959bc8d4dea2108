import { describe, expect, it } from 'vitest';
import { parseIpv6 } from '../../src/decode/ip-address.js';
import { ipv6Data } from '../../src/synth/teredo-payload.js';
import { createUpperLayerLocation, hasPorts, isExtensionHeader, locateUpperLayer, readInnerData } from '../../src/teredo/inner-data.js';
import { realBytes, SNORT_TCP } from './support/real-payloads.js';

const A = parseIpv6('2001:0:4137:9e50:8000:f12a:b9c8:2815')!;
const B = parseIpv6('2001:4860:0:2001::68')!;

function walk(packet: Uint8Array, end = packet.length) {
  const location = createUpperLayerLocation();
  const ok = locateUpperLayer(packet, 40, end, packet[6], location);
  return { ok, location, inner: readInnerData(packet, location, end) };
}

describe('locateUpperLayer and readInnerData', () => {
  it('reads the TCP ports of the Snort packet directly after the header', () => {
    const { ok, location, inner } = walk(realBytes(SNORT_TCP));
    expect(ok).toBe(true);
    expect(location).toMatchObject({ protocol: 6, offset: 40, headerPresent: true, truncated: false, extensionHeaders: 0 });
    expect(inner.data).toEqual({ protocol: 6, srcPort: 48620, dstPort: 8, length: 20 });
  });

  it('walks hop-by-hop, routing, destination options, AH and fragment headers to UDP', () => {
    const packet = ipv6Data({
      src: A,
      dst: B,
      protocol: 17,
      srcPort: 5353,
      dstPort: 53,
      payload: new Uint8Array(10),
      extensionHeaders: [{ type: 0 }, { type: 43, length: 24 }, { type: 60 }, { type: 44, moreFragments: true }],
    });
    const { location, inner } = walk(packet);
    expect(location).toMatchObject({ protocol: 17, offset: 40 + 8 + 24 + 8 + 8, extensionHeaders: 4 });
    expect(inner.data).toEqual({ protocol: 17, srcPort: 5353, dstPort: 53, length: 18 });
  });

  it('walks an authentication header by its 4-byte units', () => {
    const packet = ipv6Data({ src: A, dst: B, protocol: 6, srcPort: 1, dstPort: 2 });
    // Insert a 16-byte AH (payload length field 2 → (2 + 2) * 4 bytes) by hand.
    const ah = new Uint8Array(16);
    ah[0] = 6;
    ah[1] = 2;
    const withAh = new Uint8Array(packet.length + 16);
    withAh.set(packet.subarray(0, 40));
    withAh.set(ah, 40);
    withAh.set(packet.subarray(40), 56);
    withAh[6] = 51;
    withAh[5] += 16;
    const { location, inner } = walk(withAh);
    expect(location).toMatchObject({ protocol: 6, offset: 56 });
    expect(inner.data.srcPort).toBe(1);
  });

  it('leaves ports null for a non-first fragment', () => {
    const packet = ipv6Data({ src: A, dst: B, protocol: 17, payload: new Uint8Array(16), extensionHeaders: [{ type: 44, fragmentOffset: 1232 }] });
    const { ok, location, inner } = walk(packet);
    expect(ok).toBe(true);
    expect(location).toMatchObject({ protocol: 17, headerPresent: false, truncated: false });
    expect(inner.data).toMatchObject({ protocol: 17, srcPort: null, dstPort: null });
    expect(inner.portsTruncated).toBe(false);
  });

  it('reports an extension header that runs past the packet', () => {
    const packet = ipv6Data({ src: A, dst: B, protocol: 59, extensionHeaders: [{ type: 60, length: 16 }] });
    const { ok, location, inner } = walk(packet, packet.length - 8);
    expect(ok).toBe(false);
    expect(location).toMatchObject({ protocol: 60, truncated: true, offset: 40 });
    expect(inner.data).toMatchObject({ protocol: 60, srcPort: null, dstPort: null });
    expect(walk(packet, 44).location.truncated).toBe(true);
  });

  it('stops at a bounded number of steps on a chain of minimal headers', () => {
    const headers = Array.from({ length: 100 }, () => ({ type: 60 as const }));
    const packet = ipv6Data({ src: A, dst: B, protocol: 6, srcPort: 9, dstPort: 10, extensionHeaders: headers });
    const { location, inner } = walk(packet);
    expect(location.extensionHeaders).toBe(100);
    expect(inner.data.dstPort).toBe(10);
  });

  it('says when a header is too short to hold ports', () => {
    const packet = ipv6Data({ src: A, dst: B, protocol: 6 }).subarray(0, 42);
    packet[5] = 2;
    const { inner } = walk(packet);
    expect(inner.portsTruncated).toBe(true);
    expect(inner.data).toEqual({ protocol: 6, srcPort: null, dstPort: null, length: 2 });
  });

  it('knows which numbers are extension headers and which protocols have ports', () => {
    expect([0, 43, 44, 51, 60].every(isExtensionHeader)).toBe(true);
    expect([6, 17, 58, 59, 50].some(isExtensionHeader)).toBe(false);
    expect([6, 17, 33, 132, 136].every(hasPorts)).toBe(true);
    expect(hasPorts(58)).toBe(false);
  });
});
