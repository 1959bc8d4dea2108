import { describe, expect, it } from 'vitest';
import { parseIpv6 } from '../../src/decode/ip-address.js';
import { concatBytes } from '../../src/synth/teredo-ipv6.js';
import { bubble, echo, originIndicationElement, authenticationElement } from '../../src/synth/teredo-payload.js';
import { createEncapsulationLayout, describeEncapsulationFailure, scanEncapsulation } from '../../src/teredo/encapsulation.js';
import { realBytes, WIRESHARK_RA, WIRESHARK_RS, ZEEK_UDP_IN_UDP } from './support/real-payloads.js';

const CLIENT = parseIpv6('2001:0:4137:9e50:8000:f12a:b9c8:2815')!;
const NATIVE = parseIpv6('2001:4860:0:2001::68')!;
const AUTH = { nonce: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) };
const ORIGIN = { address: 0x53aa0126, port: 32900 };

function scan(bytes: Uint8Array, start = 0, end = bytes.length) {
  const layout = createEncapsulationLayout();
  const ok = scanEncapsulation(bytes, start, end, layout);
  return { ok, layout, reason: describeEncapsulationFailure(layout) };
}

describe('scanEncapsulation', () => {
  it('finds auth, origin and IPv6 in the RA of wireshark-teredo frame 7', () => {
    const bytes = realBytes(WIRESHARK_RA);
    const { ok, layout } = scan(bytes);
    expect(ok).toBe(true);
    expect(layout).toMatchObject({ authOffset: 0, originOffset: 13, ipv6Offset: 21, ipv6End: 21 + 40 + 48, end: 109 });
  });

  it('finds the auth element of an RS and no origin', () => {
    const { ok, layout } = scan(realBytes(WIRESHARK_RS));
    expect(ok).toBe(true);
    expect(layout).toMatchObject({ authOffset: 0, originOffset: -1, ipv6Offset: 13 });
  });

  it('handles a plain IPv6 packet and respects start and end inside a larger buffer', () => {
    const packet = bubble({ src: CLIENT, dst: NATIVE });
    const buffer = concatBytes(new Uint8Array(10).fill(0x45), packet, Uint8Array.of(1, 2, 3));
    const { ok, layout } = scan(buffer, 10, 10 + packet.length);
    expect(ok).toBe(true);
    expect(layout).toMatchObject({ authOffset: -1, originOffset: -1, ipv6Offset: 10, ipv6End: 50, end: 50 });
  });

  it('leaves bytes after the IPv6 packet for the trailer parser', () => {
    const { ok, layout } = scan(bubble({ src: CLIENT, dst: NATIVE, trailers: Uint8Array.of(0x31, 0x32, 0x33, 0x34) }));
    expect(ok).toBe(true);
    expect(layout.end - layout.ipv6End).toBe(4);
  });

  it('accepts auth with client id and auth value', () => {
    const auth = authenticationElement({ ...AUTH, clientId: new Uint8Array(5), authValue: new Uint8Array(20) });
    const { ok, layout } = scan(concatBytes(auth, bubble({ src: CLIENT, dst: NATIVE })));
    expect(ok).toBe(true);
    expect(layout.ipv6Offset).toBe(13 + 25);
  });

  it.each([
    ['an empty payload', new Uint8Array(0), 'empty UDP payload'],
    ['a lone zero byte', Uint8Array.of(0), 'element starting 0x00 truncated (1 byte left)'],
    ['an auth element cut in its lengths', Uint8Array.of(0, 1, 0), 'authentication element truncated (3 bytes left, lengths need 4)'],
    ['an auth element longer than the payload', Uint8Array.of(0, 1, 4, 4, 0, 0, 0, 0, 0), 'authentication element needs 21 bytes, 9 left'],
    ['an origin indication cut short', Uint8Array.of(0, 0, 1, 2, 3), 'origin indication needs 8 bytes, 5 left'],
    ['an unknown element', Uint8Array.of(0, 2, 0, 0), 'neither a Teredo element nor IPv6 (first bytes 0x0002)'],
    ['a DNS query header', Uint8Array.of(0x42, 0x63, 1, 0, 0, 1, 0, 0), 'neither a Teredo element nor IPv6 (first bytes 0x4263)'],
    ['a short IPv6 header', Uint8Array.of(0x60, 0, 0, 0, 0, 0, 59, 0), 'ipv6 header needs 40 bytes, 8 left'],
    ['origin then nothing', originIndicationElement(ORIGIN), 'ipv6 header needs 40 bytes, 0 left'],
  ])('rejects %s', (_name, bytes, reason) => {
    const result = scan(bytes);
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(reason);
  });

  it('rejects a Payload Length larger than the bytes left, with the numbers in the reason', () => {
    const packet = echo({ request: true, src: CLIENT, dst: NATIVE, identifier: 1, sequence: 1, data: new Uint8Array(4) });
    const { ok, reason } = scan(packet.subarray(0, packet.length - 3));
    expect(ok).toBe(false);
    expect(reason).toBe('ipv6 payload length 12 exceeds the 9 bytes left');
  });

  it('rejects element order and repetition RFC 4380 forbids', () => {
    const ipv6 = bubble({ src: CLIENT, dst: NATIVE });
    const auth = authenticationElement(AUTH);
    const origin = originIndicationElement(ORIGIN);
    expect(scan(concatBytes(origin, auth, ipv6)).reason).toBe('authentication element after the origin indication');
    expect(scan(concatBytes(auth, auth, ipv6)).reason).toBe('second authentication element');
    expect(scan(concatBytes(origin, origin, ipv6)).reason).toBe('second origin indication');
    expect(scan(concatBytes(auth, origin, ipv6)).ok).toBe(true);
  });

  it('parses the envelope of Zeek\'s false-Teredo packet (the judgement is the dissector\'s)', () => {
    const { ok, layout } = scan(realBytes(ZEEK_UDP_IN_UDP));
    expect(ok).toBe(true);
    expect(layout).toMatchObject({ originOffset: 0, ipv6Offset: 8, ipv6End: 73 });
  });

  it('resets the layout between scans', () => {
    const layout = createEncapsulationLayout();
    scanEncapsulation(realBytes(WIRESHARK_RA), 0, 109, layout);
    const plain = bubble({ src: CLIENT, dst: NATIVE });
    expect(scanEncapsulation(plain, 0, plain.length, layout)).toBe(true);
    expect(layout).toMatchObject({ authOffset: -1, originOffset: -1, ipv6Offset: 0, failure: 'none' });
  });
});
