import { readIpv4 } from './ip-address.js';
import { readUint16BE } from './byte-order.js';
import type { LayerCursor } from './layer-cursor.js';

export const IPV4_MIN_HEADER_LENGTH = 20;
export const IP_PROTOCOL_UDP = 17;
const FLAG_MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;

/** The fields of the last IPv4 header decoded; one instance is reused for every packet. */
export class Ipv4Header {
  /** IHL in bytes (20..60, options included). */
  headerLength = 0;
  /** Total length as the header states it (0 means a TSO capture, see decodeIpv4). */
  totalLength = 0;
  id = 0;
  moreFragments = false;
  /** Fragment offset in bytes. */
  fragmentOffset = 0;
  ttl = 0;
  protocol = 0;
  srcIp = 0;
  dstIp = 0;
  /** First payload byte, in the cursor's buffer. */
  payloadOffset = 0;
  /** End of the payload bytes actually present (clipped by snaplen, link trailers removed). */
  payloadEnd = 0;
  /** Payload length the header claims (what was on the wire). */
  payloadLength = 0;

  get isFragment(): boolean {
    return this.moreFragments || this.fragmentOffset !== 0;
  }
}

/**
 * Decodes the IPv4 header at the cursor into `out` and moves the cursor to the payload, limiting
 * `cursor.end` to the payload's end (so Ethernet padding and FCS are never taken as payload).
 * Returns false for a malformed header: not version 4, IHL below 5 or past the captured bytes,
 * total length shorter than the header, or longer than the frame although the capture was not cut.
 * Header checksums are not verified (captures taken on the sending host carry offloaded, i.e.
 * unfilled, checksums). A total length of 0 on an unfragmented packet is read as a capture of a
 * TSO super-packet, as Wireshark does: the captured bytes are the packet.
 */
export function decodeIpv4(cursor: LayerCursor, out: Ipv4Header): boolean {
  const bytes = cursor.buffer;
  const start = cursor.offset;
  const available = cursor.end - start;
  if (available < IPV4_MIN_HEADER_LENGTH) return false;
  const versionAndIhl = bytes[start];
  if (versionAndIhl >> 4 !== 4) return false;
  const headerLength = (versionAndIhl & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH || headerLength > available) return false;

  const flagsAndOffset = readUint16BE(bytes, start + 6);
  out.moreFragments = (flagsAndOffset & FLAG_MORE_FRAGMENTS) !== 0;
  out.fragmentOffset = (flagsAndOffset & FRAGMENT_OFFSET_MASK) * 8;

  let totalLength = readUint16BE(bytes, start + 2);
  out.totalLength = totalLength;
  if (totalLength === 0 && !out.isFragment && !cursor.truncated) totalLength = available;
  if (totalLength < headerLength) return false;
  if (totalLength > available && !cursor.truncated) return false;

  out.headerLength = headerLength;
  out.id = readUint16BE(bytes, start + 4);
  out.ttl = bytes[start + 8];
  out.protocol = bytes[start + 9];
  out.srcIp = readIpv4(bytes, start + 12);
  out.dstIp = readIpv4(bytes, start + 16);
  out.payloadOffset = start + headerLength;
  out.payloadLength = totalLength - headerLength;
  out.payloadEnd = start + Math.min(totalLength, available);
  cursor.offset = out.payloadOffset;
  cursor.end = out.payloadEnd;
  return true;
}
