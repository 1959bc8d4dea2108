import { captureToBuffer } from '../capture/capture-file.js';
import type { PacketToWrite } from '../capture/packet-to-write.js';
import {
  BLOCK_CUSTOM,
  BLOCK_CUSTOM_NO_COPY,
  BLOCK_DECRYPTION_SECRETS,
  BLOCK_INTERFACE_STATISTICS,
  BLOCK_NAME_RESOLUTION,
  isNonPacketFrame,
} from '../capture/pcapng-blocks.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PcapngWriter, type PcapngInterface } from '../capture/pcapng-writer.js';
import { patterned } from './corpus-frames.js';

/**
 * A capture as the writers can produce it, in every format variant they offer, as plain data: the
 * round-trip property writes it, reads it back and compares with what the spec says was written.
 */
export type CaptureSpec = PcapSpec | PcapngSpec;

export interface PcapSpec {
  format: 'pcap';
  linkType: number;
  nanosecond: boolean;
  bigEndian: boolean;
  /** Omitted: the writer's default (262144). */
  snapLength?: number;
  packets: PacketSpec[];
}

export interface PcapngSpec {
  format: 'pcapng';
  bigEndian: boolean;
  sections: SectionSpec[];
}

export interface SectionSpec {
  interfaces: PcapngInterface[];
  items: (PacketSpec | RawBlockSpec)[];
}

export interface PacketSpec {
  kind: 'packet';
  /** pcapng only: enhanced (default), obsolete or simple packet block. */
  block: 'enhanced' | 'obsolete' | 'simple';
  seconds: number;
  nanos: number;
  length: number;
  /** Seed of the packet's bytes. */
  fill: number;
  /** Original length minus the data length (ignored by simple blocks, whose original length is the data's). */
  extraOriginal: number;
  interfaceId: number;
  comment?: string;
}

/** A block the reader skips (name resolution, statistics, secrets, custom, unknown types). */
export interface RawBlockSpec {
  kind: 'raw';
  type: number;
  length: number;
}

/** Block types a raw block may take: never one the reader interprets. */
export const RAW_BLOCK_TYPES: readonly number[] = [
  BLOCK_NAME_RESOLUTION,
  BLOCK_INTERFACE_STATISTICS,
  BLOCK_DECRYPTION_SECRETS,
  BLOCK_CUSTOM,
  BLOCK_CUSTOM_NO_COPY,
  0x00000009,
  0x00000204,
  0x00000007,
  0x80000001,
  0x12345678,
];

/** What the reader must give back for one packet. */
export interface ExpectedRecord {
  frame: number;
  seconds: number;
  nanos: number;
  precision: number;
  linkType: number;
  interfaceId: number;
  capturedLength: number;
  originalLength: number;
  data: Uint8Array;
}

export interface ExpectedCapture {
  format: 'pcap' | 'pcapng';
  bytes: Uint8Array;
  records: ExpectedRecord[];
  /** Last frame number, non-packet blocks that Wireshark numbers included. */
  frames: number;
  linkTypes: Map<number, number>;
}

/** Writes the spec with the project's writers and derives what a faithful reader returns. */
export function writeCaptureSpec(spec: CaptureSpec): ExpectedCapture {
  const records: ExpectedRecord[] = [];
  let frames = 0;
  /** `snapLength` 0: no limit. */
  const expect = (data: Uint8Array, snapLength: number, fields: Omit<ExpectedRecord, 'frame' | 'data' | 'capturedLength'>): void => {
    const captured = snapLength === 0 ? data.length : Math.min(data.length, snapLength);
    records.push({ ...fields, frame: ++frames, capturedLength: captured, data: data.subarray(0, captured) });
  };
  const bytes = captureToBuffer((sink) => {
    if (spec.format === 'pcap') {
      const writer = new PcapWriter(sink, { linkType: spec.linkType, nanosecond: spec.nanosecond, bigEndian: spec.bigEndian, snapLength: spec.snapLength });
      for (const packet of spec.packets) {
        const toWrite = packetToWrite(packet);
        writer.write(toWrite);
        expect(toWrite.data, spec.snapLength ?? 262144, {
          seconds: packet.seconds,
          nanos: spec.nanosecond ? packet.nanos : packet.nanos - (packet.nanos % 1000),
          precision: spec.nanosecond ? 9 : 6,
          linkType: spec.linkType & 0xffff,
          interfaceId: 0,
          originalLength: toWrite.originalLength,
        });
      }
      return;
    }
    const [first, ...rest] = spec.sections;
    const writer = new PcapngWriter(sink, { bigEndian: spec.bigEndian, interfaces: first.interfaces });
    spec.sections.forEach((section, i) => {
      if (i > 0) writer.startSection(rest[i - 1].interfaces);
      for (const item of section.items) {
        if (item.kind === 'raw') {
          writer.writeRawBlock(item.type, patterned(item.length, item.type));
          if (isNonPacketFrame(item.type)) frames++;
          continue;
        }
        const description = section.interfaces[item.interfaceId];
        const toWrite = packetToWrite(item);
        const snapLength = description.snapLength ?? 262144;
        const common = { linkType: description.linkType, interfaceId: item.interfaceId, precision: precisionOf(description.tsresol ?? 6) };
        if (item.block === 'simple') {
          writer.writeSimplePacket(toWrite.data);
          expect(toWrite.data, snapLength, { ...common, interfaceId: 0, seconds: 0, nanos: 0, originalLength: toWrite.data.length });
        } else {
          if (item.block === 'obsolete') writer.writeObsoletePacket(toWrite);
          else writer.write(toWrite);
          const time = readBackTime(item.seconds, item.nanos, description);
          expect(toWrite.data, snapLength, { ...common, ...time, originalLength: toWrite.originalLength });
        }
      }
    });
  });
  const linkTypes = new Map<number, number>();
  for (const record of records) linkTypes.set(record.linkType, (linkTypes.get(record.linkType) ?? 0) + 1);
  return { format: spec.format, bytes, records, frames, linkTypes };
}

function packetToWrite(packet: PacketSpec): PacketToWrite & { originalLength: number } {
  const data = patterned(packet.length, packet.fill);
  return {
    seconds: packet.seconds,
    nanos: packet.nanos,
    data,
    originalLength: packet.length + packet.extraOriginal,
    interfaceId: packet.interfaceId,
    ...(packet.comment !== undefined ? { comment: packet.comment } : {}),
  };
}

/** Fraction digits of an if_tsresol value (pcapng spec: 10^-n or 2^-n; never more than 9 kept). */
export function precisionOf(tsresol: number): number {
  const exponent = tsresol & 0x7f;
  return Math.min(9, (tsresol & 0x80) !== 0 ? Math.ceil(exponent * Math.log10(2)) : exponent);
}

/**
 * The time the reader gives back: the writer truncates to coarse decimal units and rounds binary
 * fractions up; the reader truncates to nanoseconds and adds if_tsoffset back.
 */
function readBackTime(seconds: number, nanos: number, description: PcapngInterface): { seconds: number; nanos: number } {
  const raw = description.tsresol ?? 6;
  const exponent = raw & 0x7f;
  if ((raw & 0x80) === 0) {
    return { seconds, nanos: exponent >= 9 ? nanos : nanos - (nanos % 10 ** (9 - exponent)) };
  }
  const scale = 1n << BigInt(exponent);
  const units = (BigInt(nanos) * scale + 999_999_999n) / 1_000_000_000n;
  const back = Number((units * 1_000_000_000n) / scale);
  // Rounding up can reach the next whole second.
  return back >= 1_000_000_000 ? { seconds: seconds + 1, nanos: back - 1_000_000_000 } : { seconds, nanos: back };
}
