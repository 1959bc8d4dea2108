import { formatIpv6 } from '../decode/ip-address.js';

/** Writes little-endian fields one after another into a page of the extras arena. */
export class ByteWriter {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    public at: number,
  ) {}

  u8(value: number): void {
    this.bytes[this.at++] = value;
  }

  u16(value: number): void {
    this.view.setUint16(this.at, value, true);
    this.at += 2;
  }

  u32(value: number): void {
    this.view.setUint32(this.at, value, true);
    this.at += 4;
  }

  f64(value: number): void {
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  /** Leaves `count` bytes as they are (room reserved for later). */
  skip(count: number): void {
    this.at += count;
  }

  /** The first 16 bytes of `address`. */
  address(address: Uint8Array): void {
    this.bytes.set(address.subarray(0, 16), this.at);
    this.at += 16;
  }
}

/** Reads back what a ByteWriter wrote, field by field. */
export class ByteReader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private at: number,
  ) {}

  u8(): number {
    return this.bytes[this.at++];
  }

  u16(): number {
    const value = this.view.getUint16(this.at, true);
    this.at += 2;
    return value;
  }

  u32(): number {
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  f64(): number {
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }

  /** 16 bytes as IPv6 text. */
  address(): string {
    const text = formatIpv6(this.bytes, this.at);
    this.at += 16;
    return text;
  }
}
