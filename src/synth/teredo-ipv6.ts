import { NEXT_HEADER_FRAGMENT, NEXT_HEADER_TCP, NEXT_HEADER_UDP } from '../teredo/constants.js';
import { ipv6UpperLayerChecksum } from '../teredo/ipv6-checksum.js';
import { IPV6_HEADER_LENGTH } from '../teredo/ipv6-header.js';
import { concatBytes as concatChunks } from '../capture/capture-file.js';

/**
 * Raw IPv6 packets for Teredo tests and benchmarks: header, extension headers, TCP/UDP headers,
 * with valid upper-layer checksums (pseudo-header of RFC 8200 §8.1).
 */

/** Variadic form of the capture layer's concatBytes, for building packets part by part. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  return concatChunks(parts);
}

/** One extension header to place between the IPv6 header and the upper layer. */
export type ExtensionHeaderSpec =
  /** Hop-by-hop (0), routing (43) or destination options (60), padded with PadN; `length` is a multiple of 8 (default 8). */
  | { type: 0 | 43 | 60; length?: number }
  /** Fragment header; a non-zero offset (in bytes, multiple of 8) makes a non-first fragment. */
  | { type: 44; fragmentOffset?: number; moreFragments?: boolean; identification?: number };

export interface Ipv6PacketSpec {
  src: Uint8Array;
  dst: Uint8Array;
  /** Protocol of `payload` (the Next Header of the last extension header, or of the IPv6 header). */
  protocol: number;
  payload?: Uint8Array;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  extensionHeaders?: readonly ExtensionHeaderSpec[];
  /**
   * Offset within `payload` of a 16-bit checksum over the pseudo-header and `payload` to fill in
   * (2 for ICMPv6, 6 for UDP, 16 for TCP); omit to leave the payload untouched.
   */
  checksumOffset?: number;
}

function checkAddress(name: string, address: Uint8Array): void {
  if (address.length !== 16) throw new RangeError(`${name} must be 16 bytes, got ${address.length}`);
}

function extensionHeader(spec: ExtensionHeaderSpec, next: number): Uint8Array {
  if (spec.type === NEXT_HEADER_FRAGMENT) {
    const offset = spec.fragmentOffset ?? 0;
    if (offset % 8 !== 0 || offset < 0 || offset > 0xfff8) throw new RangeError(`fragment offset ${offset} is not a multiple of 8 in 0..65528`);
    const header = new Uint8Array(8);
    header[0] = next;
    const field = offset | (spec.moreFragments === true ? 1 : 0);
    header[2] = field >> 8;
    header[3] = field & 0xff;
    new DataView(header.buffer).setUint32(4, spec.identification ?? 0x1234);
    return header;
  }
  const length = spec.length ?? 8;
  if (length % 8 !== 0 || length < 8 || length > 2048) throw new RangeError(`extension header length ${length} is not a multiple of 8 in 8..2048`);
  const header = new Uint8Array(length);
  header[0] = next;
  header[1] = length / 8 - 1;
  // One PadN option fills the rest (RFC 8200 §4.2); harmless for routing headers in tests.
  header[2] = 1;
  header[3] = length - 4;
  return header;
}

/** A complete IPv6 packet (Payload Length = extension headers + payload). */
export function ipv6Packet(spec: Ipv6PacketSpec): Uint8Array {
  checkAddress('src', spec.src);
  checkAddress('dst', spec.dst);
  const payload = spec.payload ?? new Uint8Array(0);
  const extensions = spec.extensionHeaders ?? [];
  const headers: Uint8Array[] = [];
  for (let i = 0; i < extensions.length; i++) {
    const next = i + 1 < extensions.length ? extensions[i + 1].type : spec.protocol;
    headers.push(extensionHeader(extensions[i], next));
  }
  const body = concatBytes(...headers, payload);
  if (body.length > 0xffff) throw new RangeError(`IPv6 payload of ${body.length} bytes exceeds 65535 (no jumbograms)`);

  const packet = new Uint8Array(IPV6_HEADER_LENGTH + body.length);
  const trafficClass = spec.trafficClass ?? 0;
  const flowLabel = spec.flowLabel ?? 0;
  packet[0] = 0x60 | (trafficClass >> 4);
  packet[1] = ((trafficClass & 0x0f) << 4) | ((flowLabel >> 16) & 0x0f);
  packet[2] = (flowLabel >> 8) & 0xff;
  packet[3] = flowLabel & 0xff;
  packet[4] = body.length >> 8;
  packet[5] = body.length & 0xff;
  packet[6] = extensions.length > 0 ? extensions[0].type : spec.protocol;
  packet[7] = spec.hopLimit ?? 64;
  packet.set(spec.src, 8);
  packet.set(spec.dst, 24);
  packet.set(body, IPV6_HEADER_LENGTH);

  if (spec.checksumOffset !== undefined) {
    const upper = IPV6_HEADER_LENGTH + body.length - payload.length;
    const field = upper + spec.checksumOffset;
    let sum = ipv6UpperLayerChecksum(packet, 0, spec.protocol, upper, payload.length, field);
    // UDP sends a computed 0 as 0xffff (0 means "no checksum" in RFC 768).
    if (sum === 0 && spec.protocol === NEXT_HEADER_UDP) sum = 0xffff;
    packet[field] = sum >> 8;
    packet[field + 1] = sum & 0xff;
  }
  return packet;
}

/** A 20-byte TCP header (no options) followed by `payload`; checksum left zero for ipv6Packet to fill (offset 16). */
export function tcpSegment(srcPort: number, dstPort: number, payload: Uint8Array = new Uint8Array(0), flags = 0x18, sequence = 1): Uint8Array {
  const segment = new Uint8Array(20 + payload.length);
  const view = new DataView(segment.buffer);
  view.setUint16(0, srcPort);
  view.setUint16(2, dstPort);
  view.setUint32(4, sequence >>> 0);
  segment[12] = 5 << 4;
  segment[13] = flags;
  view.setUint16(14, 65535);
  segment.set(payload, 20);
  return segment;
}

/** An 8-byte UDP header followed by `payload`; checksum left zero for ipv6Packet to fill (offset 6). */
export function udpSegment(srcPort: number, dstPort: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const segment = new Uint8Array(8 + payload.length);
  const view = new DataView(segment.buffer);
  view.setUint16(0, srcPort);
  view.setUint16(2, dstPort);
  view.setUint16(4, segment.length);
  segment.set(payload, 8);
  return segment;
}

/** Checksum offset within the segment for protocols the builders know, else undefined. */
export function checksumOffsetOf(protocol: number): number | undefined {
  if (protocol === NEXT_HEADER_TCP) return 16;
  if (protocol === NEXT_HEADER_UDP) return 6;
  return undefined;
}
