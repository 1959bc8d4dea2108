import { readUint16BE } from './byte-order.js';

export const UDP_HEADER_LENGTH = 8;

/** The fields of the last UDP header decoded; one instance is reused for every packet. */
export class UdpHeader {
  srcPort = 0;
  dstPort = 0;
  /** Length field: header plus payload as sent. */
  length = 0;
  payloadOffset = 0;
  /**
   * Payload bytes present: length − 8, clipped to what the capture kept. When snaplen cut the
   * packet this is shorter than the payload that was sent, and nothing else marks it; a caller
   * that cares compares with `length - 8`.
   */
  payloadLength = 0;
}

/**
 * Decodes a UDP header at `offset`. `presentEnd` is the end of the IP payload bytes present and
 * `ipPayloadLength` the IP payload length the IP layer claims. Returns false when the header is
 * cut, or the length field is below 8 or larger than the IP payload. Checksums are not verified.
 */
export function decodeUdp(bytes: Uint8Array, offset: number, presentEnd: number, ipPayloadLength: number, out: UdpHeader): boolean {
  if (presentEnd - offset < UDP_HEADER_LENGTH) return false;
  const length = readUint16BE(bytes, offset + 4);
  if (length < UDP_HEADER_LENGTH || length > ipPayloadLength) return false;
  out.srcPort = readUint16BE(bytes, offset);
  out.dstPort = readUint16BE(bytes, offset + 2);
  out.length = length;
  out.payloadOffset = offset + UDP_HEADER_LENGTH;
  out.payloadLength = Math.min(length - UDP_HEADER_LENGTH, presentEnd - out.payloadOffset);
  return true;
}
