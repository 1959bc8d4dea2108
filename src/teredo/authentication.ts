import { copyBytes } from './copy-bytes.js';
import type { AuthenticationHeader } from './packet.js';

/**
 * RFC 4380 §5.1.1 authentication element:
 * 0x0001 | ID-len (1) | AU-len (1) | client id | auth value | nonce (8) | confirmation (1).
 */

/** First byte pair of the element. */
export const AUTHENTICATION_INDICATOR = 0x0001;
/** Bytes that are there whatever the ID and AU lengths: indicator, two lengths, nonce, confirmation. */
export const AUTHENTICATION_FIXED_LENGTH = 13;
export const NONCE_LENGTH = 8;

/** Total length of the element at `offset`, or -1 when its two length bytes are not available. */
export function authenticationLength(bytes: Uint8Array, offset: number, end: number): number {
  if (end - offset < 4) return -1;
  return AUTHENTICATION_FIXED_LENGTH + bytes[offset + 2] + bytes[offset + 3];
}

/** Copies the element at `offset`; the caller checked that authenticationLength() bytes are present. */
export function readAuthentication(bytes: Uint8Array, offset: number): AuthenticationHeader {
  const idLength = bytes[offset + 2];
  const authLength = bytes[offset + 3];
  const idStart = offset + 4;
  const authStart = idStart + idLength;
  const nonceStart = authStart + authLength;
  return {
    idLength,
    authLength,
    clientId: copyBytes(bytes, idStart, authStart),
    authValue: copyBytes(bytes, authStart, nonceStart),
    nonce: copyBytes(bytes, nonceStart, nonceStart + NONCE_LENGTH),
    confirmation: bytes[nonceStart + NONCE_LENGTH],
  };
}
