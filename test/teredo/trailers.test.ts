import { describe, expect, it } from 'vitest';
import { formatIpv4, parseIpv4 } from '../../src/decode/ip-address.js';
import { bytesHex, hexBytes } from '../../src/synth/teredo-hex.js';
import { alternateAddressTrailer, neighborDiscoveryTrailer, nonceTrailer, randomPortTrailer, teredoTrailers, trailerTlv } from '../../src/synth/teredo-trailers.js';
import type { Anomaly, Trailer } from '../../src/teredo/packet.js';
import { readTrailers, trailersFill } from '../../src/teredo/trailers.js';
import { GTP_BUBBLE_WITH_TRAILERS, realBytes } from './support/real-payloads.js';

function read(bytes: Uint8Array) {
  const anomalies: Anomaly[] = [];
  return { trailers: readTrailers(bytes, 0, bytes.length, anomalies), anomalies };
}

describe('RFC 6081 trailers', () => {
  it('reads nonce, alternate address and random port of zeek-gtp-teredo frame 1', () => {
    const bytes = realBytes(GTP_BUBBLE_WITH_TRAILERS);
    expect(trailersFill(bytes, 40, bytes.length)).toBe(true);
    const anomalies: Anomaly[] = [];
    const trailers = readTrailers(bytes, 40, bytes.length, anomalies);
    expect(anomalies).toEqual([]);
    expect(trailers.map((t) => t.name)).toEqual(['nonce', 'alternate-address', 'random-port']);
    const [nonce, alternate, port] = trailers as [Extract<Trailer, { name: 'nonce' }>, Extract<Trailer, { name: 'alternate-address' }>, Extract<Trailer, { name: 'random-port' }>];
    expect(bytesHex(nonce.nonce)).toBe('77a05e76');
    expect(alternate.addresses.map((a) => `${formatIpv4(a.address)}:${a.port}`)).toEqual(['172.24.204.200:56528']);
    expect(port.port).toBe(57208);
  });

  it('reads several alternate addresses and the neighbor discovery option', () => {
    const bytes = teredoTrailers(
      alternateAddressTrailer([
        { address: parseIpv4('192.168.1.2')!, port: 1000 },
        { address: parseIpv4('10.0.0.9')!, port: 2000 },
      ]),
      neighborDiscoveryTrailer(1),
    );
    const { trailers, anomalies } = read(bytes);
    expect(anomalies).toEqual([]);
    expect(trailers[0]).toEqual({ type: 3, name: 'alternate-address', addresses: [{ address: 0xc0a80102, port: 1000 }, { address: 0x0a000009, port: 2000 }] });
    expect(trailers[1]).toEqual({ type: 4, name: 'neighbor-discovery', discoveryType: 1 });
  });

  it('keeps unknown types as they are', () => {
    const { trailers, anomalies } = read(trailerTlv(0x02, hexBytes('abcdef')));
    expect(anomalies).toEqual([]);
    expect(trailers).toEqual([{ type: 2, name: 'unknown', value: hexBytes('abcdef') }]);
  });

  it('keeps a known type with a wrong length as unknown and reports it', () => {
    const { trailers, anomalies } = read(teredoTrailers(trailerTlv(0x01, hexBytes('0102')), trailerTlv(0x03, new Uint8Array(7)), trailerTlv(0x05, new Uint8Array(3)), trailerTlv(0x04, new Uint8Array(0))));
    expect(trailers.map((t) => t.name)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(anomalies.map((a) => a.message)).toEqual([
      'nonce trailer of length 2 (must be 4)',
      'alternate address trailer of length 7 (must be 2 + 6k)',
      'random port trailer of length 3 (must be 2)',
      'neighbor discovery trailer of length 0 (must be 4)',
    ]);
    expect(anomalies.every((a) => a.kind === 'bad-trailer')).toBe(true);
  });

  it('reports non-zero reserved bytes and port 0 in an alternate address list', () => {
    const bytes = alternateAddressTrailer([{ address: 1, port: 0 }]);
    bytes[2] = 1;
    const { trailers, anomalies } = read(bytes);
    expect(trailers[0].name).toBe('alternate-address');
    expect(anomalies.map((a) => a.message)).toEqual(['alternate address trailer with non-zero reserved bytes', 'alternate address with port 0']);
  });

  it('decides whether TLVs fill an area exactly', () => {
    expect(trailersFill(new Uint8Array(0), 0, 0)).toBe(true);
    expect(trailersFill(nonceTrailer(new Uint8Array(4)), 0, 6)).toBe(true);
    expect(trailersFill(randomPortTrailer(1), 0, 3)).toBe(false);
    // Zeek's edited bubbles carry "1234": type 0x31 claims 0x32 bytes.
    expect(trailersFill(hexBytes('31323334'), 0, 4)).toBe(false);
    expect(trailersFill(Uint8Array.of(1), 0, 1)).toBe(false);
    expect(trailersFill(Uint8Array.of(9, 0, 9, 0), 0, 4)).toBe(true);
  });

  it('owns copies of nonce and unknown values', () => {
    const bytes = teredoTrailers(nonceTrailer(hexBytes('01020304')), trailerTlv(9, hexBytes('aa')));
    const { trailers } = read(bytes);
    bytes.fill(0);
    expect(trailers).toEqual([
      { type: 1, name: 'nonce', nonce: hexBytes('01020304') },
      { type: 9, name: 'unknown', value: hexBytes('aa') },
    ]);
  });
});
