import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/**
 * Why gzip input stopped early: cut short ('truncated'), not gzip past some point ('damaged'), or
 * not gzip from its first header on, when nothing was read ('not-a-capture').
 */
export class GzipDamage extends Error {
  readonly kind: 'truncated' | 'damaged' | 'not-a-capture';

  constructor(kind: 'truncated' | 'damaged' | 'not-a-capture', detail: string) {
    super(detail);
    this.name = 'GzipDamage';
    this.kind = kind;
  }
}

/**
 * Compressed bytes handed to the inflater at once, sized from the compression ratio seen so far so
 * that one step makes about FEED_OUTPUT bytes: the output of a step is held until the parser takes
 * it (and inflated buffers are garbage the collector frees late), while a step per kilobyte of
 * poorly compressed data would spend its time on the hand-over to zlib's thread.
 */
const MIN_FEED = 1024;
const MAX_FEED = 64 * 1024;
const FEED_OUTPUT = 64 * 1024;
/** A member header (file name, comment, extra field) longer than this is damage, not data. */
const MAX_HEADER = 1024 * 1024;
const TRAILER = 8;
const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;

const AT_HEADER = 0;
const IN_BODY = 1;
const AT_TRAILER = 2;
const FINISHED = 3;

/**
 * The decompressed bytes of gzip input, member after member (RFC 1952), for the capture reader.
 *
 * Why not zlib's Gunzip stream: when the input goes on after a member with bytes that are not
 * another member (trailing text, a corrupt second member), Gunzip fails inside the same native
 * write that finished the good member and drops that write's output, so the last packets before
 * the damage were lost (all of them in a small file). Here each member's deflate data goes through
 * its own raw inflater, which stops at the member's end and says how much it consumed; the gzip
 * framing (header, CRC-32 and size trailer, what follows) is read here, so everything inflated is
 * handed out before any error, and the error names the byte offset. Trailing zero bytes are
 * padding (as gzip and zlib treat them), anything else after the last member is damage.
 */
export class GzipMembers implements AsyncIterator<Uint8Array> {
  private readonly pullRaw: () => Promise<Uint8Array | null>;
  private readonly pieceSize: number;
  private state = AT_HEADER;
  /** Compressed bytes not consumed yet (always a copy: the raw source may reuse its buffers). */
  private pending: Uint8Array = new Uint8Array(0);
  /** Absolute offset in the compressed input of pending[0]. */
  private offset = 0;
  private rawEnded = false;
  private members = 0;
  private memberStart = 0;
  private inflater: InflateRaw | null = null;
  private inflaterEnded = false;
  private inflaterError: Error | null = null;
  /** Resolves the feed in progress: by the write's callback, or by an error that comes instead. */
  private settleFeed: (() => void) | null = null;
  private crc = 0;
  private size = 0;
  /** Compressed bytes for the next step (see MIN_FEED). */
  private feedSize = MIN_FEED;
  private readonly output: Uint8Array[] = [];
  private outputHead = 0;

  constructor(pullRaw: () => Promise<Uint8Array | null>, pieceSize: number) {
    this.pullRaw = pullRaw;
    this.pieceSize = pieceSize;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.outputHead < this.output.length) {
        const chunk = this.output[this.outputHead++];
        if (this.outputHead === this.output.length) {
          this.output.length = 0;
          this.outputHead = 0;
        }
        return { done: false, value: chunk };
      }
      if (this.state === FINISHED) return { done: true, value: undefined };
      if (this.state === AT_HEADER) await this.readHeader();
      else if (this.state === IN_BODY) await this.inflateSome();
      else await this.readTrailer();
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.state = FINISHED;
    this.inflater?.destroy();
    this.inflater = null;
    return { done: true, value: undefined };
  }

  /** Pulls one more raw chunk onto pending; false at the end of the input. */
  private async more(): Promise<boolean> {
    if (this.rawEnded) return false;
    const chunk = await this.pullRaw();
    if (chunk === null) {
      this.rawEnded = true;
      return false;
    }
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    this.pending = joined;
    return true;
  }

  private consume(count: number): void {
    this.pending = this.pending.subarray(count);
    this.offset += count;
  }

  private async readHeader(): Promise<void> {
    if (this.members > 0) {
      // Zero bytes after a member are padding; only the bytes that follow them matter.
      let zeros = 0;
      while (zeros < this.pending.length && this.pending[zeros] === 0) zeros++;
      this.consume(zeros);
      if (this.pending.length === 0) {
        if (!(await this.more())) this.state = FINISHED;
        return;
      }
    }
    const length = headerLength(this.pending);
    if (length === null) {
      if (this.pending.length > MAX_HEADER) throw this.damage(`gzip member header at byte offset ${this.offset} is over 1 MiB`);
      if (await this.more()) return;
      if (this.members > 0 && !startsLikeGzip(this.pending)) throw this.trailingGarbage();
      throw new GzipDamage('truncated', 'gzip data cut short');
    }
    if (typeof length === 'string') {
      if (this.members > 0) throw this.trailingGarbage();
      this.state = FINISHED;
      throw new GzipDamage('not-a-capture', `gzip header at byte offset ${this.offset}: ${length}`);
    }
    this.memberStart = this.offset;
    this.consume(length);
    this.startInflater();
    this.state = IN_BODY;
  }

  private startInflater(): void {
    const inflater = createInflateRaw({ chunkSize: this.pieceSize });
    this.inflater = inflater;
    this.inflaterEnded = false;
    this.inflaterError = null;
    this.crc = 0;
    this.size = 0;
    inflater.on('data', (chunk: Buffer) => {
      this.crc = crc32(chunk, this.crc);
      this.size = (this.size + chunk.length) % 4294967296;
      this.output.push(chunk);
    });
    inflater.on('end', () => {
      this.inflaterEnded = true;
    });
    inflater.on('error', (error: Error) => {
      this.inflaterError ??= error;
      this.settleFeed?.();
    });
  }

  /** Feeds the inflater one piece of compressed bytes and waits for what it makes of them. */
  private async inflateSome(): Promise<void> {
    if (this.pending.length === 0 && !(await this.more())) {
      this.inflater?.destroy();
      throw new GzipDamage('truncated', 'gzip data cut short');
    }
    const inflater = this.inflater!;
    const piece = this.pending.subarray(0, Math.min(this.feedSize, this.pending.length));
    const before = inflater.bytesWritten;
    const sizeBefore = this.size;
    await new Promise<void>((resolve) => {
      this.settleFeed = resolve;
      inflater.write(piece, () => resolve());
    });
    this.settleFeed = null;
    if (this.inflaterError !== null) {
      const reason = this.inflaterError.message;
      inflater.destroy();
      throw this.damage(`gzip member at byte offset ${this.memberStart}: ${reason}`);
    }
    // The inflater takes every byte it is given until its deflate data ends; what it leaves is the
    // trailer and what follows. (Data that ends exactly at a piece's end shows on the next piece.)
    const used = inflater.bytesWritten - before;
    const ended = this.inflaterEnded || used < piece.length;
    this.consume(used);
    const made = (this.size - sizeBefore + 4294967296) % 4294967296;
    if (used > 0) this.feedSize = Math.min(MAX_FEED, Math.max(MIN_FEED, Math.floor((FEED_OUTPUT * used) / Math.max(made, 1))));
    if (ended) {
      inflater.destroy();
      this.inflater = null;
      this.state = AT_TRAILER;
    }
  }

  private async readTrailer(): Promise<void> {
    while (this.pending.length < TRAILER) {
      if (!(await this.more())) throw new GzipDamage('truncated', 'gzip data cut short');
    }
    const view = new DataView(this.pending.buffer, this.pending.byteOffset, TRAILER);
    const crc = view.getUint32(0, true);
    const size = view.getUint32(4, true);
    if (crc !== this.crc >>> 0) throw this.damage(`gzip member at byte offset ${this.memberStart}: CRC-32 mismatch`);
    if (size !== this.size) throw this.damage(`gzip member at byte offset ${this.memberStart}: length mismatch`);
    this.consume(TRAILER);
    this.members++;
    this.state = AT_HEADER;
  }

  private trailingGarbage(): GzipDamage {
    return this.damage(`byte offset ${this.offset}: what follows the last gzip member is not gzip data`);
  }

  private damage(detail: string): GzipDamage {
    this.state = FINISHED;
    return new GzipDamage('damaged', detail);
  }
}

function startsLikeGzip(bytes: Uint8Array): boolean {
  return bytes.length === 0 || (bytes[0] === 0x1f && (bytes.length === 1 || bytes[1] === 0x8b));
}

/**
 * Length of the gzip member header at the start of `bytes` (RFC 1952 §2.3), null when more bytes
 * are needed to tell, or what is wrong when it is not a deflate member header.
 */
function headerLength(bytes: Uint8Array): number | string | null {
  if ((bytes.length >= 1 && bytes[0] !== 0x1f) || (bytes.length >= 2 && bytes[1] !== 0x8b)) return 'no gzip magic';
  if (bytes.length >= 3 && bytes[2] !== 8) return `unknown compression method ${bytes[2]}`;
  if (bytes.length < 10) return null;
  const flags = bytes[3];
  if ((flags & 0xe0) !== 0) return `reserved flag bits 0x${(flags & 0xe0).toString(16)} set`;
  let position = 10;
  if ((flags & FLAG_EXTRA) !== 0) {
    if (bytes.length < position + 2) return null;
    position += 2 + (bytes[position] | (bytes[position + 1] << 8));
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if ((flags & flag) === 0) continue;
    const end = bytes.indexOf(0, position);
    if (end < 0) return null;
    position = end + 1;
  }
  if ((flags & FLAG_HCRC) !== 0) position += 2;
  return bytes.length >= position ? position : null;
}
