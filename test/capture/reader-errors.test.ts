import { mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { captureToBuffer, writeCaptureFile } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { expectFailure } from './support/expect-failure.js';
import { packetBytes, readAll, temporaryDirectory } from './support/read-all.js';

const file = temporaryDirectory('errors');

/** A µs little-endian pcap of `count` 100-byte packets: record k starts at 24 + k·116. */
function pcap(count: number, options: { snapLength?: number; nanosecond?: boolean } = {}): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1, ...options });
    for (let i = 0; i < count; i++) writer.write({ seconds: 1000 + i, nanos: 0, data: packetBytes(100, i) });
  });
}

const recordStart = (k: number): number => 24 + k * 116;

function patched(bytes: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = new Uint8Array(bytes);
  patch(new DataView(copy.buffer));
  return copy;
}

describe('not a capture', () => {
  it('says how few bytes an empty or tiny file has', async () => {
    await expectFailure(file('empty'), new Uint8Array(0), { kind: 'not-a-capture', message: 'not a capture file (only 0 bytes)', framesRead: 0 });
    await expectFailure(file('one'), Uint8Array.of(0xd4), { kind: 'not-a-capture', message: 'not a capture file (only 1 byte)', framesRead: 0 });
    await expectFailure(file('three'), Uint8Array.of(0xd4, 0xc3, 0xb2), { kind: 'not-a-capture', message: 'not a capture file (only 3 bytes)', framesRead: 0 });
  });

  it('names an unknown magic number', async () => {
    const bytes = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0);
    await expectFailure(file('magic'), bytes, {
      kind: 'not-a-capture',
      message: 'not a capture file (magic 0x12345678 is neither pcap nor pcapng)',
      framesRead: 0,
    });
  });

  it('sniffs the content of a gzip file again, not its name', async () => {
    await expectFailure(file('text.pcap.gz'), new TextEncoder().encode('hello, world'), {
      kind: 'not-a-capture',
      message: 'not a capture file (magic 0x68656c6c is neither pcap nor pcapng)',
      framesRead: 0,
    }, true);
  });

  it('reports a missing file or a directory as unreadable, without the path', async () => {
    const missing = await readAll(file('does-not-exist.pcap'));
    expect(missing.error).toMatchObject({ kind: 'unreadable', message: 'cannot open: no such file', framesRead: 0 });
    expect(missing.error!.exitCode).toBe(3);
    const directory = file('a-directory');
    mkdirSync(directory);
    const outcome = await readAll(directory);
    expect(outcome.error).toMatchObject({ kind: 'unreadable', message: 'cannot open: is a directory' });
  });
});

describe('classic pcap damage', () => {
  it('reports a cut file header', async () => {
    await expectFailure(file('header'), pcap(0).subarray(0, 10), { kind: 'truncated', message: 'truncated file header (10 of 24 bytes)', framesRead: 0 });
  });

  it('rejects a pcap version it cannot read', async () => {
    const bytes = patched(pcap(1), (view) => view.setUint16(4, 3, true));
    // Nothing was read: exit 3 (unreadable), not 4 (damaged part-way).
    await expectFailure(file('version'), bytes, { kind: 'unreadable', message: 'unsupported pcap version 3.4', framesRead: 0, format: 'pcap' });
  });

  it('delivers every frame before a cut record header', async () => {
    const bytes = pcap(4).subarray(0, recordStart(3) + 5);
    await expectFailure(file('record-header'), bytes, {
      kind: 'truncated',
      message: 'truncated after frame 3: record header of 16 bytes cut at 5',
      framesRead: 3,
    });
  });

  it('delivers every frame before cut record data', async () => {
    const bytes = pcap(4).subarray(0, recordStart(3) + 66);
    await expectFailure(file('record-data'), bytes, {
      kind: 'truncated',
      message: 'truncated after frame 3: record of 116 bytes cut at 66',
      framesRead: 3,
    });
  });

  it('rejects a captured length above the snap length', async () => {
    const bytes = patched(pcap(3), (view) => view.setUint32(16, 100, true));
    const shrunk = patched(bytes, (view) => view.setUint32(recordStart(1) + 8, 101, true));
    await expectFailure(file('snap'), shrunk, {
      kind: 'damaged',
      message: 'frame 2: captured length 101 exceeds snap length 100',
      framesRead: 1,
    });
  });

  it('rejects an absurd captured length even without a snap length', async () => {
    for (const snapLength of [0, 262144]) {
      const bytes = patched(pcap(3, { snapLength }), (view) => view.setUint32(recordStart(2) + 8, 300_000, true));
      await expectFailure(file(`absurd-${snapLength}`), bytes, {
        kind: 'damaged',
        message: 'frame 3: captured length 300000 is absurd (over 256 KiB)',
        framesRead: 2,
      });
    }
  });

  it('keeps the exit codes of the error kinds', async () => {
    const outcome = await readAll(file('snap'));
    expect(outcome.error!.exitCode).toBe(4);
  });
});

describe('gzip damage', () => {
  it('reports gzip data that ends early as truncated, after the frames it held', async () => {
    const compressed = gzipSync(pcap(3));
    // Without its 8-byte trailer the deflate stream is complete: every frame comes out first.
    await expectFailure(file('cut.pcap.gz'), compressed.subarray(0, compressed.length - 8), {
      kind: 'truncated',
      message: 'truncated after frame 3: gzip data cut short',
      framesRead: 3,
    });
  });

  it('reports a bad gzip checksum as damaged, after every frame', async () => {
    const compressed = gzipSync(pcap(3000));
    const badChecksum = patched(compressed, (view) => view.setUint8(compressed.length - 8, view.getUint8(compressed.length - 8) ^ 0xff));
    const path = file('crc.pcap.gz');
    await writeCaptureFile(path, badChecksum);
    for (const chunkSize of [undefined, 1000]) {
      const { records, error } = await readAll(path, { chunkSize });
      expect(error?.kind).toBe('damaged');
      // The trailer is checked after its member's data was delivered: nothing is withheld.
      expect(records.length).toBe(3000);
      expect(error?.framesRead).toBe(3000);
      expect(error?.message).toBe('corrupt gzip data after frame 3000 (gzip member at byte offset 0: CRC-32 mismatch)');
    }
  });

  it('reports a bad first gzip header as not a capture (nothing was read)', async () => {
    const compressed = gzipSync(pcap(3));
    const badMethod = patched(compressed, (view) => view.setUint8(2, 7));
    await expectFailure(file('method.pcap.gz'), badMethod, {
      kind: 'not-a-capture',
      message: 'corrupt gzip data after frame 0 (gzip header at byte offset 0: unknown compression method 7)',
      framesRead: 0,
      // The gzip header is bad: no capture byte was ever seen.
      format: null,
    });
  });
});

describe('errors that are not about the capture', () => {
  it('lets an exception of the record callback through unchanged', async () => {
    const path = file('callback.pcap');
    await writeCaptureFile(path, pcap(3));
    const failure = new Error('consumer failed');
    let calls = 0;
    const reading = readCapture(path, () => {
      calls += 1;
      if (calls === 2) throw failure;
    });
    await expect(reading).rejects.toBe(failure);
    expect(calls).toBe(2);
  });

  it('refuses a chunk size that is not a positive integer', async () => {
    await expect(readCapture(file('callback.pcap'), () => undefined, { chunkSize: 0 })).rejects.toThrow(RangeError);
  });

  it('is a CaptureError with the documented fields', async () => {
    const outcome = await readAll(file('does-not-exist'));
    expect(outcome.error).toBeInstanceOf(CaptureError);
  });
});
