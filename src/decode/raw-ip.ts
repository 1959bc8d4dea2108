import type { LayerCursor } from './layer-cursor.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, NEXT_MALFORMED } from './next-layer.js';

/**
 * Raw IP (LINKTYPE 101 and the unmapped DLT_RAW values 12 and 14): no link header, the IP version
 * nibble says which network layer starts at the first byte.
 */
export function decodeRawIp(cursor: LayerCursor): number {
  if (cursor.remaining < 1) return NEXT_MALFORMED;
  const version = cursor.buffer[cursor.offset] >> 4;
  if (version === 4) return ETHERTYPE_IPV4;
  if (version === 6) return ETHERTYPE_IPV6;
  return NEXT_MALFORMED;
}

/** LINKTYPE_IPV4 (228): IPv4 by definition; the IPv4 analyzer rejects anything else. */
export function decodeRawIpv4(_cursor: LayerCursor): number {
  return ETHERTYPE_IPV4;
}

/** LINKTYPE_IPV6 (229): IPv6 by definition. */
export function decodeRawIpv6(_cursor: LayerCursor): number {
  return ETHERTYPE_IPV6;
}
