import { open, type FileHandle } from 'node:fs/promises';
import { CaptureError } from './capture-error.js';
import { fileSystemPath } from './file-name.js';
import { GzipMembers } from './gzip-members.js';
import { cannotOpen } from './input-errors.js';
import { StreamChunks } from './stream-chunks.js';

const MIN_READ_SIZE = 64 * 1024;
/** Smallest read for a small regular file (sized to the file, not to the chunk). */
const SMALL_FILE_READ_SIZE = 4 * 1024;
const GUNZIP_PIECE_SIZE = 64 * 1024;

/**
 * The bytes of one capture, pulled chunk by chunk from a file or a stream, optionally through
 * gunzip. Pulling is what paces the reading, so memory stays at a few chunks whatever the size.
 */
export class CaptureByteSource {
  /** Bytes pulled from the file or stream so far (compressed bytes when gunzipping). */
  rawBytesRead = 0;
  private readonly raw: AsyncIterator<Uint8Array | string>;
  private chunks: AsyncIterator<Uint8Array | string>;
  private readonly handle: FileHandle | null;
  private readonly chunkSize: number;
  private readonly pushedBack: Uint8Array[] = [];

  private constructor(raw: AsyncIterator<Uint8Array | string>, handle: FileHandle | null, chunkSize: number) {
    this.raw = raw;
    this.chunks = raw;
    this.handle = handle;
    this.chunkSize = chunkSize;
  }

  /**
   * Opens a file (`path`, whose bytes that are not UTF-8 are kept as in file-name.ts), or takes
   * `input` (default standard input) when path is '-'.
   */
  static async open(path: string, input: NodeJS.ReadableStream | undefined, chunkSize: number): Promise<CaptureByteSource> {
    if (path === '-') {
      const stream = input ?? process.stdin;
      return new CaptureByteSource(new StreamChunks(stream), null, chunkSize);
    }
    let handle: FileHandle;
    try {
      handle = await open(fileSystemPath(path), 'r');
    } catch (error) {
      throw cannotOpen(error);
    }
    let directory = false;
    let regular = false;
    let size = 0;
    try {
      const stats = await handle.stat();
      directory = stats.isDirectory();
      regular = stats.isFile();
      size = stats.size;
    } catch (error) {
      await handle.close();
      throw cannotOpen(error);
    }
    if (directory) {
      await handle.close();
      throw new CaptureError('unreadable', 'cannot open: is a directory', 0);
    }
    // Reads are never tiny, even when the parser is fed tiny pieces: a system call per few bytes
    // would dominate. Nor larger than the file: a ring of ten thousand one-packet files must not
    // allocate three 1 MiB buffers each (the garbage collector then took most of the time).
    let readSize = Math.max(chunkSize, MIN_READ_SIZE);
    if (regular && size < readSize) readSize = Math.max(SMALL_FILE_READ_SIZE, 2 ** Math.ceil(Math.log2(size + 1)));
    return new CaptureByteSource(new FileChunks(handle, readSize, regular), handle, chunkSize);
  }

  /** The next chunk, or null at the end. Read and gzip errors are thrown as they come. */
  async next(): Promise<Uint8Array | null> {
    const held = this.pushedBack.shift();
    if (held !== undefined) return held;
    const result = await this.chunks.next();
    if (result.done === true) return null;
    const chunk = asBytes(result.value);
    if (this.chunks === this.raw) this.rawBytesRead += chunk.length;
    return chunk;
  }

  /** Hands chunks back to be returned again, in order, by the next calls of next(). */
  pushBack(chunks: Uint8Array[]): void {
    this.pushedBack.unshift(...chunks);
  }

  /** From now on, next() returns the gunzipped bytes of everything not yet returned. */
  gunzip(): void {
    if (this.raw instanceof FileChunks) this.raw.recycle = false;
    const pending = this.pushedBack.splice(0);
    const compressed = this.compressedChunks(pending);
    const pull = async (): Promise<Uint8Array | null> => {
      const result = await compressed.next();
      return result.done === true ? null : result.value;
    };
    // Small output pieces: when deflate data turns out corrupt, zlib drops the piece it was
    // producing, so this bounds what is lost before the damage (and the memory held).
    this.chunks = new GzipMembers(pull, Math.min(Math.max(64, this.chunkSize), GUNZIP_PIECE_SIZE));
  }

  async close(): Promise<void> {
    try {
      if (this.chunks !== this.raw) await this.chunks.return?.();
      await this.raw.return?.();
    } finally {
      await this.handle?.close();
    }
  }

  private async *compressedChunks(pending: Uint8Array[]): AsyncGenerator<Uint8Array> {
    yield* pending;
    for (;;) {
      const result = await this.raw.next();
      if (result.done === true) return;
      const chunk = asBytes(result.value);
      this.rawBytesRead += chunk.length;
      yield chunk;
    }
  }
}

/** Reads in flight ahead of the chunk being parsed, for regular files. */
const READ_AHEAD_DEPTH = 2;

interface PendingRead {
  /** File offset the read starts at (-1: the handle's current position, for pipes and devices). */
  position: number;
  /** Ring buffer the read fills (-1: a fresh buffer). */
  slot: number;
  chunk: Promise<Uint8Array>;
}

/**
 * Reads a file in chunks, starting the next reads before a chunk is handed out so that the disk
 * works while the parser does. A regular file gets READ_AHEAD_DEPTH reads in flight at explicit
 * offsets: with a single one, the parser waited for the thread pool's hand-over after every chunk
 * and spent half of a bare read of a page-cached file idle. Anything else (a named pipe) is read
 * one chunk ahead at its current position. Buffers are reused in a ring: a chunk stays intact until
 * the chunk after it has been pulled, which is all the reader needs (it parses a chunk before
 * pulling the next). Reusing them matters: a fresh 1 MiB buffer per read costs more in page faults
 * than parsing it. Once `recycle` is off (gunzip queues chunks it has not consumed yet) every read
 * gets a new one.
 */
class FileChunks implements AsyncIterator<Uint8Array> {
  recycle = true;
  private readonly handle: FileHandle;
  private readonly chunkSize: number;
  private readonly positioned: boolean;
  private readonly buffers: Buffer[] = [];
  private turn = 0;
  private readonly pending: PendingRead[] = [];
  /** Offset of the next read to issue (positioned reads only). */
  private position = 0;
  private ended = false;

  constructor(handle: FileHandle, chunkSize: number, regular: boolean) {
    this.handle = handle;
    this.chunkSize = chunkSize;
    this.positioned = regular;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.ended) return { done: true, value: undefined };
    this.issueReads();
    const read = this.pending.shift()!;
    const chunk = await read.chunk;
    if (chunk.length === 0) return this.return();
    if (this.positioned && chunk.length < this.chunkSize) {
      // A short read before the end of the file (rare): the reads issued after it start too far on.
      await this.discardPending();
      this.position = read.position + chunk.length;
      // The ring goes on after this chunk's buffer, which must stay intact until the next pull.
      if (read.slot >= 0) this.turn = read.slot;
    }
    this.issueReads();
    return { done: false, value: chunk };
  }

  /** Waits for the reads still in flight (their outcome no longer matters) so the handle can close. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    this.ended = true;
    await this.discardPending();
    return { done: true, value: undefined };
  }

  private async discardPending(): Promise<void> {
    const reads = this.pending.splice(0);
    for (const read of reads) await read.chunk.catch(() => undefined);
  }

  private issueReads(): void {
    const depth = this.positioned ? READ_AHEAD_DEPTH : 1;
    while (this.pending.length < depth) {
      const position = this.positioned ? this.position : -1;
      if (this.positioned) this.position += this.chunkSize;
      let slot = -1;
      let buffer: Buffer;
      if (this.recycle) {
        // One more buffer than reads in flight: the chunk being parsed keeps its own.
        slot = this.turn = (this.turn + 1) % (READ_AHEAD_DEPTH + 1);
        buffer = this.buffers[slot] ??= Buffer.allocUnsafeSlow(this.chunkSize);
      } else {
        buffer = Buffer.allocUnsafeSlow(this.chunkSize);
      }
      const chunk = this.read(buffer, position);
      // A failed read-ahead is reported when its chunk is asked for, not as an unhandled rejection.
      chunk.catch(() => undefined);
      this.pending.push({ position, slot, chunk });
    }
  }

  private async read(buffer: Buffer, position: number): Promise<Uint8Array> {
    const { bytesRead } = await this.handle.read(buffer, 0, this.chunkSize, position < 0 ? null : position);
    return buffer.subarray(0, bytesRead);
  }
}

function asBytes(chunk: Uint8Array | string): Uint8Array {
  if (typeof chunk === 'string') {
    throw new CaptureError('unreadable', 'cannot read: the input stream delivers text, not bytes', 0);
  }
  return chunk;
}
