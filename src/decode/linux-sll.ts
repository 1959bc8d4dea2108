import { readUint16BE } from './byte-order.js';
import type { LayerCursor } from './layer-cursor.js';
import { NEXT_MALFORMED, NEXT_UNKNOWN } from './next-layer.js';

export const LINUX_SLL_HEADER_LENGTH = 16;
/** ARPHRD_NETLINK: the protocol field holds a netlink family, not an ethertype. */
export const ARPHRD_NETLINK = 824;
/** Protocol values up to this are Linux pseudo-protocols (ETH_P_802_3, ETH_P_802_2, ...). */
const MAX_PSEUDO_PROTOCOL = 1500;

/**
 * Linux "cooked" capture v1 (LINKTYPE 113): packet type, ARPHRD type, address length, 8 address
 * bytes, then the protocol, which is an ethertype for every device type that can carry IPv4.
 */
export function decodeLinuxSll(cursor: LayerCursor): number {
  if (cursor.remaining < LINUX_SLL_HEADER_LENGTH) return NEXT_MALFORMED;
  const hardwareType = readUint16BE(cursor.buffer, cursor.offset + 2);
  const protocol = readUint16BE(cursor.buffer, cursor.offset + 14);
  cursor.offset += LINUX_SLL_HEADER_LENGTH;
  if (hardwareType === ARPHRD_NETLINK || protocol <= MAX_PSEUDO_PROTOCOL) return NEXT_UNKNOWN;
  return protocol;
}
