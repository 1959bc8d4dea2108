import { ByteBuilder } from './byte-builder.js';
import { MAX_CAPTURED_LENGTH } from './capture-parser.js';
import { checkedOriginalLength, type CaptureSink, type PacketToWrite } from './packet-to-write.js';
import {
  BLOCK_ENHANCED_PACKET,
  BLOCK_INTERFACE_DESCRIPTION,
  BLOCK_OBSOLETE_PACKET,
  BLOCK_SECTION_HEADER,
  BLOCK_SIMPLE_PACKET,
} from './pcapng-blocks.js';
import { resolutionFromTsresol, timeToUnits, type TimestampResolution } from './timestamp-resolution.js';

/** One interface description block to write. */
export interface PcapngInterface {
  linkType: number;
  /** Default 262144; 0 = no limit. Longer packets are cut to it. */
  snapLength?: number;
  /** Raw if_tsresol byte (bit 7 set: 2^-n, clear: 10^-n); default 6 (µs), written only when given. */
  tsresol?: number;
  /** if_tsoffset in seconds (whole, may be negative); written only when given. */
  tsoffset?: number;
  /** if_name. */
  name?: string;
}

export interface PcapngWriterOptions {
  bigEndian?: boolean;
  interfaces: PcapngInterface[];
}

const OPTION_END = 0;
const OPTION_COMMENT = 1;
const OPTION_IF_NAME = 2;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

interface WrittenInterface {
  snapLength: number;
  resolution: TimestampResolution;
  secondsOffset: number;
}

/**
 * Writes a pcapng file: a section header and interface descriptions at construction (and at each
 * startSection), then one block per write call. Timestamps are written in each interface's own
 * resolution (minus its if_tsoffset) so that the reader gives back the same seconds and nanos
 * whenever the resolution can represent them.
 */
export class PcapngWriter {
  private readonly sink: CaptureSink;
  private readonly littleEndian: boolean;
  private interfaces: WrittenInterface[] = [];

  constructor(sink: CaptureSink, options: PcapngWriterOptions) {
    this.sink = sink;
    this.littleEndian = options.bigEndian !== true;
    this.startSection(options.interfaces);
  }

  /** A new section (same byte order): interface ids start again at 0 with these interfaces. */
  startSection(interfaces: PcapngInterface[]): void {
    const body = this.builder().uint32(BYTE_ORDER_MAGIC).uint16(1).uint16(0).uint32(0xffffffff).uint32(0xffffffff);
    this.writeRawBlock(BLOCK_SECTION_HEADER, body.toBytes());
    this.interfaces = [];
    for (const description of interfaces) this.describe(description);
  }

  /** An enhanced packet block (with opt_comment when packet.comment is given). */
  write(packet: PacketToWrite): void {
    const interfaceId = packet.interfaceId ?? 0;
    const written = this.interfaceFor(interfaceId);
    this.writeRawBlock(BLOCK_ENHANCED_PACKET, this.timedPacketBody(packet, written, (body) => body.uint32(interfaceId)));
  }

  /** An obsolete packet block (type 2): 16-bit interface id, drop count 0. */
  writeObsoletePacket(packet: PacketToWrite): void {
    const interfaceId = packet.interfaceId ?? 0;
    if (interfaceId > 0xffff) throw new RangeError(`interface ${interfaceId} does not fit an obsolete packet block`);
    const written = this.interfaceFor(interfaceId);
    const body = this.timedPacketBody(packet, written, (builder) => builder.uint16(interfaceId).uint16(0));
    this.writeRawBlock(BLOCK_OBSOLETE_PACKET, body);
  }

  /** A simple packet block: interface 0, no timestamp. */
  writeSimplePacket(data: Uint8Array, originalLength: number = data.length): void {
    const written = this.interfaceFor(0);
    const captured = this.captured(data, written);
    const body = this.builder().uint32(checkedOriginalLength({ seconds: 0, nanos: 0, data, originalLength })).padded(captured);
    this.writeRawBlock(BLOCK_SIMPLE_PACKET, body.toBytes());
  }

  /** Any block, body as given (padded to 4 bytes): for name resolution, statistics, custom… */
  writeRawBlock(type: number, body: Uint8Array): void {
    const padded = (body.length + 3) & ~3;
    const total = 12 + padded;
    const block = new Uint8Array(total);
    const view = new DataView(block.buffer);
    view.setUint32(0, type, this.littleEndian);
    view.setUint32(4, total, this.littleEndian);
    block.set(body, 8);
    view.setUint32(total - 4, total, this.littleEndian);
    this.sink(block);
  }

  private describe(description: PcapngInterface): void {
    const snapLength = description.snapLength ?? MAX_CAPTURED_LENGTH;
    const body = this.builder().uint16(description.linkType).uint16(0).uint32(snapLength);
    let options = false;
    if (description.name !== undefined) {
      body.option(OPTION_IF_NAME, new TextEncoder().encode(description.name));
      options = true;
    }
    if (description.tsresol !== undefined) {
      body.option(OPTION_IF_TSRESOL, Uint8Array.of(description.tsresol));
      options = true;
    }
    const secondsOffset = description.tsoffset ?? 0;
    if (!Number.isSafeInteger(secondsOffset)) throw new RangeError(`if_tsoffset ${secondsOffset} is not a whole number`);
    if (description.tsoffset !== undefined) {
      body.uint16(OPTION_IF_TSOFFSET).uint16(8).int64(secondsOffset);
      options = true;
    }
    if (options) body.uint16(OPTION_END).uint16(0);
    this.writeRawBlock(BLOCK_INTERFACE_DESCRIPTION, body.toBytes());
    const resolution = resolutionFromTsresol(description.tsresol ?? 6);
    this.interfaces.push({ snapLength, resolution, secondsOffset });
  }

  private timedPacketBody(
    packet: PacketToWrite,
    written: WrittenInterface,
    writeInterface: (body: ByteBuilder) => void,
  ): Uint8Array {
    const units = timeToUnits(packet.seconds - written.secondsOffset, packet.nanos, written.resolution);
    const captured = this.captured(packet.data, written);
    const body = this.builder();
    writeInterface(body);
    body.uint32(units.high).uint32(units.low).uint32(captured.length).uint32(checkedOriginalLength(packet));
    body.padded(captured);
    if (packet.comment !== undefined) {
      body.option(OPTION_COMMENT, new TextEncoder().encode(packet.comment)).uint16(OPTION_END).uint16(0);
    }
    return body.toBytes();
  }

  private captured(data: Uint8Array, written: WrittenInterface): Uint8Array {
    return written.snapLength === 0 || data.length <= written.snapLength ? data : data.subarray(0, written.snapLength);
  }

  private interfaceFor(interfaceId: number): WrittenInterface {
    const written = this.interfaces[interfaceId];
    if (written === undefined) throw new RangeError(`interface ${interfaceId} was not described in this section`);
    return written;
  }

  private builder(): ByteBuilder {
    return new ByteBuilder(this.littleEndian);
  }
}
