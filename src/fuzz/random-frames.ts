import { buildGtpU, buildIpv4Udp, encapsulate, fragmentIpv4, type LinkEncapsulation } from '../synth/frame-builder.js';
import type { SeedFrame } from './corpus-frames.js';
import { chance, pick, smallInt, type Random } from './random.js';

/**
 * Frames that are plausible at every layer but random in the details: a link header of a
 * supported type, IPv4 + UDP (mostly to or from port 3544), and a payload shaped like Teredo
 * (elements, an IPv6 header with random fields, ICMPv6/ND, extension headers, trailers) whose
 * lengths agree only most of the time. They reach the dissector's deeper parsers, which uniformly
 * random bytes almost never do.
 */
export function randomFrames(random: Random, count: number): SeedFrame[] {
  const frames: SeedFrame[] = [];
  const sockets = [randomSocket(random), randomSocket(random), randomSocket(random)];
  while (frames.length < count) {
    const [src, dst] = [pick(random, sockets), pick(random, sockets)];
    const srcPort = chance(random, 1, 3) ? 3544 : src.port;
    const dstPort = chance(random, 1, 3) ? 3544 : dst.port;
    let packet = buildIpv4Udp({ srcIp: src.ip, dstIp: dst.ip, srcPort, dstPort, payload: teredoLikePayload(random), id: random.int(65536) });
    if (chance(random, 1, 12)) {
      packet = buildIpv4Udp({ srcIp: src.ip, dstIp: dst.ip, srcPort: 2152, dstPort: 2152, payload: buildGtpU(packet, random.int(4294967296)) });
    }
    const link = randomLink(random);
    const pieces = chance(random, 1, 6) ? fragmentIpv4(packet, 8 * smallInt(random, 1, 200)) : [packet];
    if (pieces.length > 1 && chance(random, 1, 2)) shuffle(random, pieces);
    if (pieces.length > 1 && chance(random, 1, 4)) pieces.splice(random.int(pieces.length), 1);
    for (const piece of pieces) frames.push({ linkType: link.linkType, data: encapsulate(piece, link) });
  }
  return frames.slice(0, count);
}

function randomSocket(random: Random): { ip: number; port: number } {
  // Global unicast most of the time (Teredo mappings must be), sometimes private or reserved.
  const ip = chance(random, 3, 4) ? (0x0b000000 + random.int(0x50000000)) >>> 0 : random.int(4294967296);
  return { ip, port: chance(random, 1, 4) ? pick(random, [3544, 3545, 2152, 53, 0]) : 1024 + random.int(64512) };
}

function randomLink(random: Random): LinkEncapsulation {
  switch (random.int(9)) {
    case 0:
      return { linkType: 1, vlanTags: Array.from({ length: smallInt(random, 1, 10) }, () => ({ tpid: pick(random, [0x8100, 0x88a8, 0x9100]), id: random.int(4096) })) };
    case 1:
      return { linkType: 113 };
    case 2:
      return { linkType: 276 };
    case 3:
      return { linkType: pick(random, [12, 14, 101, 228] as const) };
    case 4:
      return { linkType: 0, bigEndian: chance(random, 1, 2) };
    case 5:
      return { linkType: 108 };
    default:
      return { linkType: 1 };
  }
}

const TEREDO_PREFIX = [0x20, 0x01, 0x00, 0x00];
const NEXT_HEADERS = [58, 58, 58, 59, 59, 6, 17, 0, 43, 44, 60, 51, 50];
const ICMP_TYPES = [133, 134, 135, 136, 128, 129, 1, 2, 3, 4, 137];

function teredoLikePayload(random: Random): Uint8Array {
  const parts: number[] = [];
  if (chance(random, 1, 3)) {
    const idLength = smallInt(random, 0, 40);
    const authLength = smallInt(random, 0, 40);
    parts.push(0, 1, idLength, authLength, ...random.bytes(idLength + authLength + 9));
  }
  if (chance(random, 1, 3)) parts.push(0, 0, ...random.bytes(6));
  const nextHeader = chance(random, 7, 8) ? pick(random, NEXT_HEADERS) : random.int(256);
  const body = innerBody(random, nextHeader);
  const payloadLength = chance(random, 4, 5) ? body.length : smallInt(random, 0, 2000);
  parts.push(0x60 | random.int(16), random.int(256), random.int(256), random.int(256));
  parts.push(payloadLength >> 8, payloadLength & 0xff, nextHeader, random.int(256));
  parts.push(...randomIpv6Address(random), ...randomIpv6Address(random), ...body);
  if (chance(random, 1, 4)) {
    for (let i = smallInt(random, 1, 4); i > 0; i--) {
      const length = chance(random, 3, 4) ? pick(random, [4, 2, 8, 0]) : random.int(256);
      parts.push(pick(random, [1, 3, 4, 5, random.int(256)]), length, ...random.bytes(chance(random, 3, 4) ? length : random.int(16)));
    }
  }
  // A payload that does not even start like Teredo, now and then.
  if (chance(random, 1, 20)) return random.bytes(smallInt(random, 0, 200));
  return Uint8Array.from(parts);
}

function innerBody(random: Random, nextHeader: number): number[] {
  const body: number[] = [];
  if ([0, 43, 60].includes(nextHeader)) {
    const units = smallInt(random, 0, 4);
    body.push(pick(random, [58, 59, 6, 17, 44]), units, ...random.bytes(6 + units * 8));
  } else if (nextHeader === 44) {
    body.push(pick(random, [58, 6, 17]), 0, random.int(256), random.int(256), ...random.bytes(4));
  }
  if (nextHeader === 58 || body[0] === 58) {
    body.push(pick(random, ICMP_TYPES), random.int(4) === 0 ? random.int(256) : 0, random.int(256), random.int(256));
    body.push(...random.bytes(pick(random, [4, 20, 12])));
    for (let i = smallInt(random, 0, 4); i > 0; i--) {
      const units = smallInt(random, 0, 5);
      body.push(pick(random, [1, 2, 3, 5, random.int(256)]), units, ...random.bytes(Math.max(0, units * 8 - 2)));
    }
  } else if (nextHeader !== 59) {
    body.push(...random.bytes(smallInt(random, 0, 200)));
  }
  return body;
}

function randomIpv6Address(random: Random): number[] {
  switch (random.int(4)) {
    case 0:
      return [...TEREDO_PREFIX, ...random.bytes(12)];
    case 1:
      return [0xfe, 0x80, 0, 0, 0, 0, 0, 0, pick(random, [0x80, 0x00]), 0, ...random.bytes(6)];
    case 2:
      return [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    default:
      return [...random.bytes(16)];
  }
}

function shuffle<T>(random: Random, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
}
