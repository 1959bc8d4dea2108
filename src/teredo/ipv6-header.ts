import { copyBytes } from './copy-bytes.js';
import type { Ipv6Header } from './packet.js';

/** Fixed IPv6 header (RFC 8200 §3): the packet is this plus Payload Length bytes. */
export const IPV6_HEADER_LENGTH = 40;

export function ipv6Version(bytes: Uint8Array, offset: number): number {
  return bytes[offset] >> 4;
}

export function ipv6PayloadLength(bytes: Uint8Array, offset: number): number {
  return (bytes[offset + 4] << 8) | bytes[offset + 5];
}

export function ipv6NextHeader(bytes: Uint8Array, offset: number): number {
  return bytes[offset + 6];
}

/** Offset of the source address within the header (16 bytes); the destination follows it. */
export const IPV6_SOURCE_OFFSET = 8;
export const IPV6_DESTINATION_OFFSET = 24;

/** Copies the 40-byte header at `offset` (the caller checked it is present). */
export function readIpv6Header(bytes: Uint8Array, offset: number): Ipv6Header {
  return {
    trafficClass: ((bytes[offset] & 0x0f) << 4) | (bytes[offset + 1] >> 4),
    flowLabel: ((bytes[offset + 1] & 0x0f) << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3],
    payloadLength: ipv6PayloadLength(bytes, offset),
    nextHeader: ipv6NextHeader(bytes, offset),
    hopLimit: bytes[offset + 7],
    src: copyBytes(bytes, offset + IPV6_SOURCE_OFFSET, offset + IPV6_SOURCE_OFFSET + 16),
    dst: copyBytes(bytes, offset + IPV6_DESTINATION_OFFSET, offset + IPV6_DESTINATION_OFFSET + 16),
  };
}
