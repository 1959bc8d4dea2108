/** Small comparisons on 16-byte IPv6 addresses, done in place (no strings on the packet path). */

/** Whether the 16 bytes of `a` from `aOffset` are the address `b` (`a` may be a column of many). */
export function sameIpv6(a: Uint8Array, b: Uint8Array, aOffset = 0): boolean {
  for (let i = 0; i < 16; i++) if (a[aOffset + i] !== b[i]) return false;
  return true;
}

export function isLinkLocalIpv6(a: Uint8Array): boolean {
  return a[0] === 0xfe && (a[1] & 0xc0) === 0x80;
}

/** 6to4 (2002:V4::/48) embedding exactly this IPv4: a host that is its own relay. */
export function is6to4Of(a: Uint8Array, ipv4: number): boolean {
  if (a[0] !== 0x20 || a[1] !== 0x02) return false;
  return ((a[2] << 24) | (a[3] << 16) | (a[4] << 8) | a[5]) >>> 0 === ipv4;
}
