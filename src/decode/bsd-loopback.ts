import { readUint32BE, readUint32LE } from './byte-order.js';
import type { LayerCursor } from './layer-cursor.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, NEXT_MALFORMED, NEXT_UNKNOWN } from './next-layer.js';

export const BSD_LOOPBACK_HEADER_LENGTH = 4;
/** AF_INET is 2 on every BSD, Linux, macOS and Windows. */
export const BSD_AF_INET = 2;
/** AF_INET6 differs per system: NetBSD/OpenBSD (and Npcap) 24, FreeBSD 28, Darwin 30. */
const BSD_AF_INET6_VALUES: readonly number[] = [24, 28, 30];

function familyToEthertype(family: number): number {
  if (family === BSD_AF_INET) return ETHERTYPE_IPV4;
  if (BSD_AF_INET6_VALUES.includes(family)) return ETHERTYPE_IPV6;
  return NEXT_UNKNOWN;
}

/**
 * LINKTYPE_NULL (0): the family is in the byte order of the host that captured, which the file
 * does not record. Families are small numbers, so whichever reading is small is the right one.
 */
export function decodeBsdNull(cursor: LayerCursor): number {
  if (cursor.remaining < BSD_LOOPBACK_HEADER_LENGTH) return NEXT_MALFORMED;
  const littleEndian = readUint32LE(cursor.buffer, cursor.offset);
  const bigEndian = readUint32BE(cursor.buffer, cursor.offset);
  cursor.offset += BSD_LOOPBACK_HEADER_LENGTH;
  return familyToEthertype(littleEndian <= 0xffff ? littleEndian : bigEndian);
}

/** LINKTYPE_LOOP (108): OpenBSD loopback, family in network byte order. */
export function decodeBsdLoop(cursor: LayerCursor): number {
  if (cursor.remaining < BSD_LOOPBACK_HEADER_LENGTH) return NEXT_MALFORMED;
  const family = readUint32BE(cursor.buffer, cursor.offset);
  cursor.offset += BSD_LOOPBACK_HEADER_LENGTH;
  return familyToEthertype(family);
}
