import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketDecoder } from '../../src/decode/packet-decoder.js';
import { buildGtpU, buildIpv4Udp, encapsulate, fragmentIpv4 } from '../../src/synth/frame-builder.js';
import type { LinkEncapsulation } from '../../src/synth/frame-builder.js';
import { ipv6Packet, recordFor, teredoLikeSpec } from './support/frames.js';

const LINKS: LinkEncapsulation[] = [
  { linkType: 1 },
  { linkType: 1, vlanTags: [{ tpid: 0x88a8, id: 1 }, { tpid: 0x8100, id: 2 }] },
  { linkType: 113 },
  { linkType: 276 },
  { linkType: 101 },
  { linkType: 228 },
  { linkType: 0 },
  { linkType: 0, bigEndian: true },
  { linkType: 108 },
];

describe('PacketDecoder', () => {
  it('reuses one datagram object and points into the record buffer without copying', () => {
    const decoder = new PacketDecoder();
    const a = encapsulate(buildIpv4Udp(teredoLikeSpec({ srcPort: 1 })), { linkType: 1 });
    const b = encapsulate(buildIpv4Udp(teredoLikeSpec({ srcPort: 2 })), { linkType: 1 });
    const first = decoder.decode(recordFor(a, 1, { frame: 1, seconds: 10, nanos: 5, precision: 9 }));
    expect(first!.buffer).toBe(a);
    expect([first!.frame, first!.seconds, first!.nanos, first!.precision, first!.srcPort]).toEqual([1, 10, 5, 9, 1]);
    const second = decoder.decode(recordFor(b, 1, { frame: 2 }));
    expect(second).toBe(first);
    expect([second!.frame, second!.srcPort]).toEqual([2, 2]);
    expect(second!.buffer).toBe(b);
  });

  it('counts unsupported link types per type and goes on decoding', () => {
    const decoder = new PacketDecoder();
    const frame = buildIpv4Udp(teredoLikeSpec());
    for (const linkType of [9, 9, 147, 101]) decoder.decode(recordFor(frame, linkType));
    expect([...decoder.stats.unsupportedLinkTypes]).toEqual([
      [9, 2],
      [147, 1],
    ]);
    expect(decoder.stats).toMatchObject({ frames: 4, udp: 1, malformed: 0, other: 0 });
  });

  it('survives records whose lengths do not match their buffer', () => {
    const decoder = new PacketDecoder();
    const frame = encapsulate(buildIpv4Udp(teredoLikeSpec()), { linkType: 1 });
    expect(decoder.decode(recordFor(frame, 1, { capturedLength: frame.length + 100 }))).not.toBeNull();
    expect(decoder.decode(recordFor(frame, 1, { offset: frame.length + 5 }))).toBeNull();
    expect(decoder.decode(recordFor(frame, 1, { offset: -3 }))).toBeNull();
    expect(decoder.stats.malformed).toBe(2);
  });

  it('applies the train and byte limits', () => {
    const fragments = [1, 2, 3].map((id) => fragmentIpv4(buildIpv4Udp(teredoLikeSpec({ id, payload: new Uint8Array(100) })), 64));
    const limited = new PacketDecoder({ maxFragmentTrains: 2 });
    fragments.forEach((train, i) => limited.decode(recordFor(train[0], 101, { frame: i + 1 })));
    // Train 1 was evicted by train 3; its second fragment starts a new train, evicting train 2.
    expect(limited.decode(recordFor(fragments[0][1], 101, { frame: 4 }))).toBeNull();
    expect(limited.stats.fragmentsDropped).toBe(2);
    expect(limited.decode(recordFor(fragments[2][1], 101, { frame: 5 }))!.fragmentFrames).toEqual([3, 5]);

    const tight = new PacketDecoder({ maxReassemblyBytes: 100 });
    tight.decode(recordFor(fragments[0][0], 101));
    expect(tight.stats.fragmentsDropped).toBe(1);
  });

  it('keeps every frame in exactly one outcome', () => {
    const decoder = new PacketDecoder();
    const frames = [
      encapsulate(buildIpv4Udp(teredoLikeSpec()), { linkType: 1 }),
      encapsulate(ipv6Packet(), { linkType: 1 }),
      new Uint8Array(10),
      encapsulate(buildIpv4Udp({ srcIp: 1, dstIp: 2, srcPort: 2152, dstPort: 2152, payload: buildGtpU(ipv6Packet(), 1) }), { linkType: 1 }),
    ];
    frames.forEach((frame, i) => decoder.decode(recordFor(frame, 1, { frame: i + 1 })));
    decoder.decode(recordFor(frames[0], 42));
    const { udp, ipv6, other, malformed, unsupportedLinkTypes, frames: total } = decoder.stats;
    expect(udp + ipv6 + other + malformed + [...unsupportedLinkTypes.values()].reduce((a, b) => a + b, 0)).toBe(total);
    expect([udp, ipv6, malformed, decoder.stats.tunnels]).toEqual([1, 2, 1, 1]);
  });

  it('never throws and never points outside the buffer, whatever the bytes (fuzz)', () => {
    const linkTypes = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276];
    const decoder = new PacketDecoder({ maxFragmentTrains: 16, maxReassemblyBytes: 64 * 1024 });
    fc.assert(
      fc.property(fc.constantFrom(...linkTypes), fc.uint8Array({ maxLength: 200 }), fc.boolean(), (linkType, bytes, cut) => {
        const record = recordFor(bytes, linkType, { originalLength: bytes.length + (cut ? 100 : 0) });
        const datagram = decoder.decode(record);
        if (datagram !== null) {
          expect(datagram.payloadLength).toBeGreaterThanOrEqual(0);
          expect(datagram.payloadOffset + datagram.payloadLength).toBeLessThanOrEqual(datagram.buffer.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on valid frames with random damage (fuzz)', () => {
    const decoder = new PacketDecoder();
    const samples = LINKS.flatMap((link) => [
      encapsulate(buildIpv4Udp(teredoLikeSpec({ options: Uint8Array.of(1, 1, 1, 1) })), link),
      encapsulate(buildIpv4Udp({ srcIp: 1, dstIp: 2, srcPort: 2152, dstPort: 2152, payload: buildGtpU(buildIpv4Udp(teredoLikeSpec()), 9, { sequence: 1 }) }), link),
      ...fragmentIpv4(buildIpv4Udp(teredoLikeSpec({ payload: new Uint8Array(300) })), 128).map((fragment) => encapsulate(fragment, link)),
    ]);
    fc.assert(
      fc.property(
        fc.nat({ max: samples.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        (index, damage, cutAt) => {
          const frame = samples[index].slice();
          for (const [position, value] of damage) frame[position % frame.length] = value;
          const captured = frame.subarray(0, 1 + (cutAt % frame.length));
          const linkType = LINKS[Math.floor(index / (samples.length / LINKS.length))].linkType;
          const datagram = decoder.decode(recordFor(captured, linkType, { originalLength: frame.length }));
          if (datagram !== null) expect(datagram.payloadOffset + datagram.payloadLength).toBeLessThanOrEqual(datagram.buffer.length);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
