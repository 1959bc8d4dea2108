import type { PcapngInterface } from '../capture/pcapng-writer.js';
import { RAW_BLOCK_TYPES, type CaptureSpec, type PacketSpec, type RawBlockSpec, type SectionSpec } from './capture-spec.js';
import { chance, pick, smallInt, type Random } from './random.js';

const TWO_POW_32 = 4294967296;
const MAX_UNITS = (1n << 64n) - 1n;
const LINK_TYPES = [1, 101, 113, 228, 276, 0, 108, 147, 105];

/** A random capture the writers can write: any format variant, timestamps within each resolution's range. */
export function randomCaptureSpec(random: Random): CaptureSpec {
  if (chance(random, 1, 2)) {
    const snapLength = chance(random, 1, 2) ? undefined : pick(random, [0, 1, 60, 128, 1500, 65535, 262144]);
    const packets: PacketSpec[] = [];
    for (let i = smallInt(random, 0, 16); i > 0; i--) packets.push(randomPacket(random, 0, random.int(TWO_POW_32), 'enhanced'));
    return { format: 'pcap', linkType: randomLinkType(random), nanosecond: chance(random, 1, 2), bigEndian: chance(random, 1, 2), snapLength, packets };
  }
  const sections: SectionSpec[] = [];
  for (let i = smallInt(random, 1, 3); i > 0; i--) sections.push(randomSection(random));
  return { format: 'pcapng', bigEndian: chance(random, 1, 2), sections };
}

function randomLinkType(random: Random): number {
  return chance(random, 4, 5) ? pick(random, LINK_TYPES) : random.int(65536);
}

function randomSection(random: Random): SectionSpec {
  const interfaces: PcapngInterface[] = [];
  for (let i = smallInt(random, 0, 4); i > 0; i--) interfaces.push(randomInterface(random));
  const items: (PacketSpec | RawBlockSpec)[] = [];
  for (let i = smallInt(random, 0, 14); i > 0; i--) {
    if (interfaces.length === 0 || chance(random, 1, 5)) {
      items.push({ kind: 'raw', type: pick(random, RAW_BLOCK_TYPES), length: smallInt(random, 0, 200) });
      continue;
    }
    const block = pick(random, ['enhanced', 'enhanced', 'enhanced', 'obsolete', 'simple'] as const);
    const interfaceId = block === 'simple' ? 0 : random.int(interfaces.length);
    items.push(randomPacket(random, interfaceId, secondsFor(random, interfaces[interfaceId]), block));
  }
  return { interfaces, items };
}

function randomInterface(random: Random): PcapngInterface {
  const description: PcapngInterface = { linkType: randomLinkType(random) };
  if (chance(random, 1, 3)) description.snapLength = pick(random, [0, 1, 64, 200, 1500, 65535, 262144]);
  if (chance(random, 2, 3)) {
    description.tsresol = chance(random, 2, 3) ? pick(random, [0, 1, 3, 6, 9, 10, 12, 15]) : 0x80 | pick(random, [0, 1, 10, 20, 30, 32, 40]);
  }
  if (chance(random, 1, 3)) {
    // A negative offset must leave room for a time after the epoch once taken off.
    description.tsoffset = random.int(TWO_POW_32) - Math.min(TWO_POW_32 / 2, maxAdjustedSeconds(description.tsresol ?? 6));
  }
  if (chance(random, 1, 4)) description.name = pick(random, ['eth0', '', 'wlan0 (Wi-Fi)', 'tun\u00e9l-\u{1f600}', 'x'.repeat(random.int(300))]);
  return description;
}

/**
 * Seconds whose unit count at the interface's resolution, after if_tsoffset is taken off, is
 * non-negative and fits in 64 bits (what the writer requires).
 */
function secondsFor(random: Random, description: PcapngInterface): number {
  const maxAdjusted = maxAdjustedSeconds(description.tsresol ?? 6);
  const offset = description.tsoffset ?? 0;
  const low = Math.max(0, -offset);
  const adjusted = low + (maxAdjusted > low ? Math.floor((random.int(TWO_POW_32) / TWO_POW_32) * (maxAdjusted - low)) : 0);
  return adjusted + offset;
}

/** Largest whole seconds (after if_tsoffset) whose unit count fits in 64 bits, capped at 2^40. */
function maxAdjustedSeconds(tsresol: number): number {
  const exponent = tsresol & 0x7f;
  const scale = (tsresol & 0x80) !== 0 ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
  // One second less than the limit, so that a binary fraction rounded up still fits.
  const limit = MAX_UNITS / scale - 1n;
  return Number(limit < 1n << 40n ? limit : 1n << 40n);
}

function randomPacket(random: Random, interfaceId: number, seconds: number, block: PacketSpec['block']): PacketSpec {
  const length = chance(random, 1, 20) ? pick(random, [65535, 70001, 262144]) : smallInt(random, 0, 1600);
  const extraOriginal = chance(random, 2, 3) ? 0 : random.int(TWO_POW_32 - length);
  const packet: PacketSpec = { kind: 'packet', block, seconds, nanos: random.int(1_000_000_000), length, fill: random.int(TWO_POW_32), extraOriginal, interfaceId };
  if (block === 'enhanced' && chance(random, 1, 6)) packet.comment = pick(random, ['', 'a comment', 'caf\u00e9 \u{1f600}']);
  return packet;
}
