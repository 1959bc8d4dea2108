import { timestampSeconds } from '../capture/timestamp.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { copyPacketInto, createPacketSlot, type PacketSlot } from '../teredo/packet-copy.js';

/** Default bounds of the reordering window: packets held at most, and capture seconds spanned. */
export const DEFAULT_REORDER_PACKETS = 256;
export const DEFAULT_REORDER_SECONDS = 1;

/**
 * Puts packets stamped slightly out of order back in time order before the analysis (issue 12,
 * defect 11: an RA written before the RS it answers must not read as a nonce mismatch). A packet
 * is held until one stamped more than `maxSeconds` after it arrives, or until `maxPackets` are
 * held; it is then released to `release` in time order (ties in arrival order; an RA is never
 * moved ahead of the RS it answers). A packet stamped
 * more than `maxSeconds` before the newest one seen, or before one already released, is later
 * than the window: it is released at once, after everything held, in arrival order, and counted
 * in `late`.
 *
 * Held packets are copies in slots the buffer owns and reuses: the dissector overwrites its packet
 * for every datagram, and in-order input must not allocate per packet. A copy takes the parts the
 * dissector rewrites in place (time, outer endpoints, IPv6 header, origin, inner data) and shares
 * the rest, which it creates fresh per packet (see clonePacket). A released slot is valid only
 * during `release`.
 */
export class ReorderBuffer {
  private readonly maxPackets: number;
  private readonly maxSeconds: number;
  private readonly release: (packet: TeredoPacket) => void;
  /** Circular buffer of slots, grown (doubling) up to maxPackets as the window fills. */
  private slots: PacketSlot[] = [];
  private times = new Float64Array(0);
  private head = 0;
  private size = 0;
  private releasedTime = Number.NEGATIVE_INFINITY;
  private newestTime = Number.NEGATIVE_INFINITY;
  /** Packets stamped before one already released (later than the window), analysed in arrival order. */
  late = 0;
  /** Frame of the first such packet (0: none). */
  lateFrame = 0;

  constructor(maxPackets: number, maxSeconds: number, release: (packet: TeredoPacket) => void) {
    this.maxPackets = Math.max(1, Math.floor(maxPackets));
    this.maxSeconds = Math.max(0, maxSeconds);
    this.release = release;
  }

  add(packet: TeredoPacket): void {
    const time = timestampSeconds(packet.time);
    if (time < this.releasedTime || time < this.newestTime - this.maxSeconds) {
      // Later than the window (or the clock was set back): everything held goes first, so that
      // the late packet is analysed in arrival order.
      this.late++;
      if (this.lateFrame === 0) this.lateFrame = packet.frame;
      this.flush();
      this.release(packet);
      return;
    }
    if (time > this.newestTime) this.newestTime = time;
    if (this.size === this.maxPackets) this.releaseOldest();
    if (this.size === this.slots.length) this.grow();
    const capacity = this.slots.length;
    let at = (this.head + this.size) % capacity;
    copyPacketInto(this.slots[at], packet);
    this.times[at] = time;
    this.size++;
    // Insertion sort from the newest end: in-order input stops at the first comparison.
    for (let moved = 1; moved < this.size; moved++) {
      const before = (at + capacity - 1) % capacity;
      if (this.times[before] <= this.times[at] || answers(this.slots[at], this.slots[before])) break;
      this.swap(before, at);
      at = before;
    }
    while (this.size > 0 && this.newestTime - this.times[this.head] > this.maxSeconds) this.releaseOldest();
  }

  /** Releases every packet still held, in time order (the end of the input). */
  flush(): void {
    while (this.size > 0) this.releaseOldest();
  }

  /** flush(), then lets the slots go (the analysis is over; an analysis kept around keeps no window). */
  close(): void {
    this.flush();
    this.slots = [];
    this.times = new Float64Array(0);
    this.head = 0;
  }

  private releaseOldest(): void {
    const at = this.head;
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    if (this.times[at] > this.releasedTime) this.releasedTime = this.times[at];
    this.release(this.slots[at]);
  }

  private swap(a: number, b: number): void {
    const slot = this.slots[a];
    this.slots[a] = this.slots[b];
    this.slots[b] = slot;
    const time = this.times[a];
    this.times[a] = this.times[b];
    this.times[b] = time;
  }

  /** Doubles the ring (bounded by maxPackets), keeping the held packets in order from index 0. */
  private grow(): void {
    const capacity = this.slots.length;
    const next = Math.min(this.maxPackets, Math.max(4, capacity * 2));
    const slots: PacketSlot[] = new Array<PacketSlot>(next);
    const times = new Float64Array(next);
    for (let i = 0; i < this.size; i++) {
      slots[i] = this.slots[(this.head + i) % capacity];
      times[i] = this.times[(this.head + i) % capacity];
    }
    // Slots not holding a packet are kept for reuse, then new ones fill the rest.
    let spare = this.size;
    for (let i = 0; i < capacity - this.size; i++) slots[spare++] = this.slots[(this.head + this.size + i) % capacity];
    while (spare < next) slots[spare++] = createPacketSlot();
    this.slots = slots;
    this.times = times;
    this.head = 0;
  }
}

/**
 * Causality over timestamps: an RA never moves ahead of the RS whose nonce it carries (clocks of
 * two capture interfaces, or a merged capture, may stamp the answer a little before the question).
 */
function answers(reply: TeredoPacket, request: TeredoPacket): boolean {
  if (reply.kind !== 'router-advertisement' || request.kind !== 'router-solicitation') return false;
  const a = reply.auth?.nonce;
  const b = request.auth?.nonce;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
