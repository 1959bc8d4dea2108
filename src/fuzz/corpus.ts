import { readdirSync, readFileSync } from 'node:fs';
import { captureToBuffer } from '../capture/capture-file.js';
import type { CaptureSink } from '../capture/packet-to-write.js';
import {
  BLOCK_CUSTOM,
  BLOCK_DECRYPTION_SECRETS,
  BLOCK_INTERFACE_STATISTICS,
  BLOCK_NAME_RESOLUTION,
} from '../capture/pcapng-blocks.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PcapngWriter, type PcapngInterface } from '../capture/pcapng-writer.js';
import { generateScenario, SCENARIO_NAMES } from '../synth/scenarios/scenario-catalog.js';
import { featureFrames, patterned, type SeedFrame } from './corpus-frames.js';
import { structureOffsets } from './structure-offsets.js';

/** A valid capture that mutations start from. */
export interface CorpusEntry {
  name: string;
  bytes: Uint8Array;
  /** Starts of header fields in `bytes`, where mutations are aimed half of the time. */
  hotOffsets: number[];
}

const REAL_FIXTURES = new URL('../../fixtures/real/', import.meta.url);

/**
 * The seed corpus, the same on every run: the real captures, every synthetic scenario (written in
 * turn as µs/ns, little/big-endian pcap and pcapng), and feature captures covering fragments,
 * GTP-U, VLAN, trailers, every supported link type and the pcapng block kinds.
 */
export function buildCorpus(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const add = (name: string, bytes: Uint8Array): void => {
    entries.push({ name, bytes, hotOffsets: structureOffsets(bytes) });
  };
  for (const file of readdirSync(REAL_FIXTURES).filter((name) => /\.pcap(ng)?$/.test(name)).sort()) {
    add(`real/${file}`, new Uint8Array(readFileSync(new URL(file, REAL_FIXTURES))));
  }
  SCENARIO_NAMES.forEach((name, i) => {
    const frames = generateScenario(name).frames.map((frame) => ({ ...frame, linkType: 1 }));
    const variant = SCENARIO_VARIANTS[i % SCENARIO_VARIANTS.length];
    add(`scenario/${name} (${variant.name})`, captureToBuffer((sink) => variant.write(sink, frames)));
  });
  const features = featureFrames();
  add('features (pcapng, little-endian)', captureToBuffer((sink) => writeFeaturePcapng(sink, features, false)));
  add('features (pcapng, big-endian)', captureToBuffer((sink) => writeFeaturePcapng(sink, features, true)));
  const ethernet = features.filter((frame) => frame.linkType === 1);
  add('features (pcap, Ethernet)', captureToBuffer((sink) => writePcap(sink, ethernet, {})));
  add('features (pcap, snap length 128)', captureToBuffer((sink) => writePcap(sink, ethernet, { snapLength: 128, nanosecond: true })));
  return entries;
}

interface TimedFrame extends SeedFrame {
  seconds: number;
  nanos: number;
}

const SCENARIO_VARIANTS: { name: string; write: (sink: CaptureSink, frames: TimedFrame[]) => void }[] = [
  { name: 'pcap µs', write: (sink, frames) => writePcap(sink, frames, {}) },
  { name: 'pcap ns big-endian', write: (sink, frames) => writePcap(sink, frames, { nanosecond: true, bigEndian: true }) },
  { name: 'pcapng', write: (sink, frames) => writeTimedPcapng(sink, frames, false, [{ linkType: 1 }]) },
  {
    name: 'pcapng big-endian ns',
    write: (sink, frames) => writeTimedPcapng(sink, frames, true, [{ linkType: 1, tsresol: 9, tsoffset: -3600, name: 'eth0' }]),
  },
];

function writePcap(sink: CaptureSink, frames: SeedFrame[], options: { nanosecond?: boolean; bigEndian?: boolean; snapLength?: number }): void {
  const writer = new PcapWriter(sink, { linkType: 1, ...options });
  frames.forEach((frame, i) => {
    const timed = frame as Partial<TimedFrame>;
    writer.write({ seconds: timed.seconds ?? 1_700_000_000 + i, nanos: timed.nanos ?? i * 1_000_123, data: frame.data });
  });
}

function writeTimedPcapng(sink: CaptureSink, frames: TimedFrame[], bigEndian: boolean, interfaces: PcapngInterface[]): void {
  const writer = new PcapngWriter(sink, { bigEndian, interfaces });
  for (const frame of frames) writer.write({ seconds: frame.seconds, nanos: frame.nanos, data: frame.data });
}

/** Every feature frame on an interface of its link type, with the block kinds a reader must skip or number. */
function writeFeaturePcapng(sink: CaptureSink, frames: SeedFrame[], bigEndian: boolean): void {
  const linkTypes = [...new Set(frames.map((frame) => frame.linkType))];
  const interfaces: PcapngInterface[] = linkTypes.map((linkType, i) => ({
    linkType,
    tsresol: [6, 9, 0x80 | 20, 3][i % 4],
    ...(i === 1 ? { tsoffset: 100 } : {}),
    ...(i === 2 ? { snapLength: 0, name: `if${i}` } : {}),
  }));
  const writer = new PcapngWriter(sink, { bigEndian, interfaces });
  writer.writeRawBlock(BLOCK_NAME_RESOLUTION, Uint8Array.of(0, 1, 0, 9, 10, 0, 0, 1, 104, 111, 115, 116, 0, 0, 0, 0, 0, 0, 0, 0));
  frames.forEach((frame, i) => {
    const packet = { seconds: 1_700_000_000 + i, nanos: 500_000_000, data: frame.data, interfaceId: linkTypes.indexOf(frame.linkType) };
    if (i === 3) writer.writeRawBlock(BLOCK_CUSTOM, concat(Uint8Array.of(0, 0, 0x7e, 0xd9), patterned(13)));
    if (i === 5 && packet.interfaceId <= 0xffff) writer.writeObsoletePacket(packet);
    else if (i === 7 && packet.interfaceId === 0) writer.writeSimplePacket(frame.data);
    else writer.write(i === 2 ? { ...packet, comment: 'fragment' } : packet);
  });
  writer.writeRawBlock(BLOCK_INTERFACE_STATISTICS, new Uint8Array(12));
  writer.writeRawBlock(BLOCK_DECRYPTION_SECRETS, concat(Uint8Array.of(0x54, 0x4c, 0x53, 0x4b, 0, 0, 0, 4), patterned(4)));
  // A second section: interface ids start again.
  writer.startSection([{ linkType: 1, tsresol: 9 }]);
  for (const frame of frames.filter((candidate) => candidate.linkType === 1).slice(0, 4)) {
    writer.write({ seconds: 1_700_001_000, nanos: 1, data: frame.data });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
