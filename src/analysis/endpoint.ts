import { formatIpv4 } from '../decode/ip-address.js';
import { teredoMappedIp, teredoMappedPort } from '../teredo/teredo-address.js';

/** A UDP/IPv4 socket. Addresses stay numbers (as in the decode stage) until they are printed. */
export interface Endpoint {
  address: number;
  port: number;
}

/**
 * One number per socket (48 bits, exact in a double) so that per-packet lookups hash a number
 * instead of building a string.
 */
export function endpointKey(address: number, port: number): number {
  return address * 65536 + port;
}

/** The key of the mapped socket a Teredo address embeds (RFC 4380 §4). */
export function embeddedEndpointKey(address: Uint8Array): number {
  return endpointKey(teredoMappedIp(address, 0), teredoMappedPort(address, 0));
}

/**
 * embeddedEndpointKey written into keys[index], the form for per-packet paths. Through a
 * Float64Array on purpose: a 48-bit key (or an IPv4 above 2^31) returned from a call V8 does not
 * inline is a fresh heap number, so the inverted IPv4 is read here rather than by teredoMappedIp.
 */
export function writeEmbeddedKey(address: Uint8Array, keys: Float64Array, index: number): void {
  const ip = (((address[12] << 24) | (address[13] << 16) | (address[14] << 8) | address[15]) ^ 0xffffffff) >>> 0;
  keys[index] = ip * 65536 + teredoMappedPort(address, 0);
}

export function endpointFromKey(key: number): Endpoint {
  return { address: Math.floor(key / 65536) >>> 0, port: key % 65536 };
}

export function formatEndpoint(address: number, port: number): string {
  return `${formatIpv4(address)}:${port}`;
}

export function formatEndpointKey(key: number): string {
  return formatEndpoint(Math.floor(key / 65536) >>> 0, key % 65536);
}
