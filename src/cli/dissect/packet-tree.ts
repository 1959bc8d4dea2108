import { formatIsoTime } from '../../capture/timestamp.js';
import { formatIpv4, formatIpv6 } from '../../decode/ip-address.js';
import { classifyTeredoLinkLocal, decodeTeredoAddress } from '../../teredo/teredo-address.js';
import type { TeredoPacket } from '../../teredo/packet.js';
import { toHex } from './hex.js';
import { kindDetail, protocolName, trailerText } from './packet-summary.js';

/** The `dissect --verbose` field tree of one packet, indented two spaces a level, like `tshark -V`. */
export function packetTree(packet: TeredoPacket): string[] {
  const { outer, auth, origin, ipv6, icmp, data } = packet;
  const lines: string[] = [];
  const add = (depth: number, text: string): void => {
    lines.push('  '.repeat(depth) + text);
  };

  add(0, `Frame ${packet.frame}: ${formatIsoTime(packet.time)}  ${kindDetail(packet)}`);
  add(1, `UDP/IPv4: ${formatIpv4(outer.srcIp)}:${outer.srcPort} > ${formatIpv4(outer.dstIp)}:${outer.dstPort}`);
  if (packet.fragmentFrames.length > 0) add(1, `Reassembled from IPv4 fragments in frames ${packet.fragmentFrames.join(', ')}`);
  add(1, `Detected by: ${packet.detection}`);
  if (auth !== null) {
    add(1, 'Teredo Authentication header');
    add(2, `Client identifier length: ${auth.idLength}`);
    add(2, `Authentication value length: ${auth.authLength}`);
    if (auth.idLength > 0) add(2, `Client identifier: ${toHex(auth.clientId)}`);
    if (auth.authLength > 0) add(2, `Authentication value: ${toHex(auth.authValue)}`);
    add(2, `Nonce: ${toHex(auth.nonce)}`);
    add(2, `Confirmation byte: ${auth.confirmation}${auth.confirmation !== 0 ? ' (server asks the client to renew its key)' : ''}`);
  }
  if (origin !== null) {
    add(1, 'Teredo Origin Indication');
    add(2, `Origin port: ${origin.port}`);
    add(2, `Origin IPv4: ${formatIpv4(origin.address)}`);
  }
  add(1, 'IPv6');
  add(2, `Source: ${formatIpv6(ipv6.src)}${addressNote(ipv6.src)}`);
  add(2, `Destination: ${formatIpv6(ipv6.dst)}${addressNote(ipv6.dst)}`);
  add(2, `Next header: ${ipv6.nextHeader} (${ipv6.nextHeader === 59 ? 'no next header' : protocolName(ipv6.nextHeader)})`);
  add(2, `Payload length: ${ipv6.payloadLength}`);
  add(2, `Hop limit: ${ipv6.hopLimit}`);
  if (ipv6.trafficClass !== 0 || ipv6.flowLabel !== 0) add(2, `Traffic class: 0x${ipv6.trafficClass.toString(16)}, flow label: 0x${ipv6.flowLabel.toString(16)}`);

  if (icmp !== null) {
    add(1, `ICMPv6 type ${icmp.type} code ${icmp.code} (${packet.kind})`);
    if (icmp.echo !== null) add(2, `Identifier 0x${icmp.echo.identifier.toString(16)}, sequence ${icmp.echo.sequence}, data ${toHex(icmp.echo.data) || '(none)'}`);
    if (icmp.target !== null) add(2, `Target: ${formatIpv6(icmp.target)}`);
    if (icmp.sourceLinkLayer !== null) add(2, `Source link-layer option: ${toHex(icmp.sourceLinkLayer)}`);
    const ra = icmp.routerAdvertisement;
    if (ra !== null) {
      add(2, `Cur hop limit ${ra.curHopLimit}, flags 0x${ra.flags.toString(16)}, router lifetime ${ra.routerLifetime} s, reachable ${ra.reachableTime} ms, retrans ${ra.retransTimer} ms`);
      for (const p of ra.prefixes) {
        add(2, `Prefix: ${formatIpv6(p.prefix)}/${p.prefixLength}${prefixNote(p.prefix)} (flags 0x${p.flags.toString(16)}, valid ${p.validLifetime}, preferred ${p.preferredLifetime})`);
      }
      if (ra.mtu !== null) add(2, `MTU: ${ra.mtu}`);
    }
  }
  if (data !== null && packet.kind === 'data' && data.protocol !== 58) {
    const ports = data.srcPort !== null && data.dstPort !== null ? `, ports ${data.srcPort} > ${data.dstPort}` : '';
    add(1, `${protocolName(data.protocol)}${ports}, ${data.length} bytes`);
  }
  if (packet.trailers.length > 0) {
    add(1, 'RFC 6081 trailers');
    for (const trailer of packet.trailers) add(2, trailerText(trailer));
  }
  for (const anomaly of packet.anomalies) add(1, `Anomaly ${anomaly.kind}: ${anomaly.message}`);
  return lines;
}

function addressNote(bytes: Uint8Array): string {
  const teredo = decodeTeredoAddress(bytes);
  if (teredo !== null) {
    const cone = teredo.cone ? ', cone' : '';
    return ` (Teredo: server ${formatIpv4(teredo.server)}, flags 0x${teredo.flags.toString(16).padStart(4, '0')}${cone}, mapped ${formatIpv4(teredo.mappedIp)}:${teredo.mappedPort})`;
  }
  const linkLocal = classifyTeredoLinkLocal(bytes);
  return linkLocal === null ? '' : ` (${linkLocal.description})`;
}

function prefixNote(prefix: Uint8Array): string {
  const teredo = decodeTeredoAddress(prefix);
  return teredo === null ? '' : ` (Teredo prefix, server ${formatIpv4(teredo.server)})`;
}
