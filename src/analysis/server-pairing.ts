import type { ClientState } from './client-state.js';
import { QUALIFICATION_TIMEOUT_S } from './protocol-timing.js';

/**
 * One public IPv4's latest exchange with a primary server address, and its place in the list of
 * exchanges from least to most recently noted. Nodes are reused: a refresh moves its address's node
 * to the newest end instead of deleting and re-inserting a Map entry (which on a full Map cost a
 * rehash-prone delete, an insert and an object per RS), and an evicted node waits in a free list.
 */
interface ExchangeNode {
  ip: number;
  /** Null while the node is free, so that it keeps no client alive. */
  client: ClientState | null;
  server: number;
  time: number;
  older: ExchangeNode | null;
  newer: ExchangeNode | null;
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
  private readonly recent = new Map<number, ExchangeNode>();
  private oldest: ExchangeNode | null = null;
  private newest: ExchangeNode | null = null;
  /** Free nodes, chained through `newer`. */
  private spare: ExchangeNode | null = null;

  pair(secondary: number, primary: number): void {
    if (this.primaryOf.size < MAX_SERVER_PAIRS || this.primaryOf.has(secondary)) this.primaryOf.set(secondary, primary);
  }

  /** Paired by an RA's prefix, or Windows' assumption that the secondary is primary + 1. */
  isSecondaryOf(address: number, primary: number): boolean {
    const known = this.primaryOf.get(address);
    return known !== undefined ? known === primary : address === primary + 1;
  }

  notePrimaryExchange(publicIp: number, client: ClientState, server: number, time: number): void {
    let node = this.recent.get(publicIp);
    if (node === undefined) {
      node = this.take(publicIp);
      this.recent.set(publicIp, node);
    } else {
      this.unlink(node);
    }
    node.client = client;
    node.server = server;
    node.time = time;
    this.append(node);
    // Least recently noted first: drop the expired, and the oldest beyond the bound.
    for (let old = this.oldest; old !== null; old = this.oldest) {
      if (time - old.time <= QUALIFICATION_TIMEOUT_S && this.recent.size <= MAX_RECENT_EXCHANGES) break;
      this.recent.delete(old.ip);
      this.unlink(old);
      this.release(old);
    }
  }

  /** The client whose secondary-address probe this RS (from an unknown endpoint) would be. */
  probingClient(publicIp: number, destination: number, time: number): ClientState | null {
    const probe = this.recent.get(publicIp);
    if (probe === undefined || time - probe.time > QUALIFICATION_TIMEOUT_S) return null;
    return this.isSecondaryOf(destination, probe.server) ? probe.client : null;
  }

  private take(ip: number): ExchangeNode {
    const node = this.spare;
    if (node === null) return { ip, client: null, server: 0, time: 0, older: null, newer: null };
    this.spare = node.newer;
    node.ip = ip;
    node.newer = null;
    return node;
  }

  private release(node: ExchangeNode): void {
    node.client = null;
    node.older = null;
    node.newer = this.spare;
    this.spare = node;
  }

  private append(node: ExchangeNode): void {
    node.older = this.newest;
    node.newer = null;
    if (this.newest !== null) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }

  private unlink(node: ExchangeNode): void {
    if (node.older !== null) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer !== null) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = null;
    node.newer = null;
  }
}
