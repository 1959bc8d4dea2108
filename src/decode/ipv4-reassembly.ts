import { ByteRangeSet } from './byte-range-set.js';
import type { Ipv4Header } from './ipv4.js';

export interface ReassemblyLimits {
  /** A train whose first fragment is older than this (capture time) is dropped. */
  timeoutSeconds: number;
  maxTrains: number;
  /** Budget for everything buffered: fragment bytes plus a fixed charge per fragment and train. */
  maxBytes: number;
}

/** The IPv4 total length is 16 bits: no datagram, header included, can be longer. */
export const MAX_IPV4_DATAGRAM_LENGTH = 65535;
/** More than the 1366 fragments of a maximal datagram cut at the minimum IPv4 MTU of 68. */
export const MAX_FRAGMENTS_PER_TRAIN = 2048;
/**
 * Charged per fragment and per train on top of the data, roughly what their bookkeeping costs,
 * so that a flood of tiny or duplicate fragments is bounded by maxBytes as well.
 */
export const FRAGMENT_OVERHEAD_BYTES = 64;
export const TRAIN_OVERHEAD_BYTES = 256;

/** The fragments received so far of one datagram (RFC 791 key: src, dst, protocol, id). */
class FragmentTrain {
  older: FragmentTrain | null = null;
  newer: FragmentTrain | null = null;
  /** Copies of fragment payloads in arrival order, with their offsets in the datagram payload. */
  readonly pieces: Uint8Array[] = [];
  readonly pieceOffsets: number[] = [];
  /** Frames of every accepted fragment, in arrival order (duplicates included). */
  readonly frames: number[] = [];
  readonly received = new ByteRangeSet();
  /** Payload length, known once the last fragment (MF = 0) has arrived; -1 before. */
  payloadLength = -1;
  chargedBytes = TRAIN_OVERHEAD_BYTES;
  key = '';
  firstSeen = 0;

  /** Makes a pooled train new again. */
  reset(key: string, firstSeen: number): void {
    this.key = key;
    this.firstSeen = firstSeen;
    this.pieces.length = 0;
    this.pieceOffsets.length = 0;
    this.frames.length = 0;
    this.received.clear();
    this.payloadLength = -1;
    this.chargedBytes = TRAIN_OVERHEAD_BYTES;
  }
}

/**
 * Trains with at most this many fragments go back to a pool when they end: under a flood of
 * one-fragment trains, reusing them spares the garbage collector most of the churn. Bigger ones
 * are left to the collector so that the pool never pins large arrays.
 */
const POOLED_TRAIN_MAX_FRAGMENTS = 4;
const MAX_POOLED_TRAINS = 1024;

/**
 * IPv4 fragment reassembly with bounded memory. Trains are kept in creation order in a linked
 * list, so expiring and evicting the oldest costs O(1) and allocates nothing. Overlaps are resolved
 * first-wins (a later fragment never overwrites bytes that arrived earlier); a fragment that
 * contradicts the train (past the 65535-byte limit, past the known end, a second different end,
 * an MF fragment not a multiple of 8, cut by snaplen) is dropped and counted.
 */
export class Ipv4Reassembler {
  /** Fragments discarded: rejected on arrival or lost with an evicted train. */
  droppedFragments = 0;
  /** After add() returned true: the payload length of the completed datagram in `output`. */
  completedLength = 0;
  /** After add() returned true: the frames of its fragments, in arrival order. */
  completedFrames: readonly number[] = [];

  private readonly trains = new Map<string, FragmentTrain>();
  private oldest: FragmentTrain | null = null;
  private newest: FragmentTrain | null = null;
  private buffered = 0;
  private outputBuffer: Uint8Array | null = null;
  private readonly pool: FragmentTrain[] = [];

  constructor(private readonly limits: ReassemblyLimits) {}

  /** The reassembly buffer; a completed payload is at [0, completedLength) until the next add(). */
  get output(): Uint8Array {
    this.outputBuffer ??= new Uint8Array(MAX_IPV4_DATAGRAM_LENGTH);
    return this.outputBuffer;
  }

  get trainCount(): number {
    return this.trains.size;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Drops trains whose first fragment arrived more than the timeout before `now` (seconds). */
  expire(now: number): void {
    const limit = now - this.limits.timeoutSeconds;
    while (this.oldest !== null && this.oldest.firstSeen < limit) this.evict(this.oldest);
  }

  /**
   * Adds the fragment whose header is `ip` (payload in `bytes` at ip.payloadOffset). Returns true
   * when it completed its datagram: the payload is then in `output`.
   */
  add(ip: Ipv4Header, bytes: Uint8Array, frame: number, now: number): boolean {
    const length = ip.payloadLength;
    const start = ip.fragmentOffset;
    const end = start + length;
    const cost = FRAGMENT_OVERHEAD_BYTES + length;
    if (
      ip.payloadEnd - ip.payloadOffset < length ||
      length === 0 ||
      ip.headerLength + end > MAX_IPV4_DATAGRAM_LENGTH ||
      (ip.moreFragments && length % 8 !== 0) ||
      cost + TRAIN_OVERHEAD_BYTES > this.limits.maxBytes
    ) {
      this.droppedFragments++;
      return false;
    }
    while (this.oldest !== null && this.buffered + cost + TRAIN_OVERHEAD_BYTES > this.limits.maxBytes) this.evict(this.oldest);

    const key = `${ip.srcIp}:${ip.dstIp}:${ip.protocol}:${ip.id}`;
    let train = this.trains.get(key);
    if (train === undefined) {
      while (this.oldest !== null && this.trains.size >= this.limits.maxTrains) this.evict(this.oldest);
      train = this.createTrain(key, now);
    }
    if (!fitsTrain(train, end, ip.moreFragments)) {
      this.droppedFragments++;
      return false;
    }

    if (!ip.moreFragments) train.payloadLength = end;
    train.frames.push(frame);
    let charged = FRAGMENT_OVERHEAD_BYTES;
    if (train.received.add(start, end) > 0) {
      // A real copy: on a Node Buffer (the file reader's recycled chunks) slice() is only a view.
      train.pieces.push(new Uint8Array(bytes.subarray(ip.payloadOffset, ip.payloadOffset + length)));
      train.pieceOffsets.push(start);
      charged += length;
    }
    train.chargedBytes += charged;
    this.buffered += charged;

    if (train.payloadLength < 0 || !train.received.equals(0, train.payloadLength)) return false;
    this.complete(train);
    return true;
  }

  private complete(train: FragmentTrain): void {
    const output = this.output;
    // Oldest piece written last, so that it wins wherever fragments overlap.
    for (let i = train.pieces.length - 1; i >= 0; i--) output.set(train.pieces[i], train.pieceOffsets[i]);
    this.completedLength = train.payloadLength;
    // The frames array leaves with the datagram, so this train cannot be pooled.
    this.completedFrames = train.frames.slice();
    this.remove(train);
  }

  private createTrain(key: string, now: number): FragmentTrain {
    const train = this.pool.pop() ?? new FragmentTrain();
    train.reset(key, now);
    train.older = this.newest;
    if (this.newest !== null) this.newest.newer = train;
    else this.oldest = train;
    this.newest = train;
    this.trains.set(key, train);
    this.buffered += train.chargedBytes;
    return train;
  }

  private evict(train: FragmentTrain): void {
    this.droppedFragments += train.frames.length;
    this.remove(train);
  }

  private remove(train: FragmentTrain): void {
    if (train.older !== null) train.older.newer = train.newer;
    else this.oldest = train.newer;
    if (train.newer !== null) train.newer.older = train.older;
    else this.newest = train.older;
    train.older = null;
    train.newer = null;
    this.trains.delete(train.key);
    this.buffered -= train.chargedBytes;
    if (train.frames.length <= POOLED_TRAIN_MAX_FRAGMENTS && this.pool.length < MAX_POOLED_TRAINS) {
      train.pieces.length = 0;
      this.pool.push(train);
    }
  }
}

/** Whether a fragment ending at `end` is consistent with what the train already knows. */
function fitsTrain(train: FragmentTrain, end: number, moreFragments: boolean): boolean {
  if (train.frames.length >= MAX_FRAGMENTS_PER_TRAIN) return false;
  if (moreFragments) return train.payloadLength < 0 || end <= train.payloadLength;
  if (train.payloadLength >= 0) return end === train.payloadLength;
  return train.received.maxEnd <= end;
}
