/**
 * IPv4/IPv6 address text forms. Hand-written rather than node:net because the hot path keeps
 * IPv4 addresses as numbers and IPv6 addresses as 16 bytes inside a packet buffer, and formatting
 * must follow RFC 5952 exactly (it is what tshark prints, and the tests compare with tshark).
 */

export function formatIpv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

export function readIpv4(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** Strict dotted-quad parser; returns null for anything else (no octal, no shorthand). */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** The eight groups of the address being formatted (one array for every call: no allocation). */
const groups = new Uint16Array(8);

/** RFC 5952 canonical text of the 16 bytes at `offset` (mixed notation for IPv4-mapped, §5). */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  for (let i = 0; i < 8; i++) groups[i] = (bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1];

  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${bytes[offset + 12]}.${bytes[offset + 13]}.${bytes[offset + 14]}.${bytes[offset + 15]}`;
  }

  // Longest run of two or more zero groups; the first one wins a tie (RFC 5952 §4.2).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }

  chars.length = 0;
  if (bestStart < 0) {
    hexGroups(0, 8);
  } else {
    hexGroups(0, bestStart);
    chars.push(COLON, COLON);
    hexGroups(bestStart + bestLength, 8);
  }
  // One flat string from the character codes: concatenating the groups would leave a rope of a
  // dozen pieces, and the analysis keeps tens of thousands of these addresses.
  return String.fromCharCode.apply(null, chars);
}

/** Character codes of the address being formatted (reused). */
const chars: number[] = [];
const COLON = 0x3a;
const HEX_DIGITS = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

/** Appends groups[from, to) in lowercase hex without leading zeros, joined by ':'. */
function hexGroups(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (i !== from) chars.push(COLON);
    const group = groups[i];
    if (group >= 0x1000) chars.push(HEX_DIGITS[group >> 12]);
    if (group >= 0x100) chars.push(HEX_DIGITS[(group >> 8) & 0xf]);
    if (group >= 0x10) chars.push(HEX_DIGITS[(group >> 4) & 0xf]);
    chars.push(HEX_DIGITS[group & 0xf]);
  }
}

/** Parses any valid IPv6 text form (including embedded IPv4) into 16 bytes; null when invalid. */
export function parseIpv6(text: string): Uint8Array | null {
  if (text.length === 0 || text.length > 45) return null;
  let head = text;
  let tailIpv4: number | null = null;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.indexOf('.', lastColon) > lastColon) {
    tailIpv4 = parseIpv4(text.slice(lastColon + 1));
    if (tailIpv4 === null) return null;
    // Re-express the trailing IPv4 as two hex groups so the rest of the parser sees only groups.
    head = `${text.slice(0, lastColon + 1)}${(tailIpv4 >>> 16).toString(16)}:${(tailIpv4 & 0xffff).toString(16)}`;
  }

  const doubleColon = head.indexOf('::');
  if (doubleColon !== head.lastIndexOf('::')) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };

  let groups: number[];
  if (doubleColon >= 0) {
    const left = parseGroups(head.slice(0, doubleColon));
    const right = parseGroups(head.slice(doubleColon + 2));
    if (left === null || right === null || left.length + right.length > 7) return null;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseGroups(head);
    if (all === null || all.length !== 8) return null;
    groups = all;
  }

  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = groups[i] >> 8;
    bytes[2 * i + 1] = groups[i] & 0xff;
  }
  return bytes;
}

/**
 * Global unicast test of RFC 4380 §5.2.4 (what clients, servers and relays must check before
 * sending to an IPv4 taken from a Teredo address).
 */
export function isGlobalIpv4(address: number): boolean {
  return isGlobalIpv4Octets(address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff);
}

/** isGlobalIpv4 from the first three octets (small integers, never boxed on a per-packet path). */
export function isGlobalIpv4Octets(a: number, b: number, c: number): boolean {
  if (a === 0 || a === 127 || a === 10 || a >= 224) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 169 && b === 254) return false;
  if (a === 192 && b === 88 && c === 99) return false;
  return true;
}
