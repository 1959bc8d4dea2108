import { formatIsoTime } from '../../capture/timestamp.js';
import { formatIpv4, formatIpv6 } from '../../decode/ip-address.js';
import { hasRareParts } from '../../teredo/packet-copy.js';
import type { TeredoPacket } from '../../teredo/packet.js';
import { packetToJson } from './packet-json.js';

/**
 * One `dissect --json` line: exactly `JSON.stringify(packetToJson(packet, file))`. Bubbles and data
 * packets without auth, ICMPv6, trailers, anomalies or fragments (nearly all of a capture) are
 * written straight from a template, since building the object and stringifying it cost several
 * times the dissection; every other packet takes the general path. `fileJson` is
 * `JSON.stringify(file)`, computed once per file. Every string the template inserts unescaped
 * (addresses, times, enum values) holds only characters JSON leaves as they are.
 */
export function packetJsonLine(packet: TeredoPacket, file: string, fileJson: string): string {
  const { outer, origin, ipv6, data } = packet;
  if (hasRareParts(packet) || (packet.kind !== 'data' && packet.kind !== 'bubble')) {
    return JSON.stringify(packetToJson(packet, file));
  }
  const originJson = origin === null ? 'null' : `{"address":"${formatIpv4(origin.address)}","port":${origin.port}}`;
  const dataJson = data === null ? 'null' : `{"protocol":${data.protocol},"srcPort":${data.srcPort},"dstPort":${data.dstPort},"length":${data.length}}`;
  return (
    `{"file":${fileJson},"frame":${packet.frame},"time":"${formatIsoTime(packet.time)}",` +
    `"outer":{"src":"${formatIpv4(outer.srcIp)}","srcPort":${outer.srcPort},"dst":"${formatIpv4(outer.dstIp)}","dstPort":${outer.dstPort}},` +
    `"fragmentFrames":[],"detection":"${packet.detection}","auth":null,"origin":${originJson},` +
    `"ipv6":{"src":"${formatIpv6(ipv6.src)}","dst":"${formatIpv6(ipv6.dst)}","nextHeader":${ipv6.nextHeader},"payloadLength":${ipv6.payloadLength},` +
    `"hopLimit":${ipv6.hopLimit},"trafficClass":${ipv6.trafficClass},"flowLabel":${ipv6.flowLabel}},` +
    `"kind":"${packet.kind}","icmp":null,"data":${dataJson},"trailers":[],"anomalies":[]}`
  );
}
