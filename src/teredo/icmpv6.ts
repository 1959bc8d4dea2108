import { copyBytes } from './copy-bytes.js';
import type { Anomaly, Icmpv6Summary, PrefixInformation, RouterAdvertisementInfo, TeredoKind } from './packet.js';

/**
 * ICMPv6 messages Teredo uses (RFC 4443 echo, RFC 4861 neighbor discovery) and their options.
 * Structural problems become 'bad-icmpv6' anomalies: the message is still returned with what could
 * be read, and option walking stops at the first option that does not fit.
 */

export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
export const ICMPV6_ROUTER_SOLICITATION = 133;
export const ICMPV6_ROUTER_ADVERTISEMENT = 134;
export const ICMPV6_NEIGHBOR_SOLICITATION = 135;
export const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;

const OPTION_SOURCE_LINK_LAYER = 1;
const OPTION_PREFIX_INFORMATION = 3;
const OPTION_MTU = 5;

/** Fixed message length before the options or data, by type. */
function fixedLength(type: number): number {
  switch (type) {
    case ICMPV6_ROUTER_SOLICITATION:
      return 8;
    case ICMPV6_ROUTER_ADVERTISEMENT:
      return 16;
    case ICMPV6_NEIGHBOR_SOLICITATION:
    case ICMPV6_NEIGHBOR_ADVERTISEMENT:
      return 24;
    case ICMPV6_ECHO_REQUEST:
    case ICMPV6_ECHO_REPLY:
      return 8;
    default:
      return 4;
  }
}

/** Packet kind for an ICMPv6 type; types Teredo does not single out are plain 'data'. */
export function icmpv6Kind(type: number): TeredoKind {
  switch (type) {
    case ICMPV6_ROUTER_SOLICITATION:
      return 'router-solicitation';
    case ICMPV6_ROUTER_ADVERTISEMENT:
      return 'router-advertisement';
    case ICMPV6_NEIGHBOR_SOLICITATION:
      return 'neighbor-solicitation';
    case ICMPV6_NEIGHBOR_ADVERTISEMENT:
      return 'neighbor-advertisement';
    case ICMPV6_ECHO_REQUEST:
      return 'echo-request';
    case ICMPV6_ECHO_REPLY:
      return 'echo-reply';
    default:
      return 'data';
  }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function bad(anomalies: Anomaly[], message: string): void {
  anomalies.push({ kind: 'bad-icmpv6', message });
}

/**
 * Parses the ICMPv6 message bytes[offset, end). Returns null (and records an anomaly) when not even
 * type, code and checksum are present. The checksum is reported, not verified (see ipv6-checksum.ts).
 */
export function parseIcmpv6(bytes: Uint8Array, offset: number, end: number, anomalies: Anomaly[]): Icmpv6Summary | null {
  const length = end - offset;
  if (length < 4) {
    bad(anomalies, `ICMPv6 message of ${length} bytes, header needs 4`);
    return null;
  }
  const type = bytes[offset];
  const summary: Icmpv6Summary = {
    type,
    code: bytes[offset + 1],
    checksum: (bytes[offset + 2] << 8) | bytes[offset + 3],
    echo: null,
    routerAdvertisement: null,
    target: null,
    sourceLinkLayer: null,
  };
  const fixed = fixedLength(type);
  if (length < fixed) {
    bad(anomalies, `ICMPv6 type ${type} needs ${fixed} bytes, ${length} present`);
    return summary;
  }
  if (icmpv6Kind(type) !== 'data' && summary.code !== 0) bad(anomalies, `ICMPv6 type ${type} with code ${summary.code} (must be 0)`);

  switch (type) {
    case ICMPV6_ECHO_REQUEST:
    case ICMPV6_ECHO_REPLY:
      summary.echo = {
        identifier: (bytes[offset + 4] << 8) | bytes[offset + 5],
        sequence: (bytes[offset + 6] << 8) | bytes[offset + 7],
        data: copyBytes(bytes, offset + 8, end),
      };
      break;
    case ICMPV6_ROUTER_ADVERTISEMENT:
      summary.routerAdvertisement = {
        curHopLimit: bytes[offset + 4],
        flags: bytes[offset + 5],
        routerLifetime: (bytes[offset + 6] << 8) | bytes[offset + 7],
        reachableTime: readUint32(bytes, offset + 8),
        retransTimer: readUint32(bytes, offset + 12),
        prefixes: [],
        mtu: null,
      };
      readOptions(bytes, offset + fixed, end, summary, anomalies);
      break;
    case ICMPV6_NEIGHBOR_SOLICITATION:
    case ICMPV6_NEIGHBOR_ADVERTISEMENT:
      summary.target = copyBytes(bytes, offset + 8, offset + 24);
      readOptions(bytes, offset + fixed, end, summary, anomalies);
      break;
    case ICMPV6_ROUTER_SOLICITATION:
      readOptions(bytes, offset + fixed, end, summary, anomalies);
      break;
    default:
      break;
  }
  return summary;
}

/**
 * Walks RFC 4861 §4.6 options (type, length in 8-byte units, value). Keeps the source link-layer
 * address, and for an RA its Prefix Information and MTU options; skips the rest by length.
 */
function readOptions(bytes: Uint8Array, offset: number, end: number, summary: Icmpv6Summary, anomalies: Anomaly[]): void {
  const ra: RouterAdvertisementInfo | null = summary.routerAdvertisement;
  let at = offset;
  while (at < end) {
    if (end - at < 2) {
      bad(anomalies, `ICMPv6 option truncated at byte ${at - offset} of the options`);
      return;
    }
    const optionType = bytes[at];
    const optionLength = bytes[at + 1] * 8;
    if (optionLength === 0) {
      bad(anomalies, `ICMPv6 option type ${optionType} with length 0`);
      return;
    }
    if (optionLength > end - at) {
      bad(anomalies, `ICMPv6 option type ${optionType} needs ${optionLength} bytes, ${end - at} left`);
      return;
    }
    if (optionType === OPTION_SOURCE_LINK_LAYER) {
      summary.sourceLinkLayer = copyBytes(bytes, at + 2, at + optionLength);
    } else if (ra !== null && optionType === OPTION_PREFIX_INFORMATION) {
      if (optionLength !== 32) bad(anomalies, `Prefix Information option of ${optionLength} bytes (must be 32)`);
      // A literal for the first: push onto [] reserves room for 17 (an RA carries one prefix).
      else if (ra.prefixes.length === 0) ra.prefixes = [readPrefixInformation(bytes, at)];
      else ra.prefixes.push(readPrefixInformation(bytes, at));
    } else if (ra !== null && optionType === OPTION_MTU) {
      if (optionLength !== 8) bad(anomalies, `MTU option of ${optionLength} bytes (must be 8)`);
      else ra.mtu = readUint32(bytes, at + 4);
    }
    at += optionLength;
  }
}

function readPrefixInformation(bytes: Uint8Array, at: number): PrefixInformation {
  return {
    prefixLength: bytes[at + 2],
    flags: bytes[at + 3],
    validLifetime: readUint32(bytes, at + 4),
    preferredLifetime: readUint32(bytes, at + 8),
    prefix: copyBytes(bytes, at + 16, at + 32),
  };
}
