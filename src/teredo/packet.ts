import type { Timestamp } from '../capture/timestamp.js';

/**
 * What one Teredo packet says (Wireshark's "dissector" half): fields only, no judgement about the
 * exchange it belongs to. The analysis stage draws the meaning.
 *
 * Two kinds of value share this shape. `TeredoDissector.dissect` returns an owned packet that a
 * caller may keep. `TeredoDissector.dissectInPlace` returns the dissector's one reused packet,
 * overwritten by the next call (like the reader's CaptureRecord): `frame`, `time`, `outer`,
 * `ipv6` (with its address bytes), `origin` and `data` may be rewritten in place, while the rarer
 * parts (auth, icmp, trailers, anomalies, fragment frames) are objects never changed afterwards.
 * Whoever keeps a reused packet, or one of its rewritten parts, copies it (clonePacket).
 */
export interface TeredoPacket {
  frame: number;
  time: Timestamp;
  outer: OuterEndpoints;
  /** Frames of the IPv4 fragments this packet was reassembled from (empty if not fragmented). */
  fragmentFrames: readonly number[];
  auth: AuthenticationHeader | null;
  origin: OriginIndication | null;
  ipv6: Ipv6Header;
  kind: TeredoKind;
  /**
   * ICMPv6 details for router-solicitation/advertisement, neighbor messages and echo. Other ICMPv6
   * types (kind `data`) get type, code and checksum here too, with the details null.
   */
  icmp: Icmpv6Summary | null;
  /** Upper-layer summary for `data` packets. */
  data: InnerData | null;
  trailers: readonly Trailer[];
  anomalies: readonly Anomaly[];
  /** Why the dissector treated the datagram as Teredo. */
  detection: Detection;
}

export type TeredoKind =
  | 'router-solicitation'
  | 'router-advertisement'
  | 'neighbor-solicitation'
  | 'neighbor-advertisement'
  | 'echo-request'
  | 'echo-reply'
  | 'bubble'
  | 'data';

/** `port-3544`: a server port; `learned-endpoint`: a socket seen earlier in Teredo traffic; `structure`: validated shape alone. */
export type Detection = 'port-3544' | 'learned-endpoint' | 'structure';

export interface OuterEndpoints {
  /** IPv4 as unsigned 32-bit numbers; format with formatIpv4. */
  srcIp: number;
  srcPort: number;
  dstIp: number;
  dstPort: number;
}

/** RFC 4380 §5.1.1 authentication encapsulation. */
export interface AuthenticationHeader {
  idLength: number;
  authLength: number;
  clientId: Uint8Array;
  authValue: Uint8Array;
  /** 8 bytes. */
  nonce: Uint8Array;
  confirmation: number;
}

/** RFC 4380 §5.1.1 origin indication, already de-obfuscated. */
export interface OriginIndication {
  address: number;
  port: number;
}

export interface Ipv6Header {
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;
  /** 16 bytes each. */
  src: Uint8Array;
  dst: Uint8Array;
}

export interface Icmpv6Summary {
  type: number;
  code: number;
  checksum: number;
  /** Echo request/reply. */
  echo: { identifier: number; sequence: number; data: Uint8Array } | null;
  routerAdvertisement: RouterAdvertisementInfo | null;
  /** Neighbor solicitation/advertisement target. */
  target: Uint8Array | null;
  /** Source link-layer address option of an RS/NS (bytes after type and length). */
  sourceLinkLayer: Uint8Array | null;
}

export interface RouterAdvertisementInfo {
  curHopLimit: number;
  flags: number;
  routerLifetime: number;
  reachableTime: number;
  retransTimer: number;
  prefixes: PrefixInformation[];
  mtu: number | null;
}

export interface PrefixInformation {
  prefixLength: number;
  flags: number;
  validLifetime: number;
  preferredLifetime: number;
  /** 16 bytes. */
  prefix: Uint8Array;
}

export interface InnerData {
  /** Upper-layer protocol after any IPv6 extension headers. */
  protocol: number;
  srcPort: number | null;
  dstPort: number | null;
  /** Bytes of the upper-layer packet present, its own header included (IPv6 payload after the extension headers). */
  length: number;
}

/** RFC 6081 trailer (type-length-value after the IPv6 packet). */
export type Trailer =
  | { type: 0x01; name: 'nonce'; nonce: Uint8Array }
  | { type: 0x03; name: 'alternate-address'; addresses: { address: number; port: number }[] }
  | { type: 0x04; name: 'neighbor-discovery'; discoveryType: number }
  | { type: 0x05; name: 'random-port'; port: number }
  | { type: number; name: 'unknown'; value: Uint8Array };

export type AnomalyKind =
  | 'bubble-with-payload'
  | 'trailing-bytes'
  | 'truncated-ipv6'
  | 'bad-trailer'
  | 'bad-icmpv6'
  | 'non-global-embedded-ipv4'
  /** The capture's snap length cut the frame: dissected as far as it goes (not malformed). */
  | 'snap-cut';

export interface Anomaly {
  kind: AnomalyKind;
  message: string;
}
