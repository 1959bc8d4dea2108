import type { AnomalyKind, TeredoPacket } from './packet.js';
import { isTeredoAddress } from './teredo-address.js';

/**
 * Judgements about a dissected packet that decide whether the dissector believes it is Teredo.
 * They look only at the packet's own fields.
 */

function isLinkLocal64(address: Uint8Array): boolean {
  if (address[0] !== 0xfe || address[1] !== 0x80) return false;
  for (let i = 2; i < 8; i++) if (address[i] !== 0) return false;
  return true;
}

function isAllRoutersMulticast(address: Uint8Array): boolean {
  if (address[0] !== 0xff || address[1] !== 0x02 || address[15] !== 0x02) return false;
  for (let i = 2; i < 15; i++) if (address[i] !== 0) return false;
  return true;
}

function hasAnomaly(packet: TeredoPacket, kind: AnomalyKind): boolean {
  return packet.anomalies.some((a) => a.kind === kind);
}

/**
 * A packet on port 3544 is taken as Teredo when its inner addresses or message fit what Teredo
 * clients, servers and relays send (RFC 4380 §5.3.1): a Teredo or link-local source or
 * destination, an RS to ff02::2, a well-formed RS/RA/echo, or a bubble.
 */
export function isConsistentWithTeredoUse(packet: TeredoPacket): boolean {
  const { src, dst } = packet.ipv6;
  if (isTeredoAddress(src) || isTeredoAddress(dst) || isLinkLocal64(src) || isLinkLocal64(dst)) return true;
  if (packet.kind === 'bubble') return true;
  const wellFormedIcmp = packet.icmp !== null && !hasAnomaly(packet, 'bad-icmpv6');
  if (packet.kind === 'router-solicitation') return wellFormedIcmp || isAllRoutersMulticast(dst);
  if (packet.kind === 'router-advertisement' || packet.kind === 'echo-request' || packet.kind === 'echo-reply') return wellFormedIcmp;
  return false;
}

/**
 * Next Header values a real inner packet plausibly carries: the extension headers, TCP, UDP,
 * ICMPv6, no-next-header, IP-in-IP, GRE, ESP, SCTP, DCCP, UDP-Lite.
 */
const KNOWN_NEXT_HEADERS: ReadonlySet<number> = new Set([0, 4, 6, 17, 33, 41, 43, 44, 47, 50, 51, 58, 59, 60, 132, 136]);

export function isKnownNextHeader(nextHeader: number): boolean {
  return KNOWN_NEXT_HEADERS.has(nextHeader);
}

/**
 * Strict shape for a datagram with no port or endpoint evidence: a Teredo address on one side,
 * known protocols, and nothing wrong apart from a non-global embedded IPv4 (which is worth reporting, not hiding).
 */
export function isStrictlyValidTeredo(packet: TeredoPacket): boolean {
  if (!isTeredoAddress(packet.ipv6.src) && !isTeredoAddress(packet.ipv6.dst)) return false;
  if (!isKnownNextHeader(packet.ipv6.nextHeader)) return false;
  if (packet.data !== null && !isKnownNextHeader(packet.data.protocol)) return false;
  return packet.anomalies.every((a) => a.kind === 'non-global-embedded-ipv4');
}
