import { CaptureByteSource } from './capture-source.js';
import { CaptureError } from './capture-error.js';
import type { CaptureParser } from './capture-parser.js';
import type { CaptureSummary } from './capture-summary.js';
import { inputFailure } from './input-errors.js';
import { BLOCK_SECTION_HEADER } from './pcapng-blocks.js';
import { isPcapMagic, PcapParser } from './pcap-parser-state.js';
import { PcapngParser } from './pcapng-parser.js';
import type { CaptureRecord } from './record.js';

/*
 * Why hand-written rather than the npm package pcap-parser: see pcap-parser-state.ts. In short it
 * is about 20× slower (it re-copies its buffer and emits events per packet) and only reads
 * microsecond classic pcap; this reader also reads nanosecond pcap, pcapng and gzip.
 */

export interface ReadOptions {
  /** The stream read when path is '-' (default: standard input). */
  input?: NodeJS.ReadableStream;
  /** Called after each input chunk with the bytes read so far (compressed bytes for gzip input). */
  onProgress?: (bytesConsumed: number) => void;
  /** Parse in pieces of at most this many bytes (default 1 MiB); tests use tiny sizes. */
  chunkSize?: number;
  /** Awaited between input chunks: lets a slow consumer of the records hold the reading back. */
  afterChunk?: () => Promise<void>;
}

const DEFAULT_CHUNK_SIZE = 1024 * 1024;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const MAGIC_LENGTH = 4;

/**
 * Streams every packet record of a pcap or pcapng capture (optionally gzipped) to onRecord, in
 * file order, then tells what the file held. The format is sniffed from the first bytes, never
 * from the name. `path` '-' reads options.input or standard input.
 *
 * onRecord gets one reused record whose bytes point into the current chunk: valid only during the
 * call. On bad input, every good record before the damage is delivered first, then a CaptureError
 * is thrown (its message names no file: the caller adds that).
 */
export async function readCapture(
  path: string,
  onRecord: (record: CaptureRecord) => void,
  options: ReadOptions = {},
): Promise<CaptureSummary> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize ${chunkSize} is not a positive integer`);
  const source = await CaptureByteSource.open(path, options.input, chunkSize);
  try {
    let parser: CaptureParser;
    let compressed = false;
    let head = await readHead(source);
    if (head.length >= MAGIC_LENGTH && head.bytes[0] === GZIP_MAGIC_0 && head.bytes[1] === GZIP_MAGIC_1) {
      compressed = true;
      source.pushBack(head.chunks);
      source.gunzip();
      head = await readHead(source);
    }
    if (head.length < MAGIC_LENGTH) {
      throw new CaptureError('not-a-capture', `not a capture file (only ${head.length} byte${head.length === 1 ? '' : 's'})`, 0);
    }
    const magic = ((head.bytes[0] << 24) | (head.bytes[1] << 16) | (head.bytes[2] << 8) | head.bytes[3]) >>> 0;
    let format: CaptureSummary['format'];
    if (isPcapMagic(magic)) {
      format = 'pcap';
      parser = new PcapParser(onRecord);
    } else if (magic === BLOCK_SECTION_HEADER) {
      format = 'pcapng';
      parser = new PcapngParser(onRecord);
    } else {
      const hex = magic.toString(16).padStart(8, '0');
      throw new CaptureError('not-a-capture', `not a capture file (magic 0x${hex} is neither pcap nor pcapng)`, 0);
    }
    source.pushBack(head.chunks);
    let bytes = 0;
    try {
      for (;;) {
        const chunk = await pull(source, parser.frames);
        if (chunk === null) break;
        bytes += chunk.length;
        pushInPieces(parser, chunk, chunkSize);
        options.onProgress?.(source.rawBytesRead);
        if (options.afterChunk !== undefined) await options.afterChunk();
      }
      parser.finish();
    } catch (caught) {
      // A truncated or damaged file still has a known format: the report says which.
      if (caught instanceof CaptureError) caught.format ??= format;
      throw caught;
    }
    return { format, compressed, frames: parser.frames, bytes, linkTypes: parser.linkTypeCounts() };
  } finally {
    await source.close().catch(() => undefined);
  }
}

function pushInPieces(parser: CaptureParser, chunk: Uint8Array, chunkSize: number): void {
  if (chunk.length <= chunkSize) {
    parser.push(chunk);
    return;
  }
  for (let from = 0; from < chunk.length; from += chunkSize) {
    parser.push(chunk.subarray(from, Math.min(from + chunkSize, chunk.length)));
  }
}

interface Head {
  chunks: Uint8Array[];
  /** The first (up to) MAGIC_LENGTH bytes. */
  bytes: Uint8Array;
  length: number;
}

/** Pulls chunks until the magic number is complete (or the input ends). */
async function readHead(source: CaptureByteSource): Promise<Head> {
  const chunks: Uint8Array[] = [];
  const bytes = new Uint8Array(MAGIC_LENGTH);
  let length = 0;
  while (length < MAGIC_LENGTH) {
    const chunk = await pull(source, 0);
    if (chunk === null) break;
    if (chunk.length === 0) continue;
    // A copy: the source may reuse a chunk's memory once the next one is pulled (once per file).
    chunks.push(new Uint8Array(chunk));
    const take = Math.min(MAGIC_LENGTH - length, chunk.length);
    bytes.set(chunk.subarray(0, take), length);
    length += take;
  }
  return { chunks, bytes, length };
}

/** The next input chunk; read and gzip errors become CaptureErrors (a callback's own go through). */
async function pull(source: CaptureByteSource, framesRead: number): Promise<Uint8Array | null> {
  try {
    return await source.next();
  } catch (error) {
    throw inputFailure(error, framesRead);
  }
}
