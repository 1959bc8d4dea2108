import { parseIpv4, parseIpv6 } from '../decode/ip-address.js';
import { decodeTeredoAddress } from '../teredo/teredo-address.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { UsageError } from './usage-error.js';

/**
 * `--address IP`: keeps the packets that involve an address anywhere Teredo carries one — the outer
 * IPv4 endpoints, the origin indication, the inner IPv6 endpoints, and the server and mapped IPv4
 * embedded in inner Teredo addresses.
 */
export type AddressFilter = (packet: TeredoPacket) => boolean;

export function parseAddressFilter(text: string): AddressFilter {
  const ipv4 = parseIpv4(text);
  if (ipv4 !== null) {
    return (p) => {
      if (p.outer.srcIp === ipv4 || p.outer.dstIp === ipv4 || p.origin?.address === ipv4) return true;
      for (const inner of [p.ipv6.src, p.ipv6.dst]) {
        const teredo = decodeTeredoAddress(inner);
        if (teredo !== null && (teredo.mappedIp === ipv4 || teredo.server === ipv4)) return true;
      }
      return false;
    };
  }
  const ipv6 = parseIpv6(text.replace(/^\[|\]$/g, ''));
  if (ipv6 !== null) return (p) => sameBytes(p.ipv6.src, ipv6) || sameBytes(p.ipv6.dst, ipv6);
  throw new UsageError(`--address: '${text}' is neither an IPv4 nor an IPv6 address`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
