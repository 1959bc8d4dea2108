import { isGlobalIpv4 } from '../decode/ip-address.js';
import { teredoMappedIp, teredoMappedPort } from '../teredo/teredo-address.js';
import { ClientState } from './client-state.js';
import type { Vantage } from './client-summary.js';
import { ClientSummaryStore } from './client-summary-store.js';
import { endpointKey } from './endpoint.js';
import { NumberIndex } from './number-index.js';

/**
 * Who is who: live clients by endpoint and by mapped socket, their order of last activity (for
 * idle eviction), and the endpoints of clients already closed out, so a client that comes back
 * after eviction continues its own summary instead of appearing twice.
 */
export class ClientDirectory {
  readonly store = new ClientSummaryStore();
  /** Insertion order = least recently active first (touch re-inserts). */
  private readonly live = new Map<number, ClientState>();
  private readonly byEndpoint = new Map<number, ClientState>();
  /**
   * Mapped sockets (RA origin indications, embedded in Teredo addresses) → client, apart for each
   * side of a NAT (see mappedIndexKey): captures taken inside and outside the same NAT (or on both
   * of its interfaces) show the client twice, and a socket seen outside must never join the
   * client seen inside.
   */
  private readonly byMapped = new Map<number, ClientState>();
  private readonly mappedKeys = new Map<ClientState, number[]>();
  private readonly evicted = new NumberIndex();
  private nextSerial = 0;
  private oldest: ClientState | null = null;
  private newest: ClientState | null = null;

  get liveCount(): number {
    return this.live.size;
  }

  isLive(client: ClientState): boolean {
    return this.live.get(client.serial) === client;
  }

  /** The client that owns this endpoint, reviving it from its summary if it was closed out. */
  find(endpoint: number): ClientState | null {
    const live = this.byEndpoint.get(endpoint);
    if (live !== undefined) return live;
    if (this.evicted.size === 0) return null;
    const row = this.evicted.get(endpoint);
    return row === undefined ? null : this.revive(row);
  }

  /** The client with this mapped socket on the side of `endpoint` (the socket about to join it). */
  findByMapped(mapped: number, endpoint: number): ClientState | null {
    return this.byMapped.get(mappedIndexKey(mapped, endpoint)) ?? null;
  }

  create(endpoint: number, vantage: Vantage, time: number): ClientState {
    const client = new ClientState(this.nextSerial++, this.store.allocate(), endpoint, vantage);
    client.lastSeen = time;
    this.live.set(client.serial, client);
    this.append(client);
    this.byEndpoint.set(endpoint, client);
    return client;
  }

  addEndpoint(client: ClientState, endpoint: number): void {
    if (this.byEndpoint.has(endpoint)) return;
    client.endpoints.push(endpoint);
    this.byEndpoint.set(endpoint, client);
  }

  indexMapped(client: ClientState, mapped: number): void {
    if (mapped < 0) return;
    const key = mappedIndexKey(mapped, client.endpoints[0]);
    if (this.byMapped.get(key) === client) return;
    this.byMapped.set(key, client);
    const keys = this.mappedKeys.get(client);
    if (keys === undefined) this.mappedKeys.set(client, [key]);
    else keys.push(key);
  }

  touch(client: ClientState, time: number): void {
    if (time > client.lastSeen) client.lastSeen = time;
    if (this.newest === client) return;
    this.unlink(client);
    this.append(client);
  }

  private unlink(client: ClientState): void {
    if (client.older !== null) client.older.newer = client.newer;
    else this.oldest = client.newer;
    if (client.newer !== null) client.newer.older = client.older;
    else this.newest = client.older;
    client.older = null;
    client.newer = null;
  }

  private append(client: ClientState): void {
    client.older = this.newest;
    client.newer = null;
    if (this.newest !== null) this.newest.newer = client;
    else this.oldest = client;
    this.newest = client;
  }

  /** The live client whose last packet is the oldest, or null when none is live. */
  leastRecentlyActive(): ClientState | null {
    return this.oldest;
  }

  /** Live clients whose last packet is older than `before`, least recently active first. */
  idleClients(before: number): ClientState[] {
    const idle: ClientState[] = [];
    for (let client = this.oldest; client !== null; client = client.newer) {
      if (client.lastSeen >= before) break;
      idle.push(client);
    }
    return idle;
  }

  liveClients(): ClientState[] {
    const clients: ClientState[] = [];
    for (let client = this.oldest; client !== null; client = client.newer) clients.push(client);
    return clients;
  }

  /** Drops a closed-out client from the live indexes; its endpoints stay known for revival. */
  remove(client: ClientState): void {
    this.live.delete(client.serial);
    this.unlink(client);
    for (const endpoint of client.endpoints) {
      if (this.byEndpoint.get(endpoint) === client) this.byEndpoint.delete(endpoint);
      this.evicted.set(endpoint, client.slot);
    }
    for (const key of this.mappedKeys.get(client) ?? []) if (this.byMapped.get(key) === client) this.byMapped.delete(key);
    this.mappedKeys.delete(client);
  }

  private revive(row: number): ClientState {
    const endpoints = this.store.endpointsOf(row);
    const client = new ClientState(this.nextSerial++, row, endpoints[0], 'inside');
    this.store.restore(client);
    this.live.set(client.serial, client);
    this.append(client);
    for (const endpoint of client.endpoints) {
      this.evicted.delete(endpoint);
      this.byEndpoint.set(endpoint, client);
    }
    this.indexMapped(client, client.mappedKey);
    if (client.teredo !== null) this.indexMapped(client, endpointKey(teredoMappedIp(client.teredo, 0), teredoMappedPort(client.teredo, 0)));
    return client;
  }
}

/**
 * A mapped socket, tagged with the side of the NAT an endpoint is on: a global address is the
 * public side (a capture outside the NAT), anything else the private side.
 */
function mappedIndexKey(mapped: number, endpoint: number): number {
  return mapped * 2 + (isGlobalIpv4(Math.floor(endpoint / 65536)) ? 1 : 0);
}
