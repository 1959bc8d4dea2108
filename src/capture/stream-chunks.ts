/**
 * Pulls the chunks of a readable stream one at a time, like its async iterator, with one
 * difference that matters here: when the stream fails, the chunks it produced before the failure
 * are still handed out first, and only then is the error thrown. Node's own iterator drops them,
 * so the records in the last gunzipped piece before corrupt gzip data would never be delivered.
 */
export class StreamChunks implements AsyncIterator<Uint8Array | string> {
  private readonly stream: NodeJS.ReadableStream;
  private error: unknown = null;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(stream: NodeJS.ReadableStream) {
    this.stream = stream;
    const notify = (): void => {
      const wake = this.wake;
      this.wake = null;
      wake?.();
    };
    // Paused mode: the stream buffers up to its high-water mark until read() is called, which is
    // what keeps memory flat.
    stream.on('readable', notify);
    stream.on('end', () => {
      this.ended = true;
      notify();
    });
    stream.on('error', (error: unknown) => {
      this.error ??= error;
      notify();
    });
  }

  async next(): Promise<IteratorResult<Uint8Array | string>> {
    for (;;) {
      // read() still returns what was buffered after the stream was destroyed by an error.
      const chunk = this.stream.read() as Uint8Array | string | null;
      if (chunk !== null) return { done: false, value: chunk };
      if (this.error !== null) throw this.error;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  async return(): Promise<IteratorResult<Uint8Array | string>> {
    const destroyable = this.stream as NodeJS.ReadableStream & { destroy?: () => void };
    destroyable.destroy?.();
    return { done: true, value: undefined };
  }
}
