import { readIpv4 } from '../decode/ip-address.js';
import type { OriginIndication } from './packet.js';

/**
 * RFC 4380 §5.1.1 origin indication: 0x0000 | ~port (2) | ~IPv4 (4). Both values are
 * bit-inverted on the wire so that NATs do not rewrite them.
 */

export const ORIGIN_INDICATION_INDICATOR = 0x0000;
export const ORIGIN_INDICATION_LENGTH = 8;

/** De-obfuscated port of the element at `offset` (8 bytes must be present). */
export function originPort(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset + 2] << 8) | bytes[offset + 3]) ^ 0xffff;
}

/** De-obfuscated IPv4 of the element at `offset` (8 bytes must be present). */
export function originAddress(bytes: Uint8Array, offset: number): number {
  return (readIpv4(bytes, offset + 4) ^ 0xffffffff) >>> 0;
}

export function readOriginIndication(bytes: Uint8Array, offset: number): OriginIndication {
  return { address: originAddress(bytes, offset), port: originPort(bytes, offset) };
}
