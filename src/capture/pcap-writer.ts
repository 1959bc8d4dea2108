import { MAX_CAPTURED_LENGTH } from './capture-parser.js';
import { checkedOriginalLength, type CaptureSink, type PacketToWrite } from './packet-to-write.js';

export interface PcapWriterOptions {
  /** LINKTYPE_* of every packet. */
  linkType: number;
  /** Nanosecond magic (a1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
  bigEndian?: boolean;
  /** Default 262144; longer packets are cut to it (their original length is kept). */
  snapLength?: number;
}

const FILE_HEADER_SIZE = 24;
const RECORD_HEADER_SIZE = 16;

/**
 * Writes a classic libpcap file: the file header at construction, then one record per write().
 * The reader's inverse: µs files truncate nanoseconds to microseconds, as libpcap does.
 */
export class PcapWriter {
  private readonly sink: CaptureSink;
  private readonly littleEndian: boolean;
  private readonly nanosecond: boolean;
  private readonly snapLength: number;

  constructor(sink: CaptureSink, options: PcapWriterOptions) {
    this.sink = sink;
    this.littleEndian = options.bigEndian !== true;
    this.nanosecond = options.nanosecond === true;
    this.snapLength = options.snapLength ?? MAX_CAPTURED_LENGTH;
    const header = new Uint8Array(FILE_HEADER_SIZE);
    const view = new DataView(header.buffer);
    view.setUint32(0, this.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, this.littleEndian);
    view.setUint16(4, 2, this.littleEndian);
    view.setUint16(6, 4, this.littleEndian);
    view.setUint32(16, this.snapLength, this.littleEndian);
    view.setUint32(20, options.linkType, this.littleEndian);
    sink(header);
  }

  write(packet: PacketToWrite): void {
    const { seconds, nanos, data } = packet;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) {
      throw new RangeError(`timestamp seconds ${seconds} do not fit a pcap record`);
    }
    if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) {
      throw new RangeError(`timestamp nanoseconds ${nanos} must be 0..999999999`);
    }
    const originalLength = checkedOriginalLength(packet);
    const capturedLength = this.snapLength === 0 ? data.length : Math.min(data.length, this.snapLength);
    const chunk = new Uint8Array(RECORD_HEADER_SIZE + capturedLength);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, seconds, this.littleEndian);
    view.setUint32(4, this.nanosecond ? nanos : Math.floor(nanos / 1000), this.littleEndian);
    view.setUint32(8, capturedLength, this.littleEndian);
    view.setUint32(12, originalLength, this.littleEndian);
    chunk.set(data.subarray(0, capturedLength), RECORD_HEADER_SIZE);
    this.sink(chunk);
  }
}
