import { createReusablePacket, hasRareParts } from './packet-copy.js';
import type { Anomaly, AuthenticationHeader, Detection, Icmpv6Summary, InnerData, OriginIndication, TeredoKind, TeredoPacket, Trailer } from './packet.js';

/*
 * Teredo packets packed into an ArrayBuffer, to move them between threads (a worker dissects, the
 * main thread analyses). Structured cloning a TeredoPacket costs far more than dissecting it, so
 * the fields every packet has are written at fixed offsets of one transferable buffer and read
 * back into a reused packet. Records stay 8-byte aligned so that typed-array views (in the
 * machine's byte order: both ends are the same process) address every field; they measured
 * several times faster than DataView calls here. The parts only control packets carry (auth, ICMPv6, trailers,
 * anomalies, fragment frames) travel beside the buffer as cloned objects, in packet order.
 */

const KINDS: readonly TeredoKind[] = [
  'router-solicitation',
  'router-advertisement',
  'neighbor-solicitation',
  'neighbor-advertisement',
  'echo-request',
  'echo-reply',
  'bubble',
  'data',
];
const DETECTIONS: readonly Detection[] = ['port-3544', 'learned-endpoint', 'structure'];

/** Index of `kind` in KINDS; data and bubbles first, as nearly every packet is one of them. */
function kindCode(kind: TeredoKind): number {
  if (kind === 'data') return 7;
  if (kind === 'bubble') return 6;
  return KINDS.indexOf(kind);
}

function detectionCode(detection: Detection): number {
  return detection === 'port-3544' ? 0 : detection === 'learned-endpoint' ? 1 : 2;
}

const TAG_PACKET = 1;
const TAG_MALFORMED = 2;

const HAS_ORIGIN = 1;
const HAS_DATA = 2;
const HAS_RARE = 4;
const DATA_SRC_PORT_NULL = 8;
const DATA_DST_PORT_NULL = 16;

const FIXED_SIZE = 80;
const ORIGIN_SIZE = 8;
const DATA_SIZE = 16;
const MALFORMED_SIZE = 16;
/** The largest record: a batch with less room left than this is full. */
export const MAX_RECORD_SIZE = FIXED_SIZE + ORIGIN_SIZE + DATA_SIZE;

/** The parts of a packet that most packets lack, moved by structured clone. */
export interface RarePacketParts {
  fragmentFrames: readonly number[];
  auth: AuthenticationHeader | null;
  icmp: Icmpv6Summary | null;
  trailers: readonly Trailer[];
  anomalies: readonly Anomaly[];
}

/** One batch as it crosses threads: `buffer` is transferred, `rare` and `reasons` cloned. */
export interface PacketBatch {
  buffer: ArrayBuffer;
  used: number;
  rare: RarePacketParts[];
  /** Reasons of the malformed-datagram records, in order. */
  reasons: string[];
}

/** Fills batches; `take` hands the current one over and starts the next in `spare` (or a new buffer). */
export class PacketBatchWriter {
  private buffer: ArrayBuffer;
  private bytes: Uint8Array;
  private u16: Uint16Array;
  private u32: Uint32Array;
  private f64: Float64Array;
  private used = 0;
  private rare: RarePacketParts[] = [];
  private reasons: string[] = [];

  constructor(private readonly size = 1 << 20) {
    this.buffer = new ArrayBuffer(size);
    this.bytes = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
  }

  get isEmpty(): boolean {
    return this.used === 0;
  }

  get isFull(): boolean {
    return this.size - this.used < Math.max(MAX_RECORD_SIZE, MALFORMED_SIZE);
  }

  writePacket(packet: TeredoPacket): void {
    const { bytes, u16, u32, f64 } = this;
    const at = this.used;
    const { outer, ipv6, origin, data } = packet;
    const rare = hasRareParts(packet);
    let flags = 0;
    if (origin !== null) flags |= HAS_ORIGIN;
    if (data !== null) {
      flags |= HAS_DATA;
      if (data.srcPort === null) flags |= DATA_SRC_PORT_NULL;
      if (data.dstPort === null) flags |= DATA_DST_PORT_NULL;
    }
    if (rare) flags |= HAS_RARE;
    bytes[at] = TAG_PACKET;
    bytes[at + 1] = kindCode(packet.kind);
    bytes[at + 2] = detectionCode(packet.detection);
    bytes[at + 3] = flags;
    bytes[at + 4] = packet.time.precision;
    bytes[at + 5] = ipv6.trafficClass;
    bytes[at + 6] = ipv6.nextHeader;
    bytes[at + 7] = ipv6.hopLimit;
    f64[(at + 8) >> 3] = packet.frame;
    f64[(at + 16) >> 3] = packet.time.seconds;
    u32[(at + 24) >> 2] = packet.time.nanos;
    u32[(at + 28) >> 2] = outer.srcIp;
    u32[(at + 32) >> 2] = outer.dstIp;
    u16[(at + 36) >> 1] = outer.srcPort;
    u16[(at + 38) >> 1] = outer.dstPort;
    u32[(at + 40) >> 2] = ipv6.flowLabel;
    u16[(at + 44) >> 1] = ipv6.payloadLength;
    // Byte loops: TypedArray#set costs more than 16 stores for arrays this small.
    const src = ipv6.src;
    const dst = ipv6.dst;
    for (let i = 0; i < 16; i++) {
      bytes[at + 48 + i] = src[i];
      bytes[at + 64 + i] = dst[i];
    }
    let end = at + FIXED_SIZE;
    if (origin !== null) {
      u32[end >> 2] = origin.address;
      u16[(end + 4) >> 1] = origin.port;
      end += ORIGIN_SIZE;
    }
    if (data !== null) {
      u32[end >> 2] = data.length;
      u16[(end + 4) >> 1] = data.srcPort ?? 0;
      u16[(end + 6) >> 1] = data.dstPort ?? 0;
      bytes[end + 8] = data.protocol;
      end += DATA_SIZE;
    }
    if (rare) {
      this.rare.push({ fragmentFrames: packet.fragmentFrames, auth: packet.auth, icmp: packet.icmp, trailers: packet.trailers, anomalies: packet.anomalies });
    }
    this.used = end;
  }

  writeMalformed(frame: number, reason: string): void {
    const at = this.used;
    this.bytes[at] = TAG_MALFORMED;
    this.f64[(at + 8) >> 3] = frame;
    this.reasons.push(reason);
    this.used = at + MALFORMED_SIZE;
  }

  /** The batch so far; the writer goes on in `spare` (a buffer of the same size handed back) or a new one. */
  take(spare: ArrayBuffer | null): PacketBatch {
    const batch: PacketBatch = { buffer: this.buffer, used: this.used, rare: this.rare, reasons: this.reasons };
    this.buffer = spare !== null && spare.byteLength === this.size ? spare : new ArrayBuffer(this.size);
    this.bytes = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.used = 0;
    this.rare = [];
    this.reasons = [];
    return batch;
  }
}

export interface PacketBatchHandlers {
  /** The reader's one reused packet: valid only during the call. */
  onPacket: (packet: TeredoPacket) => void;
  onMalformed: (frame: number, reason: string) => void;
}

const NONE: readonly never[] = [];

/** Reads batches back, record by record, into one reused packet. */
export class PacketBatchReader {
  private readonly packet: TeredoPacket = createReusablePacket();
  /** The reused packet's origin and data, set on it when a record has them. */
  private readonly origin: OriginIndication = { address: 0, port: 0 };
  private readonly data: InnerData = { protocol: 0, srcPort: null, dstPort: null, length: 0 };

  read(batch: PacketBatch, handlers: PacketBatchHandlers): void {
    const buffer = batch.buffer;
    const bytes = new Uint8Array(buffer);
    const u16 = new Uint16Array(buffer);
    const u32 = new Uint32Array(buffer);
    const f64 = new Float64Array(buffer);
    const used = Math.min(batch.used, buffer.byteLength);
    const packet = this.packet;
    const { time, outer, ipv6 } = packet;
    let rareIndex = 0;
    let reasonIndex = 0;
    let at = 0;
    while (at < used) {
      const tag = bytes[at];
      if (tag === TAG_MALFORMED) {
        handlers.onMalformed(f64[(at + 8) >> 3], batch.reasons[reasonIndex++]);
        at += MALFORMED_SIZE;
        continue;
      }
      if (tag !== TAG_PACKET) throw new Error(`packet batch: unknown record tag ${tag} at ${at}`);
      const flags = bytes[at + 3];
      packet.kind = KINDS[bytes[at + 1]];
      packet.detection = DETECTIONS[bytes[at + 2]];
      time.precision = bytes[at + 4];
      ipv6.trafficClass = bytes[at + 5];
      ipv6.nextHeader = bytes[at + 6];
      ipv6.hopLimit = bytes[at + 7];
      packet.frame = f64[(at + 8) >> 3];
      time.seconds = f64[(at + 16) >> 3];
      time.nanos = u32[(at + 24) >> 2];
      outer.srcIp = u32[(at + 28) >> 2];
      outer.dstIp = u32[(at + 32) >> 2];
      outer.srcPort = u16[(at + 36) >> 1];
      outer.dstPort = u16[(at + 38) >> 1];
      ipv6.flowLabel = u32[(at + 40) >> 2];
      ipv6.payloadLength = u16[(at + 44) >> 1];
      const src = ipv6.src;
      const dst = ipv6.dst;
      for (let i = 0; i < 16; i++) {
        src[i] = bytes[at + 48 + i];
        dst[i] = bytes[at + 64 + i];
      }
      at += FIXED_SIZE;
      if ((flags & HAS_ORIGIN) !== 0) {
        this.origin.address = u32[at >> 2];
        this.origin.port = u16[(at + 4) >> 1];
        packet.origin = this.origin;
        at += ORIGIN_SIZE;
      } else {
        packet.origin = null;
      }
      if ((flags & HAS_DATA) !== 0) {
        const data = this.data;
        data.length = u32[at >> 2];
        data.srcPort = (flags & DATA_SRC_PORT_NULL) !== 0 ? null : u16[(at + 4) >> 1];
        data.dstPort = (flags & DATA_DST_PORT_NULL) !== 0 ? null : u16[(at + 6) >> 1];
        data.protocol = bytes[at + 8];
        packet.data = data;
        at += DATA_SIZE;
      } else {
        packet.data = null;
      }
      if ((flags & HAS_RARE) !== 0) {
        const rare = batch.rare[rareIndex++];
        packet.fragmentFrames = rare.fragmentFrames;
        packet.auth = rare.auth;
        packet.icmp = rare.icmp;
        packet.trailers = rare.trailers;
        packet.anomalies = rare.anomalies;
      } else {
        packet.fragmentFrames = NONE;
        packet.auth = null;
        packet.icmp = null;
        packet.trailers = NONE;
        packet.anomalies = NONE;
      }
      handlers.onPacket(packet);
    }
  }
}
