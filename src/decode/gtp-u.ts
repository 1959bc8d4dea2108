import { readUint16BE, readUint32BE } from './byte-order.js';

export const GTP_U_PORT = 2152;
export const GTP_MESSAGE_G_PDU = 0xff;
const GTP_MANDATORY_HEADER_LENGTH = 8;
/** Sequence number, N-PDU number and next-extension type, present when any of E, S, PN is set. */
const GTP_OPTIONAL_FIELDS_LENGTH = 4;
const FLAG_EXTENSION = 0x04;
const FLAG_SEQUENCE = 0x02;
const FLAG_N_PDU = 0x01;
/** Version 1 (bits 7..5 = 001) and protocol type GTP (bit 4 = 1); GTP' (PT 0) carries no user data. */
const VERSION_AND_PT_MASK = 0xf0;
const GTPV1_AND_PT = 0x30;

/** The header of the last GTP-U G-PDU decoded; one instance is reused. */
export class GtpUHeader {
  flags = 0;
  teid = 0;
  /** The tunnelled packet: [innerOffset, innerEnd) of the buffer given to decodeGtpU. */
  innerOffset = 0;
  innerEnd = 0;
}

/**
 * Decodes a GTPv1-U header (3GPP TS 29.281) in bytes [offset, end). Returns true only for a
 * well-formed G-PDU (message type 0xff), whose user packet then lies at [innerOffset, innerEnd);
 * anything else (echo, error indication, GTP', a broken header) returns false so that the caller
 * keeps the UDP datagram as it is. The length field counts the bytes after the mandatory 8; it may
 * point past `end` only when `truncated` (the capture was cut by snaplen).
 */
export function decodeGtpU(bytes: Uint8Array, offset: number, end: number, truncated: boolean, out: GtpUHeader): boolean {
  if (end - offset < GTP_MANDATORY_HEADER_LENGTH) return false;
  const flags = bytes[offset];
  if ((flags & VERSION_AND_PT_MASK) !== GTPV1_AND_PT || bytes[offset + 1] !== GTP_MESSAGE_G_PDU) return false;

  let messageEnd = offset + GTP_MANDATORY_HEADER_LENGTH + readUint16BE(bytes, offset + 2);
  if (messageEnd > end) {
    if (!truncated) return false;
    messageEnd = end;
  }

  let position = offset + GTP_MANDATORY_HEADER_LENGTH;
  if ((flags & (FLAG_EXTENSION | FLAG_SEQUENCE | FLAG_N_PDU)) !== 0) {
    position += GTP_OPTIONAL_FIELDS_LENGTH;
    if (position > messageEnd) return false;
    let nextType = (flags & FLAG_EXTENSION) !== 0 ? bytes[position - 1] : 0;
    // Each extension header: a length in 4-byte units (never 0), content, next type in its last byte.
    while (nextType !== 0) {
      if (position >= messageEnd) return false;
      const length = bytes[position] * 4;
      if (length === 0 || position + length > messageEnd) return false;
      nextType = bytes[position + length - 1];
      position += length;
    }
  }

  out.flags = flags;
  out.teid = readUint32BE(bytes, offset + 4);
  out.innerOffset = position;
  out.innerEnd = messageEnd;
  return true;
}
