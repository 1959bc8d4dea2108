import { decodeBsdLoop, decodeBsdNull } from './bsd-loopback.js';
import { decodeEthernet } from './ethernet.js';
import type { LayerCursor } from './layer-cursor.js';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
  LINKTYPE_RAW_DLT12,
  LINKTYPE_RAW_DLT14,
} from './link-type.js';
import { decodeLinuxSll } from './linux-sll.js';
import { decodeLinuxSll2 } from './linux-sll2.js';
import { decodeRawIp, decodeRawIpv4, decodeRawIpv6 } from './raw-ip.js';

/**
 * Decodes a link-layer header at the cursor, moves the cursor past it and returns the ethertype of
 * what follows (or NEXT_MALFORMED / NEXT_UNKNOWN).
 */
export type LinkAnalyzer = (cursor: LayerCursor) => number;

/** Link type → analyzer. A link type missing here is reported as unsupported, never fatal. */
export const LINK_ANALYZERS: ReadonlyMap<number, LinkAnalyzer> = new Map<number, LinkAnalyzer>([
  [LINKTYPE_NULL, decodeBsdNull],
  [LINKTYPE_ETHERNET, decodeEthernet],
  [LINKTYPE_RAW_DLT12, decodeRawIp],
  [LINKTYPE_RAW_DLT14, decodeRawIp],
  [LINKTYPE_RAW, decodeRawIp],
  [LINKTYPE_LOOP, decodeBsdLoop],
  [LINKTYPE_LINUX_SLL, decodeLinuxSll],
  [LINKTYPE_IPV4, decodeRawIpv4],
  [LINKTYPE_IPV6, decodeRawIpv6],
  [LINKTYPE_LINUX_SLL2, decodeLinuxSll2],
]);
