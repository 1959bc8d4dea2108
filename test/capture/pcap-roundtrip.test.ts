import { describe, expect, it } from 'vitest';
import { captureToBuffer, writeCaptureFile } from '../../src/capture/capture-file.js';
import type { PacketToWrite } from '../../src/capture/packet-to-write.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { PACKET_LENGTHS, packetBytes, readAll, temporaryDirectory, toHex, type CopiedRecord } from './support/read-all.js';

const file = temporaryDirectory('pcap');

function packets(): PacketToWrite[] {
  return PACKET_LENGTHS.map((length, i) => ({
    seconds: 1_700_000_000 + i * 37,
    nanos: (i * 123_456_789 + 987) % 1_000_000_000,
    data: packetBytes(length, i),
    originalLength: i === 3 ? 9000 : undefined,
  }));
}

function expected(nanosecond: boolean, linkType: number): CopiedRecord[] {
  return packets().map((packet, i) => ({
    frame: i + 1,
    seconds: packet.seconds,
    nanos: nanosecond ? packet.nanos : Math.floor(packet.nanos / 1000) * 1000,
    precision: nanosecond ? 9 : 6,
    linkType,
    interfaceId: 0,
    capturedLength: packet.data.length,
    originalLength: packet.originalLength ?? packet.data.length,
    hex: toHex(packet.data),
  }));
}

const variants = [
  { name: 'µs little-endian', nanosecond: false, bigEndian: false },
  { name: 'µs big-endian', nanosecond: false, bigEndian: true },
  { name: 'ns little-endian', nanosecond: true, bigEndian: false },
  { name: 'ns big-endian', nanosecond: true, bigEndian: true },
];

describe('classic pcap round trip', () => {
  for (const variant of variants) {
    for (const gzip of [false, true]) {
      it(`${variant.name}${gzip ? ', gzipped' : ''} reads back identical at every chunk size`, async () => {
        const bytes = captureToBuffer((sink) => {
          const writer = new PcapWriter(sink, { linkType: 101, nanosecond: variant.nanosecond, bigEndian: variant.bigEndian });
          for (const packet of packets()) writer.write(packet);
        });
        const path = file(`${variant.name.replace(/\W+/g, '-')}${gzip ? '.gz' : ''}.pcap`);
        await writeCaptureFile(path, bytes, { gzip });
        for (const chunkSize of [1, 7, 4096, undefined]) {
          const outcome = await readAll(path, { chunkSize });
          expect(outcome.error, `chunk size ${chunkSize}`).toBeNull();
          expect(outcome.records, `chunk size ${chunkSize}`).toEqual(expected(variant.nanosecond, 101));
          expect(outcome.summary).toEqual({
            format: 'pcap',
            compressed: gzip,
            frames: PACKET_LENGTHS.length,
            bytes: bytes.length,
            linkTypes: new Map([[101, PACKET_LENGTHS.length]]),
          });
        }
      });
    }
  }

  it('cuts packets to the snap length and keeps their original length', async () => {
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 1, snapLength: 64 });
      writer.write({ seconds: 1, nanos: 0, data: packetBytes(200, 1) });
      writer.write({ seconds: 2, nanos: 0, data: packetBytes(10, 2) });
    });
    const path = file('snap.pcap');
    await writeCaptureFile(path, bytes);
    const { records, error } = await readAll(path);
    expect(error).toBeNull();
    expect(records.map((r) => [r.capturedLength, r.originalLength])).toEqual([
      [64, 200],
      [10, 10],
    ]);
    expect(records[0].hex).toBe(toHex(packetBytes(200, 1).subarray(0, 64)));
  });

  it('takes the link type from the low 16 bits when FCS bits are set', async () => {
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 0x1000_0000 | (4 << 28) | 1 });
      writer.write({ seconds: 5, nanos: 1000, data: packetBytes(20, 3) });
    });
    const path = file('fcs.pcap');
    await writeCaptureFile(path, bytes);
    const { records } = await readAll(path);
    expect(records[0].linkType).toBe(1);
  });

  it('carries a microsecond field of a second or more into the seconds', async () => {
    const bytes = captureToBuffer((sink) => {
      new PcapWriter(sink, { linkType: 1 }).write({ seconds: 100, nanos: 0, data: packetBytes(4, 9) });
    });
    new DataView(bytes.buffer).setUint32(24 + 4, 2_500_000, true);
    const path = file('overflow.pcap');
    await writeCaptureFile(path, bytes);
    const { records } = await readAll(path);
    expect([records[0].seconds, records[0].nanos]).toEqual([102, 500_000_000]);
  });

  it('accepts a captured length above the original length', async () => {
    const bytes = captureToBuffer((sink) => {
      new PcapWriter(sink, { linkType: 1 }).write({ seconds: 1, nanos: 0, data: packetBytes(40, 9), originalLength: 20 });
    });
    const path = file('over-original.pcap');
    await writeCaptureFile(path, bytes);
    const { records, error } = await readAll(path);
    expect(error).toBeNull();
    expect([records[0].capturedLength, records[0].originalLength]).toEqual([40, 20]);
  });

  it('rejects timestamps the format cannot hold', () => {
    const writer = new PcapWriter(() => undefined, { linkType: 1 });
    expect(() => writer.write({ seconds: -1, nanos: 0, data: new Uint8Array(1) })).toThrow(RangeError);
    expect(() => writer.write({ seconds: 2 ** 32, nanos: 0, data: new Uint8Array(1) })).toThrow(RangeError);
    expect(() => writer.write({ seconds: 1, nanos: 1e9, data: new Uint8Array(1) })).toThrow(RangeError);
  });
});

describe('classic pcap chunk boundaries', () => {
  it('reads the same records whatever byte a chunk ends on', async () => {
    const sizes = [0, 1, 5, 17, 40, 3, 64, 2, 33];
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 1, nanosecond: true });
      sizes.forEach((size, i) => writer.write({ seconds: 10 + i, nanos: i * 3, data: packetBytes(size, i) }));
    });
    const path = file('boundaries.pcap');
    await writeCaptureFile(path, bytes);
    const reference = await readAll(path);
    expect(reference.records.map((record) => record.hex)).toEqual(sizes.map((size, i) => toHex(packetBytes(size, i))));
    for (let chunkSize = 1; chunkSize <= 120; chunkSize++) {
      const outcome = await readAll(path, { chunkSize });
      expect(outcome.records, `chunk size ${chunkSize}`).toEqual(reference.records);
    }
  });
});
