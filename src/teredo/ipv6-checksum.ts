import { IPV6_DESTINATION_OFFSET, IPV6_SOURCE_OFFSET } from './ipv6-header.js';

/**
 * Internet checksum (RFC 1071) of an upper-layer packet carried in IPv6, with the RFC 8200 §8.1
 * pseudo-header: source, destination, 32-bit upper-layer length, next header.
 *
 * Returns the value the checksum field must hold, computed as if the field at
 * `checksumOffset` were zero, so the same function serves building (write it) and checking
 * (compare with the field). Reads bytes in place; no allocation.
 */
export function ipv6UpperLayerChecksum(
  bytes: Uint8Array,
  ipv6Offset: number,
  nextHeader: number,
  upperOffset: number,
  upperLength: number,
  checksumOffset: number,
): number {
  let sum = 0;
  const src = ipv6Offset + IPV6_SOURCE_OFFSET;
  const dst = ipv6Offset + IPV6_DESTINATION_OFFSET;
  for (let i = 0; i < 16; i += 2) {
    sum += (bytes[src + i] << 8) | bytes[src + i + 1];
    sum += (bytes[dst + i] << 8) | bytes[dst + i + 1];
  }
  sum += (upperLength >>> 16) + (upperLength & 0xffff) + nextHeader;

  const end = upperOffset + upperLength;
  let i = upperOffset;
  for (; i + 1 < end; i += 2) {
    if (i === checksumOffset) continue;
    sum += (bytes[i] << 8) | bytes[i + 1];
    // Fold now and then so the sum stays a small integer however long the packet is.
    if (sum > 0x7fffffff) sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (i < end) sum += bytes[i] << 8;

  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  const result = ~sum & 0xffff;
  // A computed 0 is sent as 0xffff by UDP (RFC 768); for ICMPv6 both forms verify.
  return result;
}
