import { foldChecksum, ipv4PseudoSum, ipv6PseudoSum, wordSum } from './checksum.js';
import type { Prng } from './prng.js';

/**
 * Writes benchmark frames (Ethernet, IPv4 or IPv6, UDP or TCP, Teredo) in place into one reused
 * buffer with valid IPv4, UDP, TCP and inner checksums. Payload bytes come from one pseudo-random
 * block whose prefix word sums are precomputed, so a checksum over a 1,220-byte payload costs an
 * array read: the generator writes millions of frames in seconds, where the general synth
 * builders (which allocate several arrays per packet) are kept for the rarer control messages.
 */

export const ETHERNET_LENGTH = 14;
const IPV4_LENGTH = 20;
const IPV6_LENGTH = 40;
const UDP_LENGTH = 8;
const TCP_LENGTH = 20;
const ICMP_ECHO_LENGTH = 8;
export const UDP_PAYLOAD_OFFSET = ETHERNET_LENGTH + IPV4_LENGTH + UDP_LENGTH;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTOCOL_ICMP = 1;
const PROTOCOL_TCP = 6;
const PROTOCOL_UDP = 17;
const FLAG_DONT_FRAGMENT = 0x4000;
/** Largest payload any frame of the mix carries, plus headroom. */
const PAYLOAD_BLOCK_SIZE = 2048;
const MAX_FRAME = 4096;
const ROUTER_MAC = [0x00, 0x25, 0x90, 0x1c, 0x4e, 0x02];
const HOST_MAC = [0x00, 0x1b, 0x21, 0x3a, 0x7f, 0x10];

/** A UDP or TCP flow direction over IPv4. */
export interface Ipv4Ends {
  srcIp: number;
  srcPort: number;
  dstIp: number;
  dstPort: number;
}

/** The IPv6 packet inside a Teredo data packet (or a native IPv6 frame). */
export interface InnerSegment {
  src: Uint8Array;
  dst: Uint8Array;
  /** 6 (TCP) or 17 (UDP). */
  protocol: number;
  srcPort: number;
  dstPort: number;
  /** TCP only. */
  seq: number;
  ack: number;
  flags: number;
  hopLimit: number;
  flowLabel: number;
}

/** Static payload bytes with their prefix word sums. */
class PayloadBlock {
  readonly bytes: Uint8Array;
  /** sums[k] = wordSum(bytes, 0, k). */
  private readonly sums: Float64Array;

  constructor(prng: Prng) {
    this.bytes = prng.fill(new Uint8Array(PAYLOAD_BLOCK_SIZE));
    this.sums = new Float64Array(PAYLOAD_BLOCK_SIZE + 1);
    for (let k = 1; k <= PAYLOAD_BLOCK_SIZE; k++) {
      const odd = (k & 1) === 1;
      this.sums[k] = this.sums[k - 1] + (odd ? this.bytes[k - 1] << 8 : this.bytes[k - 1]);
    }
  }

  sum(length: number): number {
    return this.sums[length];
  }
}

export class FrameComposer {
  readonly frame = new Uint8Array(MAX_FRAME);
  private readonly block: PayloadBlock;
  private ipId: number;

  constructor(prng: Prng) {
    this.block = new PayloadBlock(prng);
    this.ipId = prng.int(65536);
  }

  /** The largest payload length the block can supply. */
  static get maxPayload(): number {
    return PAYLOAD_BLOCK_SIZE;
  }

  /** Ethernet / IPv4 / UDP around given payload bytes (Teredo control messages, DNS, NTP). */
  udpWithPayload(ends: Ipv4Ends, payload: Uint8Array, ttl: number): number {
    const frame = this.frame;
    frame.set(payload, UDP_PAYLOAD_OFFSET);
    const payloadSum = wordSum(frame, UDP_PAYLOAD_OFFSET, UDP_PAYLOAD_OFFSET + payload.length);
    return this.finishUdp(ends, payload.length, payloadSum, ttl);
  }

  /** Ethernet / IPv4 / UDP carrying `length` block bytes, the first one replaced by `firstByte` (QUIC-like). */
  udpWithBlock(ends: Ipv4Ends, length: number, firstByte: number, ttl: number): number {
    const frame = this.frame;
    frame.set(this.block.bytes.subarray(0, length), UDP_PAYLOAD_OFFSET);
    let sum = this.block.sum(length);
    if (length > 0) {
      sum += (firstByte - this.block.bytes[0]) * 256;
      frame[UDP_PAYLOAD_OFFSET] = firstByte;
    }
    return this.finishUdp(ends, length, sum, ttl);
  }

  /** A Teredo data packet: IPv6 with a TCP or UDP segment of `payloadLength` block bytes, in UDP/IPv4. */
  teredoData(ends: Ipv4Ends, inner: InnerSegment, payloadLength: number, ttl: number): number {
    const frame = this.frame;
    const ipv6At = UDP_PAYLOAD_OFFSET;
    const innerLength = this.writeIpv6Segment(ipv6At, inner, payloadLength);
    const l4At = ipv6At + IPV6_LENGTH;
    const headersSum = wordSum(frame, ipv6At, l4At + (innerLength - payloadLength));
    return this.finishUdp(ends, IPV6_LENGTH + innerLength, headersSum + this.block.sum(payloadLength), ttl);
  }

  /** Native IPv6 over Ethernet (dual-stack background traffic). */
  ipv6Native(inner: InnerSegment, payloadLength: number): number {
    const innerLength = this.writeIpv6Segment(ETHERNET_LENGTH, inner, payloadLength);
    this.writeEthernet(ETHERTYPE_IPV6);
    return ETHERNET_LENGTH + IPV6_LENGTH + innerLength;
  }

  /** Ethernet / IPv4 / TCP (no options) with `payloadLength` block bytes. */
  tcp4(ends: Ipv4Ends, seq: number, ack: number, flags: number, payloadLength: number, ttl: number): number {
    const frame = this.frame;
    const tcpAt = ETHERNET_LENGTH + IPV4_LENGTH;
    this.writeTcpHeader(tcpAt, ends.srcPort, ends.dstPort, seq, ack, flags);
    frame.set(this.block.bytes.subarray(0, payloadLength), tcpAt + TCP_LENGTH);
    const length = TCP_LENGTH + payloadLength;
    const sum = ipv4PseudoSum(ends.srcIp, ends.dstIp, PROTOCOL_TCP, length) + wordSum(frame, tcpAt, tcpAt + TCP_LENGTH) + this.block.sum(payloadLength);
    writeUint16(frame, tcpAt + 16, foldChecksum(sum));
    this.writeIpv4(PROTOCOL_TCP, ends.srcIp, ends.dstIp, IPV4_LENGTH + length, ttl, FLAG_DONT_FRAGMENT);
    this.writeEthernet(ETHERTYPE_IPV4);
    return ETHERNET_LENGTH + IPV4_LENGTH + length;
  }

  /** Ethernet / IPv4 / ICMP echo with `payloadLength` block bytes. */
  icmpEcho(srcIp: number, dstIp: number, request: boolean, identifier: number, sequence: number, payloadLength: number, ttl: number): number {
    const frame = this.frame;
    const at = ETHERNET_LENGTH + IPV4_LENGTH;
    frame[at] = request ? 8 : 0;
    frame[at + 1] = 0;
    writeUint16(frame, at + 2, 0);
    writeUint16(frame, at + 4, identifier);
    writeUint16(frame, at + 6, sequence);
    frame.set(this.block.bytes.subarray(0, payloadLength), at + ICMP_ECHO_LENGTH);
    writeUint16(frame, at + 2, foldChecksum(wordSum(frame, at, at + ICMP_ECHO_LENGTH) + this.block.sum(payloadLength)));
    const length = ICMP_ECHO_LENGTH + payloadLength;
    this.writeIpv4(PROTOCOL_ICMP, srcIp, dstIp, IPV4_LENGTH + length, ttl, 0);
    this.writeEthernet(ETHERTYPE_IPV4);
    return ETHERNET_LENGTH + IPV4_LENGTH + length;
  }

  /** A whole IPv4 packet already built elsewhere (fragments), behind an Ethernet header. */
  ipv4Packet(packet: Uint8Array): number {
    this.frame.set(packet, ETHERNET_LENGTH);
    this.writeEthernet(ETHERTYPE_IPV4);
    return ETHERNET_LENGTH + packet.length;
  }

  /** IPv6 header + TCP/UDP header + block payload at `at`; returns the IPv6 payload length. */
  private writeIpv6Segment(at: number, inner: InnerSegment, payloadLength: number): number {
    const frame = this.frame;
    const tcp = inner.protocol === PROTOCOL_TCP;
    const l4Length = (tcp ? TCP_LENGTH : UDP_LENGTH) + payloadLength;
    frame[at] = 0x60;
    frame[at + 1] = (inner.flowLabel >>> 16) & 0x0f;
    frame[at + 2] = (inner.flowLabel >>> 8) & 0xff;
    frame[at + 3] = inner.flowLabel & 0xff;
    writeUint16(frame, at + 4, l4Length);
    frame[at + 6] = inner.protocol;
    frame[at + 7] = inner.hopLimit;
    frame.set(inner.src, at + 8);
    frame.set(inner.dst, at + 24);
    const l4At = at + IPV6_LENGTH;
    const headerLength = l4Length - payloadLength;
    if (tcp) {
      this.writeTcpHeader(l4At, inner.srcPort, inner.dstPort, inner.seq, inner.ack, inner.flags);
    } else {
      writeUint16(frame, l4At, inner.srcPort);
      writeUint16(frame, l4At + 2, inner.dstPort);
      writeUint16(frame, l4At + 4, l4Length);
      writeUint16(frame, l4At + 6, 0);
    }
    frame.set(this.block.bytes.subarray(0, payloadLength), l4At + headerLength);
    const sum = ipv6PseudoSum(frame, at + 8, inner.protocol, l4Length) + wordSum(frame, l4At, l4At + headerLength) + this.block.sum(payloadLength);
    const checksum = foldChecksum(sum);
    writeUint16(frame, l4At + (tcp ? 16 : 6), !tcp && checksum === 0 ? 0xffff : checksum);
    return l4Length;
  }

  private writeTcpHeader(at: number, srcPort: number, dstPort: number, seq: number, ack: number, flags: number): void {
    const frame = this.frame;
    writeUint16(frame, at, srcPort);
    writeUint16(frame, at + 2, dstPort);
    writeUint32(frame, at + 4, seq);
    writeUint32(frame, at + 8, ack);
    frame[at + 12] = 5 << 4;
    frame[at + 13] = flags;
    writeUint16(frame, at + 14, 64240);
    writeUint16(frame, at + 16, 0);
    writeUint16(frame, at + 18, 0);
  }

  /** UDP header, checksum (over the payload sum given), IPv4 and Ethernet headers. */
  private finishUdp(ends: Ipv4Ends, payloadLength: number, payloadSum: number, ttl: number): number {
    const frame = this.frame;
    const udpAt = ETHERNET_LENGTH + IPV4_LENGTH;
    const length = UDP_LENGTH + payloadLength;
    writeUint16(frame, udpAt, ends.srcPort);
    writeUint16(frame, udpAt + 2, ends.dstPort);
    writeUint16(frame, udpAt + 4, length);
    writeUint16(frame, udpAt + 6, 0);
    const sum = ipv4PseudoSum(ends.srcIp, ends.dstIp, PROTOCOL_UDP, length) + wordSum(frame, udpAt, udpAt + UDP_LENGTH) + payloadSum;
    writeUint16(frame, udpAt + 6, foldChecksum(sum) || 0xffff);
    this.writeIpv4(PROTOCOL_UDP, ends.srcIp, ends.dstIp, IPV4_LENGTH + length, ttl, 0);
    this.writeEthernet(ETHERTYPE_IPV4);
    return ETHERNET_LENGTH + IPV4_LENGTH + length;
  }

  private writeIpv4(protocol: number, srcIp: number, dstIp: number, totalLength: number, ttl: number, flags: number): void {
    const frame = this.frame;
    const at = ETHERNET_LENGTH;
    this.ipId = (this.ipId + 1) & 0xffff;
    frame[at] = 0x45;
    frame[at + 1] = 0;
    writeUint16(frame, at + 2, totalLength);
    writeUint16(frame, at + 4, this.ipId);
    writeUint16(frame, at + 6, flags);
    frame[at + 8] = ttl;
    frame[at + 9] = protocol;
    writeUint16(frame, at + 10, 0);
    writeUint32(frame, at + 12, srcIp);
    writeUint32(frame, at + 16, dstIp);
    writeUint16(frame, at + 10, foldChecksum(wordSum(frame, at, at + IPV4_LENGTH)));
  }

  private writeEthernet(ethertype: number): void {
    this.frame.set(ROUTER_MAC, 0);
    this.frame.set(HOST_MAC, 6);
    writeUint16(this.frame, 12, ethertype);
  }
}

function writeUint16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 24) & 0xff;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
