import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, isGlobalIpv4, parseIpv4, parseIpv6 } from '../../src/decode/ip-address.js';

const v6 = (text: string): string => {
  const bytes = parseIpv6(text);
  if (bytes === null) throw new Error(`unparsable ${text}`);
  return formatIpv6(bytes);
};

describe('IPv4 text', () => {
  it('round-trips dotted quads', () => {
    expect(parseIpv4('65.55.158.80')).toBe(0x41379e50);
    expect(formatIpv4(0x41379e50)).toBe('65.55.158.80');
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
  });
  it('rejects shorthand, octal-looking and out-of-range forms', () => {
    for (const bad of ['1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1.2.3.-4', '', 'a.b.c.d']) expect(parseIpv4(bad)).toBeNull();
  });
});

describe('IPv6 text (RFC 5952)', () => {
  it('compresses the longest zero run, first on a tie, lowercase, no leading zeros', () => {
    expect(v6('2001:0000:4137:9E50:8000:F12A:B9C8:2815')).toBe('2001:0:4137:9e50:8000:f12a:b9c8:2815');
    expect(v6('2001:4860:0:2001:0:0:0:68')).toBe('2001:4860:0:2001::68');
    expect(v6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(v6('ff02:0:0:0:0:0:0:2')).toBe('ff02::2');
    expect(v6('::')).toBe('::');
    expect(v6('fe80::8000:ffff:ffff:fffd')).toBe('fe80::8000:ffff:ffff:fffd');
    expect(v6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
  });
  it('writes IPv4-mapped addresses in mixed notation as tshark does', () => {
    expect(v6('::ffff:10.9.8.7')).toBe('::ffff:10.9.8.7');
    expect(v6('0:0:0:0:0:ffff:a09:807')).toBe('::ffff:10.9.8.7');
  });
  it('rejects malformed text', () => {
    for (const bad of ['', '1::2::3', '2001:db8', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '::1.2.3']) expect(parseIpv6(bad)).toBeNull();
  });
});

describe('global unicast IPv4 (RFC 4380 §5.2.4)', () => {
  it('rejects the special ranges and accepts public addresses', () => {
    for (const text of ['0.1.2.3', '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.2.16', '169.254.1.1', '192.88.99.1', '224.0.0.253', '255.255.255.255']) {
      expect(isGlobalIpv4(parseIpv4(text)!), text).toBe(false);
    }
    for (const text of ['65.55.158.80', '70.55.215.234', '172.32.0.1', '83.170.1.38']) expect(isGlobalIpv4(parseIpv4(text)!), text).toBe(true);
  });
});
