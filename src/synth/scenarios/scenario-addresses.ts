import { parseIpv4, parseIpv6 } from '../../decode/ip-address.js';
import type { ServerAddresses } from './teredo-client-sim.js';
import type { Socket } from './scenario.js';

/** Addresses of the simulated network: documentation ranges (RFC 5737, RFC 3849), private LAN. */

export function ipv4(text: string): number {
  const value = parseIpv4(text);
  if (value === null) throw new Error(`bad IPv4 ${text}`);
  return value;
}

export function socket(text: string): Socket {
  const [address, port] = text.split(':');
  return { ip: ipv4(address), port: Number(port) };
}

/** Windows assumes the secondary address is primary + 1. */
export const SERVER: ServerAddresses = { primary: ipv4('198.51.100.80'), secondary: ipv4('198.51.100.81') };
export const NAT_PUBLIC_IP = ipv4('203.0.113.7');
/** The NAT's public address after a renumbering. */
export const RENUMBERED_PUBLIC_IP = ipv4('203.0.113.8');

export const RELAY = { socket: socket('192.0.2.38:32900'), linkLocal: parseIpv6('fe80::708d:fe83:4114:a512')! };
export const NATIVE_HOST = parseIpv6('2001:db8:0:2001::68')!;

/** The remote Teredo peer of the client-to-client scenario (behind its own NAT, not captured). */
export const PEER = { server: ipv4('198.51.100.90'), mapped: socket('203.0.113.20:50000') };
