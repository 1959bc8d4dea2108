/**
 * A bounded set of UDP/IPv4 sockets (ip:port) seen in Teredo traffic, evicting the least recently
 * learned or used one when full.
 *
 * Built on typed arrays rather than a Map so that the per-datagram lookup allocates nothing: the key
 * ip * 65536 + port (at most 2^48, exact in a double) lives in a Float64Array, an open-addressing
 * table with linear probing maps it to a node, and the nodes form a doubly linked recency list.
 * Storage grows by doubling up to the limit, so a small capture does not pay for 65536 entries.
 */
export class EndpointTable {
  readonly limit: number;
  private capacity = 0;
  private count = 0;
  /** Per node: key, cached hash, recency links (-1 = none). */
  private keys = new Float64Array(0);
  private hashes = new Int32Array(0);
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  /** Hash table of node index + 1 (0 = empty slot); twice the node capacity, a power of two. */
  private slots = new Int32Array(0);
  /**
   * The key of each slot's node (EMPTY_KEY for an empty slot), kept in the table itself: a lookup
   * then reads one array instead of following slot → node → key, which on a table too big for the
   * CPU cache is two dependent misses per probe (twice per datagram).
   */
  private slotKeys = new Float64Array(0);
  private mask = 0;
  private oldest = -1;
  private newest = -1;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`learned endpoint limit must be a non-negative integer, got ${limit}`);
    this.limit = limit;
    if (limit > 0) this.resize(Math.min(limit, 64));
  }

  get size(): number {
    return this.count;
  }

  has(ip: number, port: number): boolean {
    return this.nodeOf(ip, port) >= 0;
  }

  /**
   * The entry of a socket, or -1: lets the dissector look a socket up once and refresh it later
   * with touchNode() instead of hashing it twice. Valid until the next learn().
   */
  nodeOf(ip: number, port: number): number {
    if (this.count === 0) return -1;
    const slot = this.findSlot(ip * 65536 + port, hashOf(ip, port));
    return slot < 0 ? -1 : this.slots[slot] - 1;
  }

  /** touch() for an entry found by nodeOf(). */
  touchNode(node: number): void {
    this.moveToNewest(node);
  }

  /** Marks a known socket as just used; false when it is not in the table. */
  touch(ip: number, port: number): boolean {
    if (this.count === 0) return false;
    const slot = this.findSlot(ip * 65536 + port, hashOf(ip, port));
    if (slot < 0) return false;
    this.moveToNewest(this.slots[slot] - 1);
    return true;
  }

  /** Adds the socket (or refreshes it), evicting the least recent entry when the table is full. */
  learn(ip: number, port: number): void {
    if (this.limit === 0) return;
    const key = ip * 65536 + port;
    const hash = hashOf(ip, port);
    const slot = this.findSlot(key, hash);
    if (slot >= 0) {
      this.moveToNewest(this.slots[slot] - 1);
      return;
    }
    let node: number;
    if (this.count < this.capacity) {
      node = this.count++;
    } else if (this.capacity < this.limit) {
      this.resize(Math.min(this.limit, this.capacity * 2));
      node = this.count++;
    } else {
      node = this.oldest;
      this.unlink(node);
      this.removeSlot(this.findSlot(this.keys[node], this.hashes[node]));
    }
    this.keys[node] = key;
    this.hashes[node] = hash;
    this.appendNewest(node);
    this.insertSlot(node);
  }

  private findSlot(key: number, hash: number): number {
    const slotKeys = this.slotKeys;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const found = slotKeys[slot];
      if (found === key) return slot;
      if (found === EMPTY_KEY) return -1;
      slot = (slot + 1) & mask;
    }
  }

  private insertSlot(node: number): void {
    let slot = this.hashes[node] & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = node + 1;
    this.slotKeys[slot] = this.keys[node];
  }

  /** Backward-shift deletion keeps every probe chain unbroken without tombstones. */
  private removeSlot(slot: number): void {
    let hole = slot;
    this.slots[hole] = 0;
    this.slotKeys[hole] = EMPTY_KEY;
    let probe = hole;
    for (;;) {
      probe = (probe + 1) & this.mask;
      const entry = this.slots[probe];
      if (entry === 0) return;
      const home = this.hashes[entry - 1] & this.mask;
      const homeBetween = hole <= probe ? home > hole && home <= probe : home > hole || home <= probe;
      if (!homeBetween) {
        this.slots[hole] = entry;
        this.slotKeys[hole] = this.slotKeys[probe];
        this.slots[probe] = 0;
        this.slotKeys[probe] = EMPTY_KEY;
        hole = probe;
      }
    }
  }

  private unlink(node: number): void {
    const before = this.prev[node];
    const after = this.next[node];
    if (before >= 0) this.next[before] = after;
    else this.oldest = after;
    if (after >= 0) this.prev[after] = before;
    else this.newest = before;
  }

  private appendNewest(node: number): void {
    this.prev[node] = this.newest;
    this.next[node] = -1;
    if (this.newest >= 0) this.next[this.newest] = node;
    else this.oldest = node;
    this.newest = node;
  }

  private moveToNewest(node: number): void {
    if (node === this.newest) return;
    this.unlink(node);
    this.appendNewest(node);
  }

  private resize(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.keys = grow(this.keys, new Float64Array(capacity));
    this.hashes = grow(this.hashes, new Int32Array(capacity));
    this.prev = grow(this.prev, new Int32Array(capacity));
    this.next = grow(this.next, new Int32Array(capacity));
    this.capacity = capacity;
    let tableSize = 2;
    while (tableSize < capacity * 2) tableSize *= 2;
    this.slots = new Int32Array(tableSize);
    this.slotKeys = new Float64Array(tableSize).fill(EMPTY_KEY);
    this.mask = tableSize - 1;
    for (let node = 0; node < this.count; node++) this.insertSlot(node);
  }
}

/** Keys are ip * 65536 + port ≥ 0, so -1 marks an empty slot. */
const EMPTY_KEY = -1;

/** 32-bit mix of ip and port (murmur3 finalizer); no double arithmetic, no allocation. */
function hashOf(ip: number, port: number): number {
  let h = ip ^ Math.imul(port, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}
