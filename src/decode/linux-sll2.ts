import { readUint16BE } from './byte-order.js';
import type { LayerCursor } from './layer-cursor.js';
import { ARPHRD_NETLINK } from './linux-sll.js';
import { NEXT_MALFORMED, NEXT_UNKNOWN } from './next-layer.js';

export const LINUX_SLL2_HEADER_LENGTH = 20;
const MAX_PSEUDO_PROTOCOL = 1500;

/**
 * Linux "cooked" capture v2 (LINKTYPE 276): the protocol comes first, then a reserved field, the
 * interface index, ARPHRD type, packet type, address length and 8 address bytes.
 */
export function decodeLinuxSll2(cursor: LayerCursor): number {
  if (cursor.remaining < LINUX_SLL2_HEADER_LENGTH) return NEXT_MALFORMED;
  const protocol = readUint16BE(cursor.buffer, cursor.offset);
  const hardwareType = readUint16BE(cursor.buffer, cursor.offset + 8);
  cursor.offset += LINUX_SLL2_HEADER_LENGTH;
  if (hardwareType === ARPHRD_NETLINK || protocol <= MAX_PSEUDO_PROTOCOL) return NEXT_UNKNOWN;
  return protocol;
}
