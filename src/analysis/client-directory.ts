import { MAX_ENDPOINTS_PER_CLIENT } from '../capture/input-limits.js';
import { isGlobalIpv4 } from '../decode/ip-address.js';
import { ClientState } from './client-state.js';
import type { Vantage } from './client-summary.js';
import { ClientSummaryStore } from './client-summary-store.js';
import { embeddedEndpointKey } from './endpoint.js';
import { NumberIndex } from './number-index.js';

/**
 * Who is who: live clients by endpoint and by mapped socket, their order of last activity (for
 * idle eviction), and the endpoints of clients already closed out, so a client that comes back
 * after eviction continues its own summary instead of appearing twice.
 */
export class ClientDirectory {
  readonly store = new ClientSummaryStore();
  /**
   * Live clients by slot (ClientState.liveSlot), with the free slots for reuse. The indexes below
   * map to slots: a NumberIndex looks a 48-bit endpoint key up without boxing it as a Map would,
   * and this runs twice per packet.
   */
  private readonly liveSlots: (ClientState | null)[] = [];
  private readonly freeSlots: number[] = [];
  private liveTotal = 0;
  /**
   * Endpoint → live slot (≥ 0), or → -(row + 1) for a client already closed out, so that a socket
   * that is nobody's (every relay's, on every packet) costs one probe, not one per index.
   */
  private readonly byEndpoint = new NumberIndex();
  /**
   * Mapped sockets (RA origin indications, embedded in Teredo addresses) → client, apart for each
   * side of a NAT (see mappedIndexKey): captures taken inside and outside the same NAT (or on both
   * of its interfaces) show the client twice, and a socket seen outside must never join the
   * client seen inside.
   */
  private readonly byMapped = new NumberIndex();
  /**
   * The nonce of each live client's latest RS (nonceKey) → live slot: at a server only a reused
   * nonce links a rebinding, and a lookup here replaces a scan of the crowd (rebinding-link.ts).
   */
  private readonly byLatestNonce = new NumberIndex();
  private nextSerial = 0;
  private readonly scratch = new Float64Array(1);
  private oldest: ClientState | null = null;
  private newest: ClientState | null = null;

  get liveCount(): number {
    return this.liveTotal;
  }

  isLive(client: ClientState): boolean {
    return client.liveSlot >= 0 && this.liveSlots[client.liveSlot] === client;
  }

  /** The client that owns this endpoint, reviving it from its summary if it was closed out. */
  find(endpoint: number): ClientState | null {
    this.scratch[0] = endpoint;
    return this.findAt(this.scratch, 0);
  }

  /**
   * find() for the key in keys[index]. The per-packet callers use this form: a key (48 bits) or an
   * IPv4 address above 2^31 is a double, and a double passed to a call V8 does not inline is boxed
   * into a fresh heap number (twice per packet); a Float64Array is passed as it is.
   */
  findAt(keys: Float64Array, index: number): ClientState | null {
    const entry = this.byEndpoint.getAt(keys, index);
    if (entry === undefined) return null;
    return entry >= 0 ? this.liveSlots[entry] : this.revive(-entry - 1);
  }

  /** The client with this mapped socket on the side of `endpoint` (the socket about to join it). */
  findByMapped(mapped: number, endpoint: number): ClientState | null {
    const slot = this.byMapped.get(mappedIndexKey(mapped, endpoint));
    return slot === undefined ? null : this.liveSlots[slot];
  }

  create(endpoint: number, vantage: Vantage, time: number): ClientState {
    const client = new ClientState(this.nextSerial++, this.store.allocate(), endpoint, vantage, this.store);
    client.lastSeen = time;
    this.occupySlot(client);
    this.append(client);
    this.byEndpoint.set(endpoint, client.liveSlot);
    return client;
  }

  /**
   * Joins an endpoint to the client; false when the client already holds MAX_ENDPOINTS_PER_CLIENT
   * (the endpoint is then neither kept nor indexed: a flood of sockets claiming one client must
   * not grow it without bound).
   */
  addEndpoint(client: ClientState, endpoint: number): boolean {
    const entry = this.byEndpoint.get(endpoint);
    if (entry !== undefined && entry >= 0) return true;
    if (client.endpoints.length >= MAX_ENDPOINTS_PER_CLIENT) return false;
    client.endpoints.push(endpoint);
    this.byEndpoint.set(endpoint, client.liveSlot);
    return true;
  }

  indexMapped(client: ClientState, mapped: number): void {
    if (mapped < 0) return;
    const key = mappedIndexKey(mapped, client.endpoints[0]);
    if (this.byMapped.get(key) === client.liveSlot) return;
    this.byMapped.set(key, client.liveSlot);
    if (client.mappedIndexKeys === null) client.mappedIndexKeys = [key];
    else client.mappedIndexKeys.push(key);
  }

  /** The client just had a packet (its lastSeen is already updated): it becomes the most recently active. */
  touch(client: ClientState): void {
    if (this.newest === client) return;
    this.unlink(client);
    this.append(client);
  }

  private occupySlot(client: ClientState): void {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.liveSlots.length;
    if (slot === this.liveSlots.length) this.liveSlots.push(client);
    else this.liveSlots[slot] = client;
    client.liveSlot = slot;
    this.liveTotal++;
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

  /** Notes the nonceKey of the client's latest RS (-1: it carried none). */
  noteLatestNonce(client: ClientState, key: number): void {
    const old = client.latestNonceKey;
    if (old === key) return;
    if (old >= 0 && this.byLatestNonce.get(old) === client.liveSlot) this.byLatestNonce.delete(old);
    client.latestNonceKey = key;
    if (key >= 0) this.byLatestNonce.set(key, client.liveSlot);
  }

  /** The live client whose latest RS carried the nonce with this key, or null. */
  withLatestNonce(key: number): ClientState | null {
    if (key < 0) return null;
    const slot = this.byLatestNonce.get(key);
    if (slot === undefined) return null;
    const client = this.liveSlots[slot];
    return client !== null && client.latestNonceKey === key ? client : null;
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
    const slot = client.liveSlot;
    this.unlink(client);
    // The endpoints stay known, pointing at the closed client's row, except one another live
    // client holds now: that client keeps it (a shared endpoint goes to the last one closed).
    for (const endpoint of client.endpoints) {
      const entry = this.byEndpoint.get(endpoint);
      if (entry === undefined || entry === slot || entry < 0) this.byEndpoint.set(endpoint, -client.slot - 1);
    }
    for (const key of client.mappedIndexKeys ?? []) if (this.byMapped.get(key) === slot) this.byMapped.delete(key);
    client.mappedIndexKeys = null;
    this.noteLatestNonce(client, -1);
    this.liveSlots[slot] = null;
    this.freeSlots.push(slot);
    client.liveSlot = -1;
    this.liveTotal--;
  }

  private revive(row: number): ClientState {
    const endpoints = this.store.endpointsOf(row);
    const client = new ClientState(this.nextSerial++, row, endpoints[0], 'inside', this.store);
    this.store.restore(client);
    this.occupySlot(client);
    this.append(client);
    for (const endpoint of client.endpoints) this.byEndpoint.set(endpoint, client.liveSlot);
    this.indexMapped(client, client.mappedKey);
    const teredo = client.teredo();
    if (teredo !== null) this.indexMapped(client, embeddedEndpointKey(teredo));
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
