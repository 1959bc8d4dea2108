import { readIpv4 } from '../decode/ip-address.js';
import { copyBytes } from './copy-bytes.js';
import type { Anomaly, Trailer } from './packet.js';

/**
 * RFC 6081 trailers: Type (1) | Length (1) = bytes that follow | Value, after the IPv6 packet until
 * the end of the UDP payload. Known types (MS-TERE §2.2.2):
 * 0x01 nonce (4), 0x03 alternate address (2 reserved zero bytes + k × (IPv4, port), plain),
 * 0x04 neighbor discovery option (4), 0x05 random port (2).
 */

export const TRAILER_NONCE = 0x01;
export const TRAILER_ALTERNATE_ADDRESS = 0x03;
export const TRAILER_NEIGHBOR_DISCOVERY = 0x04;
export const TRAILER_RANDOM_PORT = 0x05;

/**
 * True when bytes[offset, end) is a sequence of TLVs that fills the area exactly (an empty area
 * counts). This is what decides whether extra bytes after the IPv6 packet are trailers at all.
 */
export function trailersFill(bytes: Uint8Array, offset: number, end: number): boolean {
  let at = offset;
  while (end - at >= 2) at += 2 + bytes[at + 1];
  return at === end;
}

/** Why a known trailer's value is invalid, or null when it is fine. */
function knownTrailerProblem(type: number, length: number): string | null {
  switch (type) {
    case TRAILER_NONCE:
      return length === 4 ? null : `nonce trailer of length ${length} (must be 4)`;
    case TRAILER_ALTERNATE_ADDRESS:
      if (length < 2 || (length - 2) % 6 !== 0) return `alternate address trailer of length ${length} (must be 2 + 6k)`;
      return null;
    case TRAILER_NEIGHBOR_DISCOVERY:
      return length === 4 ? null : `neighbor discovery trailer of length ${length} (must be 4)`;
    case TRAILER_RANDOM_PORT:
      return length === 2 ? null : `random port trailer of length ${length} (must be 2)`;
    default:
      return null;
  }
}

/**
 * Reads the TLVs of an area for which trailersFill() is true. A known type with a wrong length is
 * kept as 'unknown' and reported as a 'bad-trailer' anomaly, as are non-zero reserved bytes or port
 * 0 in an alternate address list.
 */
export function readTrailers(bytes: Uint8Array, offset: number, end: number, anomalies: Anomaly[]): Trailer[] {
  const trailers: Trailer[] = [];
  let at = offset;
  while (end - at >= 2) {
    const type = bytes[at];
    const length = bytes[at + 1];
    const value = at + 2;
    at = value + length;
    if (at > end) break;
    const problem = knownTrailerProblem(type, length);
    if (problem !== null) {
      anomalies.push({ kind: 'bad-trailer', message: problem });
      trailers.push({ type, name: 'unknown', value: copyBytes(bytes, value, at) });
      continue;
    }
    switch (type) {
      case TRAILER_NONCE:
        trailers.push({ type, name: 'nonce', nonce: copyBytes(bytes, value, at) });
        break;
      case TRAILER_ALTERNATE_ADDRESS:
        trailers.push({ type, name: 'alternate-address', addresses: readAlternateAddresses(bytes, value, at, anomalies) });
        break;
      case TRAILER_NEIGHBOR_DISCOVERY:
        trailers.push({ type, name: 'neighbor-discovery', discoveryType: bytes[value] });
        break;
      case TRAILER_RANDOM_PORT:
        trailers.push({ type, name: 'random-port', port: (bytes[value] << 8) | bytes[value + 1] });
        break;
      default:
        trailers.push({ type, name: 'unknown', value: copyBytes(bytes, value, at) });
    }
  }
  return trailers;
}

function readAlternateAddresses(bytes: Uint8Array, value: number, end: number, anomalies: Anomaly[]): { address: number; port: number }[] {
  if (bytes[value] !== 0 || bytes[value + 1] !== 0) {
    anomalies.push({ kind: 'bad-trailer', message: 'alternate address trailer with non-zero reserved bytes' });
  }
  const addresses: { address: number; port: number }[] = [];
  for (let at = value + 2; at + 6 <= end; at += 6) {
    const port = (bytes[at + 4] << 8) | bytes[at + 5];
    if (port === 0) anomalies.push({ kind: 'bad-trailer', message: 'alternate address with port 0' });
    addresses.push({ address: readIpv4(bytes, at), port });
  }
  return addresses;
}
