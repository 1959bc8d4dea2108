import { describe, expect, it } from 'vitest';
import { decodeBsdLoop, decodeBsdNull } from '../../src/decode/bsd-loopback.js';
import { LayerCursor } from '../../src/decode/layer-cursor.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, NEXT_MALFORMED, NEXT_UNKNOWN } from '../../src/decode/next-layer.js';
import { encapsulate } from '../../src/synth/frame-builder.js';
import { decodeOne, framed, ipv6Packet, payloadOf, teredoLikeSpec } from './support/frames.js';

function analyze(analyzer: (cursor: LayerCursor) => number, header: number[]): number {
  const cursor = new LayerCursor();
  const bytes = Uint8Array.from(header);
  cursor.reset(bytes, 0, bytes.length, false);
  return analyzer(cursor);
}

describe('BSD loopback NULL (0)', () => {
  it.each([false, true])('decodes UDP/IPv4 with the family in either byte order (big endian: %s)', (bigEndian) => {
    const spec = teredoLikeSpec();
    const frame = framed(spec, { linkType: 0, bigEndian });
    expect(Array.from(frame.subarray(0, 4))).toEqual(bigEndian ? [0, 0, 0, 2] : [2, 0, 0, 0]);
    const { datagram } = decodeOne(frame, 0);
    expect(datagram!.payloadOffset).toBe(4 + 28);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
  });

  it('recognises the BSD, FreeBSD and Darwin IPv6 families in both orders', () => {
    for (const family of [24, 28, 30]) {
      expect(analyze(decodeBsdNull, [family, 0, 0, 0])).toBe(ETHERTYPE_IPV6);
      expect(analyze(decodeBsdNull, [0, 0, 0, family])).toBe(ETHERTYPE_IPV6);
    }
    expect(decodeOne(encapsulate(ipv6Packet(), { linkType: 0 }), 0).decoder.stats.ipv6).toBe(1);
  });

  it('reports other families as unknown and a cut header as malformed', () => {
    expect(analyze(decodeBsdNull, [7, 0, 0, 0])).toBe(NEXT_UNKNOWN);
    expect(analyze(decodeBsdNull, [2, 0, 0])).toBe(NEXT_MALFORMED);
  });
});

describe('OpenBSD loopback LOOP (108)', () => {
  it('decodes UDP/IPv4 with the family in network order', () => {
    const spec = teredoLikeSpec();
    const frame = framed(spec, { linkType: 108 });
    expect(Array.from(frame.subarray(0, 4))).toEqual([0, 0, 0, 2]);
    expect(payloadOf(decodeOne(frame, 108).datagram!)).toEqual(spec.payload);
  });

  it('does not accept the host-order family that NULL would', () => {
    expect(analyze(decodeBsdLoop, [0, 0, 0, 2])).toBe(ETHERTYPE_IPV4);
    expect(analyze(decodeBsdLoop, [2, 0, 0, 0])).toBe(NEXT_UNKNOWN);
    expect(analyze(decodeBsdLoop, [0, 0, 0, 24])).toBe(ETHERTYPE_IPV6);
  });
});
