import { parseIpv4, parseIpv6 } from '../../../src/decode/ip-address.js';
import type { Anomaly, TeredoKind, TeredoPacket } from '../../../src/teredo/packet.js';
import { encodeTeredoAddress } from '../../../src/teredo/teredo-address.js';

/** Builds TeredoPacket objects directly (no bytes), for unit tests of the analysis stage. */

export function ip4(text: string): number {
  const value = parseIpv4(text);
  if (value === null) throw new Error(`bad IPv4 ${text}`);
  return value;
}

export function ip6(text: string): Uint8Array {
  const value = parseIpv6(text);
  if (value === null) throw new Error(`bad IPv6 ${text}`);
  return value;
}

function socket(text: string): { ip: number; port: number } {
  const [address, port] = text.split(':');
  return { ip: ip4(address), port: Number(port) };
}

/** Teredo address text for a server and mapped socket, e.g. teredo('65.55.158.80', '70.55.215.234:3797'). */
export function teredo(server: string, mapped: string, cone = false): Uint8Array {
  const m = socket(mapped);
  return encodeTeredoAddress({ server: ip4(server), mappedIp: m.ip, mappedPort: m.port, cone });
}

export interface PacketSpec {
  frame: number;
  /** Seconds (fractional) since an arbitrary epoch. */
  t: number;
  from: string;
  to: string;
  kind: TeredoKind;
  src: Uint8Array | string;
  dst: Uint8Array | string;
  nonce?: string;
  origin?: string;
  /** RA prefix (PIO). */
  prefix?: string;
  anomalies?: Anomaly[];
}

export function packet(spec: PacketSpec): TeredoPacket {
  const from = socket(spec.from);
  const to = socket(spec.to);
  const nonce = spec.nonce === undefined ? null : Uint8Array.from(spec.nonce.match(/../g)!.map((h) => parseInt(h, 16)));
  const origin = spec.origin === undefined ? null : socket(spec.origin);
  const seconds = Math.floor(spec.t);
  const isIcmp = spec.kind !== 'bubble' && spec.kind !== 'data';
  return {
    frame: spec.frame,
    time: { seconds: 1_000_000 + seconds, nanos: Math.round((spec.t - seconds) * 1e9), precision: 6 },
    outer: { srcIp: from.ip, srcPort: from.port, dstIp: to.ip, dstPort: to.port },
    fragmentFrames: [],
    auth: nonce === null ? null : { idLength: 0, authLength: 0, clientId: new Uint8Array(0), authValue: new Uint8Array(0), nonce, confirmation: 0 },
    origin: origin === null ? null : { address: origin.ip, port: origin.port },
    ipv6: {
      trafficClass: 0,
      flowLabel: 0,
      payloadLength: 0,
      nextHeader: spec.kind === 'bubble' ? 59 : spec.kind === 'data' ? 6 : 58,
      hopLimit: 255,
      src: typeof spec.src === 'string' ? ip6(spec.src) : spec.src,
      dst: typeof spec.dst === 'string' ? ip6(spec.dst) : spec.dst,
    },
    kind: spec.kind,
    icmp: isIcmp
      ? {
          type: 0,
          code: 0,
          checksum: 0,
          echo: null,
          routerAdvertisement:
            spec.kind === 'router-advertisement'
              ? {
                  curHopLimit: 0,
                  flags: 0,
                  routerLifetime: 0,
                  reachableTime: 0,
                  retransTimer: 2000,
                  mtu: null,
                  prefixes: spec.prefix === undefined ? [] : [{ prefixLength: 64, flags: 0x40, validLifetime: 0xffffffff, preferredLifetime: 0xffffffff, prefix: ip6(spec.prefix) }],
                }
              : null,
          target: null,
          sourceLinkLayer: null,
        }
      : null,
    data: spec.kind === 'data' ? { protocol: 6, srcPort: 1286, dstPort: 80, length: 0 } : null,
    trailers: [],
    anomalies: spec.anomalies ?? [],
    detection: 'port-3544',
  };
}

const CONE_RS_SOURCE = 'fe80::8000:ffff:ffff:fffd';
const PLAIN_RS_SOURCE = 'fe80::ffff:ffff:fffe';

/** Router Solicitation from a client socket to a server address. */
export function rs(frame: number, t: number, from: string, server: string, nonce: string, cone = false): TeredoPacket {
  return packet({ frame, t, from, to: `${server}:3544`, kind: 'router-solicitation', src: cone ? CONE_RS_SOURCE : PLAIN_RS_SOURCE, dst: 'ff02::2', nonce });
}

/** Router Advertisement from a server address (prefix names the primary) with the mapping as origin indication. */
export function ra(frame: number, t: number, server: string, to: string, nonce: string, mapped: string, primary = server, cone = false): TeredoPacket {
  const primaryBytes = ip4(primary);
  const prefix = `2001:0:${(primaryBytes >>> 16).toString(16)}:${(primaryBytes & 0xffff).toString(16)}::`;
  return packet({
    frame,
    t,
    from: `${server}:3544`,
    to,
    kind: 'router-advertisement',
    src: 'fe80::8000:f227:bec8:61af',
    dst: cone ? CONE_RS_SOURCE : PLAIN_RS_SOURCE,
    nonce,
    origin: mapped,
    prefix,
  });
}
