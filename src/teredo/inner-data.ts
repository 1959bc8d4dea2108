import {
  NEXT_HEADER_AUTHENTICATION,
  NEXT_HEADER_DESTINATION_OPTIONS,
  NEXT_HEADER_FRAGMENT,
  NEXT_HEADER_HOP_BY_HOP,
  NEXT_HEADER_ROUTING,
  NEXT_HEADER_TCP,
  NEXT_HEADER_UDP,
} from './constants.js';
import type { InnerData } from './packet.js';

/**
 * Where the upper-layer header of an IPv6 packet starts once the extension headers are skipped.
 * One reused object: the walk allocates nothing.
 */
export interface UpperLayerLocation {
  /** Upper-layer protocol, or the extension header the walk stopped in when truncated. */
  protocol: number;
  /** Offset of the upper-layer header. */
  offset: number;
  /** False for a non-first fragment: its bytes continue an upper-layer packet, no header is there. */
  headerPresent: boolean;
  /** An extension header ran past the end of the IPv6 payload. */
  truncated: boolean;
  /** Number of extension headers walked. */
  extensionHeaders: number;
}

export function createUpperLayerLocation(): UpperLayerLocation {
  return { protocol: 0, offset: 0, headerPresent: true, truncated: false, extensionHeaders: 0 };
}

/** Extension headers the walk understands (RFC 8200 §4, RFC 4302 for AH). */
export function isExtensionHeader(nextHeader: number): boolean {
  return (
    nextHeader === NEXT_HEADER_HOP_BY_HOP ||
    nextHeader === NEXT_HEADER_ROUTING ||
    nextHeader === NEXT_HEADER_FRAGMENT ||
    nextHeader === NEXT_HEADER_DESTINATION_OPTIONS ||
    nextHeader === NEXT_HEADER_AUTHENTICATION
  );
}

/**
 * Walks the extension headers from `offset` (just after the fixed IPv6 header, whose Next Header is
 * `nextHeader`) to `end` (end of the IPv6 packet). Returns false when a header does not fit.
 * Every step advances by at least 8 bytes, so the walk ends within (end - offset) / 8 steps.
 */
export function locateUpperLayer(bytes: Uint8Array, offset: number, end: number, nextHeader: number, out: UpperLayerLocation): boolean {
  out.headerPresent = true;
  out.truncated = false;
  out.extensionHeaders = 0;
  let protocol = nextHeader;
  let at = offset;
  while (isExtensionHeader(protocol)) {
    if (end - at < 8) break;
    let length: number;
    if (protocol === NEXT_HEADER_FRAGMENT) {
      length = 8;
      // A non-zero fragment offset means the upper-layer header is in an earlier fragment.
      if ((((bytes[at + 2] << 8) | bytes[at + 3]) & 0xfff8) !== 0) out.headerPresent = false;
    } else if (protocol === NEXT_HEADER_AUTHENTICATION) {
      length = (bytes[at + 1] + 2) * 4;
    } else {
      length = (bytes[at + 1] + 1) * 8;
    }
    if (length > end - at) break;
    protocol = bytes[at];
    at += length;
    out.extensionHeaders++;
    if (!out.headerPresent) break;
  }
  out.protocol = protocol;
  out.offset = at;
  out.truncated = out.headerPresent && isExtensionHeader(protocol);
  return !out.truncated;
}

/** Protocols whose header starts with 16-bit source and destination ports (TCP, UDP, DCCP, UDP-Lite, SCTP). */
export function hasPorts(protocol: number): boolean {
  return protocol === NEXT_HEADER_TCP || protocol === NEXT_HEADER_UDP || protocol === 33 || protocol === 136 || protocol === 132;
}

/**
 * Upper-layer summary of a data packet. `length` counts the upper-layer packet (its header
 * included) from `location.offset` to `end`. Ports stay null when the header is absent (non-first
 * fragment) or too short to hold them; `portsTruncated` in the result tells the second case apart.
 */
export function readInnerData(bytes: Uint8Array, location: UpperLayerLocation, end: number): { data: InnerData; portsTruncated: boolean } {
  const data = innerDataInto(bytes, location, end, { protocol: 0, srcPort: null, dstPort: null, length: 0 });
  return { data, portsTruncated: innerPortsTruncated(location, end) };
}

/** The `data` of readInnerData written into `out` (the dissector's reused object for every data packet); returns `out`. */
export function innerDataInto(bytes: Uint8Array, location: UpperLayerLocation, end: number, out: InnerData): InnerData {
  const length = Math.max(0, end - location.offset);
  out.protocol = location.protocol;
  out.length = length;
  if (length >= 4 && expectsPorts(location)) {
    const at = location.offset;
    out.srcPort = (bytes[at] << 8) | bytes[at + 1];
    out.dstPort = (bytes[at + 2] << 8) | bytes[at + 3];
  } else {
    out.srcPort = null;
    out.dstPort = null;
  }
  return out;
}

/** The `portsTruncated` of readInnerData: the upper-layer header should hold ports but is under 4 bytes. */
export function innerPortsTruncated(location: UpperLayerLocation, end: number): boolean {
  return end - location.offset < 4 && expectsPorts(location);
}

function expectsPorts(location: UpperLayerLocation): boolean {
  return location.headerPresent && !location.truncated && hasPorts(location.protocol);
}
