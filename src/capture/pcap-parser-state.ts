import { CacheWarmer } from './cache-warmer.js';
import { CarryBuffer } from './carry-buffer.js';
import { CaptureError } from './capture-error.js';
import {
  absurdLength,
  createRecord,
  MAX_CAPTURED_LENGTH,
  truncatedHeader,
  truncatedRecord,
  truncatedRecordHeader,
  type CaptureParser,
} from './capture-parser.js';
import type { CaptureRecord } from './record.js';

/*
 * Classic libpcap format, parsed by hand rather than with the npm package pcap-parser: that one
 * copies its whole pending buffer on every chunk, builds two objects and emits three events per
 * packet (about 20× slower than this loop) and only understands microsecond files, while this
 * reader must stream gigabyte captures at over 10 M records/s and handle nanosecond magic too.
 * pcap-parser is kept as the differential test oracle.
 */

const FILE_HEADER_SIZE = 24;
const RECORD_HEADER_SIZE = 16;

const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const MAGIC_NANOSECONDS = 0xa1b23c4d;
const MAGIC_MICROSECONDS_SWAPPED = 0xd4c3b2a1;
const MAGIC_NANOSECONDS_SWAPPED = 0x4d3cb2a1;

/** True when the first four bytes (read big-endian) are a classic pcap magic number. */
export function isPcapMagic(magic: number): boolean {
  return (
    magic === MAGIC_MICROSECONDS ||
    magic === MAGIC_NANOSECONDS ||
    magic === MAGIC_MICROSECONDS_SWAPPED ||
    magic === MAGIC_NANOSECONDS_SWAPPED
  );
}

// Where the parser stands between two pushes.
const AT_FILE_HEADER = 0;
const BETWEEN_RECORDS = 1;
const IN_RECORD_HEADER = 2;
const IN_RECORD = 3;

export class PcapParser implements CaptureParser {
  frames = 0;
  private state = AT_FILE_HEADER;
  private littleEndian = true;
  /** Nanoseconds per fraction unit: 1000 for µs files, 1 for ns files. */
  private nanosPerUnit = 1000;
  private unitsPerSecond = 1_000_000;
  private snapLength = 0;
  private linkType = 0;
  /** Total size (header + data) of the record held in the carry buffer. */
  private pendingRecordSize = 0;
  private readonly carry = new CarryBuffer(RECORD_HEADER_SIZE + MAX_CAPTURED_LENGTH, 4096);
  private readonly record: CaptureRecord = createRecord();
  private readonly warmer = new CacheWarmer();
  private readonly onRecord: (record: CaptureRecord) => void;

  constructor(onRecord: (record: CaptureRecord) => void) {
    this.onRecord = onRecord;
  }

  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let position = 0;
    while (this.state !== BETWEEN_RECORDS) {
      if (position === end) return;
      position = this.continuePending(chunk, position, end);
    }
    this.scan(chunk, position, end);
  }

  finish(): void {
    if (this.state === AT_FILE_HEADER) throw truncatedHeader(this.carry.length, FILE_HEADER_SIZE);
    if (this.state === IN_RECORD_HEADER) {
      throw truncatedRecordHeader(this.frames, RECORD_HEADER_SIZE, this.carry.length);
    }
    if (this.state === IN_RECORD) throw truncatedRecord(this.frames, this.pendingRecordSize, this.carry.length);
  }

  linkTypeCounts(): Map<number, number> {
    return this.frames === 0 ? new Map() : new Map([[this.linkType, this.frames]]);
  }

  /** The hot loop: every record wholly inside the chunk is delivered in place. */
  private scan(chunk: Uint8Array, start: number, end: number): void {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const warmer = this.warmer;
    warmer.begin(start);
    let position = start;
    while (end - position >= RECORD_HEADER_SIZE) {
      warmer.warm(chunk, position, end);
      const capturedLength = this.checkedCapturedLength(view, position);
      if (end - position - RECORD_HEADER_SIZE < capturedLength) break;
      this.deliver(view, chunk, position, capturedLength);
      position += RECORD_HEADER_SIZE + capturedLength;
    }
    if (position === end) return;
    // The record goes on in the next chunk: keep its start.
    const carry = this.carry;
    carry.clear();
    if (end - position >= RECORD_HEADER_SIZE) {
      this.pendingRecordSize = RECORD_HEADER_SIZE + this.checkedCapturedLength(view, position);
      carry.reserve(this.pendingRecordSize);
      this.state = IN_RECORD;
    } else {
      this.state = IN_RECORD_HEADER;
    }
    carry.append(chunk, position, end);
  }

  /** Feeds the carry buffer; returns the position reached in chunk. */
  private continuePending(chunk: Uint8Array, start: number, end: number): number {
    const carry = this.carry;
    let position = start;
    if (this.state === AT_FILE_HEADER) {
      position = carry.fill(chunk, position, end, FILE_HEADER_SIZE);
      if (carry.length < FILE_HEADER_SIZE) return position;
      this.readFileHeader(carry.view);
      carry.clear();
      this.state = BETWEEN_RECORDS;
      return position;
    }
    if (this.state === IN_RECORD_HEADER) {
      position = carry.fill(chunk, position, end, RECORD_HEADER_SIZE);
      if (carry.length < RECORD_HEADER_SIZE) return position;
      this.pendingRecordSize = RECORD_HEADER_SIZE + this.checkedCapturedLength(carry.view, 0);
      carry.reserve(this.pendingRecordSize);
      this.state = IN_RECORD;
    }
    position = carry.fill(chunk, position, end, this.pendingRecordSize);
    if (carry.length < this.pendingRecordSize) return position;
    this.deliver(carry.view, carry.bytes, 0, this.pendingRecordSize - RECORD_HEADER_SIZE);
    carry.clear();
    this.state = BETWEEN_RECORDS;
    return position;
  }

  private readFileHeader(view: DataView): void {
    const magic = view.getUint32(0, false);
    this.littleEndian = magic === MAGIC_MICROSECONDS_SWAPPED || magic === MAGIC_NANOSECONDS_SWAPPED;
    const nanosecond = magic === MAGIC_NANOSECONDS || magic === MAGIC_NANOSECONDS_SWAPPED;
    this.nanosPerUnit = nanosecond ? 1 : 1000;
    this.unitsPerSecond = nanosecond ? 1_000_000_000 : 1_000_000;
    const major = view.getUint16(4, this.littleEndian);
    const minor = view.getUint16(6, this.littleEndian);
    // Nothing has been read yet: an unknown version makes the file unreadable (exit 3), not damaged part-way.
    if (major !== 2) throw new CaptureError('unreadable', `unsupported pcap version ${major}.${minor}`, 0);
    this.snapLength = view.getUint32(16, this.littleEndian);
    // The bits above the low 16 carry the FCS length flags, not the link type.
    this.linkType = view.getUint32(20, this.littleEndian) & 0xffff;
    const record = this.record;
    record.linkType = this.linkType;
    record.precision = nanosecond ? 9 : 6;
    record.interfaceId = 0;
  }

  private checkedCapturedLength(view: DataView, position: number): number {
    const capturedLength = view.getUint32(position + 8, this.littleEndian);
    if (capturedLength > MAX_CAPTURED_LENGTH) {
      throw new CaptureError('damaged', absurdLength(this.frames + 1, capturedLength), this.frames);
    }
    if (capturedLength > this.snapLength && this.snapLength !== 0) {
      throw new CaptureError(
        'damaged',
        `frame ${this.frames + 1}: captured length ${capturedLength} exceeds snap length ${this.snapLength}`,
        this.frames,
      );
    }
    return capturedLength;
  }

  private deliver(view: DataView, bytes: Uint8Array, position: number, capturedLength: number): void {
    const record = this.record;
    const littleEndian = this.littleEndian;
    record.frame = ++this.frames;
    const seconds = view.getUint32(position, littleEndian);
    const fraction = view.getUint32(position + 4, littleEndian);
    if (fraction < this.unitsPerSecond) {
      record.seconds = seconds;
      record.nanos = fraction * this.nanosPerUnit;
    } else {
      // Some writers let the fraction overflow a second; carry it so nanos stays < 10^9.
      const whole = Math.floor(fraction / this.unitsPerSecond);
      record.seconds = seconds + whole;
      record.nanos = (fraction - whole * this.unitsPerSecond) * this.nanosPerUnit;
    }
    record.capturedLength = capturedLength;
    record.originalLength = view.getUint32(position + 12, littleEndian);
    record.buffer = bytes;
    record.offset = position + RECORD_HEADER_SIZE;
    this.onRecord(record);
  }
}
