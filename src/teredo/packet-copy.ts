import { createIpv6Header } from './ipv6-header.js';
import type { TeredoPacket } from './packet.js';

/** The one packet a dissector overwrites for every Teredo datagram (see TeredoPacket). */
export function createReusablePacket(): TeredoPacket {
  return {
    frame: 0,
    time: { seconds: 0, nanos: 0, precision: 0 },
    outer: { srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 0 },
    fragmentFrames: [],
    auth: null,
    origin: null,
    ipv6: createIpv6Header(),
    kind: 'data',
    icmp: null,
    data: null,
    trailers: [],
    anomalies: [],
    detection: 'port-3544',
  };
}

/**
 * A packet the caller owns: copies the parts a reused packet rewrites in place and shares the
 * rest, which the assembler creates fresh for each packet and never changes afterwards.
 */
export function clonePacket(packet: TeredoPacket): TeredoPacket {
  const { time, outer, ipv6, data, origin } = packet;
  return {
    ...packet,
    origin: origin === null ? null : { address: origin.address, port: origin.port },
    time: { seconds: time.seconds, nanos: time.nanos, precision: time.precision },
    outer: { srcIp: outer.srcIp, srcPort: outer.srcPort, dstIp: outer.dstIp, dstPort: outer.dstPort },
    ipv6: { ...ipv6, src: ipv6.src.slice(), dst: ipv6.dst.slice() },
    data: data === null ? null : { protocol: data.protocol, srcPort: data.srcPort, dstPort: data.dstPort, length: data.length },
  };
}

/** A packet kept in a reused slot, with its own objects for the parts that may be null in the dissector's packet. */
export interface PacketSlot extends TeredoPacket {
  ownOrigin: NonNullable<TeredoPacket['origin']>;
  ownData: NonNullable<TeredoPacket['data']>;
}

export function createPacketSlot(): PacketSlot {
  // Grown from the packet, not spread from it: stores into a spread copy took 15× longer (846 ns a copyPacketInto against 55).
  const slot = createReusablePacket() as PacketSlot;
  slot.ownOrigin = { address: 0, port: 0 };
  slot.ownData = { protocol: 0, srcPort: 0, dstPort: 0, length: 0 };
  return slot;
}

/**
 * clonePacket without the allocation: the parts a reused packet rewrites in place are copied into
 * `slot`, the rest shared.
 */
export function copyPacketInto(slot: PacketSlot, packet: TeredoPacket): void {
  slot.frame = packet.frame;
  slot.time.seconds = packet.time.seconds;
  slot.time.nanos = packet.time.nanos;
  slot.time.precision = packet.time.precision;
  const outer = packet.outer;
  slot.outer.srcIp = outer.srcIp;
  slot.outer.srcPort = outer.srcPort;
  slot.outer.dstIp = outer.dstIp;
  slot.outer.dstPort = outer.dstPort;
  const from = packet.ipv6;
  const to = slot.ipv6;
  to.trafficClass = from.trafficClass;
  to.flowLabel = from.flowLabel;
  to.payloadLength = from.payloadLength;
  to.nextHeader = from.nextHeader;
  to.hopLimit = from.hopLimit;
  to.src.set(from.src);
  to.dst.set(from.dst);
  const origin = packet.origin;
  if (origin === null) slot.origin = null;
  else {
    slot.ownOrigin.address = origin.address;
    slot.ownOrigin.port = origin.port;
    slot.origin = slot.ownOrigin;
  }
  const data = packet.data;
  if (data === null) slot.data = null;
  else {
    slot.ownData.protocol = data.protocol;
    slot.ownData.srcPort = data.srcPort;
    slot.ownData.dstPort = data.dstPort;
    slot.ownData.length = data.length;
    slot.data = slot.ownData;
  }
  // Created fresh per packet by the dissector and never changed afterwards: shared, like clonePacket.
  slot.fragmentFrames = packet.fragmentFrames;
  slot.auth = packet.auth;
  slot.kind = packet.kind;
  slot.icmp = packet.icmp;
  slot.trailers = packet.trailers;
  slot.anomalies = packet.anomalies;
  slot.detection = packet.detection;
}

/**
 * Whether the packet carries any of the parts only some packets have (auth, ICMPv6, trailers,
 * anomalies, fragment frames): the packets that fast paths (packet batches, the NDJSON template)
 * leave to the general one.
 */
export function hasRareParts(packet: TeredoPacket): boolean {
  return (
    packet.auth !== null ||
    packet.icmp !== null ||
    packet.trailers.length !== 0 ||
    packet.anomalies.length !== 0 ||
    packet.fragmentFrames.length !== 0
  );
}
