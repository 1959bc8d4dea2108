import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../src/decode/ip-address.js';
import {
  classifyTeredoLinkLocal,
  decodeTeredoAddress,
  encodeTeredoAddress,
  isTeredoAddress,
  teredoMappedIp,
  teredoMappedPort,
} from '../../src/teredo/teredo-address.js';

const ip = (text: string): Uint8Array => parseIpv6(text)!;

describe('decodeTeredoAddress', () => {
  it('decodes the client address of wireshark-teredo.pcap (cone, no random bits)', () => {
    const address = decodeTeredoAddress(ip('2001:0:4137:9e50:8000:f12a:b9c8:2815'))!;
    expect(formatIpv4(address.server)).toBe('65.55.158.80');
    expect(address.flags).toBe(0x8000);
    expect(address.cone).toBe(true);
    expect(address.reserved).toBe(false);
    expect(address.universalGroup).toBe(0);
    expect(address.randomBits).toBe(0);
    expect(address.mappedPort).toBe(3797);
    expect(formatIpv4(address.mappedIp)).toBe('70.55.215.234');
    expect(address.legacyPrefix).toBe(false);
  });

  it('decodes an RFC 5991 address with random flag bits and the cone bit clear', () => {
    const address = decodeTeredoAddress(ip('2001:0:1117:34fa:1027:374b:e1fc:f635'))!;
    expect(formatIpv4(address.server)).toBe('17.23.52.250');
    expect(address.flags).toBe(0x1027);
    expect(address.cone).toBe(false);
    expect(address.randomBits).toBe(0x1027 & 0x3cff);
    expect(address.mappedPort).toBe(51380);
    expect(formatIpv4(address.mappedIp)).toBe('30.3.9.202');
  });

  it('separates the R and U/G bits', () => {
    const address = decodeTeredoAddress(ip('2001:0:102:304:4300:ffff:ffff:ffff'))!;
    expect(address.reserved).toBe(true);
    expect(address.universalGroup).toBe(0x0300);
    expect(address.randomBits).toBe(0);
    expect(address.mappedPort).toBe(0);
    expect(address.mappedIp).toBe(0);
  });

  it('accepts the pre-standard 3ffe:831f::/32 prefix and says so', () => {
    const address = decodeTeredoAddress(ip('3ffe:831f:4137:9e50:8000:f12a:b9c8:2815'))!;
    expect(address.legacyPrefix).toBe(true);
    expect(address.mappedPort).toBe(3797);
  });

  it('returns null for other prefixes and for too few bytes', () => {
    expect(decodeTeredoAddress(ip('2001:db8::1'))).toBeNull();
    expect(decodeTeredoAddress(ip('2001:1::1'))).toBeNull();
    expect(decodeTeredoAddress(ip('2002:4137:9e50::1'))).toBeNull();
    expect(decodeTeredoAddress(ip('2001:0:4137:9e50::1').subarray(0, 15))).toBeNull();
    expect(decodeTeredoAddress(new Uint8Array(0))).toBeNull();
  });

  it('reads an address at an offset inside a larger buffer', () => {
    const buffer = new Uint8Array(40);
    buffer.set(ip('2001:0:4137:9e50:8000:f12a:b9c8:2815'), 24);
    expect(isTeredoAddress(buffer, 24)).toBe(true);
    expect(isTeredoAddress(buffer, 25)).toBe(false);
    expect(isTeredoAddress(buffer, 30)).toBe(false);
    expect(teredoMappedPort(buffer, 24)).toBe(3797);
    expect(formatIpv4(teredoMappedIp(buffer, 24))).toBe('70.55.215.234');
    expect(decodeTeredoAddress(buffer, 24)?.cone).toBe(true);
  });
});

describe('encodeTeredoAddress', () => {
  it('rebuilds the wireshark-teredo client address', () => {
    const bytes = encodeTeredoAddress({ server: parseIpv4('65.55.158.80')!, mappedIp: parseIpv4('70.55.215.234')!, mappedPort: 3797, cone: true });
    expect(formatIpv6(bytes)).toBe('2001:0:4137:9e50:8000:f12a:b9c8:2815');
  });

  it('lets cone override the C bit of flags and can use the legacy prefix', () => {
    const base = { server: parseIpv4('17.23.52.250')!, mappedIp: parseIpv4('30.3.9.202')!, mappedPort: 51380 };
    expect(formatIpv6(encodeTeredoAddress({ ...base, flags: 0x9027, cone: false }))).toBe('2001:0:1117:34fa:1027:374b:e1fc:f635');
    expect(formatIpv6(encodeTeredoAddress({ ...base, flags: 0x1027, cone: true }))).toBe('2001:0:1117:34fa:9027:374b:e1fc:f635');
    expect(formatIpv6(encodeTeredoAddress({ ...base, legacyPrefix: true }))).toBe('3ffe:831f:1117:34fa:0:374b:e1fc:f635');
  });

  it('rejects numbers out of range', () => {
    const base = { server: 1, mappedIp: 1, mappedPort: 1 };
    expect(() => encodeTeredoAddress({ ...base, mappedPort: 65536 })).toThrow(RangeError);
    expect(() => encodeTeredoAddress({ ...base, server: -1 })).toThrow(RangeError);
    expect(() => encodeTeredoAddress({ ...base, mappedIp: 2 ** 32 })).toThrow(RangeError);
    expect(() => encodeTeredoAddress({ ...base, flags: 1.5 })).toThrow(RangeError);
  });

  it('round-trips through decodeTeredoAddress for any field values', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffff }),
        fc.nat({ max: 0xffff }),
        (server, mappedIp, mappedPort, flags) => {
          const decoded = decodeTeredoAddress(encodeTeredoAddress({ server, mappedIp, mappedPort, flags }))!;
          expect(decoded).toMatchObject({ server, mappedIp, mappedPort, flags, cone: flags >= 0x8000, legacyPrefix: false });
          expect(decoded.randomBits | decoded.universalGroup | (decoded.reserved ? 0x4000 : 0) | (decoded.cone ? 0x8000 : 0)).toBe(flags);
        },
      ),
    );
  });
});

describe('classifyTeredoLinkLocal', () => {
  it.each([
    ['fe80::8000:ffff:ffff:fffd', 'windows-cone-rs'],
    ['fe80::ffff:ffff:fffe', 'windows-rs'],
    ['fe80::8000:ffff:ffff:fffe', 'netdebug-cone-rs'],
    ['fe80::ffff:ffff:ffff', 'miredo-rs'],
    ['fe80::8000:5445:5245:444f', 'miredo-cone-rs'],
    ['fe80::5445:5245:444f', 'miredo-legacy-rs'],
  ])('%s is %s', (text, role) => {
    const result = classifyTeredoLinkLocal(ip(text));
    expect(result?.role).toBe(role);
    expect(result?.description.length).toBeGreaterThan(10);
    expect(result?.server).toBeNull();
  });

  it('recognizes a server RA source and recovers the server IPv4', () => {
    const result = classifyTeredoLinkLocal(ip('fe80::8000:f227:bec8:61af'))!;
    expect(result.role).toBe('server-ra');
    expect(formatIpv4(result.server!)).toBe('65.55.158.80');
    expect(result.description).toContain('65.55.158.80');
  });

  it('returns null for other addresses', () => {
    expect(classifyTeredoLinkLocal(ip('fe80::708d:fe83:4114:a512'))).toBeNull();
    expect(classifyTeredoLinkLocal(ip('fe80:1::8000:ffff:ffff:fffd'))).toBeNull();
    expect(classifyTeredoLinkLocal(ip('fe81::ffff:ffff:fffe'))).toBeNull();
    expect(classifyTeredoLinkLocal(ip('2001:0:4137:9e50:8000:f12a:b9c8:2815'))).toBeNull();
    expect(classifyTeredoLinkLocal(new Uint8Array(8))).toBeNull();
  });
});
