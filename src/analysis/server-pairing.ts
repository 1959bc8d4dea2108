import type { ClientState } from './client-state.js';
import { NumberIndex } from './number-index.js';
import { QUALIFICATION_TIMEOUT_S } from './protocol-timing.js';

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
  private readonly recent = new RecentExchanges(MAX_RECENT_EXCHANGES);

  pair(secondary: number, primary: number): void {
    if (this.primaryOf.size < MAX_SERVER_PAIRS || this.primaryOf.has(secondary)) this.primaryOf.set(secondary, primary);
  }

  /** Paired by an RA's prefix, or Windows' assumption that the secondary is primary + 1. */
  isSecondaryOf(address: number, primary: number): boolean {
    const known = this.primaryOf.get(address);
    return known !== undefined ? known === primary : address === primary + 1;
  }

  notePrimaryExchange(publicIp: number, client: ClientState, server: number, time: number): void {
    const recent = this.recent;
    recent.note(publicIp, client, server, time);
    // Least recently noted first: drop the expired, and the oldest beyond the bound.
    for (let old = recent.oldest; old >= 0; old = recent.oldest) {
      if (time - recent.timeOf(old) <= QUALIFICATION_TIMEOUT_S && recent.size <= MAX_RECENT_EXCHANGES) break;
      recent.removeOldest();
    }
  }

  /** The client whose secondary-address probe this RS (from an unknown endpoint) would be. */
  probingClient(publicIp: number, destination: number, time: number): ClientState | null {
    const node = this.recent.find(publicIp);
    if (node < 0 || time - this.recent.timeOf(node) > QUALIFICATION_TIMEOUT_S) return null;
    return this.isSecondaryOf(destination, this.recent.serverOf(node)) ? this.recent.clientOf(node) : null;
  }
}

/**
 * The latest exchange per public IPv4, in the order they were noted (least recent first), in
 * memory allocated once: a NumberIndex from address to node, and nodes in typed arrays linked
 * from least to most recently noted. On a busy server every RS is a note and, past the bound, an eviction: a Map
 * there deleted and inserted an entry per RS (and an object), which cost as much as decoding
 * the packet; here it is a few array writes.
 */
class RecentExchanges {
  size = 0;
  /** Least and most recently noted nodes, -1 when empty. */
  oldest = -1;
  private newest = -1;
  /** Free nodes, chained through `newer`. */
  private free: number;
  private readonly nodeOf: NumberIndex;
  private readonly ips: Float64Array;
  private readonly servers: Float64Array;
  private readonly times: Float64Array;
  private readonly older: Int32Array;
  private readonly newer: Int32Array;
  private readonly clients: (ClientState | null)[];

  constructor(bound: number) {
    // One node more than the bound: a note may add one before the oldest is dropped.
    const nodes = bound + 1;
    this.nodeOf = new NumberIndex(nodes);
    this.ips = new Float64Array(nodes);
    this.servers = new Float64Array(nodes);
    this.times = new Float64Array(nodes);
    this.older = new Int32Array(nodes).fill(-1);
    this.newer = new Int32Array(nodes);
    for (let i = 0; i < nodes; i++) this.newer[i] = i + 1 < nodes ? i + 1 : -1;
    this.free = 0;
    this.clients = new Array<ClientState | null>(nodes).fill(null);
  }

  timeOf(node: number): number {
    return this.times[node];
  }

  serverOf(node: number): number {
    return this.servers[node];
  }

  clientOf(node: number): ClientState | null {
    return this.clients[node];
  }

  /** The node of `ip`, or -1. */
  find(ip: number): number {
    return this.nodeOf.get(ip) ?? -1;
  }

  /** Records `ip`'s exchange as the most recent; the caller drops the oldest past the bound. */
  note(ip: number, client: ClientState, server: number, time: number): void {
    let node = this.find(ip);
    if (node >= 0) {
      this.unlink(node);
    } else {
      node = this.free;
      if (node < 0) throw new RangeError('recent exchanges: more than the bound plus one');
      this.free = this.newer[node];
      this.ips[node] = ip;
      this.nodeOf.set(ip, node);
      this.size++;
    }
    this.clients[node] = client;
    this.servers[node] = server;
    this.times[node] = time;
    this.append(node);
  }

  removeOldest(): void {
    const node = this.oldest;
    if (node < 0) return;
    this.nodeOf.delete(this.ips[node]);
    this.unlink(node);
    this.clients[node] = null;
    this.newer[node] = this.free;
    this.free = node;
    this.size--;
  }

  private append(node: number): void {
    this.older[node] = this.newest;
    this.newer[node] = -1;
    if (this.newest >= 0) this.newer[this.newest] = node;
    else this.oldest = node;
    this.newest = node;
  }

  private unlink(node: number): void {
    const older = this.older[node];
    const newer = this.newer[node];
    if (older >= 0) this.newer[older] = newer;
    else this.oldest = newer;
    if (newer >= 0) this.older[newer] = older;
    else this.newest = older;
    this.older[node] = -1;
    this.newer[node] = -1;
  }
}
