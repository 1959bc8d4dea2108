import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { copyRecord, packetBytes, toHex, type CopiedRecord } from './support/read-all.js';

function sample(): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1, tsresol: 9 }] });
    for (let i = 0; i < 20; i++) writer.write({ seconds: 1_500_000_000 + i, nanos: i * 1001, data: packetBytes(30 + i, i) });
  });
}

/** A stream that hands the bytes over in pieces of the given sizes, in turn. */
function streamOf(bytes: Uint8Array, pieces: number[]): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = pieces[i % pieces.length];
    chunks.push(Buffer.from(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  return Readable.from(chunks);
}

async function readStream(input: NodeJS.ReadableStream): Promise<{ records: CopiedRecord[]; progress: number[] }> {
  const records: CopiedRecord[] = [];
  const progress: number[] = [];
  await readCapture('-', (record) => records.push(copyRecord(record)), { input, onProgress: (bytes) => progress.push(bytes) });
  return { records, progress };
}

describe("reading '-' from a stream", () => {
  it('reads a capture that arrives in odd pieces', async () => {
    const bytes = sample();
    const { records, progress } = await readStream(streamOf(bytes, [1, 2, 3, 50, 7]));
    expect(records).toHaveLength(20);
    expect(records[19]).toMatchObject({ frame: 20, seconds: 1_500_000_019, nanos: 19 * 1001, precision: 9, hex: toHex(packetBytes(49, 19)) });
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('sniffs gzip on a stream and reports compressed progress', async () => {
    const compressed = gzipSync(sample());
    const { records, progress } = await readStream(streamOf(compressed, [3, 100]));
    expect(records).toHaveLength(20);
    expect(progress.at(-1)).toBe(compressed.length);
  });

  it('delivers the frames before a stream that fails, then reports it unreadable', async () => {
    const bytes = sample();
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from(bytes.subarray(0, 500));
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    const records: number[] = [];
    const reading = readCapture('-', (record) => records.push(record.frame), { input: Readable.from(failing()) });
    await expect(reading).rejects.toMatchObject({ kind: 'unreadable', message: 'cannot read: input/output error' });
    const error: unknown = await reading.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).framesRead).toBe(records.length);
    expect(records.length).toBeGreaterThan(0);
  });

  it('refuses a stream that delivers text', async () => {
    const text = Readable.from(['not bytes'], { objectMode: true });
    await expect(readCapture('-', () => undefined, { input: text })).rejects.toMatchObject({ kind: 'unreadable' });
  });

  it('awaits afterChunk between chunks', async () => {
    const order: string[] = [];
    await readCapture('-', (record) => order.push(`frame ${record.frame}`), {
      input: streamOf(sample(), [2000]),
      afterChunk: async () => {
        order.push('after');
        await Promise.resolve();
      },
    });
    expect(order.filter((entry) => entry === 'after').length).toBeGreaterThanOrEqual(1);
    expect(order.at(-1)).toBe('after');
  });
});

describe('reading a named pipe by path', () => {
  it('copes with reads that return a few bytes at a time', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'teredoscope-fifo-'));
    const fifo = join(directory, 'capture.pcapng');
    execFileSync('mkfifo', [fifo]);
    const bytes = sample();
    const writing = (async () => {
      const handle = await open(fifo, 'w');
      // First a piece shorter than the magic number, then odd pieces with pauses between.
      for (let offset = 0, i = 0; offset < bytes.length; i++) {
        const size = [2, 1, 300, 5, 1000][i % 5];
        await handle.write(bytes.subarray(offset, offset + size));
        offset += size;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await handle.close();
    })().catch((error: unknown) => error);
    const records: CopiedRecord[] = [];
    const summary = await readCapture(fifo, (record) => records.push(copyRecord(record)));
    expect(await writing).toBeUndefined();
    expect(summary.frames).toBe(20);
    expect(records.map((record) => record.hex)).toEqual(Array.from({ length: 20 }, (_, i) => toHex(packetBytes(30 + i, i))));
  });
});
