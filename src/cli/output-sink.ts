import type { Writable } from 'node:stream';

/**
 * Buffered text output for commands that print one line per packet.
 *
 * Lines are batched into ~64 KiB writes (one write per line costs more than the dissection), and
 * `waitIfBehind` lets the pipeline wait for the consumer between capture chunks, so memory stays
 * flat when the output is piped into something slow. A closed pipe (`teredoscope … | head`) is
 * not an error: output stops quietly and the command ends with its normal exit code.
 */
export class OutputSink {
  private pending: string[] = [];
  private pendingLength = 0;
  private closed = false;
  /** The stream asked to wait (write returned false) and has not drained yet. */
  private backedUp = false;
  /** Where batches are encoded; it grows to the largest batch and is reused. */
  private scratch = Buffer.alloc(0);
  private readonly stream: Writable;
  private readonly limit: number;

  constructor(stream: Writable, limit = 64 * 1024) {
    this.stream = stream;
    this.limit = limit;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw error;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  line(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.pendingLength += text.length + 1;
    // Written as soon as a batch is full, so batches stay small; waiting is left to waitIfBehind.
    if (this.pendingLength >= this.limit) this.writeBatch();
  }

  /** Waits for the consumer if it is behind (call between input chunks); line() writes each batch as it fills. */
  async waitIfBehind(): Promise<void> {
    if (this.backedUp) await this.drained();
  }

  async flush(): Promise<void> {
    this.writeBatch();
    if (this.backedUp) await this.drained();
  }

  private writeBatch(): void {
    if (this.pending.length === 0 || this.closed) {
      this.pending = [];
      this.pendingLength = 0;
      return;
    }
    // Encoded line by line into the scratch buffer: joining the lines into one string first cost
    // as much as the encoding, and template-built lines would each be flattened on the way. UTF-8
    // takes at most 3 bytes per UTF-16 unit; the lines are nearly all ASCII.
    if (this.scratch.length < this.pendingLength * 3) this.scratch = Buffer.allocUnsafe(this.pendingLength * 3);
    const scratch = this.scratch;
    let at = 0;
    for (const line of this.pending) {
      at += scratch.write(line, at, 'utf8');
      scratch[at++] = 0x0a;
    }
    this.pending = [];
    this.pendingLength = 0;
    // A copy of the used part: the stream may hold on to what it is given.
    if (!this.stream.write(Buffer.from(scratch.subarray(0, at)))) this.backedUp = true;
  }

  private drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        this.backedUp = false;
        resolve();
      };
      if (this.closed) {
        done();
        return;
      }
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }
}
