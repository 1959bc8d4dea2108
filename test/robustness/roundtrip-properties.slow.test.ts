import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_CUSTOM, BLOCK_NAME_RESOLUTION } from '../../src/capture/pcapng-blocks.js';
import { randomCaptureSpec } from '../../src/fuzz/capture-spec-random.js';
import { writeCaptureSpec, type CaptureSpec, type PacketSpec, type PcapSpec, type SectionSpec } from '../../src/fuzz/capture-spec.js';
import { checkReadBack, checkRoundTrip, type RoundTripOptions } from '../../src/fuzz/roundtrip-check.js';
import { randomSource } from './support/fast-check-random.js';

/*
 * A valid capture written by the project's writers and read back is identical: every record's
 * time, precision, link type, interface, lengths and bytes, the frame count (non-packet blocks
 * that Wireshark numbers included) and the link-type counts — for every format variant, whole, in
 * small pieces, in recycled stream chunks, and gzipped.
 */

const READINGS: RoundTripOptions[] = [{}, { chunkSize: 1 }, { chunkSize: 5, streamChunkSize: 13 }, { streamChunkSize: 700 }, { gzip: true }, { gzip: true, chunkSize: 7, streamChunkSize: 301 }];

function packet(i: number, overrides: Partial<PacketSpec> = {}): PacketSpec {
  return {
    kind: 'packet',
    block: 'enhanced',
    seconds: 1_700_000_000 + i * 86_399,
    nanos: (i * 123_456_789 + 987_654_321) % 1_000_000_000,
    length: [0, 1, 3, 60, 1514, 97, 9000, 4][i % 8],
    fill: i + 1,
    extraOriginal: i % 3 === 0 ? 0 : i * 1000,
    interfaceId: 0,
    ...overrides,
  };
}

const PCAP_VARIANTS: PcapSpec[] = [];
for (const nanosecond of [false, true]) {
  for (const bigEndian of [false, true]) {
    for (const snapLength of [undefined, 0, 64, 65535]) {
      PCAP_VARIANTS.push({ format: 'pcap', linkType: 1, nanosecond, bigEndian, snapLength, packets: Array.from({ length: 8 }, (_, i) => packet(i)) });
    }
  }
}

/** Every timestamp resolution kind, offsets both ways, the three packet block kinds, skipped and numbered blocks, two sections. */
function pcapngVariant(bigEndian: boolean): CaptureSpec {
  const interfaces = [
    { linkType: 1 },
    { linkType: 101, tsresol: 9, tsoffset: -3600, name: 'eth1' },
    { linkType: 113, tsresol: 0, snapLength: 100 },
    { linkType: 228, tsresol: 3, tsoffset: 1_000_000_000 },
    { linkType: 276, tsresol: 12 },
    { linkType: 105, tsresol: 0x80 | 10, snapLength: 0 },
    { linkType: 147, tsresol: 0x80 | 30 },
    { linkType: 1, tsresol: 0x80 | 40 },
  ];
  const first: SectionSpec = {
    interfaces,
    items: [
      { kind: 'raw', type: BLOCK_NAME_RESOLUTION, length: 20 },
      // 10^-12 and 2^-40 units overflow 64 bits after about 213 days: those interfaces get early times.
      ...interfaces.map((description, id) => {
        const early = description.tsresol === 12 || description.tsresol === (0x80 | 40);
        return packet(id, { interfaceId: id, comment: id % 2 === 0 ? 'comment' : undefined, ...(early ? { seconds: 1_000_000 + id } : {}) });
      }),
      packet(8, { block: 'obsolete', interfaceId: 3 }),
      { kind: 'raw', type: BLOCK_CUSTOM, length: 13 },
      packet(9, { block: 'simple' }),
      packet(10, { block: 'simple', length: 1514, interfaceId: 0 }),
      packet(13, { length: 262144, interfaceId: 5 }),
    ],
  };
  const second: SectionSpec = { interfaces: [{ linkType: 113, snapLength: 64 }], items: [packet(11, { block: 'simple' }), packet(12)] };
  const empty: SectionSpec = { interfaces: [], items: [{ kind: 'raw', type: 0x12345678, length: 5 }] };
  return { format: 'pcapng', bigEndian, sections: [first, empty, second] };
}

describe('capture writer round trip', () => {
  for (const spec of [...PCAP_VARIANTS, pcapngVariant(false), pcapngVariant(true)]) {
    const label = spec.format === 'pcap' ? `pcap ${spec.nanosecond ? 'ns' : 'µs'} ${spec.bigEndian ? 'BE' : 'LE'} snap ${spec.snapLength ?? 'default'}` : `pcapng ${spec.bigEndian ? 'BE' : 'LE'}`;
    it(`${label} reads back identical, whole, in pieces and gzipped`, async () => {
      const written = writeCaptureSpec(spec);
      expect(written.records.length).toBeGreaterThan(0);
      for (const reading of READINGS) expect(await checkRoundTrip(spec, reading), JSON.stringify(reading)).toEqual([]);
    });
  }

  it('holds for random captures of every variant', async () => {
    const reading = fc.record({ chunkSize: fc.integer({ min: 1, max: 5000 }), streamChunkSize: fc.integer({ min: 1, max: 5000 }), gzip: fc.boolean() }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(randomSource, reading, async (random, options) => {
        expect(await checkRoundTrip(randomCaptureSpec(random), options)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('the comparison notices a byte, a length or a timestamp that did not come back', async () => {
    const spec: PcapSpec = { format: 'pcap', linkType: 1, nanosecond: false, bigEndian: false, packets: [packet(3), packet(4)] };
    const written = writeCaptureSpec(spec);
    const dataByte = written.bytes.slice();
    dataByte[24 + 16 + 5] ^= 1;
    expect(await checkReadBack(written, dataByte)).toEqual(['frame 1: the packet bytes differ']);
    const nanos = written.bytes.slice();
    nanos[24 + 4] ^= 1;
    expect((await checkReadBack(written, nanos))[0]).toMatch(/^frame 1: nanos read back as \d+, written \d+$/);
    const cut = written.bytes.slice(0, written.bytes.length - 1);
    expect(await checkReadBack(written, cut)).toEqual([expect.stringMatching(/^reading back failed: truncated: /), '1 of 2 packets were read back']);
  });
});
