import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { copyWithComments, type CommentCopyResult } from '../../src/capture/comment-copy.js';
import { withPacketComments } from '../../src/capture/packet-block-comments.js';
import { BLOCK_CUSTOM, BLOCK_NAME_RESOLUTION } from '../../src/capture/pcapng-blocks.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { packetBytes, readAll, temporaryDirectory } from './support/read-all.js';
import { readPcapngComments } from './support/pcapng-comments.js';

const path = temporaryDirectory('comment-copy');

async function copy(input: string, output: string, comments: Map<number, string[]>): Promise<CommentCopyResult> {
  const chunks: Uint8Array[] = [];
  const result = await copyWithComments(input, comments, async (chunk) => {
    chunks.push(chunk);
    await Promise.resolve();
  });
  writeFileSync(output, Buffer.concat(chunks));
  return result;
}

/** A pcapng with what a copy must keep: two sections, three interfaces (link types, ns resolution, ts offset), comments, other blocks. */
function writeRichPcapng(file: string, bigEndian: boolean): void {
  const chunks: Uint8Array[] = [];
  const writer = new PcapngWriter((c) => chunks.push(c), {
    bigEndian,
    interfaces: [{ linkType: 1 }, { linkType: 101, tsresol: 9, name: 'raw0' }, { linkType: 113, tsoffset: 1000 }],
  });
  writer.write({ seconds: 1_700_000_000, nanos: 123_456_000, data: packetBytes(60, 1) });
  writer.write({ seconds: 1_700_000_001, nanos: 987_654_321, data: packetBytes(41, 2), interfaceId: 1, comment: 'already here' });
  writer.writeRawBlock(BLOCK_NAME_RESOLUTION, new Uint8Array([0, 0, 0, 0]));
  writer.writeRawBlock(BLOCK_CUSTOM, new Uint8Array([0x00, 0x00, 0x7f, 0x00, 1, 2, 3, 4]));
  writer.write({ seconds: 1_700_001_002, nanos: 5_000, data: packetBytes(1514, 3), interfaceId: 2, originalLength: 1600 });
  writer.writeObsoletePacket({ seconds: 1_700_000_003, nanos: 0, data: packetBytes(7, 4), interfaceId: 1 });
  writer.writeSimplePacket(packetBytes(33, 5));
  writer.startSection([{ linkType: 101, tsresol: 0x80 | 20 }]);
  writer.write({ seconds: 1_700_000_004, nanos: 1_000, data: packetBytes(3, 6), comment: 'second section' });
  writeFileSync(file, Buffer.concat(chunks));
}

describe('copyWithComments on pcapng', () => {
  for (const bigEndian of [false, true]) {
    it(`keeps every packet, block and comment and adds the new ones (${bigEndian ? 'big' : 'little'}-endian)`, async () => {
      const input = path(`rich-${bigEndian}.pcapng`);
      const output = path(`rich-${bigEndian}-out.pcapng`);
      writeRichPcapng(input, bigEndian);
      const wanted = new Map([
        [1, ['teredoscope: one']],
        [2, ['teredoscope: two', 'teredoscope: two again']],
        [5, ['teredoscope: obsolete block']],
        [6, ['teredoscope: simple block cannot']],
        [7, ['teredoscope: ünïcode ✓']],
      ]);
      const result = await copy(input, output, wanted);
      expect(result).toMatchObject({ format: 'pcapng', frames: 7, commented: 4, uncommentable: [6] });

      const before = await readAll(input);
      const after = await readAll(output);
      expect(after.error).toBeNull();
      expect(after.records).toEqual(before.records);
      expect(after.summary?.linkTypes).toEqual(before.summary?.linkTypes);

      const original = readPcapngComments(input);
      const copied = readPcapngComments(output);
      expect(Object.fromEntries(copied.comments)).toEqual({
        1: ['teredoscope: one'],
        2: ['already here', 'teredoscope: two', 'teredoscope: two again'],
        5: ['teredoscope: obsolete block'],
        7: ['second section', 'teredoscope: ünïcode ✓'],
      });
      // Blocks without new comments are byte for byte the same (frame 3 is the custom block).
      for (const frame of [3, 4, 6]) expect(Buffer.from(copied.blocks.get(frame) ?? [])).toEqual(Buffer.from(original.blocks.get(frame) ?? [0]));
    });
  }

  it('without comments the copy is the file itself, also from gzip', async () => {
    const input = path('plain.pcapng');
    writeRichPcapng(input, false);
    const gz = path('plain.pcapng.gz');
    writeFileSync(gz, gzipSync(readFileSync(input)));
    for (const source of [input, gz]) {
      const output = path('plain-out.pcapng');
      await copy(source, output, new Map());
      expect(Buffer.compare(readFileSync(output), readFileSync(input))).toBe(0);
    }
  });

  it('copies the good part of a truncated file, then throws', async () => {
    const input = path('whole.pcapng');
    writeRichPcapng(input, false);
    const bytes = readFileSync(input);
    const cut = path('cut.pcapng');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const chunks: Uint8Array[] = [];
    const failure = await copyWithComments(cut, new Map(), async (c) => {
      chunks.push(c);
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CaptureError);
    expect((failure as CaptureError).kind).toBe('truncated');
    const partial = path('cut-out.pcapng');
    writeFileSync(partial, Buffer.concat(chunks));
    // Five packets and the custom block (frame 3) come before the cut one.
    expect((await readAll(partial)).records.map((r) => r.frame)).toEqual([1, 2, 4, 5, 6]);
  });
});

describe('copyWithComments on pcap', () => {
  for (const nanosecond of [false, true]) {
    it(`writes one pcapng interface with the link type and resolution (${nanosecond ? 'ns' : 'µs'})`, async () => {
      const input = path(`in-${nanosecond}.pcap`);
      const output = path(`out-${nanosecond}.pcapng`);
      const chunks: Uint8Array[] = [];
      const writer = new PcapWriter((c) => chunks.push(c), { linkType: 113, nanosecond, bigEndian: nanosecond });
      for (let i = 0; i < 5; i++) writer.write({ seconds: 1_600_000_000 + i, nanos: nanosecond ? 123_456_789 : 123_456_000, data: packetBytes(50 + i, i), originalLength: 90 });
      writeFileSync(input, Buffer.concat(chunks));
      const result = await copy(input, output, new Map([[3, ['teredoscope: three']]]));
      expect(result).toMatchObject({ format: 'pcap', frames: 5, commented: 1, uncommentable: [] });
      const before = await readAll(input);
      const after = await readAll(output);
      expect(after.summary?.format).toBe('pcapng');
      expect(after.records).toEqual(before.records);
      expect(Object.fromEntries(readPcapngComments(output).comments)).toEqual({ 3: ['teredoscope: three'] });
    });
  }

  it('rejects what is not a capture', async () => {
    const input = path('not.txt');
    writeFileSync(input, 'hello, world');
    await expect(copyWithComments(input, new Map(), async () => undefined)).rejects.toMatchObject({ kind: 'not-a-capture' });
  });
});

describe('withPacketComments', () => {
  it('cuts an over-long comment at a character boundary and refuses blocks without options', () => {
    const chunks: Uint8Array[] = [];
    const writer = new PcapngWriter((c) => chunks.push(c), { interfaces: [{ linkType: 1 }] });
    writer.write({ seconds: 1, nanos: 0, data: packetBytes(10, 1) });
    writer.writeSimplePacket(packetBytes(10, 2));
    const [, , epb, spb] = chunks;
    const long = 'é'.repeat(40_000);
    const commented = withPacketComments(epb, true, [long]);
    expect(commented).not.toBeNull();
    const view = new DataView((commented ?? new Uint8Array()).buffer);
    const size = view.getUint16(28 + 12 + 2, true);
    expect(size).toBe(65534);
    expect(view.getUint32(4, true)).toBe(commented?.length);
    expect(withPacketComments(spb, true, ['x'])).toBeNull();
  });
});
