/**
 * Internet checksum pieces for the benchmark's frame writer. Sums are kept unfolded (plain
 * numbers) so that the sums of separate ranges can be added before folding once.
 */

/** Sum of the big-endian 16-bit words of bytes[start, end); an odd last byte is padded with zero. */
export function wordSum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  return sum;
}

/** The one's-complement checksum of an unfolded sum. */
export function foldChecksum(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded % 65536) + Math.floor(folded / 65536);
  return ~folded & 0xffff;
}

export function ipv4PseudoSum(srcIp: number, dstIp: number, protocol: number, length: number): number {
  return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + length;
}

/** RFC 8200 §8.1 pseudo-header over the addresses at srcOffset and srcOffset + 16. */
export function ipv6PseudoSum(bytes: Uint8Array, srcOffset: number, nextHeader: number, length: number): number {
  return wordSum(bytes, srcOffset, srcOffset + 32) + Math.floor(length / 65536) + (length % 65536) + nextHeader;
}
