import type { CaptureRecord } from '../capture/record.js';
import { timestampSeconds } from '../capture/timestamp.js';
import type { UdpDatagram } from './datagram.js';
import { decodeVlanTag, isVlanTpid } from './ethernet.js';
import { decodeGtpU, GTP_U_PORT, GtpUHeader } from './gtp-u.js';
import { decodeIpv4, IP_PROTOCOL_UDP, Ipv4Header } from './ipv4.js';
import { Ipv4Reassembler } from './ipv4-reassembly.js';
import { LayerCursor } from './layer-cursor.js';
import { LINK_ANALYZERS } from './link-dispatch.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, NEXT_MALFORMED } from './next-layer.js';
import { decodeUdp, UDP_HEADER_LENGTH, UdpHeader } from './udp.js';

export interface DecoderOptions {
  /** Fragment trains older than this (capture time, from their first fragment) are dropped. Default 30. */
  reassemblyTimeoutSeconds?: number;
  /** Default 4096. */
  maxFragmentTrains?: number;
  /** Total budget for buffered fragments (data plus bookkeeping). Default 32 MiB. */
  maxReassemblyBytes?: number;
}

/**
 * Counters over all frames given to decode(). Every frame ends in exactly one of: a datagram
 * (`udp`), `ipv6`, `other`, `malformed`, an unsupported link type, or a fragment that was
 * buffered (or dropped) without completing a datagram.
 */
export interface DecodeStats {
  frames: number;
  /** Frames whose link layer carries IPv4 (malformed ones included). */
  ipv4: number;
  /** Frames that stopped at an IPv6 packet, at the link layer or inside a tunnel. */
  ipv6: number;
  /** Frames that produced a UDP/IPv4 datagram. */
  udp: number;
  /** Frames carrying something else: another ethertype or family, IPv4 that is not UDP, a tunnel payload that is not IP. */
  other: number;
  /** Frames with a cut or inconsistent header at some layer. */
  malformed: number;
  /** IPv4 fragments seen (of any protocol; only UDP ones are reassembled). */
  fragments: number;
  /** Datagrams rebuilt from fragments. */
  reassembled: number;
  /** Fragments rejected on arrival or lost when their train expired or was evicted. */
  fragmentsDropped: number;
  /** Tunnel layers (GTP-U) removed. */
  tunnels: number;
  /** Link types without an analyzer, with the number of frames of each. */
  unsupportedLinkTypes: Map<number, number>;
}

const DEFAULT_REASSEMBLY_TIMEOUT_SECONDS = 30;
const DEFAULT_MAX_FRAGMENT_TRAINS = 4096;
const DEFAULT_MAX_REASSEMBLY_BYTES = 32 * 1024 * 1024;
/** QinQ uses two tags; more than this is not a real network. */
const MAX_VLAN_TAGS = 8;
/** GTP-U inside GTP-U happens (roaming); a deeper stack is a crafted packet, delivered as it is. */
export const MAX_TUNNEL_DEPTH = 4;
const NOT_FRAGMENTED: readonly number[] = Object.freeze([]);

/**
 * Link → IPv4 → UDP (→ GTP-U → IPv4 → UDP …) decoder, built like gopacket's DecodingLayerParser:
 * one analyzer per layer, all reading offsets in the record's buffer, one reused output object.
 * Nothing is allocated for an ordinary packet; only fragments are copied (into bounded storage).
 */
export class PacketDecoder {
  readonly stats: DecodeStats = {
    frames: 0,
    ipv4: 0,
    ipv6: 0,
    udp: 0,
    other: 0,
    malformed: 0,
    fragments: 0,
    reassembled: 0,
    fragmentsDropped: 0,
    tunnels: 0,
    unsupportedLinkTypes: new Map<number, number>(),
  };

  private readonly cursor = new LayerCursor();
  private readonly ip = new Ipv4Header();
  private readonly udp = new UdpHeader();
  private readonly gtp = new GtpUHeader();
  private readonly reassembler: Ipv4Reassembler;
  private readonly datagram: UdpDatagram = {
    frame: 0,
    seconds: 0,
    nanos: 0,
    precision: 0,
    srcIp: 0,
    dstIp: 0,
    srcPort: 0,
    dstPort: 0,
    ttl: 0,
    buffer: new Uint8Array(0),
    payloadOffset: 0,
    payloadLength: 0,
    fragmentFrames: NOT_FRAGMENTED,
    tunnelDepth: 0,
    cutBytes: 0,
  };

  constructor(options: DecoderOptions = {}) {
    this.reassembler = new Ipv4Reassembler({
      timeoutSeconds: options.reassemblyTimeoutSeconds ?? DEFAULT_REASSEMBLY_TIMEOUT_SECONDS,
      maxTrains: Math.max(1, options.maxFragmentTrains ?? DEFAULT_MAX_FRAGMENT_TRAINS),
      maxBytes: options.maxReassemblyBytes ?? DEFAULT_MAX_REASSEMBLY_BYTES,
    });
  }

  /**
   * The reused datagram (valid until the next call), or null when the frame holds no (complete)
   * UDP/IPv4 datagram. Inside GTP-U the innermost datagram is returned. Never throws on bad input.
   */
  decode(record: CaptureRecord): UdpDatagram | null {
    const stats = this.stats;
    stats.frames++;
    const reassembler = this.reassembler;
    // Capture time as one number is only needed while fragments are buffered: computed for every
    // frame and passed on, it would box a double (an allocation) per packet.
    if (reassembler.trainCount > 0) {
      reassembler.expire(timestampSeconds(record));
      stats.fragmentsDropped = reassembler.droppedFragments;
    }

    const analyzer = LINK_ANALYZERS.get(record.linkType);
    if (analyzer === undefined) {
      const seen = stats.unsupportedLinkTypes.get(record.linkType) ?? 0;
      stats.unsupportedLinkTypes.set(record.linkType, seen + 1);
      return null;
    }
    const start = record.offset;
    const end = Math.min(start + record.capturedLength, record.buffer.length);
    if (!(start >= 0 && end >= start)) {
      stats.malformed++;
      return null;
    }
    const cursor = this.cursor;
    cursor.reset(record.buffer, start, end, record.capturedLength < record.originalLength);

    let next = analyzer(cursor);
    for (let tags = 0; isVlanTpid(next); tags++) {
      next = tags < MAX_VLAN_TAGS ? decodeVlanTag(cursor) : NEXT_MALFORMED;
    }
    if (next === ETHERTYPE_IPV4) {
      stats.ipv4++;
      return this.decodeIpv4Stack(record);
    }
    if (next === ETHERTYPE_IPV6) stats.ipv6++;
    else if (next === NEXT_MALFORMED) stats.malformed++;
    else stats.other++;
    return null;
  }

  /** IPv4 at the cursor, then UDP, then through GTP-U tunnels down to the innermost datagram. */
  private decodeIpv4Stack(record: CaptureRecord): UdpDatagram | null {
    const { cursor, ip, udp, gtp, stats, reassembler } = this;
    let fragmentFrames = NOT_FRAGMENTED;
    for (let depth = 0; ; depth++) {
      if (!decodeIpv4(cursor, ip)) {
        stats.malformed++;
        return null;
      }
      if (ip.isFragment) stats.fragments++;
      if (ip.protocol !== IP_PROTOCOL_UDP) {
        stats.other++;
        return null;
      }

      let buffer = cursor.buffer;
      let payloadStart = ip.payloadOffset;
      let payloadEnd = ip.payloadEnd;
      let payloadLength = ip.payloadLength;
      let truncated = cursor.truncated;
      if (ip.isFragment) {
        const completed = reassembler.add(ip, buffer, record.frame, timestampSeconds(record));
        stats.fragmentsDropped = reassembler.droppedFragments;
        if (!completed) return null;
        stats.reassembled++;
        buffer = reassembler.output;
        payloadStart = 0;
        payloadEnd = payloadLength = reassembler.completedLength;
        truncated = false;
        fragmentFrames = reassembler.completedFrames;
      }

      if (!decodeUdp(buffer, payloadStart, payloadEnd, payloadLength, udp)) {
        stats.malformed++;
        return null;
      }
      const isGtp = udp.srcPort === GTP_U_PORT || udp.dstPort === GTP_U_PORT;
      if (isGtp && depth < MAX_TUNNEL_DEPTH && decodeGtpU(buffer, udp.payloadOffset, udp.payloadOffset + udp.payloadLength, truncated, gtp)) {
        stats.tunnels++;
        cursor.reset(buffer, gtp.innerOffset, gtp.innerEnd, truncated);
        const version = gtp.innerEnd > gtp.innerOffset ? buffer[gtp.innerOffset] >> 4 : 0;
        if (version === 4) continue;
        if (version === 6) stats.ipv6++;
        else stats.other++;
        return null;
      }

      stats.udp++;
      return this.fillDatagram(record, buffer, fragmentFrames, depth);
    }
  }

  private fillDatagram(record: CaptureRecord, buffer: Uint8Array, fragmentFrames: readonly number[], tunnelDepth: number): UdpDatagram {
    const { datagram, ip, udp } = this;
    datagram.frame = record.frame;
    datagram.seconds = record.seconds;
    datagram.nanos = record.nanos;
    datagram.precision = record.precision;
    datagram.srcIp = ip.srcIp;
    datagram.dstIp = ip.dstIp;
    datagram.srcPort = udp.srcPort;
    datagram.dstPort = udp.dstPort;
    datagram.ttl = ip.ttl;
    datagram.buffer = buffer;
    datagram.payloadOffset = udp.payloadOffset;
    datagram.payloadLength = udp.payloadLength;
    datagram.fragmentFrames = fragmentFrames;
    datagram.tunnelDepth = tunnelDepth;
    datagram.cutBytes = udp.length - UDP_HEADER_LENGTH - udp.payloadLength;
    return datagram;
  }
}
