import { concatBytes } from './teredo-ipv6.js';

/**
 * RFC 6081 trailer TLVs (Type, Length of the value, Value) to pass as `TeredoEnvelope.trailers`.
 * Join several with teredoTrailers().
 */

/** Any TLV; throws when the value does not fit a one-byte length. */
export function trailerTlv(type: number, value: Uint8Array): Uint8Array {
  if (value.length > 255) throw new RangeError(`trailer value of ${value.length} bytes exceeds 255`);
  return concatBytes(Uint8Array.of(type & 0xff, value.length), value);
}

/** 0x01 Nonce: 4 bytes. */
export function nonceTrailer(nonce: Uint8Array): Uint8Array {
  if (nonce.length !== 4) throw new RangeError(`nonce trailer value must be 4 bytes, got ${nonce.length}`);
  return trailerTlv(0x01, nonce);
}

/** 0x03 Alternate Address: 2 reserved zero bytes, then each IPv4 (4) and port (2) in clear. */
export function alternateAddressTrailer(addresses: readonly { address: number; port: number }[]): Uint8Array {
  const value = new Uint8Array(2 + 6 * addresses.length);
  const view = new DataView(value.buffer);
  addresses.forEach((entry, i) => {
    view.setUint32(2 + 6 * i, entry.address >>> 0);
    view.setUint16(6 + 6 * i, entry.port & 0xffff);
  });
  return trailerTlv(0x03, value);
}

/** 0x04 Neighbor Discovery Option: discovery type (0 solicitation, 1 advertisement) + 3 zero bytes. */
export function neighborDiscoveryTrailer(discoveryType: number): Uint8Array {
  return trailerTlv(0x04, Uint8Array.of(discoveryType & 0xff, 0, 0, 0));
}

/** 0x05 Random Port: a 16-bit port. */
export function randomPortTrailer(port: number): Uint8Array {
  return trailerTlv(0x05, Uint8Array.of((port >> 8) & 0xff, port & 0xff));
}

/** Concatenates trailers in order. */
export function teredoTrailers(...trailers: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...trailers);
}
