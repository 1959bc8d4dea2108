import type { TeredoPacket } from '../teredo/packet.js';

/** Requests remembered per client while waiting for their answer; older ones are dropped. */
export const MAX_PENDING = 64;

/** The authentication nonce of a packet in hex, '' without one. */
export function nonceOf(packet: TeredoPacket): string {
  const nonce = packet.auth?.nonce;
  if (nonce === undefined) return '';
  let hex = '';
  for (const byte of nonce) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** What matches an echo reply to its request: peer, identifier and sequence. */
export function echoKey(peer: string, packet: TeredoPacket): string {
  const echo = packet.icmp?.echo;
  return echo ? `${peer} ${echo.identifier} ${echo.sequence}` : peer;
}

/** Map insertion with a bound: the oldest entry goes (its step stays as it is, judged by nothing). */
export function remember(map: Map<string, number>, key: string, step: number): void {
  if (map.size >= MAX_PENDING) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, step);
}
