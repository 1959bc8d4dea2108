import { concatBytes } from './capture-file.js';
import { CaptureByteSource } from './capture-source.js';
import { CaptureError } from './capture-error.js';
import { inputFailure } from './input-errors.js';
import { withPacketComments } from './packet-block-comments.js';
import {
  BLOCK_ENHANCED_PACKET,
  BLOCK_OBSOLETE_PACKET,
  BLOCK_SECTION_HEADER,
  BLOCK_SIMPLE_PACKET,
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  isNonPacketFrame,
  MAX_DESCRIPTION_BLOCK,
  MAX_PACKET_BLOCK,
} from './pcapng-blocks.js';
import { PcapngWriter } from './pcapng-writer.js';
import { readCapture } from './reader.js';
import { recordBytes } from './record.js';

export interface CommentCopyResult {
  /** Format of the input; the output is always pcapng. */
  format: 'pcap' | 'pcapng';
  frames: number;
  /** Packets that got at least one comment. */
  commented: number;
  /** Frames that had comments to take but could not (simple packet blocks, unparsable options). */
  uncommentable: number[];
}

/** Writes one output chunk; awaited, so a slow file holds the reading back. */
export type CopySink = (chunk: Uint8Array) => Promise<void>;

const CHUNK_SIZE = 1024 * 1024;
const MAX_UNCOMMENTABLE_LISTED = 100;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Copies a pcap or pcapng capture to pcapng with packet comments (opt_comment) added to the frames
 * `comments` names (Wireshark frame numbers). A pcapng input is copied block by block: every
 * block (sections, interfaces, name resolution, statistics, custom…) and every packet byte,
 * timestamp, interface and existing option stays as it was, and a commented packet block only
 * gains options. A pcap input becomes one section with one interface of its link type and
 * timestamp resolution. Gzipped input is read too. Throws a CaptureError on input that is not a
 * capture, or after copying the good part of a truncated or damaged one.
 */
export async function copyWithComments(path: string, comments: ReadonlyMap<number, readonly string[]>, sink: CopySink): Promise<CommentCopyResult> {
  const { source, head } = await openInflated(path);
  // The reader names every other case (not a capture, empty); only pcapng is copied by blocks.
  if (head.length >= 4 && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false) === BLOCK_SECTION_HEADER) return copyPcapng(source, comments, sink);
  await source.close().catch(() => undefined);
  return copyPcap(path, comments, sink);
}

/** The file as a byte source, gunzipped when it is gzip, and its first capture bytes (left in the source). */
async function openInflated(path: string): Promise<{ source: CaptureByteSource; head: Uint8Array }> {
  const source = await CaptureByteSource.open(path, undefined, CHUNK_SIZE);
  try {
    let head = await readHead(source);
    if (head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1) {
      source.pushBack([head]);
      source.gunzip();
      head = await readHead(source);
    }
    source.pushBack([head]);
    return { source, head };
  } catch (error) {
    await source.close().catch(() => undefined);
    throw error;
  }
}

async function readHead(source: CaptureByteSource): Promise<Uint8Array> {
  for (;;) {
    const chunk = await pull(source, 0);
    if (chunk === null) return new Uint8Array(0);
    if (chunk.length > 0) return new Uint8Array(chunk);
  }
}

async function copyPcap(path: string, comments: ReadonlyMap<number, readonly string[]>, sink: CopySink): Promise<CommentCopyResult> {
  const result: CommentCopyResult = { format: 'pcap', frames: 0, commented: 0, uncommentable: [] };
  let pending: Uint8Array[] = [];
  let toAdd: readonly string[] | undefined;
  let writer: PcapngWriter | null = null;
  let littleEndian = true;
  const collect = (block: Uint8Array): void => {
    if (toAdd === undefined) {
      pending.push(block);
      return;
    }
    const commented = withPacketComments(block, littleEndian, toAdd);
    pending.push(commented ?? block);
    if (commented !== null) result.commented += 1;
  };
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const chunk = concatBytes(pending);
    pending = [];
    await sink(chunk);
  };
  try {
    await readCapture(
      path,
      (record) => {
        if (writer === null) {
          writer = new PcapngWriter(collect, { interfaces: [{ linkType: record.linkType, tsresol: record.precision === 9 ? 9 : undefined }] });
          littleEndian = true;
        }
        toAdd = comments.get(record.frame);
        writer.write({ seconds: record.seconds, nanos: record.nanos, data: recordBytes(record), originalLength: record.originalLength });
        toAdd = undefined;
        result.frames = record.frame;
      },
      { chunkSize: CHUNK_SIZE, afterChunk: flush },
    );
  } finally {
    // The good part of a broken file is written before the error goes on.
    if (writer === null) writer = new PcapngWriter(collect, { interfaces: [] });
    await flush();
  }
  return result;
}

/** Where the block walker stands between chunks. */
interface WalkState {
  littleEndian: boolean;
  sections: number;
  /** An unfinished block needed whole (packet, section or interface header). */
  carry: Uint8Array | null;
  /** Bytes still to pass through of a block copied as it streams. */
  passRemaining: number;
  result: CommentCopyResult;
}

/** Copies the pcapng `source` (opened by openInflated; closed here) block by block, comments added. */
async function copyPcapng(source: CaptureByteSource, comments: ReadonlyMap<number, readonly string[]>, sink: CopySink): Promise<CommentCopyResult> {
  const state: WalkState = { littleEndian: true, sections: 0, carry: null, passRemaining: 0, result: { format: 'pcapng', frames: 0, commented: 0, uncommentable: [] } };
  try {
    for (;;) {
      const chunk = await pull(source, state.result.frames);
      if (chunk === null) break;
      const out: Uint8Array[] = [];
      walk(state, chunk, comments, out);
      if (out.length > 0) await sink(concatBytes(out));
    }
  } finally {
    await source.close().catch(() => undefined);
  }
  if (state.carry !== null || state.passRemaining > 0) {
    throw new CaptureError('truncated', `the file ends inside a block after frame ${state.result.frames}`, state.result.frames, 'pcapng');
  }
  return state.result;
}

/**
 * Copies the complete blocks of `chunk` (after any carried part) into `out`, comments added. The
 * parts pushed may be views into `chunk`: the caller copies them before the next chunk is pulled.
 */
function walk(state: WalkState, chunk: Uint8Array, comments: ReadonlyMap<number, readonly string[]>, out: Uint8Array[]): void {
  let bytes = chunk;
  if (state.carry !== null) {
    bytes = concatBytes([state.carry, chunk]);
    state.carry = null;
  }
  let at = 0;
  while (at < bytes.length) {
    if (state.passRemaining > 0) {
      const take = Math.min(state.passRemaining, bytes.length - at);
      out.push(bytes.subarray(at, at + take));
      state.passRemaining -= take;
      at += take;
      continue;
    }
    if (bytes.length - at < 12) {
      state.carry = bytes.slice(at);
      return;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, bytes.length - at);
    const type = view.getUint32(0, state.littleEndian);
    if (type === BLOCK_SECTION_HEADER) {
      const magic = view.getUint32(8, false);
      if (magic === BYTE_ORDER_MAGIC) state.littleEndian = false;
      else if (magic === BYTE_ORDER_MAGIC_SWAPPED) state.littleEndian = true;
      else throw damage(state, 'section header byte-order magic is invalid');
      state.sections += 1;
    } else if (state.sections === 0) {
      throw damage(state, 'the file does not start with a section header');
    }
    const length = view.getUint32(4, state.littleEndian);
    if (length % 4 !== 0 || length < 12) throw damage(state, `block length ${length} is invalid`);
    const packet = type === BLOCK_ENHANCED_PACKET || type === BLOCK_OBSOLETE_PACKET || type === BLOCK_SIMPLE_PACKET;
    const whole = packet || type === BLOCK_SECTION_HEADER;
    if (whole && length > (packet ? MAX_PACKET_BLOCK : MAX_DESCRIPTION_BLOCK)) throw damage(state, `block of ${length} bytes is too large`);
    if (!whole) {
      // Any other block streams through untouched, whatever its size.
      if (isNonPacketFrame(type)) state.result.frames += 1;
      state.passRemaining = length;
      continue;
    }
    if (bytes.length - at < length) {
      state.carry = bytes.slice(at);
      return;
    }
    const block = bytes.subarray(at, at + length);
    if (view.getUint32(length - 4, state.littleEndian) !== length) throw damage(state, 'trailing block length differs from the leading one');
    out.push(packet ? packetBlock(state, block, comments) : block);
    at += length;
  }
}

function packetBlock(state: WalkState, block: Uint8Array, comments: ReadonlyMap<number, readonly string[]>): Uint8Array {
  const frame = ++state.result.frames;
  const wanted = comments.get(frame);
  if (wanted === undefined || wanted.length === 0) return block;
  const commented = withPacketComments(block, state.littleEndian, wanted);
  if (commented !== null) {
    state.result.commented += 1;
    return commented;
  }
  if (state.result.uncommentable.length < MAX_UNCOMMENTABLE_LISTED) state.result.uncommentable.push(frame);
  return block;
}

function damage(state: WalkState, problem: string): CaptureError {
  return new CaptureError('damaged', `after frame ${state.result.frames}: ${problem}`, state.result.frames, 'pcapng');
}

async function pull(source: CaptureByteSource, framesRead: number): Promise<Uint8Array | null> {
  try {
    return await source.next();
  } catch (error) {
    throw inputFailure(error, framesRead);
  }
}
