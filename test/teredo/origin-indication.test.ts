import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../src/decode/ip-address.js';
import { hexBytes } from '../../src/synth/teredo-hex.js';
import { originAddress, originPort, readOriginIndication } from '../../src/teredo/origin-indication.js';
import { realBytes, WIRESHARK_RA, BWP_RELAYED_BUBBLE } from './support/real-payloads.js';

describe('origin indication', () => {
  it('de-obfuscates the RFC 4380 §5.1.1 example (1.2.3.4 port 337)', () => {
    const origin = readOriginIndication(hexBytes('0000FEAEFEFDFCFB'), 0);
    expect(formatIpv4(origin.address)).toBe('1.2.3.4');
    expect(origin.port).toBe(337);
  });

  it('gives the client mapping in the RA of wireshark-teredo frame 7', () => {
    const bytes = realBytes(WIRESHARK_RA);
    expect(formatIpv4(originAddress(bytes, 13))).toBe('70.55.215.234');
    expect(originPort(bytes, 13)).toBe(3797);
  });

  it('gives the relay socket of a bubble forwarded by the server', () => {
    const origin = readOriginIndication(realBytes(BWP_RELAYED_BUBBLE), 0);
    expect(`${formatIpv4(origin.address)}:${origin.port}`).toBe('83.170.1.38:32900');
  });

  it('returns unsigned addresses for high first octets', () => {
    expect(originAddress(hexBytes('0000ffff00000000'), 0)).toBe(0xffffffff);
    expect(originPort(hexBytes('0000ffff00000000'), 0)).toBe(0);
  });
});
