import { describe, it } from 'vitest';
import { captureToBuffer, concatBytes } from '../../src/capture/capture-file.js';
import { BLOCK_CUSTOM } from '../../src/capture/pcapng-blocks.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { expectFailure } from './support/expect-failure.js';
import { packetBytes, temporaryDirectory } from './support/read-all.js';

const file = temporaryDirectory('pcapng-errors');

/**
 * Section header (28 bytes at 0), one interface (20 bytes at 28), then `count` enhanced packet
 * blocks of 132 bytes (100 bytes of data): block k starts at 48 + 132·k.
 */
function pcapng(count: number, bigEndian = false): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { bigEndian, interfaces: [{ linkType: 1 }] });
    for (let i = 0; i < count; i++) writer.write({ seconds: 1000 + i, nanos: 0, data: packetBytes(100, i) });
  });
}

const blockStart = (k: number): number => 48 + 132 * k;

function patched(bytes: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = new Uint8Array(bytes);
  patch(new DataView(copy.buffer));
  return copy;
}

/** A raw block (type, length, body, trailer) in little-endian order; `length` may lie. */
function rawBlock(type: number, body: Uint8Array, length = 12 + body.length, trailer = length): Uint8Array {
  const block = new Uint8Array(12 + body.length);
  const view = new DataView(block.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, length, true);
  block.set(body, 8);
  view.setUint32(8 + body.length, trailer, true);
  return block;
}

describe('pcapng damage', () => {
  for (const bigEndian of [false, true]) {
    it(`checks block lengths (${bigEndian ? 'big' : 'little'}-endian)`, async () => {
      const base = pcapng(3, bigEndian);
      const le = !bigEndian;
      await expectFailure(file(`odd-${bigEndian}`), patched(base, (view) => view.setUint32(blockStart(1) + 4, 130, le)), {
        kind: 'damaged',
        message: 'block at byte offset 180: block length 130 is not a multiple of 4',
        framesRead: 1,
      });
      await expectFailure(file(`short-${bigEndian}`), patched(base, (view) => view.setUint32(blockStart(1) + 4, 28, le)), {
        kind: 'damaged',
        message: 'block at byte offset 180: block length 28 is below the minimum of 32',
        framesRead: 1,
      });
      await expectFailure(file(`trailer-${bigEndian}`), patched(base, (view) => view.setUint32(blockStart(2) - 4, 999, le)), {
        kind: 'damaged',
        message: 'block at byte offset 180: trailing block length 999 differs from leading length 132',
        framesRead: 1,
      });
    });
  }

  it('checks blocks below 12 bytes and the trailer of skipped blocks', async () => {
    const base = pcapng(2);
    const tiny = rawBlock(0x999, new Uint8Array(0), 8);
    await expectFailure(file('tiny'), concatBytes([base, tiny]), {
      kind: 'damaged',
      message: 'block at byte offset 312: block length 8 is below the minimum of 12',
      framesRead: 2,
    });
    const skipped = rawBlock(BLOCK_CUSTOM, packetBytes(40, 1), 52, 56);
    await expectFailure(file('skipped-trailer'), concatBytes([base, skipped, pcapng(1).subarray(48)]), {
      kind: 'damaged',
      message: 'block at byte offset 312: trailing block length 56 differs from leading length 52',
      framesRead: 2,
    });
  });

  it('refuses header blocks over 1 MiB', async () => {
    const base = pcapng(2);
    const hugeSection = patched(pcapng(0).subarray(0, 28), (view) => view.setUint32(4, 2 * 1024 * 1024, true));
    await expectFailure(file('huge-shb'), concatBytes([base, hugeSection]), {
      kind: 'damaged',
      message: 'block at byte offset 312: header block of 2097152 bytes is over 1 MiB',
      framesRead: 2,
    });
    // Damage in the first section header: nothing was read, so the file is unreadable (exit 3).
    await expectFailure(file('huge-first-shb'), hugeSection, {
      kind: 'unreadable',
      message: 'block at byte offset 0: header block of 2097152 bytes is over 1 MiB',
      framesRead: 0,
      format: 'pcapng',
    });
    await expectFailure(file('huge-idb'), patched(base, (view) => view.setUint32(28 + 4, 0x7ffffff0, true)), {
      kind: 'damaged',
      message: 'block at byte offset 28: header block of 2147483632 bytes is over 1 MiB',
      framesRead: 0,
    });
  });

  it('checks the captured length of packet blocks', async () => {
    const base = pcapng(3);
    await expectFailure(file('caplen-room'), patched(base, (view) => view.setUint32(blockStart(1) + 20, 104, true)), {
      kind: 'damaged',
      message: 'frame 2 (block at byte offset 180): captured length 104 exceeds the 100 bytes of packet data in its block',
      framesRead: 1,
    });
    await expectFailure(file('caplen-absurd'), patched(base, (view) => view.setUint32(blockStart(2) + 20, 300_000, true)), {
      kind: 'damaged',
      message: 'frame 3 (block at byte offset 312): captured length 300000 is absurd (over 256 KiB)',
      framesRead: 2,
    });
  });

  it('refuses a packet block that claims 4 GB without allocating it', async () => {
    const base = pcapng(3);
    await expectFailure(file('epb-4gb'), patched(base, (view) => view.setUint32(blockStart(1) + 4, 0xfffffff0, true)), {
      kind: 'damaged',
      message: 'frame 2 (block at byte offset 180): packet block of 4294967280 bytes is too large (over 393248)',
      framesRead: 1,
    });
  });

  it('stream-skips a non-packet block that claims 4 GB and reports where the file ends', async () => {
    const base = pcapng(3);
    const claim = rawBlock(0x12345678, packetBytes(1000, 3), 0xfffffff0);
    await expectFailure(file('skip-4gb'), concatBytes([base, claim]), {
      kind: 'truncated',
      message: 'truncated after frame 3: record of 4294967280 bytes cut at 1012',
      framesRead: 3,
    });
  });

  it('refuses packets of interfaces that were never described', async () => {
    const base = pcapng(3);
    await expectFailure(file('no-interface'), patched(base, (view) => view.setUint32(blockStart(1) + 8, 5, true)), {
      kind: 'damaged',
      message: 'frame 2 (block at byte offset 180): interface 5 was never described',
      framesRead: 1,
    });
    const sectionWithoutInterfaces = captureToBuffer((sink) => new PcapngWriter(sink, { interfaces: [] }));
    const simple = rawBlock(3, Uint8Array.of(4, 0, 0, 0, 1, 2, 3, 4));
    await expectFailure(file('simple-no-interface'), concatBytes([base, sectionWithoutInterfaces, simple]), {
      kind: 'damaged',
      message: 'frame 4 (block at byte offset 472): interface 0 was never described',
      framesRead: 3,
    });
  });

  it('refuses a bad byte-order magic, an unknown version and an overrunning option', async () => {
    // At byte 0 nothing has been read yet: unreadable (exit 3), not damaged part-way.
    await expectFailure(file('bom'), patched(pcapng(1), (view) => view.setUint32(8, 0x11223344, false)), {
      kind: 'unreadable',
      message: 'block at byte offset 0: section header byte-order magic 0x11223344 is invalid',
      framesRead: 0,
      format: 'pcapng',
    });
    await expectFailure(file('version'), patched(pcapng(1), (view) => view.setUint16(12, 2, true)), {
      kind: 'unreadable',
      message: 'block at byte offset 0: unsupported pcapng version 2.0',
      framesRead: 0,
      format: 'pcapng',
    });
    const option = Uint8Array.of(1, 0, 0, 0, 0, 0, 4, 0, 9, 0, 40, 0, 6, 0, 0, 0);
    await expectFailure(file('option'), concatBytes([pcapng(0), rawBlock(1, option)]), {
      kind: 'damaged',
      message: 'block at byte offset 48: interface option 9 of 40 bytes runs past the end of its block',
      framesRead: 0,
    });
  });

  it('reports truncation with the frame before it', async () => {
    const base = pcapng(3);
    await expectFailure(file('cut-shb-short'), base.subarray(0, 8), { kind: 'truncated', message: 'truncated file header (8 of 28 bytes)', framesRead: 0 });
    await expectFailure(file('cut-shb'), base.subarray(0, 20), { kind: 'truncated', message: 'truncated file header (20 of 28 bytes)', framesRead: 0 });
    await expectFailure(file('cut-header'), base.subarray(0, blockStart(2) + 6), {
      kind: 'truncated',
      message: 'truncated after frame 2: record header of 8 bytes cut at 6',
      framesRead: 2,
    });
    await expectFailure(file('cut-after-length'), base.subarray(0, blockStart(2) + 10), {
      kind: 'truncated',
      message: 'truncated after frame 2: record of 132 bytes cut at 10',
      framesRead: 2,
    });
    await expectFailure(file('cut-data'), base.subarray(0, blockStart(2) + 50), {
      kind: 'truncated',
      message: 'truncated after frame 2: record of 132 bytes cut at 50',
      framesRead: 2,
    });
    await expectFailure(file('cut-idb'), base.subarray(0, 40), {
      kind: 'truncated',
      message: 'truncated after frame 0: record of 20 bytes cut at 12',
      framesRead: 0,
    });
    const custom = rawBlock(BLOCK_CUSTOM, packetBytes(64, 5));
    await expectFailure(file('cut-trailer'), concatBytes([base, custom]).subarray(0, base.length + 74), {
      kind: 'truncated',
      message: 'truncated after frame 3: record of 76 bytes cut at 74',
      framesRead: 3,
    });
    await expectFailure(file('cut-before-length-check'), concatBytes([base, rawBlock(0x999, new Uint8Array(0), 10)]).subarray(0, base.length + 9), {
      kind: 'damaged',
      message: 'block at byte offset 444: block length 10 is not a multiple of 4',
      framesRead: 3,
    });
  });
});
