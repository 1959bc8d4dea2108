import { formatIsoTime } from '../../capture/timestamp.js';
import { formatIpv4, formatIpv6 } from '../../decode/ip-address.js';
import type { TeredoPacket, Trailer } from '../../teredo/packet.js';
import { toHex } from './hex.js';

const PROTOCOL_NAMES: Record<number, string> = { 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };

export function protocolName(protocol: number): string {
  return PROTOCOL_NAMES[protocol] ?? `protocol ${protocol}`;
}

/** One `dissect` line: frame, time, outer endpoints, Teredo headers, inner addresses, classification. */
export function packetSummaryLine(packet: TeredoPacket): string {
  const { outer, auth, origin, ipv6 } = packet;
  const parts = [
    String(packet.frame),
    formatIsoTime(packet.time),
    `${formatIpv4(outer.srcIp)}:${outer.srcPort} > ${formatIpv4(outer.dstIp)}:${outer.dstPort}`,
  ];
  if (auth !== null) parts.push(`auth nonce=${toHex(auth.nonce)}${auth.confirmation !== 0 ? ` conf=${auth.confirmation}` : ''}`);
  if (origin !== null) parts.push(`origin=${formatIpv4(origin.address)}:${origin.port}`);
  parts.push(`${formatIpv6(ipv6.src)} > ${formatIpv6(ipv6.dst)}`);
  parts.push(kindDetail(packet));
  if (packet.trailers.length > 0) parts.push(`trailers[${packet.trailers.map(trailerText).join(' ')}]`);
  for (const anomaly of packet.anomalies) parts.push(`!${anomaly.kind}`);
  return parts.join('  ');
}

export function kindDetail(packet: TeredoPacket): string {
  const { icmp, data } = packet;
  switch (packet.kind) {
    case 'router-solicitation':
      return `router-solicitation${(packet.ipv6.src[8] & 0x80) !== 0 ? ' (cone flag)' : ''}`;
    case 'router-advertisement': {
      const ra = icmp?.routerAdvertisement;
      if (ra === null || ra === undefined) return 'router-advertisement';
      const prefixes = ra.prefixes.map((p) => `${formatIpv6(p.prefix)}/${p.prefixLength}`).join(',');
      return `router-advertisement prefix=${prefixes || 'none'}${ra.mtu !== null ? ` mtu=${ra.mtu}` : ''}`;
    }
    case 'echo-request':
    case 'echo-reply':
      return icmp?.echo ? `${packet.kind} id=0x${icmp.echo.identifier.toString(16).padStart(4, '0')} seq=${icmp.echo.sequence}` : packet.kind;
    case 'neighbor-solicitation':
    case 'neighbor-advertisement':
      return icmp?.target ? `${packet.kind} target=${formatIpv6(icmp.target)}` : packet.kind;
    case 'bubble':
      return 'bubble';
    case 'data': {
      if (data === null) return 'data';
      if (data.protocol === 58 && icmp !== null) return `data ICMPv6 type=${icmp.type} code=${icmp.code}`;
      const ports = data.srcPort !== null && data.dstPort !== null ? ` ${data.srcPort} > ${data.dstPort}` : '';
      return `data ${protocolName(data.protocol)}${ports} len=${data.length}`;
    }
  }
}

export function trailerText(trailer: Trailer): string {
  switch (trailer.name) {
    case 'nonce':
      return `nonce=${toHex(trailer.nonce)}`;
    case 'alternate-address':
      return `alternate=${trailer.addresses.map((a) => `${formatIpv4(a.address)}:${a.port}`).join(',')}`;
    case 'neighbor-discovery':
      return `nd=${trailer.discoveryType === 0 ? 'solicitation' : trailer.discoveryType === 1 ? 'advertisement' : trailer.discoveryType}`;
    case 'random-port':
      return `random-port=${trailer.port}`;
    default:
      return `type${trailer.type}=${toHex(trailer.value)}`;
  }
}
