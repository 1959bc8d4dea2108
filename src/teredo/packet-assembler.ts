import { formatIpv4, isGlobalIpv4Octets } from '../decode/ip-address.js';
import type { UdpDatagram } from '../decode/datagram.js';
import { readAuthentication } from './authentication.js';
import { NEXT_HEADER_ICMPV6, NEXT_HEADER_NONE, TEREDO_PORT } from './constants.js';
import type { EncapsulationLayout } from './encapsulation.js';
import { icmpv6Kind, parseIcmpv6 } from './icmpv6.js';
import { createUpperLayerLocation, innerDataInto, innerPortsTruncated, locateUpperLayer, type UpperLayerLocation } from './inner-data.js';
import { ipv6UpperLayerChecksum } from './ipv6-checksum.js';
import { IPV6_DESTINATION_OFFSET, IPV6_HEADER_LENGTH, IPV6_SOURCE_OFFSET, readIpv6HeaderInto } from './ipv6-header.js';
import { readOriginIndication } from './origin-indication.js';
import type { Anomaly, Detection, Icmpv6Summary, InnerData, TeredoKind, TeredoPacket, Trailer } from './packet.js';
import { isTeredoAddress, teredoMappedIp } from './teredo-address.js';
import { snapCutAnomaly } from './snap-cut.js';
import { readTrailers, trailersFill } from './trailers.js';

// Shared by every packet without them; readonly by type. Not frozen: V8 iterates frozen arrays
// through a slower path, and these are looped over for nearly every packet.
const NO_FRAGMENTS: readonly number[] = [];
const NO_TRAILERS: readonly Trailer[] = [];
const NO_ANOMALIES: readonly Anomaly[] = [];

/** Working space the assembler reuses between packets; `data` becomes the packet's `data` for data packets. */
export interface AssemblyScratch {
  location: UpperLayerLocation;
  anomalies: Anomaly[];
  data: InnerData;
}

export function createAssemblyScratch(): AssemblyScratch {
  return { location: createUpperLayerLocation(), anomalies: [], data: { protocol: 0, srcPort: null, dstPort: null, length: 0 } };
}

/**
 * Fills `packet` (the dissector's reused packet, see TeredoPacket) for a datagram whose
 * encapsulation scanned successfully: reads every field out of the (reused) datagram buffer,
 * classifies the inner packet and records anomalies. Plain data packets, most of any capture,
 * allocate nothing here; the parts only some packets carry are fresh objects.
 */
export function assembleTeredoPacket(
  packet: TeredoPacket,
  d: UdpDatagram,
  layout: EncapsulationLayout,
  scratch: AssemblyScratch,
  detection: Detection,
  bytes: Uint8Array = d.buffer,
): void {
  const cut = d.cutBytes > 0;
  const { location, anomalies } = scratch;
  if (anomalies.length !== 0) anomalies.length = 0;
  const ipv6Offset = layout.ipv6Offset;
  const ipv6End = layout.ipv6End;
  const ipv6 = packet.ipv6;
  readIpv6HeaderInto(bytes, ipv6Offset, ipv6);

  let kind: TeredoKind = 'data';
  let icmp: Icmpv6Summary | null = null;
  let data: InnerData | null = null;
  if (ipv6.nextHeader === NEXT_HEADER_NONE && ipv6.payloadLength === 0) {
    kind = 'bubble';
  } else {
    locateUpperLayer(bytes, ipv6Offset + IPV6_HEADER_LENGTH, ipv6End, ipv6.nextHeader, location);
    if (cut) {
      ({ kind, icmp } = cutIcmpv6(bytes, location, ipv6End, d, layout));
    } else if (location.truncated) {
      anomalies.push({ kind: 'truncated-ipv6', message: `IPv6 extension header ${location.protocol} runs past the end of the payload` });
    } else if (location.protocol === NEXT_HEADER_ICMPV6 && location.headerPresent) {
      icmp = parseIcmpv6(bytes, location.offset, ipv6End, anomalies);
      if (icmp !== null) {
        kind = icmpv6Kind(icmp.type);
        checkIcmpv6Checksum(bytes, ipv6Offset, location.offset, ipv6End, icmp.checksum, anomalies);
      }
    }
    if (kind === 'data') {
      data = innerDataInto(bytes, location, ipv6End, scratch.data);
      if (!cut && innerPortsTruncated(location, ipv6End)) {
        anomalies.push({ kind: 'truncated-ipv6', message: `protocol ${data.protocol} header of ${data.length} bytes has no room for ports` });
      }
    }
  }

  flagNonGlobalEmbedded(bytes, ipv6Offset + IPV6_SOURCE_OFFSET, 'source', anomalies);
  flagNonGlobalEmbedded(bytes, ipv6Offset + IPV6_DESTINATION_OFFSET, 'destination', anomalies);

  let trailers: readonly Trailer[] = NO_TRAILERS;
  if (cut) {
    anomalies.push(snapCutAnomaly(d.payloadLength, d.cutBytes));
  } else if (ipv6End < layout.end) {
    if (trailersFill(bytes, ipv6End, layout.end)) {
      trailers = readTrailers(bytes, ipv6End, layout.end, anomalies);
    } else {
      const extra = layout.end - ipv6End;
      anomalies.push(
        kind === 'bubble'
          ? { kind: 'bubble-with-payload', message: `bubble followed by ${extra} bytes that are not RFC 6081 trailers` }
          : { kind: 'trailing-bytes', message: `${extra} bytes after the IPv6 packet are not RFC 6081 trailers` },
      );
    }
  }

  packet.frame = d.frame;
  const time = packet.time;
  time.seconds = d.seconds;
  time.nanos = d.nanos;
  time.precision = d.precision;
  const outer = packet.outer;
  outer.srcIp = d.srcIp;
  outer.srcPort = d.srcPort;
  outer.dstIp = d.dstIp;
  outer.dstPort = d.dstPort;
  packet.fragmentFrames = d.fragmentFrames.length === 0 ? NO_FRAGMENTS : d.fragmentFrames.slice();
  packet.auth = layout.authOffset >= 0 ? readAuthentication(bytes, layout.authOffset) : null;
  packet.origin = layout.originOffset >= 0 ? readOriginIndication(bytes, layout.originOffset) : null;
  packet.kind = kind;
  packet.icmp = icmp;
  packet.data = data;
  packet.trailers = trailers;
  packet.anomalies = anomalies.length === 0 ? NO_ANOMALIES : anomalies.slice();
  packet.detection = detection;
}

/**
 * The ICMPv6 message of a cut packet, as far as it survived: its type gives the kind even when the
 * body is cut (no checksum can be checked). When even the type was cut, the encapsulation tells:
 * only Router Solicitations (to a server) and Advertisements (from one, with the origin indication)
 * carry an authentication header (RFC 4380 §5.1.1, §5.2.1).
 */
function cutIcmpv6(bytes: Uint8Array, location: UpperLayerLocation, end: number, d: UdpDatagram, layout: EncapsulationLayout): { kind: TeredoKind; icmp: Icmpv6Summary | null } {
  if (location.protocol !== NEXT_HEADER_ICMPV6) return { kind: 'data', icmp: null };
  if (location.headerPresent && end - location.offset >= 4) {
    const icmp = parseIcmpv6(bytes, location.offset, end, []);
    if (icmp !== null) return { kind: icmpv6Kind(icmp.type), icmp };
  }
  if (layout.authOffset >= 0 && layout.originOffset >= 0 && d.srcPort === TEREDO_PORT) return { kind: 'router-advertisement', icmp: null };
  if (layout.authOffset >= 0 && layout.originOffset < 0 && d.dstPort === TEREDO_PORT) return { kind: 'router-solicitation', icmp: null };
  return { kind: 'data', icmp: null };
}

function checkIcmpv6Checksum(bytes: Uint8Array, ipv6Offset: number, icmpOffset: number, end: number, field: number, anomalies: Anomaly[]): void {
  const expected = ipv6UpperLayerChecksum(bytes, ipv6Offset, NEXT_HEADER_ICMPV6, icmpOffset, end - icmpOffset, icmpOffset + 2);
  // 0x0000 and 0xffff are the same number in one's complement arithmetic.
  const same = field === expected || (field === 0xffff && expected === 0) || (field === 0 && expected === 0xffff);
  if (!same) {
    anomalies.push({ kind: 'bad-icmpv6', message: `ICMPv6 checksum 0x${hex4(field)}, expected 0x${hex4(expected)}` });
  }
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/** RFC 4380 §5.2.4: nobody may send to a Teredo address whose mapped IPv4 is not global unicast. */
function flagNonGlobalEmbedded(bytes: Uint8Array, offset: number, which: string, anomalies: Anomaly[]): void {
  if (!isTeredoAddress(bytes, offset)) return;
  // Octet by octet (the mapped IPv4 is stored inverted): a uint32 above 2^31 returned from a call
  // V8 does not inline is a heap allocation, and this runs twice per packet.
  if (!isGlobalIpv4Octets(bytes[offset + 12] ^ 0xff, bytes[offset + 13] ^ 0xff, bytes[offset + 14] ^ 0xff)) {
    const mapped = teredoMappedIp(bytes, offset);
    anomalies.push({ kind: 'non-global-embedded-ipv4', message: `Teredo ${which} address embeds non-global IPv4 ${formatIpv4(mapped)}` });
  }
}
