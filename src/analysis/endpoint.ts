import { formatIpv4 } from '../decode/ip-address.js';

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

export function endpointFromKey(key: number): Endpoint {
  return { address: Math.floor(key / 65536) >>> 0, port: key % 65536 };
}

export function formatEndpoint(address: number, port: number): string {
  return `${formatIpv4(address)}:${port}`;
}

export function formatEndpointKey(key: number): string {
  return formatEndpoint(Math.floor(key / 65536) >>> 0, key % 65536);
}
