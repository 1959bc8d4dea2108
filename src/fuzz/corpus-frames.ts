import { parseIpv4, parseIpv6 } from '../decode/ip-address.js';
import { encodeTeredoAddress } from '../teredo/teredo-address.js';
import { buildGtpU, buildIpv4Udp, encapsulate, fragmentIpv4, type LinkEncapsulation } from '../synth/frame-builder.js';
import { bubble, echo, ipv6Data, routerAdvertisement, routerSolicitation } from '../synth/teredo-payload.js';
import { alternateAddressTrailer, nonceTrailer, randomPortTrailer, teredoTrailers } from '../synth/teredo-trailers.js';

/** One frame of a seed capture. */
export interface SeedFrame {
  linkType: number;
  data: Uint8Array;
}

const CLIENT = parseIpv4('192.0.2.16')!;
const SERVER = parseIpv4('198.51.100.80')!;
const SERVER_2 = parseIpv4('198.51.100.81')!;
const RELAY = parseIpv4('203.0.113.38')!;
const MAPPED = parseIpv4('203.0.113.7')!;
const NATIVE = parseIpv6('2001:db8::68')!;
const RELAY_LINK_LOCAL = parseIpv6('fe80::708d:fe83:4114:a512')!;
const NONCE = Uint8Array.of(0xcd, 0x56, 0x69, 0x40, 0x0b, 0x22, 0xdf, 0x88);

/**
 * Teredo traffic that the real fixtures lack, so that mutations start from every layer the
 * decoder and the dissector understand: fragmented datagrams, GTP-U, VLAN tags, RFC 6081
 * trailers, relay traffic on learned ports, and the other link types.
 */
export function featureFrames(): SeedFrame[] {
  const teredoAddress = encodeTeredoAddress({ server: SERVER, cone: true, mappedIp: MAPPED, mappedPort: 40000 });
  const rs = routerSolicitation({ cone: true, auth: { nonce: NONCE } });
  const ra = routerAdvertisement({
    src: parseIpv6('fe80::8000:f227:39cc:9baf')!,
    dst: parseIpv6('fe80::8000:ffff:ffff:fffd')!,
    prefix: Uint8Array.of(0x20, 0x01, 0, 0, 0xc6, 0x33, 0x64, 0x50),
    mtu: 1280,
    auth: { nonce: NONCE },
    origin: { address: MAPPED, port: 40000 },
    trailers: teredoTrailers(nonceTrailer(Uint8Array.of(1, 2, 3, 4)), alternateAddressTrailer([{ address: CLIENT, port: 40001 }])),
  });
  const bigEcho = echo({ request: true, src: teredoAddress, dst: NATIVE, identifier: 1, sequence: 2, data: patterned(2600) });
  const relayBubble = bubble({ src: RELAY_LINK_LOCAL, dst: teredoAddress, origin: { address: RELAY, port: 32900 } });
  const data = ipv6Data({ src: NATIVE, dst: teredoAddress, protocol: 6, srcPort: 80, dstPort: 50000, payload: patterned(300) });
  const withTrailer = bubble({ src: teredoAddress, dst: NATIVE, trailers: randomPortTrailer(40002) });

  const udp = (srcIp: number, srcPort: number, dstIp: number, dstPort: number, payload: Uint8Array, id = 0): Uint8Array =>
    buildIpv4Udp({ srcIp, dstIp, srcPort, dstPort, payload, id });
  const frames: SeedFrame[] = [];
  const add = (packet: Uint8Array, link: LinkEncapsulation = { linkType: 1 }): void => {
    frames.push({ linkType: link.linkType, data: encapsulate(packet, link) });
  };

  add(udp(CLIENT, 40000, SERVER, 3544, rs));
  add(udp(SERVER_2, 3544, CLIENT, 40000, ra));
  for (const fragment of fragmentIpv4(udp(CLIENT, 40000, SERVER, 3544, bigEcho, 0x4242), 1200)) add(fragment);
  add(udp(SERVER, 3544, CLIENT, 40000, relayBubble), { linkType: 1, vlanTags: [{ tpid: 0x8100, id: 10 }] });
  add(udp(RELAY, 32900, CLIENT, 40000, data), { linkType: 1, vlanTags: [{ tpid: 0x88a8, id: 1 }, { tpid: 0x8100, id: 2 }] });
  add(udp(CLIENT, 40000, RELAY, 32900, withTrailer), { linkType: 113 });
  add(udp(CLIENT, 40000, SERVER, 3544, rs), { linkType: 276 });
  add(udp(SERVER_2, 3544, CLIENT, 40000, ra), { linkType: 101 });
  add(udp(CLIENT, 40000, SERVER, 3544, rs), { linkType: 0 });
  add(udp(CLIENT, 40000, SERVER, 3544, rs), { linkType: 108 });
  add(udp(CLIENT, 40000, SERVER, 3544, rs), { linkType: 228 });
  // Teredo inside GTP-U, itself fragmented on the outer IPv4 layer.
  const tunnelled = udp(CLIENT, 40000, SERVER, 3544, bigEcho, 0x77);
  const gtp = udp(parseIpv4('10.0.0.1')!, 2152, parseIpv4('10.0.0.2')!, 2152, buildGtpU(tunnelled, 0x1234, { sequence: 9 }), 0x99);
  for (const fragment of fragmentIpv4(gtp, 1480)) add(fragment);
  // Non-Teredo traffic the dissector must pass over.
  add(udp(parseIpv4('10.1.1.1')!, 53, parseIpv4('10.1.1.2')!, 5353, patterned(40)));
  return frames;
}

/** Deterministic filler bytes. */
export function patterned(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}
