import { describe, expect, it } from 'vitest';
import { captureToBuffer, concatBytes, writeCaptureFile } from '../../src/capture/capture-file.js';
import {
  BLOCK_CUSTOM,
  BLOCK_CUSTOM_NO_COPY,
  BLOCK_DECRYPTION_SECRETS,
  BLOCK_INTERFACE_STATISTICS,
  BLOCK_NAME_RESOLUTION,
} from '../../src/capture/pcapng-blocks.js';
import { PcapngWriter, type PcapngInterface } from '../../src/capture/pcapng-writer.js';
import { PACKET_LENGTHS, packetBytes, readAll, temporaryDirectory, toHex, type CopiedRecord } from './support/read-all.js';

const file = temporaryDirectory('pcapng');

const SECTION_A: PcapngInterface[] = [
  { linkType: 1, name: 'eth0', tsoffset: -3600 },
  { linkType: 101, tsresol: 9 },
  { linkType: 113, tsresol: 0x80 | 10, tsoffset: 1_000_000_000 },
  { linkType: 228, tsresol: 0x80 | 30 },
  { linkType: 276, tsresol: 12, tsoffset: 1_699_999_000 },
];
const SECTION_B: PcapngInterface[] = [
  { linkType: 101, tsresol: 3 },
  { linkType: 1, snapLength: 100 },
];

/** Fraction digits each interface of section A really records. */
const PRECISION_A = [6, 9, 4, 9, 9];

/** A nanosecond value the interface's resolution can represent exactly. */
function representableNanos(description: PcapngInterface, seed: number): number {
  const raw = description.tsresol ?? 6;
  const exponent = raw & 0x7f;
  const nanos = (seed * 7_654_321 + 123_456_789) % 1_000_000_000;
  if ((raw & 0x80) !== 0) {
    if (exponent >= 30) return nanos;
    const units = BigInt(nanos) % (1n << BigInt(exponent));
    return Number((units * 1_000_000_000n) >> BigInt(exponent));
  }
  if (exponent >= 9) return nanos;
  const step = 10 ** (9 - exponent);
  return Math.floor(nanos / step) * step;
}

/** One IPv4 name record (10.0.0.1 = "host") and the end record. */
function nameResolutionBody(bigEndian: boolean): Uint8Array {
  const body = new Uint8Array(20);
  const view = new DataView(body.buffer);
  view.setUint16(0, 1, !bigEndian);
  view.setUint16(2, 9, !bigEndian);
  body.set([10, 0, 0, 1, 104, 111, 115, 116, 0], 4);
  return body;
}

/** A TLS key log secrets block body with one line of text. */
function decryptionSecretsBody(bigEndian: boolean): Uint8Array {
  const secrets = new TextEncoder().encode('CLIENT_RANDOM 00 11\n');
  const body = new Uint8Array(8 + ((secrets.length + 3) & ~3));
  const view = new DataView(body.buffer);
  view.setUint32(0, 0x544c534b, !bigEndian);
  view.setUint32(4, secrets.length, !bigEndian);
  body.set(secrets, 8);
  return body;
}

interface Sample {
  bytes: Uint8Array;
  expected: CopiedRecord[];
  /** Frame numbers used, including the non-packet blocks that take one. */
  frames: number;
}

const BLOCK_SYSTEMD_JOURNAL = 9;

/** Two sections (the second in the other byte order) with every packet block kind and skipped blocks. */
function buildSample(firstBigEndian: boolean): Sample {
  const expected: CopiedRecord[] = [];
  let frames = 0;
  const expect = (record: Omit<CopiedRecord, 'frame'>): void => {
    frames += 1;
    expected.push({ frame: frames, ...record });
  };
  let seed = 0;
  const sectionA = captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { bigEndian: firstBigEndian, interfaces: SECTION_A });
    writer.writeRawBlock(BLOCK_NAME_RESOLUTION, nameResolutionBody(firstBigEndian));
    for (const length of PACKET_LENGTHS) {
      const interfaceId = seed % SECTION_A.length;
      const description = SECTION_A[interfaceId];
      const seconds = 1_700_000_000 + seed * 11;
      const nanos = representableNanos(description, seed);
      const data = packetBytes(length, seed);
      writer.write({ seconds, nanos, data, interfaceId, originalLength: length + (seed % 3), comment: seed % 2 === 0 ? `packet ${seed}` : undefined });
      expect({ seconds, nanos, precision: PRECISION_A[interfaceId], linkType: description.linkType, interfaceId, capturedLength: length, originalLength: length + (seed % 3), hex: toHex(data) });
      seed += 1;
      if (seed === 4) writer.writeRawBlock(BLOCK_INTERFACE_STATISTICS, new Uint8Array(20));
      if (seed === 6) writer.writeRawBlock(BLOCK_DECRYPTION_SECRETS, decryptionSecretsBody(firstBigEndian));
      if (seed === 8) {
        // Wireshark lists custom blocks and journal entries as frames: they take a number.
        writer.writeRawBlock(BLOCK_CUSTOM, packetBytes(300_000, 2));
        writer.writeRawBlock(BLOCK_CUSTOM_NO_COPY, Uint8Array.of(0, 0, 0x7e, 0xd9, 1, 2));
        writer.writeRawBlock(BLOCK_SYSTEMD_JOURNAL, new TextEncoder().encode('__REALTIME_TIMESTAMP=1\nMESSAGE=x\n'));
        frames += 3;
      }
      if (seed === 9) writer.writeRawBlock(0x0badcafe, new Uint8Array(0));
    }
    const obsolete = packetBytes(77, 99);
    writer.writeObsoletePacket({ seconds: 1_600_000_000, nanos: 123_456_789, data: obsolete, interfaceId: 1 });
    expect({ seconds: 1_600_000_000, nanos: 123_456_789, precision: 9, linkType: 101, interfaceId: 1, capturedLength: 77, originalLength: 77, hex: toHex(obsolete) });
    const simple = packetBytes(61, 98);
    writer.writeSimplePacket(simple);
    expect({ seconds: 0, nanos: 0, precision: 6, linkType: 1, interfaceId: 0, capturedLength: 61, originalLength: 61, hex: toHex(simple) });
  });
  const sectionB = captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { bigEndian: !firstBigEndian, interfaces: SECTION_B });
    const millis = packetBytes(40, 97);
    writer.write({ seconds: 1_234_567_890, nanos: 987_000_000, data: millis, interfaceId: 0 });
    expect({ seconds: 1_234_567_890, nanos: 987_000_000, precision: 3, linkType: 101, interfaceId: 0, capturedLength: 40, originalLength: 40, hex: toHex(millis) });
    const long = packetBytes(150, 96);
    writer.write({ seconds: 1_234_567_891, nanos: 5000, data: long, interfaceId: 1 });
    expect({ seconds: 1_234_567_891, nanos: 5000, precision: 6, linkType: 1, interfaceId: 1, capturedLength: 100, originalLength: 150, hex: toHex(long.subarray(0, 100)) });
  });
  // A third section whose simple packet block is cut by the snap length of interface 0.
  const sectionC = captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1, snapLength: 30 }] });
    const data = packetBytes(50, 95);
    writer.writeSimplePacket(data);
    expect({ seconds: 0, nanos: 0, precision: 6, linkType: 1, interfaceId: 0, capturedLength: 30, originalLength: 50, hex: toHex(data.subarray(0, 30)) });
  });
  return { bytes: concatBytes([sectionA, sectionB, sectionC]), expected, frames };
}

describe('pcapng round trip', () => {
  for (const firstBigEndian of [false, true]) {
    for (const gzip of [false, true]) {
      const name = `${firstBigEndian ? 'big-endian' : 'little-endian'} first section${gzip ? ', gzipped' : ''}`;
      it(`${name}: every block kind reads back identical at every chunk size`, async () => {
        const sample = buildSample(firstBigEndian);
        const path = file(`${name.replace(/\W+/g, '-')}.pcapng${gzip ? '.gz' : ''}`);
        await writeCaptureFile(path, sample.bytes, { gzip });
        for (const chunkSize of [7, 1000, undefined]) {
          const outcome = await readAll(path, { chunkSize });
          expect(outcome.error, `chunk size ${chunkSize}`).toBeNull();
          expect(outcome.records, `chunk size ${chunkSize}`).toEqual(sample.expected);
          const linkTypes = new Map<number, number>();
          for (const record of sample.expected) linkTypes.set(record.linkType, (linkTypes.get(record.linkType) ?? 0) + 1);
          expect(outcome.summary).toEqual({ format: 'pcapng', compressed: gzip, frames: sample.frames, bytes: sample.bytes.length, linkTypes });
        }
      });
    }
  }

  it('reads a small file byte by byte', async () => {
    const sample = buildSample(false);
    const small = captureToBuffer((sink) => {
      const writer = new PcapngWriter(sink, { interfaces: [SECTION_A[1], SECTION_A[2]] });
      writer.writeRawBlock(BLOCK_CUSTOM, packetBytes(10, 1));
      writer.write({ seconds: 10, nanos: 20, data: packetBytes(9, 1), interfaceId: 0 });
      writer.write({ seconds: 1_000_000_011, nanos: sample.expected[2].nanos, data: packetBytes(3, 2), interfaceId: 1 });
    });
    const path = file('bytewise.pcapng');
    await writeCaptureFile(path, small);
    const { records, error } = await readAll(path, { chunkSize: 1 });
    expect(error).toBeNull();
    expect(records.map((r) => [r.frame, r.seconds, r.nanos, r.interfaceId, r.hex])).toEqual([
      // The custom block in front is frame 1, as in Wireshark.
      [2, 10, 20, 0, toHex(packetBytes(9, 1))],
      [3, 1_000_000_011, sample.expected[2].nanos, 1, toHex(packetBytes(3, 2))],
    ]);
  });

  it('reads the same records whatever byte a chunk ends on', async () => {
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1 }, { linkType: 101, tsresol: 9 }] });
      [0, 1, 5, 17, 40, 3, 64].forEach((size, i) => {
        writer.write({ seconds: 10 + i, nanos: i * 1000, data: packetBytes(size, i), interfaceId: i % 2, comment: i % 3 === 0 ? 'c' : undefined });
        if (i === 2) writer.writeRawBlock(BLOCK_CUSTOM, packetBytes(9, i));
        if (i === 4) writer.writeRawBlock(BLOCK_INTERFACE_STATISTICS, new Uint8Array(0));
      });
      writer.writeSimplePacket(packetBytes(11, 11));
      writer.writeObsoletePacket({ seconds: 99, nanos: 0, data: packetBytes(6, 6), interfaceId: 1 });
    });
    const path = file('boundaries.pcapng');
    await writeCaptureFile(path, bytes);
    const reference = await readAll(path);
    expect(reference.records.map((record) => record.frame)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10]);
    for (let chunkSize = 1; chunkSize <= 140; chunkSize++) {
      const outcome = await readAll(path, { chunkSize });
      expect(outcome.records, `chunk size ${chunkSize}`).toEqual(reference.records);
    }
  });

  it('rejects packets for interfaces the section did not describe', () => {
    const writer = new PcapngWriter(() => undefined, { interfaces: [{ linkType: 1 }] });
    expect(() => writer.write({ seconds: 1, nanos: 0, data: new Uint8Array(4), interfaceId: 1 })).toThrow(RangeError);
    writer.startSection([]);
    expect(() => writer.writeSimplePacket(new Uint8Array(4))).toThrow(RangeError);
  });
});
