import type { ClientState } from './client-state.js';
import { QUALIFICATION_TIMEOUT_S } from './protocol-timing.js';

interface PrimaryProbe {
  client: ClientState;
  server: number;
  time: number;
}

/** Servers' secondary → primary address pairs are few; this bounds the table anyway. */
const MAX_SERVER_PAIRS = 4096;
/**
 * Exchanges remembered at once. Real captures hold a few per qualification timeout; a flood of
 * fake clients would otherwise keep every client of the last 4 s (and its state) reachable.
 */
const MAX_RECENT_EXCHANGES = 4096;

/**
 * Server address pairs and the recent RS/RA exchanges with a primary address, by public IPv4.
 *
 * Seen from outside a symmetric NAT, the RS to the secondary server address leaves from a new
 * port: a new endpoint. It belongs to the client on the same public IPv4 that has just talked to
 * the matching primary address (RFC 4380 §5.2.1 step 5 follows the primary RA at once; Windows
 * sends both RSs together). The exchanges are remembered for one qualification timeout only.
 */
export class ServerPairing {
  private readonly primaryOf = new Map<number, number>();
  private readonly recent = new Map<number, PrimaryProbe>();

  pair(secondary: number, primary: number): void {
    if (this.primaryOf.size < MAX_SERVER_PAIRS || this.primaryOf.has(secondary)) this.primaryOf.set(secondary, primary);
  }

  /** Paired by an RA's prefix, or Windows' assumption that the secondary is primary + 1. */
  isSecondaryOf(address: number, primary: number): boolean {
    const known = this.primaryOf.get(address);
    return known !== undefined ? known === primary : address === primary + 1;
  }

  notePrimaryExchange(publicIp: number, client: ClientState, server: number, time: number): void {
    this.recent.delete(publicIp);
    this.recent.set(publicIp, { client, server, time });
    // Oldest first (insertion order): drop the expired, and the oldest beyond the bound.
    for (const [ip, probe] of this.recent) {
      if (time - probe.time <= QUALIFICATION_TIMEOUT_S && this.recent.size <= MAX_RECENT_EXCHANGES) break;
      this.recent.delete(ip);
    }
  }

  /** The client whose secondary-address probe this RS (from an unknown endpoint) would be. */
  probingClient(publicIp: number, destination: number, time: number): ClientState | null {
    const probe = this.recent.get(publicIp);
    if (probe === undefined || time - probe.time > QUALIFICATION_TIMEOUT_S) return null;
    return this.isSecondaryOf(destination, probe.server) ? probe.client : null;
  }
}
