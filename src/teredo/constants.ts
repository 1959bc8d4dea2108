/** Numbers the Teredo stage compares against, named once. */

/** UDP port Teredo servers listen on (RFC 4380 §2.7). Clients and relays use any port. */
export const TEREDO_PORT = 3544;

/** IPv6 Next Header values the dissector interprets (IANA protocol numbers). */
export const NEXT_HEADER_HOP_BY_HOP = 0;
export const NEXT_HEADER_TCP = 6;
export const NEXT_HEADER_UDP = 17;
export const NEXT_HEADER_ROUTING = 43;
export const NEXT_HEADER_FRAGMENT = 44;
export const NEXT_HEADER_AUTHENTICATION = 51;
export const NEXT_HEADER_ICMPV6 = 58;
export const NEXT_HEADER_NONE = 59;
export const NEXT_HEADER_DESTINATION_OPTIONS = 60;
