const NAMES: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 59: 'no next header' };

/** A short name for an IPv6 next-header / upper-layer protocol number. */
export function protocolName(protocol: number): string {
  return NAMES[protocol] ?? `protocol ${protocol}`;
}
