import { formatIpv4 } from '../decode/ip-address.js';
import type { ClientState } from './client-state.js';
import { reportFinding, type FindingReporter } from './finding-reporter.js';

/**
 * The address a Teredo server saw the client come from should be public. When it lies in private
 * (RFC 1918) or carrier-grade NAT space (100.64.0.0/10, RFC 6598), another NAT sits between the
 * client's NAT and the Internet: double NAT. The Teredo address then embeds an address nobody
 * outside can reach (relays and peers refuse private ones outright, RFC 4380 §5.2.4).
 */
export function reportDoubleNat(client: ClientState, reporter: FindingReporter): void {
  if (client.mappedKey < 0 || client.hasFinding('double-nat')) return;
  const address = Math.floor(client.mappedKey / 65536);
  const space = nonPublicSpace(address);
  if (space === null) return;
  reportFinding(reporter, client, 'double-nat', () => ({
    frames: client.mappedFrame > 0 ? [client.mappedFrame] : [],
    message: `The server saw the client as ${formatIpv4(address)}, ${space}: a second NAT sits between the client's NAT and the Internet (double NAT), and relays and peers cannot reach the Teredo address that embeds it`,
  }));
}

/** Which non-public space an IPv4 address is in, or null for a public one. */
export function nonPublicSpace(address: number): string | null {
  const a = address >>> 24;
  const b = (address >>> 16) & 0xff;
  if (a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)) return 'a private address (RFC 1918)';
  if (a === 100 && b >= 64 && b < 128) return 'carrier-grade NAT space 100.64.0.0/10 (RFC 6598)';
  return null;
}
