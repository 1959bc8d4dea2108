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
