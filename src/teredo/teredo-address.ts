import { formatIpv4, readIpv4 } from '../decode/ip-address.js';

/**
 * The fields of a Teredo IPv6 address (RFC 4380 §4, flags as refined by RFC 5991):
 * prefix (32) | server IPv4 (32) | flags (16) | ~mapped port (16) | ~mapped IPv4 (32).
 */
export interface TeredoAddress {
  /** Teredo server IPv4 (bytes 4–7, in clear). */
  server: number;
  /** The whole 16-bit flags field. */
  flags: number;
  /** C bit 0x8000: the client believed it was behind a cone NAT (retired by RFC 5991). */
  cone: boolean;
  /** R bit 0x4000, reserved, must be zero. */
  reserved: boolean;
  /** U/G bits 0x0300, must be zero (they mimic the EUI-64 universal/group bits). */
  universalGroup: number;
  /** RFC 5991 random bits (mask 0x3CFF); zero means an old (pre-RFC 5991) client. */
  randomBits: number;
  /** Mapped (NAT-external) UDP port, de-obfuscated. */
  mappedPort: number;
  /** Mapped (NAT-external) IPv4, de-obfuscated. */
  mappedIp: number;
  /** True for the pre-standard prefix 3ffe:831f::/32 used by Windows XP/2003 before MS06-064. */
  legacyPrefix: boolean;
}

export const TEREDO_FLAG_CONE = 0x8000;
export const TEREDO_FLAG_RESERVED = 0x4000;
export const TEREDO_FLAGS_UNIVERSAL_GROUP = 0x0300;
export const TEREDO_FLAGS_RANDOM = 0x3cff;

function isLegacyPrefix(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === 0x3f && bytes[offset + 1] === 0xfe && bytes[offset + 2] === 0x83 && bytes[offset + 3] === 0x1f;
}

/** True for 2001:0000::/32 and the pre-standard 3ffe:831f::/32 (16 bytes must be present). */
export function isTeredoAddress(bytes: Uint8Array, offset = 0): boolean {
  if (offset < 0 || offset + 16 > bytes.length) return false;
  if (bytes[offset] === 0x20 && bytes[offset + 1] === 0x01 && bytes[offset + 2] === 0 && bytes[offset + 3] === 0) return true;
  return isLegacyPrefix(bytes, offset);
}

/** Mapped port embedded in the Teredo address at `offset` (caller checked isTeredoAddress). */
export function teredoMappedPort(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset + 10] << 8) | bytes[offset + 11]) ^ 0xffff;
}

/** Mapped IPv4 embedded in the Teredo address at `offset` (caller checked isTeredoAddress). */
export function teredoMappedIp(bytes: Uint8Array, offset: number): number {
  return (readIpv4(bytes, offset + 12) ^ 0xffffffff) >>> 0;
}

export function decodeTeredoAddress(bytes: Uint8Array, offset = 0): TeredoAddress | null {
  if (!isTeredoAddress(bytes, offset)) return null;
  const flags = (bytes[offset + 8] << 8) | bytes[offset + 9];
  return {
    server: readIpv4(bytes, offset + 4),
    flags,
    cone: (flags & TEREDO_FLAG_CONE) !== 0,
    reserved: (flags & TEREDO_FLAG_RESERVED) !== 0,
    universalGroup: flags & TEREDO_FLAGS_UNIVERSAL_GROUP,
    randomBits: flags & TEREDO_FLAGS_RANDOM,
    mappedPort: teredoMappedPort(bytes, offset),
    mappedIp: teredoMappedIp(bytes, offset),
    legacyPrefix: isLegacyPrefix(bytes, offset),
  };
}

function checkUnsigned(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
  }
}

/**
 * Builds the 16 bytes of a Teredo address. `cone` (when given) sets or clears the C bit of `flags`
 * (default 0); `legacyPrefix` selects 3ffe:831f::/32. Throws RangeError on out-of-range numbers.
 */
export function encodeTeredoAddress(input: {
  server: number;
  mappedIp: number;
  mappedPort: number;
  flags?: number;
  cone?: boolean;
  legacyPrefix?: boolean;
}): Uint8Array {
  checkUnsigned('server', input.server, 0xffffffff);
  checkUnsigned('mappedIp', input.mappedIp, 0xffffffff);
  checkUnsigned('mappedPort', input.mappedPort, 0xffff);
  let flags = input.flags ?? 0;
  checkUnsigned('flags', flags, 0xffff);
  if (input.cone === true) flags |= TEREDO_FLAG_CONE;
  if (input.cone === false) flags &= ~TEREDO_FLAG_CONE;

  const out = new Uint8Array(16);
  out.set(input.legacyPrefix === true ? [0x3f, 0xfe, 0x83, 0x1f] : [0x20, 0x01, 0x00, 0x00], 0);
  writeUint32(out, 4, input.server);
  out[8] = flags >> 8;
  out[9] = flags & 0xff;
  const port = input.mappedPort ^ 0xffff;
  out[10] = port >> 8;
  out[11] = port & 0xff;
  writeUint32(out, 12, (input.mappedIp ^ 0xffffffff) >>> 0);
  return out;
}

function writeUint32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value >>> 24;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

/** Well-known link-local addresses of Teredo nodes (see the protocol notes §1). */
export type TeredoLinkLocalRole =
  | 'windows-cone-rs'
  | 'windows-rs'
  | 'netdebug-cone-rs'
  | 'miredo-rs'
  | 'miredo-cone-rs'
  | 'miredo-legacy-rs'
  | 'server-ra';

export interface TeredoLinkLocalClass {
  role: TeredoLinkLocalRole;
  description: string;
  /** Server IPv4 embedded in a server RA source (`server-ra`), else null. */
  server: number | null;
}

/** Interface identifiers (bytes 8–15) of the fixed link-local addresses. */
const FIXED_LINK_LOCALS: readonly { id: readonly number[]; role: TeredoLinkLocalRole; description: string }[] = [
  { id: [0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd], role: 'windows-cone-rs', description: 'Windows client Router Solicitation source, cone bit set' },
  { id: [0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], role: 'windows-rs', description: 'Windows client Router Solicitation source, cone bit clear' },
  { id: [0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], role: 'netdebug-cone-rs', description: 'cone Router Solicitation source of the NetDebug Get-NatType script' },
  { id: [0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], role: 'miredo-rs', description: 'Miredo client Router Solicitation source, cone bit clear' },
  { id: [0x80, 0, 0x54, 0x45, 0x52, 0x45, 0x44, 0x4f], role: 'miredo-cone-rs', description: 'Miredo client Router Solicitation source ("TEREDO"), cone bit set' },
  { id: [0, 0, 0x54, 0x45, 0x52, 0x45, 0x44, 0x4f], role: 'miredo-legacy-rs', description: 'older Miredo client Router Solicitation source ("TEREDO", XP variant)' },
];

function isLinkLocal64(bytes: Uint8Array, offset: number): boolean {
  if (bytes[offset] !== 0xfe || bytes[offset + 1] !== 0x80) return false;
  for (let i = 2; i < 8; i++) if (bytes[offset + i] !== 0) return false;
  return true;
}

/** Recognizes the link-local addresses Teredo clients and servers use in qualification; null otherwise. */
export function classifyTeredoLinkLocal(bytes: Uint8Array, offset = 0): TeredoLinkLocalClass | null {
  if (offset < 0 || offset + 16 > bytes.length || !isLinkLocal64(bytes, offset)) return null;
  for (const entry of FIXED_LINK_LOCALS) {
    let same = true;
    for (let i = 0; i < 8 && same; i++) same = bytes[offset + 8 + i] === entry.id[i];
    if (same) return { role: entry.role, description: entry.description, server: null };
  }
  // Server RA source (RFC 4380 §5.3.2): C = 1, port field ~3544 = 0xf227, then the inverted server IPv4.
  if (bytes[offset + 8] === 0x80 && bytes[offset + 9] === 0 && bytes[offset + 10] === 0xf2 && bytes[offset + 11] === 0x27) {
    const server = (readIpv4(bytes, offset + 12) ^ 0xffffffff) >>> 0;
    return { role: 'server-ra', description: `Teredo server ${formatIpv4(server)} Router Advertisement source`, server };
  }
  return null;
}
