import { internetChecksum, ipv4PseudoHeaderSum } from './frame-checksum.js';

export { encapsulate } from './frame-encapsulation.js';
export type { LinkEncapsulation } from './frame-encapsulation.js';
export { buildGtpU } from './frame-gtp.js';
export type { GtpUOptions } from './frame-gtp.js';

export interface Ipv4UdpSpec {
  srcIp: number;
  dstIp: number;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  /** Default 64. */
  ttl?: number;
  /** IPv4 identification, default 0. */
  id?: number;
  /** Raw IPv4 options; padded with End-of-Options to a multiple of 4 (at most 40 bytes). */
  options?: Uint8Array;
}

const IPV4_HEADER_LENGTH = 20;
const MAX_OPTIONS_LENGTH = 40;
const UDP_HEADER_LENGTH = 8;
const IP_PROTOCOL_UDP = 17;
const FLAG_MORE_FRAGMENTS = 0x2000;
/** RFC 791: options with this bit set are copied into every fragment. */
const OPTION_COPIED_FLAG = 0x80;
const OPTION_END = 0;
const OPTION_NOP = 1;

/** An IPv4 packet (header checksum valid, no DF) carrying one UDP datagram (checksum valid). */
export function buildIpv4Udp(spec: Ipv4UdpSpec): Uint8Array {
  const options = padOptions(spec.options ?? new Uint8Array(0));
  const headerLength = IPV4_HEADER_LENGTH + options.length;
  const udpLength = UDP_HEADER_LENGTH + spec.payload.length;
  const totalLength = headerLength + udpLength;
  if (totalLength > 0xffff) throw new RangeError(`IPv4 packet of ${totalLength} bytes exceeds 65535`);

  const packet = new Uint8Array(totalLength);
  const view = new DataView(packet.buffer);
  view.setUint16(headerLength, spec.srcPort);
  view.setUint16(headerLength + 2, spec.dstPort);
  view.setUint16(headerLength + 4, udpLength);
  packet.set(spec.payload, headerLength + UDP_HEADER_LENGTH);
  const pseudo = ipv4PseudoHeaderSum(spec.srcIp >>> 0, spec.dstIp >>> 0, IP_PROTOCOL_UDP, udpLength);
  // A computed 0 is sent as 0xffff: 0 means "no checksum" in UDP over IPv4.
  view.setUint16(headerLength + 6, internetChecksum(packet, headerLength, totalLength, pseudo) || 0xffff);

  writeIpv4Header(packet, {
    options,
    totalLength,
    id: spec.id ?? 0,
    flagsAndOffset: 0,
    ttl: spec.ttl ?? 64,
    protocol: IP_PROTOCOL_UDP,
    srcIp: spec.srcIp,
    dstIp: spec.dstIp,
  });
  return packet;
}

/**
 * Splits an IPv4 packet into fragments of at most `maxPayloadPerFragment` payload bytes (a
 * positive multiple of 8), in offset order. Options go whole into the first fragment and, as RFC
 * 791 says, only the "copied" ones into the others. A packet that fits is returned as one copy.
 */
export function fragmentIpv4(packet: Uint8Array, maxPayloadPerFragment: number): Uint8Array[] {
  if (!Number.isInteger(maxPayloadPerFragment) || maxPayloadPerFragment <= 0 || maxPayloadPerFragment % 8 !== 0) {
    throw new RangeError(`fragment payload size ${maxPayloadPerFragment} is not a positive multiple of 8`);
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const headerLength = (packet[0] & 0x0f) * 4;
  const totalLength = view.getUint16(2);
  if (packet[0] >> 4 !== 4 || headerLength < IPV4_HEADER_LENGTH || totalLength > packet.length || totalLength < headerLength) {
    throw new RangeError('not a well-formed IPv4 packet');
  }
  const payloadLength = totalLength - headerLength;
  if (payloadLength <= maxPayloadPerFragment) return [packet.slice(0, totalLength)];

  const flagsAndOffset = view.getUint16(6);
  const baseOffset = (flagsAndOffset & 0x1fff) * 8;
  const originalMoreFragments = (flagsAndOffset & FLAG_MORE_FRAGMENTS) !== 0;
  const allOptions = packet.slice(IPV4_HEADER_LENGTH, headerLength);
  const copiedOptions = padOptions(selectCopiedOptions(allOptions));

  const fragments: Uint8Array[] = [];
  for (let start = 0; start < payloadLength; start += maxPayloadPerFragment) {
    const end = Math.min(payloadLength, start + maxPayloadPerFragment);
    const options = start === 0 ? allOptions : copiedOptions;
    const fragmentHeaderLength = IPV4_HEADER_LENGTH + options.length;
    const fragment = new Uint8Array(fragmentHeaderLength + end - start);
    fragment.set(packet.subarray(headerLength + start, headerLength + end), fragmentHeaderLength);
    const moreFragments = end < payloadLength || originalMoreFragments;
    writeIpv4Header(fragment, {
      options,
      totalLength: fragment.length,
      id: view.getUint16(4),
      flagsAndOffset: (flagsAndOffset & 0x4000) | (moreFragments ? FLAG_MORE_FRAGMENTS : 0) | ((baseOffset + start) / 8),
      ttl: packet[8],
      protocol: packet[9],
      srcIp: view.getUint32(12),
      dstIp: view.getUint32(16),
      tos: packet[1],
    });
    fragments.push(fragment);
  }
  return fragments;
}

interface Ipv4HeaderFields {
  options: Uint8Array;
  totalLength: number;
  id: number;
  flagsAndOffset: number;
  ttl: number;
  protocol: number;
  srcIp: number;
  dstIp: number;
  tos?: number;
}

function writeIpv4Header(packet: Uint8Array, fields: Ipv4HeaderFields): void {
  const headerLength = IPV4_HEADER_LENGTH + fields.options.length;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  packet[0] = 0x40 | (headerLength / 4);
  packet[1] = fields.tos ?? 0;
  view.setUint16(2, fields.totalLength);
  view.setUint16(4, fields.id & 0xffff);
  view.setUint16(6, fields.flagsAndOffset);
  packet[8] = fields.ttl & 0xff;
  packet[9] = fields.protocol;
  view.setUint16(10, 0);
  view.setUint32(12, fields.srcIp >>> 0);
  view.setUint32(16, fields.dstIp >>> 0);
  packet.set(fields.options, IPV4_HEADER_LENGTH);
  view.setUint16(10, internetChecksum(packet, 0, headerLength));
}

function padOptions(options: Uint8Array): Uint8Array {
  if (options.length > MAX_OPTIONS_LENGTH) throw new RangeError(`IPv4 options of ${options.length} bytes exceed 40`);
  const padded = new Uint8Array(Math.ceil(options.length / 4) * 4);
  padded.set(options);
  return padded;
}

/** The options whose type has the copied flag, walking the TLV list (End stops it, NOP is 1 byte). */
function selectCopiedOptions(options: Uint8Array): Uint8Array {
  const kept: number[] = [];
  for (let i = 0; i < options.length; ) {
    const type = options[i];
    if (type === OPTION_END) break;
    if (type === OPTION_NOP) {
      i++;
      continue;
    }
    const length = options[i + 1] ?? 0;
    if (length < 2 || i + length > options.length) break;
    if ((type & OPTION_COPIED_FLAG) !== 0) kept.push(...options.subarray(i, i + length));
    i += length;
  }
  return Uint8Array.from(kept);
}
