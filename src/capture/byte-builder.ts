/**
 * Appends integers and byte runs in one byte order into a growing buffer; the pcapng writer builds
 * block bodies with it. Not for the read path (it grows and copies).
 */
export class ByteBuilder {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private length = 0;
  private readonly littleEndian: boolean;

  constructor(littleEndian: boolean) {
    this.littleEndian = littleEndian;
  }

  uint16(value: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, value, this.littleEndian);
    this.length += 2;
    return this;
  }

  uint32(value: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, value, this.littleEndian);
    this.length += 4;
    return this;
  }

  /** A signed 64-bit integer given as a safe JavaScript integer. */
  int64(value: number): this {
    const big = BigInt.asUintN(64, BigInt(value));
    const high = Number(big >> 32n);
    const low = Number(big & 0xffffffffn);
    return this.littleEndian ? this.uint32(low).uint32(high) : this.uint32(high).uint32(low);
  }

  /** The bytes, then zeros up to a multiple of 4 (pcapng pads every field that way). */
  padded(data: Uint8Array): this {
    const size = (data.length + 3) & ~3;
    this.reserve(size);
    this.bytes.set(data, this.length);
    this.bytes.fill(0, this.length + data.length, this.length + size);
    this.length += size;
    return this;
  }

  /** A pcapng option: code, length, padded value. */
  option(code: number, value: Uint8Array): this {
    return this.uint16(code).uint16(value.length).padded(value);
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}
