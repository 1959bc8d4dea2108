/** LINKTYPE_* values (tcpdump.org link-layer header types) that the decoder understands. */

/** BSD loopback: 4-byte address family in the capturing host's byte order. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** Raw IP under the platform-dependent DLT_RAW numbers some writers store unmapped. */
export const LINKTYPE_RAW_DLT12 = 12;
export const LINKTYPE_RAW_DLT14 = 14;
export const LINKTYPE_RAW = 101;
/** OpenBSD loopback: like NULL, but the family is in network byte order. */
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;
