import { formatIsoTime } from '../../capture/timestamp.js';
import { formatIpv4, formatIpv6 } from '../../decode/ip-address.js';
import type { TeredoPacket, Trailer } from '../../teredo/packet.js';
import { toHex } from './hex.js';

/**
 * The `dissect --json` object of one packet (one NDJSON line). Field names are a public contract:
 * extend, never rename. Byte fields are lowercase hex, IPv6 addresses RFC 5952 text.
 */
export function packetToJson(packet: TeredoPacket, file: string): Record<string, unknown> {
  const { outer, auth, origin, ipv6, icmp, data } = packet;
  return {
    file,
    frame: packet.frame,
    time: formatIsoTime(packet.time),
    outer: { src: formatIpv4(outer.srcIp), srcPort: outer.srcPort, dst: formatIpv4(outer.dstIp), dstPort: outer.dstPort },
    fragmentFrames: packet.fragmentFrames,
    detection: packet.detection,
    auth:
      auth === null
        ? null
        : {
            idLength: auth.idLength,
            authLength: auth.authLength,
            clientId: toHex(auth.clientId),
            authValue: toHex(auth.authValue),
            nonce: toHex(auth.nonce),
            confirmation: auth.confirmation,
          },
    origin: origin === null ? null : { address: formatIpv4(origin.address), port: origin.port },
    ipv6: {
      src: formatIpv6(ipv6.src),
      dst: formatIpv6(ipv6.dst),
      nextHeader: ipv6.nextHeader,
      payloadLength: ipv6.payloadLength,
      hopLimit: ipv6.hopLimit,
      trafficClass: ipv6.trafficClass,
      flowLabel: ipv6.flowLabel,
    },
    kind: packet.kind,
    icmp:
      icmp === null
        ? null
        : {
            type: icmp.type,
            code: icmp.code,
            echo: icmp.echo === null ? null : { identifier: icmp.echo.identifier, sequence: icmp.echo.sequence, data: toHex(icmp.echo.data) },
            routerAdvertisement:
              icmp.routerAdvertisement === null
                ? null
                : {
                    ...icmp.routerAdvertisement,
                    prefixes: icmp.routerAdvertisement.prefixes.map((p) => ({
                      prefix: `${formatIpv6(p.prefix)}/${p.prefixLength}`,
                      flags: p.flags,
                      validLifetime: p.validLifetime,
                      preferredLifetime: p.preferredLifetime,
                    })),
                  },
            target: icmp.target === null ? null : formatIpv6(icmp.target),
            sourceLinkLayer: icmp.sourceLinkLayer === null ? null : toHex(icmp.sourceLinkLayer),
          },
    data: data,
    trailers: packet.trailers.map(trailerToJson),
    anomalies: packet.anomalies,
  };
}

function trailerToJson(trailer: Trailer): Record<string, unknown> {
  switch (trailer.name) {
    case 'nonce':
      return { type: trailer.type, name: trailer.name, nonce: toHex(trailer.nonce) };
    case 'alternate-address':
      return { type: trailer.type, name: trailer.name, addresses: trailer.addresses.map((a) => ({ address: formatIpv4(a.address), port: a.port })) };
    case 'neighbor-discovery':
      return { type: trailer.type, name: trailer.name, discoveryType: trailer.discoveryType };
    case 'random-port':
      return { type: trailer.type, name: trailer.name, port: trailer.port };
    default:
      return { type: trailer.type, name: trailer.name, value: toHex(trailer.value) };
  }
}
