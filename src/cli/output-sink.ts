import type { Writable } from 'node:stream';

/**
 * Buffered text output for commands that print one line per packet.
 *
 * Lines are batched into ~64 KiB writes (one write per line costs more than the dissection), and
 * `flushIfFull` lets the pipeline wait for the consumer between capture chunks, so memory stays
 * flat when the output is piped into something slow. A closed pipe (`teredoscope … | head`) is
 * not an error: output stops quietly and the command ends with its normal exit code.
 */
export class OutputSink {
  private pending: string[] = [];
  private pendingLength = 0;
  private closed = false;
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
  }

  /** Writes the batch when it is large, waiting for the consumer if it is behind. */
  async flushIfFull(): Promise<void> {
    if (this.pendingLength >= this.limit) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0 || this.closed) {
      this.pending = [];
      this.pendingLength = 0;
      return;
    }
    // Encoded line by line into one buffer: joining the lines into one string first cost as much
    // as the encoding. UTF-8 takes at most 3 bytes per UTF-16 unit; the lines are nearly all ASCII.
    const buffer = Buffer.allocUnsafe(this.pendingLength * 3);
    let at = 0;
    for (const line of this.pending) {
      at += buffer.write(line, at, 'utf8');
      buffer[at++] = 0x0a;
    }
    this.pending = [];
    this.pendingLength = 0;
    const ok = this.stream.write(buffer.subarray(0, at));
    if (!ok && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
        this.stream.on('error', done);
      });
    }
  }
}
