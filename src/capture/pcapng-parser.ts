import { CacheWarmer } from './cache-warmer.js';
import { CarryBuffer } from './carry-buffer.js';
import { CaptureError } from './capture-error.js';
import {
  createRecord,
  truncatedHeader,
  truncatedRecord,
  truncatedRecordHeader,
  type CaptureParser,
} from './capture-parser.js';
import { PcapngInterfaceTable } from './pcapng-interfaces.js';
import { readPacketBlock } from './pcapng-packet-blocks.js';
import {
  BLOCK_ENHANCED_PACKET,
  BLOCK_INTERFACE_DESCRIPTION,
  BLOCK_OBSOLETE_PACKET,
  BLOCK_SECTION_HEADER,
  BLOCK_SIMPLE_PACKET,
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  isNonPacketFrame,
  MAX_DESCRIPTION_BLOCK,
  MAX_PACKET_BLOCK,
  minimumBlockLength,
} from './pcapng-blocks.js';
import type { CaptureRecord } from './record.js';

/*
 * pcapng, parsed by hand (see pcap-parser-state.ts for why not a library): a small state machine
 * over blocks. Blocks the reader needs (section and interface headers, packets) are looked at
 * whole, in place when they lie inside one chunk or gathered in a bounded carry buffer when they
 * straddle two; every other block is skipped as it streams by, whatever length it claims, and only
 * its trailing length is compared.
 *
 * Frames are numbered as Wireshark numbers them: packet blocks (enhanced, simple, obsolete) across
 * all sections, plus the few non-packet blocks Wireshark also lists as frames (see
 * isNonPacketFrame), which take a number but are not delivered.
 */

/** Bytes needed to classify any block: type, length and the section header's byte-order magic. */
const BLOCK_PREFIX = 12;
const MIN_SECTION_HEADER = 28;

// Where the parser stands between two pushes.
const BETWEEN_BLOCKS = 0;
const IN_BLOCK_PREFIX = 1;
const IN_WHOLE_BLOCK = 2;
const SKIPPING_BODY = 3;
const IN_TRAILER = 4;

// What to do with a block once its prefix is known.
const READ_WHOLE = 0;
const SKIP = 1;

export class PcapngParser implements CaptureParser {
  frames = 0;
  private state = BETWEEN_BLOCKS;
  private sections = 0;
  private littleEndian = true;
  /** Absolute offset of the first byte of the chunk being pushed. */
  private chunkStart = 0;
  /** Absolute offset, type and length of the block being read. */
  private blockOffset = 0;
  private blockType = 0;
  private blockLength = 0;
  private skipRemaining = 0;
  private readonly carry = new CarryBuffer(MAX_DESCRIPTION_BLOCK);
  private readonly trailer = new CarryBuffer(4, 4);
  private readonly interfaces = new PcapngInterfaceTable();
  private readonly record: CaptureRecord = createRecord();
  private readonly warmer = new CacheWarmer();
  private readonly onRecord: (record: CaptureRecord) => void;

  constructor(onRecord: (record: CaptureRecord) => void) {
    this.onRecord = onRecord;
  }

  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let position = 0;
    while (position < end) {
      position =
        this.state === BETWEEN_BLOCKS ? this.scan(chunk, position, end) : this.continuePending(chunk, position, end);
    }
    this.chunkStart += end;
  }

  finish(): void {
    const carried = this.carry.length;
    if (this.sections === 0 && (this.state === IN_BLOCK_PREFIX || this.state === IN_WHOLE_BLOCK)) {
      throw truncatedHeader(carried, this.state === IN_WHOLE_BLOCK ? this.blockLength : MIN_SECTION_HEADER);
    }
    switch (this.state) {
      case IN_BLOCK_PREFIX: {
        const view = this.carry.view;
        // Eight bytes tell the length of any block but a section header (whose byte order is
        // only known from bytes 8..11): report damage rather than truncation when it is bad.
        if (carried >= 8 && view.getUint32(0, this.littleEndian) !== BLOCK_SECTION_HEADER) {
          this.blockType = view.getUint32(0, this.littleEndian);
          this.blockLength = view.getUint32(4, this.littleEndian);
          this.checkLength();
          throw truncatedRecord(this.frames, this.blockLength, carried);
        }
        throw truncatedRecordHeader(this.frames, carried >= 8 ? BLOCK_PREFIX : 8, carried);
      }
      case IN_WHOLE_BLOCK:
        throw truncatedRecord(this.frames, this.blockLength, carried);
      case SKIPPING_BODY:
        throw truncatedRecord(this.frames, this.blockLength, this.blockLength - 4 - this.skipRemaining);
      case IN_TRAILER:
        throw truncatedRecord(this.frames, this.blockLength, this.blockLength - 4 + this.trailer.length);
      default:
      // Between blocks: the file ended where a block ended.
    }
  }

  linkTypeCounts(): Map<number, number> {
    return this.interfaces.linkTypeCounts();
  }

  /** The hot loop: blocks wholly inside the chunk are handled in place. */
  private scan(chunk: Uint8Array, start: number, end: number): number {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const warmer = this.warmer;
    warmer.begin(start);
    let position = start;
    while (end - position >= BLOCK_PREFIX) {
      warmer.warm(chunk, position, end);
      this.blockOffset = this.chunkStart + position;
      const action = this.classify(view, position);
      const length = this.blockLength;
      if (end - position >= length) {
        if (action === READ_WHOLE) this.readBlock(view, chunk, position);
        else this.endSkippedBlock(view.getUint32(position + length - 4, this.littleEndian));
        position += length;
        continue;
      }
      if (action === SKIP) {
        this.skipRemaining = length - BLOCK_PREFIX - 4;
        this.state = SKIPPING_BODY;
        return position + BLOCK_PREFIX;
      }
      this.carry.clear();
      this.carry.reserve(length);
      this.carry.append(chunk, position, end);
      this.state = IN_WHOLE_BLOCK;
      return end;
    }
    if (position < end) {
      this.blockOffset = this.chunkStart + position;
      this.carry.clear();
      this.carry.append(chunk, position, end);
      this.state = IN_BLOCK_PREFIX;
    }
    return end;
  }

  /** Feeds a block that straddles chunks; returns the position reached in chunk. */
  private continuePending(chunk: Uint8Array, start: number, end: number): number {
    const carry = this.carry;
    let position = start;
    switch (this.state) {
      case IN_BLOCK_PREFIX: {
        position = carry.fill(chunk, position, end, BLOCK_PREFIX);
        if (carry.length < BLOCK_PREFIX) return position;
        const action = this.classify(carry.view, 0);
        if (action === READ_WHOLE) {
          carry.reserve(this.blockLength);
          this.state = IN_WHOLE_BLOCK;
        } else if (this.blockLength === BLOCK_PREFIX) {
          this.endSkippedBlock(carry.view.getUint32(8, this.littleEndian));
          this.state = BETWEEN_BLOCKS;
        } else {
          this.skipRemaining = this.blockLength - BLOCK_PREFIX - 4;
          this.state = SKIPPING_BODY;
        }
        return position;
      }
      case IN_WHOLE_BLOCK:
        position = carry.fill(chunk, position, end, this.blockLength);
        if (carry.length < this.blockLength) return position;
        this.readBlock(carry.view, carry.bytes, 0);
        carry.clear();
        this.state = BETWEEN_BLOCKS;
        return position;
      case SKIPPING_BODY: {
        const take = Math.min(this.skipRemaining, end - position);
        this.skipRemaining -= take;
        position += take;
        if (this.skipRemaining === 0) {
          this.trailer.clear();
          this.state = IN_TRAILER;
        }
        return position;
      }
      default:
        position = this.trailer.fill(chunk, position, end, 4);
        if (this.trailer.length < 4) return position;
        this.endSkippedBlock(this.trailer.view.getUint32(0, this.littleEndian));
        this.state = BETWEEN_BLOCKS;
        return position;
    }
  }

  /** Reads type and length from a block's first 12 bytes, checks them and decides its handling. */
  private classify(view: DataView, position: number): number {
    const type = view.getUint32(position, this.littleEndian);
    if (type === BLOCK_SECTION_HEADER) {
      // The section header's type reads the same in both byte orders; its magic sets the order.
      const magic = view.getUint32(position + 8, false);
      if (magic === BYTE_ORDER_MAGIC) this.littleEndian = false;
      else if (magic === BYTE_ORDER_MAGIC_SWAPPED) this.littleEndian = true;
      else {
        throw this.damage(`section header byte-order magic 0x${magic.toString(16).padStart(8, '0')} is invalid`);
      }
    } else if (this.sections === 0) {
      throw this.damage('the file does not start with a section header');
    }
    this.blockType = type;
    this.blockLength = view.getUint32(position + 4, this.littleEndian);
    return this.checkLength();
  }

  private checkLength(): number {
    const length = this.blockLength;
    if (length % 4 !== 0) throw this.damage(`block length ${length} is not a multiple of 4`);
    const minimum = minimumBlockLength(this.blockType);
    if (length < minimum) throw this.damage(`block length ${length} is below the minimum of ${minimum}`);
    switch (this.blockType) {
      case BLOCK_SECTION_HEADER:
      case BLOCK_INTERFACE_DESCRIPTION:
        if (length > MAX_DESCRIPTION_BLOCK) throw this.damage(`header block of ${length} bytes is over 1 MiB`);
        return READ_WHOLE;
      case BLOCK_ENHANCED_PACKET:
      case BLOCK_OBSOLETE_PACKET:
      case BLOCK_SIMPLE_PACKET:
        if (length > MAX_PACKET_BLOCK) {
          throw this.damage(`packet block of ${length} bytes is too large (over ${MAX_PACKET_BLOCK})`, true);
        }
        return READ_WHOLE;
      default:
        return SKIP;
    }
  }

  private checkTrailer(trailing: number): void {
    if (trailing !== this.blockLength) {
      throw this.damage(`trailing block length ${trailing} differs from leading length ${this.blockLength}`);
    }
  }

  private endSkippedBlock(trailing: number): void {
    this.checkTrailer(trailing);
    if (isNonPacketFrame(this.blockType)) this.frames += 1;
  }

  /** Handles a whole block of blockLength bytes at `position`. */
  private readBlock(view: DataView, bytes: Uint8Array, position: number): void {
    const length = this.blockLength;
    this.checkTrailer(view.getUint32(position + length - 4, this.littleEndian));
    switch (this.blockType) {
      case BLOCK_SECTION_HEADER: {
        const major = view.getUint16(position + 12, this.littleEndian);
        const minor = view.getUint16(position + 14, this.littleEndian);
        if (major !== 1) throw this.damage(`unsupported pcapng version ${major}.${minor}`);
        this.interfaces.reset();
        this.sections += 1;
        return;
      }
      case BLOCK_INTERFACE_DESCRIPTION:
        this.interfaces.describe(view, position, length, this.littleEndian, this.blockOffset, this.frames);
        return;
      default:
        this.deliverPacket(view, bytes, position);
    }
  }

  private deliverPacket(view: DataView, bytes: Uint8Array, position: number): void {
    const record = this.record;
    const problem = readPacketBlock(view, position, this.blockType, this.blockLength, this.littleEndian, this.interfaces, record);
    if (problem !== null) throw this.damage(problem, true);
    record.frame = ++this.frames;
    record.buffer = bytes;
    this.onRecord(record);
  }

  private damage(problem: string, inPacket = false): CaptureError {
    const where = `block at byte offset ${this.blockOffset}`;
    const context = inPacket ? `frame ${this.frames + 1} (${where})` : where;
    // Until the first section header is accepted nothing has been read: the file is unreadable
    // (exit 3), not damaged part-way (exit 4).
    return new CaptureError(this.sections === 0 ? 'unreadable' : 'damaged', `${context}: ${problem}`, this.frames);
  }
}
