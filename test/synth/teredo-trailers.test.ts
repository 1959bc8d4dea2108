import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../src/decode/ip-address.js';
import { bytesHex, hexBytes } from '../../src/synth/teredo-hex.js';
import {
  alternateAddressTrailer,
  neighborDiscoveryTrailer,
  nonceTrailer,
  randomPortTrailer,
  teredoTrailers,
  trailerTlv,
} from '../../src/synth/teredo-trailers.js';

describe('RFC 6081 trailer builders', () => {
  it('encode the trailers of zeek-gtp-teredo frame 1', () => {
    expect(bytesHex(nonceTrailer(hexBytes('77a05e76')))).toBe('010477a05e76');
    expect(bytesHex(alternateAddressTrailer([{ address: parseIpv4('172.24.204.200')!, port: 56528 }]))).toBe('03080000ac18ccc8dcd0');
    expect(bytesHex(randomPortTrailer(57208))).toBe('0502df78');
  });

  it('encode several alternate addresses, the neighbor discovery option and raw TLVs', () => {
    expect(bytesHex(alternateAddressTrailer([{ address: 0x01020304, port: 1 }, { address: 0x05060708, port: 2 }]))).toBe('030e0000010203040001050607080002');
    expect(bytesHex(neighborDiscoveryTrailer(1))).toBe('040401000000');
    expect(bytesHex(trailerTlv(0x7f, new Uint8Array(0)))).toBe('7f00');
    expect(bytesHex(teredoTrailers(randomPortTrailer(1), neighborDiscoveryTrailer(0)))).toBe('05020001040400000000');
  });

  it('refuse values a one-byte length cannot describe', () => {
    expect(() => trailerTlv(1, new Uint8Array(256))).toThrow(RangeError);
    expect(() => nonceTrailer(new Uint8Array(3))).toThrow(RangeError);
  });
});
