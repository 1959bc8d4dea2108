import { parseIpv6 } from '../decode/ip-address.js';
import { NEXT_HEADER_ICMPV6, NEXT_HEADER_NONE } from '../teredo/constants.js';
import { checksumOffsetOf, concatBytes, ipv6Packet, tcpSegment, udpSegment, type ExtensionHeaderSpec } from './teredo-ipv6.js';

/**
 * Builders for Teredo UDP payloads (what goes after the outer UDP header): the optional
 * authentication element and origin indication of RFC 4380 §5.1.1, the IPv6 packet, and optional
 * RFC 6081 trailers (see teredo-trailers.ts). ICMPv6, TCP and UDP checksums are valid.
 * Builders throw RangeError on arguments they cannot encode; to craft malformed payloads, build a
 * valid one and edit its bytes.
 */

/** Elements around the IPv6 packet. */
export interface TeredoEnvelope {
  /** Authentication element: nonce is 8 bytes; client id and auth value default to empty, confirmation to 0. */
  auth?: { nonce: Uint8Array; clientId?: Uint8Array; authValue?: Uint8Array; confirmation?: number };
  /** Origin indication (written obfuscated). */
  origin?: { address: number; port: number };
  /** Raw bytes appended after the IPv6 packet (RFC 6081 trailers, or garbage for negative tests). */
  trailers?: Uint8Array;
}

/** Fields of the inner IPv6 header every builder accepts. */
export interface InnerHeaderOptions {
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
}

const ALL_ROUTERS = parseIpv6('ff02::2')!;
const WINDOWS_CONE_RS_SOURCE = parseIpv6('fe80::8000:ffff:ffff:fffd')!;
const WINDOWS_RS_SOURCE = parseIpv6('fe80::ffff:ffff:fffe')!;

/** 00 01 | ID-len | AU-len | client id | auth value | nonce (8) | confirmation. */
export function authenticationElement(auth: NonNullable<TeredoEnvelope['auth']>): Uint8Array {
  const clientId = auth.clientId ?? new Uint8Array(0);
  const authValue = auth.authValue ?? new Uint8Array(0);
  if (auth.nonce.length !== 8) throw new RangeError(`nonce must be 8 bytes, got ${auth.nonce.length}`);
  if (clientId.length > 255 || authValue.length > 255) throw new RangeError('client id and auth value are at most 255 bytes');
  const confirmation = auth.confirmation ?? 0;
  if (!Number.isInteger(confirmation) || confirmation < 0 || confirmation > 255) throw new RangeError(`confirmation ${confirmation} is not a byte`);
  return concatBytes(Uint8Array.of(0x00, 0x01, clientId.length, authValue.length), clientId, authValue, auth.nonce, Uint8Array.of(confirmation));
}

/** 00 00 | ~port | ~IPv4. */
export function originIndicationElement(origin: NonNullable<TeredoEnvelope['origin']>): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(2, (origin.port ^ 0xffff) & 0xffff);
  view.setUint32(4, (origin.address ^ 0xffffffff) >>> 0);
  return out;
}

/** Wraps an IPv6 packet in the envelope: [auth] [origin] ipv6 [trailers]. */
export function teredoPayload(ipv6: Uint8Array, envelope: TeredoEnvelope = {}): Uint8Array {
  return concatBytes(
    envelope.auth ? authenticationElement(envelope.auth) : new Uint8Array(0),
    envelope.origin ? originIndicationElement(envelope.origin) : new Uint8Array(0),
    ipv6,
    envelope.trailers ?? new Uint8Array(0),
  );
}

/** Any ICMPv6 message: type, code, checksum, then `body`. Hop limit defaults to 255 (ND). */
export function icmpv6Message(
  opts: { src: Uint8Array; dst: Uint8Array; type: number; code?: number; body?: Uint8Array } & InnerHeaderOptions & TeredoEnvelope,
): Uint8Array {
  const message = concatBytes(Uint8Array.of(opts.type, opts.code ?? 0, 0, 0), opts.body ?? new Uint8Array(0));
  const ipv6 = ipv6Packet({ ...opts, hopLimit: opts.hopLimit ?? 255, protocol: NEXT_HEADER_ICMPV6, payload: message, checksumOffset: 2 });
  return teredoPayload(ipv6, opts);
}

/** An ND option (RFC 4861 §4.6): value zero-padded so that the option is a multiple of 8 bytes. */
export function ndOption(type: number, value: Uint8Array): Uint8Array {
  const length = Math.ceil((value.length + 2) / 8) * 8;
  if (length > 255 * 8) throw new RangeError(`ND option value of ${value.length} bytes is too long`);
  const option = new Uint8Array(length);
  option[0] = type;
  option[1] = length / 8;
  option.set(value, 2);
  return option;
}

/**
 * Router Solicitation to ff02::2. `src` defaults to the Windows link-local for `cone`
 * (default true: fe80::8000:ffff:ffff:fffd; false: fe80::ffff:ffff:fffe).
 * `sourceLinkLayer` becomes option 1 (padded to 8-byte units).
 */
export function routerSolicitation(
  opts: { src?: Uint8Array; dst?: Uint8Array; cone?: boolean; sourceLinkLayer?: Uint8Array } & InnerHeaderOptions & TeredoEnvelope,
): Uint8Array {
  const src = opts.src ?? (opts.cone === false ? WINDOWS_RS_SOURCE : WINDOWS_CONE_RS_SOURCE);
  const options = opts.sourceLinkLayer ? ndOption(1, opts.sourceLinkLayer) : new Uint8Array(0);
  return icmpv6Message({ ...opts, src, dst: opts.dst ?? ALL_ROUTERS, type: 133, body: concatBytes(new Uint8Array(4), options) });
}

export interface RouterAdvertisementOptions {
  src: Uint8Array;
  dst: Uint8Array;
  /** Prefix of the single Prefix Information option: 8 bytes (a /64, zero-filled) or 16. */
  prefix: Uint8Array;
  /** Adds an MTU option (Miredo does, Microsoft does not). */
  mtu?: number;
  /** RA fields; defaults are what Microsoft servers send: 0, 0, 0, 0, 2000 ms. */
  curHopLimit?: number;
  flags?: number;
  routerLifetime?: number;
  reachableTime?: number;
  retransTimer?: number;
  /** PIO fields; defaults 64, 0x40 (autonomous), 0xffffffff, 0xffffffff. */
  prefixLength?: number;
  prefixFlags?: number;
  validLifetime?: number;
  preferredLifetime?: number;
  /** Raw options appended after the PIO and MTU options. */
  extraOptions?: Uint8Array;
}

/** Router Advertisement with one Prefix Information option (RFC 4380 §5.3.2). */
export function routerAdvertisement(opts: RouterAdvertisementOptions & InnerHeaderOptions & TeredoEnvelope): Uint8Array {
  if (opts.prefix.length !== 8 && opts.prefix.length !== 16) throw new RangeError(`prefix must be 8 or 16 bytes, got ${opts.prefix.length}`);
  const fixed = new Uint8Array(12);
  const view = new DataView(fixed.buffer);
  fixed[0] = opts.curHopLimit ?? 0;
  fixed[1] = opts.flags ?? 0;
  view.setUint16(2, opts.routerLifetime ?? 0);
  view.setUint32(4, opts.reachableTime ?? 0);
  view.setUint32(8, opts.retransTimer ?? 2000);

  const pio = new Uint8Array(32);
  const pioView = new DataView(pio.buffer);
  pio[0] = 3;
  pio[1] = 4;
  pio[2] = opts.prefixLength ?? 64;
  pio[3] = opts.prefixFlags ?? 0x40;
  pioView.setUint32(4, opts.validLifetime ?? 0xffffffff);
  pioView.setUint32(8, opts.preferredLifetime ?? 0xffffffff);
  pio.set(opts.prefix, 16);

  let mtu = new Uint8Array(0);
  if (opts.mtu !== undefined) {
    mtu = new Uint8Array(8);
    mtu[0] = 5;
    mtu[1] = 1;
    new DataView(mtu.buffer).setUint32(4, opts.mtu >>> 0);
  }
  const body = concatBytes(fixed, pio, mtu, opts.extraOptions ?? new Uint8Array(0));
  return icmpv6Message({ ...opts, type: 134, body });
}

/** Neighbor Solicitation (135) or Advertisement (136) for `target`, with an optional link-layer option (1 for NS, 2 for NA). */
export function neighborMessage(
  opts: { advertisement: boolean; src: Uint8Array; dst: Uint8Array; target: Uint8Array; flags?: number; linkLayer?: Uint8Array } & InnerHeaderOptions &
    TeredoEnvelope,
): Uint8Array {
  if (opts.target.length !== 16) throw new RangeError(`target must be 16 bytes, got ${opts.target.length}`);
  const reserved = new Uint8Array(4);
  reserved[0] = opts.advertisement ? (opts.flags ?? 0) : 0;
  const options = opts.linkLayer ? ndOption(opts.advertisement ? 2 : 1, opts.linkLayer) : new Uint8Array(0);
  return icmpv6Message({ ...opts, type: opts.advertisement ? 136 : 135, body: concatBytes(reserved, opts.target, options) });
}

/** Bubble (RFC 4380 §2.8): IPv6 header only, Next Header 59, Payload Length 0; hop limit default 21 (Windows). */
export function bubble(opts: { src: Uint8Array; dst: Uint8Array } & InnerHeaderOptions & TeredoEnvelope): Uint8Array {
  return teredoPayload(ipv6Packet({ ...opts, hopLimit: opts.hopLimit ?? 21, protocol: NEXT_HEADER_NONE }), opts);
}

/** ICMPv6 echo request (128) or reply (129); hop limit default 21 (Windows connectivity test). */
export function echo(
  opts: { request: boolean; src: Uint8Array; dst: Uint8Array; identifier: number; sequence: number; data?: Uint8Array } & InnerHeaderOptions &
    TeredoEnvelope,
): Uint8Array {
  const head = new Uint8Array(4);
  const view = new DataView(head.buffer);
  view.setUint16(0, opts.identifier & 0xffff);
  view.setUint16(2, opts.sequence & 0xffff);
  return icmpv6Message({
    ...opts,
    hopLimit: opts.hopLimit ?? 21,
    type: opts.request ? 128 : 129,
    body: concatBytes(head, opts.data ?? new Uint8Array(0)),
  });
}

/**
 * A data packet: for TCP (6) and UDP (17) a header with the given ports (default 1024 → 80) is
 * built around `payload` with a valid checksum; for any other protocol `payload` is carried as is.
 */
export function ipv6Data(
  opts: {
    src: Uint8Array;
    dst: Uint8Array;
    protocol: number;
    srcPort?: number;
    dstPort?: number;
    payload?: Uint8Array;
    extensionHeaders?: readonly ExtensionHeaderSpec[];
  } & InnerHeaderOptions &
    TeredoEnvelope,
): Uint8Array {
  const srcPort = opts.srcPort ?? 1024;
  const dstPort = opts.dstPort ?? 80;
  const raw = opts.payload ?? new Uint8Array(0);
  let segment = raw;
  if (opts.protocol === 6) segment = tcpSegment(srcPort, dstPort, raw);
  else if (opts.protocol === 17) segment = udpSegment(srcPort, dstPort, raw);
  const ipv6 = ipv6Packet({ ...opts, payload: segment, checksumOffset: checksumOffsetOf(opts.protocol) });
  return teredoPayload(ipv6, opts);
}
