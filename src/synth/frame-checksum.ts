/**
 * RFC 1071 Internet checksum over bytes[start, end), continuing from a partial sum (so that a
 * pseudo-header can be summed first). Returns the one's-complement 16-bit checksum.
 */
export function internetChecksum(bytes: Uint8Array, start: number, end: number, partialSum = 0): number {
  let sum = partialSum;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Sum of the IPv4 pseudo-header UDP and TCP checksums cover (RFC 768), not yet folded. */
export function ipv4PseudoHeaderSum(srcIp: number, dstIp: number, protocol: number, length: number): number {
  return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + length;
}
