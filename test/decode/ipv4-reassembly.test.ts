import { describe, expect, it } from 'vitest';
import type { UdpDatagram } from '../../src/decode/datagram.js';
import { FRAGMENT_OVERHEAD_BYTES, Ipv4Reassembler, TRAIN_OVERHEAD_BYTES } from '../../src/decode/ipv4-reassembly.js';
import { decodeIpv4, Ipv4Header } from '../../src/decode/ipv4.js';
import { LayerCursor } from '../../src/decode/layer-cursor.js';
import { PacketDecoder } from '../../src/decode/packet-decoder.js';
import { buildGtpU, buildIpv4Udp, encapsulate, fragmentIpv4 } from '../../src/synth/frame-builder.js';
import { payloadOf, recordFor, teredoLikeSpec } from './support/frames.js';

const bigPayload = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31 + 1) & 0xff);

/** Feeds packets (raw IPv4) as frames 1.. at times `times[i]` (default i * 0.001 s). */
function feed(decoder: PacketDecoder, packets: Uint8Array[], frames?: number[], times?: number[]): (UdpDatagram | null)[] {
  return packets.map((packet, i) => {
    const seconds = times?.[i] ?? i * 0.001;
    const result = decoder.decode(recordFor(encapsulate(packet, { linkType: 1 }), 1, { frame: frames?.[i] ?? i + 1, seconds: Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) }));
    return result === null ? null : { ...result, fragmentFrames: [...result.fragmentFrames] };
  });
}

function bigPacket(id = 0x4242): Uint8Array {
  return buildIpv4Udp(teredoLikeSpec({ payload: bigPayload, id }));
}

describe('IPv4 fragment reassembly through PacketDecoder', () => {
  it('rebuilds fragments that arrive in order', () => {
    const fragments = fragmentIpv4(bigPacket(), 1000);
    expect(fragments).toHaveLength(4);
    const decoder = new PacketDecoder();
    const results = feed(decoder, fragments, [3, 5, 8, 9]);
    expect(results.slice(0, 3)).toEqual([null, null, null]);
    const datagram = results[3]!;
    expect(datagram.frame).toBe(9);
    expect(datagram.fragmentFrames).toEqual([3, 5, 8, 9]);
    expect([datagram.srcPort, datagram.dstPort]).toEqual([3797, 3544]);
    expect(payloadOf(datagram)).toEqual(bigPayload);
    expect(decoder.stats).toMatchObject({ fragments: 4, reassembled: 1, fragmentsDropped: 0, udp: 1 });
  });

  it('rebuilds fragments that arrive out of order, delivered at the completing frame', () => {
    const [a, b, c, d] = fragmentIpv4(bigPacket(), 1000);
    const decoder = new PacketDecoder();
    const results = feed(decoder, [d, b, a, c]);
    expect(results.slice(0, 3)).toEqual([null, null, null]);
    expect(results[3]!.frame).toBe(4);
    expect(results[3]!.fragmentFrames).toEqual([1, 2, 3, 4]);
    expect(payloadOf(results[3]!)).toEqual(bigPayload);
  });

  it('keeps trains apart by id and source, and interleaves them', () => {
    const first = fragmentIpv4(bigPacket(1), 1496);
    const second = fragmentIpv4(bigPacket(2), 1496);
    const decoder = new PacketDecoder();
    const results = feed(decoder, [first[0], second[0], second[1], first[1], second[2], first[2]]);
    expect(results.map((r) => r?.frame ?? null)).toEqual([null, null, null, null, 5, 6]);
    expect(results[4]!.fragmentFrames).toEqual([2, 3, 5]);
    expect(results[5]!.fragmentFrames).toEqual([1, 4, 6]);
  });

  it('survives overlapping and duplicate fragments, first data wins', () => {
    const packet = bigPacket();
    const fragments = fragmentIpv4(packet, 1000);
    // A forged fragment that overlaps the second one with different bytes, arriving after it.
    const forged = fragmentIpv4(packet, 504)[2].slice(); // payload offset 1008, 504 bytes
    forged.fill(0xee, 20);
    const header = forged.slice(0, 20);
    const decoder = new PacketDecoder();
    const results = feed(decoder, [fragments[1], forged, fragments[1], fragments[0], fragments[2], fragments[3]]);
    expect(header[6] & 0x20).toBe(0x20);
    const datagram = results[5]!;
    expect(payloadOf(datagram)).toEqual(bigPayload);
    expect(datagram.fragmentFrames).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decoder.stats.reassembled).toBe(1);
  });

  it('drops a fragment past 65535 bytes and one past the known end, and counts them', () => {
    const [first, last] = fragmentIpv4(bigPacket(), 1496 * 2);
    const decoder = new PacketDecoder();
    const tooFar = first.slice();
    tooFar[6] = 0x3f;
    tooFar[7] = 0xff; // MF, offset 8191 * 8 = 65528: ends past 65535
    const pastEnd = first.slice();
    pastEnd[6] = 0x21;
    pastEnd[7] = 0x00; // MF, offset 2048 — the last fragment ends before that
    const results = feed(decoder, [tooFar, last, pastEnd, first]);
    expect(results.slice(0, 3)).toEqual([null, null, null]);
    expect(decoder.stats.fragmentsDropped).toBe(2);
    expect(payloadOf(results[3]!)).toEqual(bigPayload);
    expect(results[3]!.fragmentFrames).toEqual([2, 4]);
  });

  it('drops a more-fragments fragment whose length is not a multiple of 8', () => {
    const [first] = fragmentIpv4(bigPacket(), 1000);
    const odd = first.subarray(0, first.length - 3).slice();
    odd[2] = (odd.length >> 8) & 0xff;
    odd[3] = odd.length & 0xff;
    const decoder = new PacketDecoder();
    expect(feed(decoder, [odd])).toEqual([null]);
    expect(decoder.stats.fragmentsDropped).toBe(1);
  });

  it('drops a fragment cut by snaplen', () => {
    const [first] = fragmentIpv4(bigPacket(), 1000);
    const decoder = new PacketDecoder();
    const frame = encapsulate(first, { linkType: 1 });
    decoder.decode(recordFor(frame.slice(0, 200), 1, { originalLength: frame.length }));
    expect(decoder.stats).toMatchObject({ fragments: 1, fragmentsDropped: 1 });
  });

  it('evicts trains older than the timeout, measured in capture time', () => {
    const [a, b, c] = fragmentIpv4(bigPacket(), 1496);
    const decoder = new PacketDecoder({ reassemblyTimeoutSeconds: 5 });
    const results = feed(decoder, [a, b, c], undefined, [100, 104, 105.5]);
    expect(results).toEqual([null, null, null]);
    expect(decoder.stats.fragmentsDropped).toBe(2);
    expect(decoder.stats.reassembled).toBe(0);
    const inTime = new PacketDecoder({ reassemblyTimeoutSeconds: 5 });
    expect(feed(inTime, [a, b, c], undefined, [100, 104, 104.9])[2]).not.toBeNull();
  });

  it('only reassembles UDP; other fragmented protocols are counted as other', () => {
    const packet = bigPacket();
    packet[9] = 6;
    const decoder = new PacketDecoder();
    feed(decoder, fragmentIpv4(packet, 1496));
    expect(decoder.stats).toMatchObject({ fragments: 3, other: 3, fragmentsDropped: 0, reassembled: 0 });
  });

  it('reassembles inner fragments inside GTP-U', () => {
    const inner = fragmentIpv4(bigPacket(), 1496);
    const outer = inner.map((fragment) => buildIpv4Udp({ srcIp: 1, dstIp: 2, srcPort: 2152, dstPort: 2152, payload: buildGtpU(fragment, 5) }));
    const decoder = new PacketDecoder();
    const results = feed(decoder, outer);
    expect(results[2]!.tunnelDepth).toBe(1);
    expect(payloadOf(results[2]!)).toEqual(bigPayload);
  });
});

describe('Ipv4Reassembler bounds', () => {
  function fragmentHeader(id: number, src: number): { header: Ipv4Header; bytes: Uint8Array } {
    const packet = buildIpv4Udp(teredoLikeSpec({ srcIp: src, id, payload: new Uint8Array(40) }));
    const [first] = fragmentIpv4(packet, 16);
    const cursor = new LayerCursor();
    cursor.reset(first, 0, first.length, false);
    const header = new Ipv4Header();
    expect(decodeIpv4(cursor, header)).toBe(true);
    return { header, bytes: first };
  }

  it('keeps a flood of 100 000 never-completed trains under the train limit, in bounded time', () => {
    const reassembler = new Ipv4Reassembler({ timeoutSeconds: 30, maxTrains: 4096, maxBytes: 32 * 1024 * 1024 });
    const { header, bytes } = fragmentHeader(0, 1);
    const started = performance.now();
    let completed = 0;
    for (let i = 0; i < 100_000; i++) {
      header.id = i & 0xffff;
      header.srcIp = 0x0a000000 + (i >>> 16);
      if (reassembler.add(header, bytes, i + 1, i * 1e-5)) completed++;
    }
    expect(performance.now() - started).toBeLessThan(5000);
    expect(completed).toBe(0);
    expect(reassembler.trainCount).toBe(4096);
    expect(reassembler.droppedFragments).toBe(100_000 - 4096);
    expect(reassembler.bufferedBytes).toBe(4096 * (TRAIN_OVERHEAD_BYTES + FRAGMENT_OVERHEAD_BYTES + 16));
  });

  it('keeps the buffered bytes under the byte limit by evicting the oldest trains', () => {
    const maxBytes = 10_000;
    const reassembler = new Ipv4Reassembler({ timeoutSeconds: 30, maxTrains: 1_000_000, maxBytes });
    const { header, bytes } = fragmentHeader(0, 1);
    for (let i = 0; i < 1000; i++) {
      header.id = i;
      reassembler.add(header, bytes, i + 1, 0);
      expect(reassembler.bufferedBytes).toBeLessThanOrEqual(maxBytes);
    }
    const perTrain = TRAIN_OVERHEAD_BYTES + FRAGMENT_OVERHEAD_BYTES + 16;
    expect(reassembler.trainCount).toBe(Math.floor(maxBytes / perTrain));
    expect(reassembler.droppedFragments).toBe(1000 - reassembler.trainCount);
  });

  it('bounds a flood of duplicates into one train', () => {
    const reassembler = new Ipv4Reassembler({ timeoutSeconds: 30, maxTrains: 10, maxBytes: 1_000_000 });
    const { header, bytes } = fragmentHeader(7, 1);
    for (let i = 0; i < 10_000; i++) reassembler.add(header, bytes, i + 1, 0);
    expect(reassembler.trainCount).toBe(1);
    expect(reassembler.bufferedBytes).toBeLessThan(200_000);
    expect(reassembler.droppedFragments).toBeGreaterThan(7000);
  });

  it('decoder stats reflect a flood against small limits', () => {
    const decoder = new PacketDecoder({ maxFragmentTrains: 64 });
    const { bytes } = fragmentHeader(0, 1);
    for (let i = 0; i < 5000; i++) {
      const fragment = bytes.slice();
      fragment[4] = (i >> 8) & 0xff;
      fragment[5] = i & 0xff;
      if (decoder.decode(recordFor(fragment, 101, { frame: i + 1 })) !== null) throw new Error('an incomplete train produced a datagram');
    }
    expect(decoder.stats).toMatchObject({ fragments: 5000, fragmentsDropped: 5000 - 64, reassembled: 0, malformed: 0 });
  });
});
