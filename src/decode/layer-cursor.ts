/**
 * The decoder's position in a frame, shared by the layer analyzers and reused for every frame (the
 * analyzers move it forward instead of returning sub-views, so no per-packet object is created).
 */
export class LayerCursor {
  buffer: Uint8Array = new Uint8Array(0);
  /** First byte of the layer about to be decoded. */
  offset = 0;
  /** End (exclusive) of the bytes present for this layer and what it carries. */
  end = 0;
  /**
   * True when the capture kept fewer bytes than were on the wire (snaplen): a length field that
   * points past `end` is then believed, and the missing tail is simply absent.
   */
  truncated = false;

  reset(buffer: Uint8Array, offset: number, end: number, truncated: boolean): void {
    this.buffer = buffer;
    this.offset = offset;
    this.end = end;
    this.truncated = truncated;
  }

  get remaining(): number {
    return this.end - this.offset;
  }
}
