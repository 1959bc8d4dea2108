import { Readable } from 'node:stream';

/** What a recycled chunk is overwritten with: 0xa5 makes no valid length, magic or version. */
export const SCRIBBLE_BYTE = 0xa5;

/**
 * A readable stream that hands out `input` in pieces of `chunkSize` bytes and overwrites each piece
 * as soon as the next one is pulled, as the file reader's two recycled read buffers do. Any stage
 * that keeps a view into an earlier chunk instead of a copy then sees scribbled bytes, and its
 * output differs from a run over the whole input at once.
 */
export class RecyclingStream extends Readable {
  private readonly pieces: Uint8Array[] = [];
  private next = 0;
  private handedOut: Uint8Array | null = null;

  constructor(input: Uint8Array, chunkSize: number) {
    super({ objectMode: true, highWaterMark: 1 });
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunk size ${chunkSize} is not a positive integer`);
    // Copies (scribbling must never reach the caller's bytes), as Buffers like the file reader's
    // chunks: on a Buffer, slice() is a view, which is exactly the mistake this stream exposes.
    for (let from = 0; from < input.length; from += chunkSize) this.pieces.push(Buffer.from(input.subarray(from, from + chunkSize)));
  }

  override _read(): void {
    this.push(this.next < this.pieces.length ? this.pieces[this.next++] : null);
  }

  override read(size?: number): Uint8Array | null {
    const chunk = super.read(size) as Uint8Array | null;
    if (chunk !== null) {
      this.handedOut?.fill(SCRIBBLE_BYTE);
      this.handedOut = chunk;
    }
    return chunk;
  }
}

/** The input as one or more chunks that stay intact (a plain stream, e.g. standard input). */
export function plainStream(input: Uint8Array, chunkSize = Math.max(1, input.length)): Readable {
  const pieces: Uint8Array[] = [];
  for (let from = 0; from < input.length; from += chunkSize) pieces.push(input.slice(from, from + chunkSize));
  return Readable.from(pieces, { objectMode: true });
}
