/**
 * What a layer analyzer says follows it. Link-layer analyzers speak in ethertypes (even those
 * whose header holds an address family or nothing at all map onto them), so the decoder needs only
 * one dispatch after the link layer, the way Zeek's packet analyzers hand over by ethertype.
 */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard QinQ outer tag, still sent by some switches. */
export const ETHERTYPE_QINQ_LEGACY = 0x9100;

/** The layer's header is cut short or contradicts itself. */
export const NEXT_MALFORMED = -1;
/** A protocol this decoder does not follow (ARP, LLC, netlink, ...). */
export const NEXT_UNKNOWN = -2;
