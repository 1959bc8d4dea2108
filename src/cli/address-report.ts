import { formatIpv4, formatIpv6, isGlobalIpv4, parseIpv6 } from '../decode/ip-address.js';
import { classifyTeredoLinkLocal, decodeTeredoAddress } from '../teredo/teredo-address.js';

/** What `decode` says about one address text: a Teredo address, a Teredo link-local form, or an error. */
export type AddressReport =
  | {
      input: string;
      valid: true;
      kind: 'teredo';
      address: string;
      prefix: string;
      server: string;
      flags: number;
      flagsHex: string;
      cone: boolean;
      randomBits: number;
      mappedPort: number;
      mappedAddress: string;
      notes: string[];
    }
  | { input: string; valid: true; kind: 'teredo-link-local'; address: string; role: string; description: string }
  | { input: string; valid: false; error: string };

export function describeAddress(input: string): AddressReport {
  const text = input.trim();
  const bytes = parseIpv6(text.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (bytes === null) return { input: text, valid: false, error: `'${text}' is not an IPv6 address` };
  const address = formatIpv6(bytes);

  const teredo = decodeTeredoAddress(bytes);
  if (teredo !== null) {
    const notes: string[] = [];
    if (teredo.legacyPrefix) notes.push('pre-standard prefix 3ffe:831f::/32 (Windows XP/2003 before MS06-064)');
    if (teredo.reserved) notes.push('reserved flag bit 0x4000 set (must be 0)');
    if (teredo.universalGroup !== 0) notes.push('U/G flag bits set (must be 0)');
    if (teredo.randomBits === 0 && teredo.cone) notes.push('cone bit set with no random bits: pre-RFC 5991 client');
    if (teredo.randomBits !== 0) notes.push('RFC 5991 random flag bits present');
    if (!isGlobalIpv4(teredo.server)) notes.push('server IPv4 is not a global unicast address');
    if (!isGlobalIpv4(teredo.mappedIp)) notes.push('mapped IPv4 is not a global unicast address (never valid for a Teredo client)');
    return {
      input: text,
      valid: true,
      kind: 'teredo',
      address,
      prefix: teredo.legacyPrefix ? '3ffe:831f::/32' : '2001::/32',
      server: formatIpv4(teredo.server),
      flags: teredo.flags,
      flagsHex: `0x${teredo.flags.toString(16).padStart(4, '0')}`,
      cone: teredo.cone,
      randomBits: teredo.randomBits,
      mappedPort: teredo.mappedPort,
      mappedAddress: formatIpv4(teredo.mappedIp),
      notes,
    };
  }

  const linkLocal = classifyTeredoLinkLocal(bytes);
  if (linkLocal !== null) {
    return { input: text, valid: true, kind: 'teredo-link-local', address, role: linkLocal.role, description: linkLocal.description };
  }
  return { input: text, valid: false, error: `${address} is not a Teredo address (not in 2001::/32 nor a Teredo link-local form)` };
}
