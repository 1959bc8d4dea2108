import { readUint16BE } from './byte-order.js';
import type { LayerCursor } from './layer-cursor.js';
import { ETHERTYPE_QINQ, ETHERTYPE_QINQ_LEGACY, ETHERTYPE_VLAN, NEXT_MALFORMED, NEXT_UNKNOWN } from './next-layer.js';

export const ETHERNET_HEADER_LENGTH = 14;
export const VLAN_TAG_LENGTH = 4;
/** Type/length values up to this are IEEE 802.3 lengths (an LLC frame follows, never plain IPv4). */
const MAX_8023_LENGTH = 1500;

/** Ethernet II (LINKTYPE 1): returns the ethertype and leaves the cursor after the header. */
export function decodeEthernet(cursor: LayerCursor): number {
  if (cursor.remaining < ETHERNET_HEADER_LENGTH) return NEXT_MALFORMED;
  const type = readUint16BE(cursor.buffer, cursor.offset + 12);
  cursor.offset += ETHERNET_HEADER_LENGTH;
  return type <= MAX_8023_LENGTH ? NEXT_UNKNOWN : type;
}

/** 802.1Q (0x8100), 802.1ad (0x88a8) and the legacy QinQ tag (0x9100). */
export function isVlanTpid(ethertype: number): boolean {
  return ethertype === ETHERTYPE_VLAN || ethertype === ETHERTYPE_QINQ || ethertype === ETHERTYPE_QINQ_LEGACY;
}

/**
 * One VLAN tag (TCI + inner ethertype). The decoder calls it once per stacked tag, so QinQ and
 * deeper stacks need nothing special; the tag's VLAN id is skipped because no later stage uses it.
 */
export function decodeVlanTag(cursor: LayerCursor): number {
  if (cursor.remaining < VLAN_TAG_LENGTH) return NEXT_MALFORMED;
  const type = readUint16BE(cursor.buffer, cursor.offset + 2);
  cursor.offset += VLAN_TAG_LENGTH;
  return type <= MAX_8023_LENGTH ? NEXT_UNKNOWN : type;
}
