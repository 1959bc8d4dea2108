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
  const header = createIpv6Header();
  readIpv6HeaderInto(bytes, offset, header);
  return header;
}

export function createIpv6Header(): Ipv6Header {
  return { trafficClass: 0, flowLabel: 0, payloadLength: 0, nextHeader: 0, hopLimit: 0, src: new Uint8Array(16), dst: new Uint8Array(16) };
}

/** Overwrites `header`, address bytes included, with the 40-byte header at `offset` (the caller checked it is present). */
export function readIpv6HeaderInto(bytes: Uint8Array, offset: number, header: Ipv6Header): void {
  header.trafficClass = ((bytes[offset] & 0x0f) << 4) | (bytes[offset + 1] >> 4);
  header.flowLabel = ((bytes[offset + 1] & 0x0f) << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
  header.payloadLength = ipv6PayloadLength(bytes, offset);
  header.nextHeader = ipv6NextHeader(bytes, offset);
  header.hopLimit = bytes[offset + 7];
  const src = header.src;
  const dst = header.dst;
  // Byte by byte: a subarray view to copy from would cost more than the 16 bytes.
  for (let i = 0; i < 16; i++) {
    src[i] = bytes[offset + IPV6_SOURCE_OFFSET + i];
    dst[i] = bytes[offset + IPV6_DESTINATION_OFFSET + i];
  }
}
