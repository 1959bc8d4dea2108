import type { UdpDatagram } from '../decode/datagram.js';
import { formatIpv6, isGlobalIpv4 } from '../decode/ip-address.js';
import { TEREDO_PORT } from './constants.js';
import { createEncapsulationLayout, describeEncapsulationFailure, scanEncapsulation, type EncapsulationLayout } from './encapsulation.js';
import { EndpointTable } from './endpoint-table.js';
import { IPV6_DESTINATION_OFFSET, IPV6_SOURCE_OFFSET, ipv6NextHeader } from './ipv6-header.js';
import { assembleTeredoPacket, createAssemblyScratch } from './packet-assembler.js';
import { clonePacket, createReusablePacket } from './packet-copy.js';
import type { Detection, TeredoPacket } from './packet.js';
import { SnapCutCopy } from './snap-cut.js';
import { isTeredoAddress, teredoMappedIp, teredoMappedPort } from './teredo-address.js';
import { isConsistentWithTeredoUse, isKnownNextHeader, isStrictlyValidTeredo } from './teredo-use.js';
import { trailersFill } from './trailers.js';

export interface DissectorOptions {
  /** Most sockets remembered as Teredo endpoints (least recent evicted first); default 65536, 0 disables learning. */
  learnedEndpointLimit?: number;
  /** Called for a datagram on port 3544 or a learned endpoint whose payload is not a well-formed Teredo packet. */
  onMalformed?: (frame: number, reason: string) => void;
}

export interface DissectStats {
  /** Datagrams passed to dissect(). */
  examined: number;
  /** Datagrams returned as Teredo packets. */
  teredo: number;
  /** Datagrams with Teredo evidence (port or endpoint) that did not parse. */
  malformed: number;
  byDetection: Record<Detection, number>;
}

export const DEFAULT_LEARNED_ENDPOINT_LIMIT = 65536;

/**
 * Turns UDP datagrams into Teredo packets. Detection, in order (see the protocol notes §2):
 * 1. `port-3544`: a UDP port is 3544 and the payload parses into something Teredo nodes send;
 * 2. `learned-endpoint`: a socket seen before in Teredo traffic, and the payload parses;
 * 3. `structure`: no other evidence, but a strictly valid packet to or from a Teredo address.
 * Packets found by 1 and 3 teach the dissector their sockets (the client's or relay's outer
 * socket, the origin indication, the mapped sockets inside Teredo addresses), which is how
 * client↔relay traffic on arbitrary ports is recognised.
 *
 * Ordinary UDP costs one table lookup and one byte test, and allocates nothing.
 *
 * Two entry points: `dissect` returns a packet the caller owns; `dissectInPlace` returns the
 * dissector's one reused packet, overwritten by the next call, which is what a streaming consumer
 * that looks at each packet once wants (most Teredo packets then allocate nothing).
 */
export class TeredoDissector {
  readonly stats: DissectStats = {
    examined: 0,
    teredo: 0,
    malformed: 0,
    byDetection: { 'port-3544': 0, 'learned-endpoint': 0, structure: 0 },
  };
  private readonly endpoints: EndpointTable;
  private readonly onMalformed: ((frame: number, reason: string) => void) | undefined;
  private readonly layout: EncapsulationLayout = createEncapsulationLayout();
  private readonly scratch = createAssemblyScratch();
  private readonly packet = createReusablePacket();
  private readonly snapCopy = new SnapCutCopy();

  constructor(options: DissectorOptions = {}) {
    this.endpoints = new EndpointTable(options.learnedEndpointLimit ?? DEFAULT_LEARNED_ENDPOINT_LIMIT);
    this.onMalformed = options.onMalformed;
  }

  /** The Teredo packet in `d`, as a fresh packet the caller owns, or null. */
  dissect(d: UdpDatagram): TeredoPacket | null {
    const packet = this.dissectInPlace(d);
    return packet === null ? null : clonePacket(packet);
  }

  /** The Teredo packet in `d` in the dissector's reused packet (valid until the next call), or null. */
  dissectInPlace(d: UdpDatagram): TeredoPacket | null {
    this.stats.examined++;
    const bytes = d.buffer;
    const start = d.payloadOffset;
    const end = Math.min(start + d.payloadLength, bytes.length);
    const onPort = d.srcPort === TEREDO_PORT || d.dstPort === TEREDO_PORT;
    const endpoints = this.endpoints;
    const srcNode = endpoints.nodeOf(d.srcIp, d.srcPort);
    const dstNode = endpoints.nodeOf(d.dstIp, d.dstPort);
    const srcKnown = srcNode >= 0;
    const dstKnown = dstNode >= 0;
    if (!onPort && !srcKnown && !dstKnown) {
      if (end <= start) return null;
      const first = bytes[start];
      // Every Teredo payload starts with an auth (00 01), an origin (00 00) or IPv6 (6x).
      if (first !== 0 && (first & 0xf0) !== 0x60) return null;
    }

    const layout = this.layout;
    if (d.cutBytes > 0 && (onPort || srcKnown || dstKnown)) return this.dissectCut(d, start, end, onPort, srcNode, dstNode);
    if (!scanEncapsulation(bytes, start, end, layout)) {
      if (onPort || srcKnown || dstKnown) this.malformed(d.frame, describeEncapsulationFailure(layout));
      return null;
    }

    if (onPort || srcKnown || dstKnown) {
      const packet = this.packet;
      assembleTeredoPacket(packet, d, layout, this.scratch, onPort ? 'port-3544' : 'learned-endpoint');
      if (onPort && isConsistentWithTeredoUse(packet)) {
        this.learnFrom(packet);
        return this.accept(packet);
      }
      if (srcKnown || dstKnown) {
        packet.detection = 'learned-endpoint';
        if (srcKnown) endpoints.touchNode(srcNode);
        if (dstKnown) endpoints.touchNode(dstNode);
        return this.accept(packet);
      }
      this.malformed(
        d.frame,
        `inner ${formatIpv6(packet.ipv6.src)} -> ${formatIpv6(packet.ipv6.dst)} is neither Teredo-addressed nor a Teredo message`,
      );
      return null;
    }

    if (!this.mayBeStrictTeredo(bytes, layout)) return null;
    const packet = this.packet;
    assembleTeredoPacket(packet, d, layout, this.scratch, 'structure');
    if (!isStrictlyValidTeredo(packet)) return null;
    this.learnFrom(packet);
    return this.accept(packet);
  }

  /**
   * A datagram cut by the snap length, on a Teredo port or socket: dissected from a zero-padded
   * copy as far as its bytes go and marked `snap-cut`. Only what is missing before the IPv6
   * source address makes it unreadable, and then it is reported as cut, not as malformed.
   */
  private dissectCut(d: UdpDatagram, start: number, end: number, onPort: boolean, srcNode: number, dstNode: number): TeredoPacket | null {
    const copy = this.snapCopy;
    const paddedEnd = copy.copy(d.buffer, start, end);
    const layout = this.layout;
    if (!scanEncapsulation(copy.bytes, 0, paddedEnd, layout, end - start)) {
      this.malformed(d.frame, `cut by the capture's snap length before the IPv6 source address (${end - start} of ${end - start + d.cutBytes} bytes kept)`);
      return null;
    }
    const packet = this.packet;
    assembleTeredoPacket(packet, d, layout, this.scratch, onPort ? 'port-3544' : 'learned-endpoint', copy.bytes);
    if (onPort) this.learnFrom(packet);
    if (srcNode >= 0) this.endpoints.touchNode(srcNode);
    if (dstNode >= 0) this.endpoints.touchNode(dstNode);
    return this.accept(packet);
  }

  /** Cheap in-place screen before allocating a packet for structure-only detection. */
  private mayBeStrictTeredo(bytes: Uint8Array, layout: EncapsulationLayout): boolean {
    const ipv6 = layout.ipv6Offset;
    if (!isTeredoAddress(bytes, ipv6 + IPV6_SOURCE_OFFSET) && !isTeredoAddress(bytes, ipv6 + IPV6_DESTINATION_OFFSET)) return false;
    if (!isKnownNextHeader(ipv6NextHeader(bytes, ipv6))) return false;
    return layout.ipv6End === layout.end || trailersFill(bytes, layout.ipv6End, layout.end);
  }

  private accept(packet: TeredoPacket): TeredoPacket {
    this.stats.teredo++;
    this.stats.byDetection[packet.detection]++;
    return packet;
  }

  private malformed(frame: number, reason: string): void {
    this.stats.malformed++;
    this.onMalformed?.(frame, reason);
  }

  /** Remembers the sockets a Teredo packet proves to be Teredo endpoints. */
  private learnFrom(packet: TeredoPacket): void {
    const { outer, origin, ipv6 } = packet;
    if (outer.srcPort !== TEREDO_PORT) this.endpoints.learn(outer.srcIp, outer.srcPort);
    if (outer.dstPort !== TEREDO_PORT) this.endpoints.learn(outer.dstIp, outer.dstPort);
    if (origin !== null && origin.port !== 0) this.endpoints.learn(origin.address, origin.port);
    this.learnEmbedded(ipv6.src);
    this.learnEmbedded(ipv6.dst);
  }

  private learnEmbedded(address: Uint8Array): void {
    if (!isTeredoAddress(address)) return;
    const ip = teredoMappedIp(address, 0);
    const port = teredoMappedPort(address, 0);
    // A non-global or zero mapping cannot be anybody's real socket (RFC 4380 §5.2.4).
    if (port !== 0 && isGlobalIpv4(ip)) this.endpoints.learn(ip, port);
  }
}
