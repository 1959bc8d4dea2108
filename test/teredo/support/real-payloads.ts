// UDP payloads copied from the real captures in fixtures/real (tshark -T fields -e udp.payload),
// so that parser unit tests run on bytes real Teredo nodes sent, independent of the capture reader.
import { parseIpv4 } from '../../../src/decode/ip-address.js';
import type { UdpDatagram } from '../../../src/decode/datagram.js';
import { hexBytes } from '../../../src/synth/teredo-hex.js';
import { teredoDatagram } from '../../../src/synth/teredo-datagram.js';

export interface RealPayload {
  source: string;
  frame: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  hex: string;
}

export const WIRESHARK_RS: RealPayload = {
  source: 'wireshark-teredo.pcap',
  frame: 6,
  srcIp: '192.168.2.16',
  srcPort: 3797,
  dstIp: '65.55.158.80',
  dstPort: 3544,
  hex: '00010000cd5669400b22df88006000000000183afffe800000000000008000fffffffffffdff0200000000000000000000000000028500a91d0000000001020000000000008000f12ab9c82815',
};

export const WIRESHARK_RA: RealPayload = {
  source: 'wireshark-teredo.pcap',
  frame: 7,
  srcIp: '65.55.158.81',
  srcPort: 3544,
  dstIp: '192.168.2.16',
  dstPort: 3797,
  hex:
    '00010000cd5669400b22df88000000f12ab9c828156000000000303afffe800000000000008000f227bec861affe800000000000008000fffffffffffd' +
    '86001f570000000000000000000007d003044040ffffffffffffffff000000002001000041379e500000000000000000',
};

export const WIRESHARK_BUBBLE_TO_RELAY: RealPayload = {
  source: 'wireshark-teredo.pcap',
  frame: 29,
  srcIp: '192.168.2.16',
  srcPort: 3797,
  dstIp: '83.170.1.38',
  dstPort: 32900,
  hex: '6000000000003b152001000041379e508000f12ab9c8281520014860000020010000000000000068',
};

export const BWP_BUBBLE_WITH_PAYLOAD: RealPayload = {
  source: 'zeek-teredo-bubble-with-payload.pcap',
  frame: 3,
  srcIp: '192.168.2.16',
  srcPort: 3797,
  dstIp: '83.170.1.38',
  dstPort: 32900,
  hex: '6000000000003b152001000041379e508000f12ab9c828152001486000002001000000000000006831323334',
};

export const BWP_ECHO_REQUEST: RealPayload = {
  source: 'zeek-teredo-bubble-with-payload.pcap',
  frame: 4,
  srcIp: '192.168.2.16',
  srcPort: 3797,
  dstIp: '65.55.158.80',
  dstPort: 3544,
  hex: '60000000000c3a152001000041379e508000f12ab9c82815200148600000200100000000000000688000c57cd373b69b53aa0126',
};

export const BWP_RELAYED_BUBBLE: RealPayload = {
  source: 'zeek-teredo-bubble-with-payload.pcap',
  frame: 5,
  srcIp: '65.55.158.80',
  srcPort: 3544,
  dstIp: '192.168.2.16',
  dstPort: 3797,
  hex: '00007f7bac55fed96000000000003b00fe80000000000000708dfe834114a5122001000041379e508000f12ab9c8281531323334',
};

export const BWP_ECHO_REPLY: RealPayload = {
  source: 'zeek-teredo-bubble-with-payload.pcap',
  frame: 7,
  srcIp: '83.170.1.38',
  srcPort: 32900,
  dstIp: '192.168.2.16',
  dstPort: 3797,
  hex: '60000000000c3a3a200148600000200100000000000000682001000041379e508000f12ab9c828158100c47cd373b69b53aa0126',
};

export const SNORT_TCP: RealPayload = {
  source: 'snort-teredo-tcp.pcap',
  frame: 1,
  srcIp: '10.1.2.3',
  srcPort: 48620,
  dstIp: '10.9.8.7',
  dstPort: 3544,
  hex: '600000010014064020010000000000000000ffff0a01020500000000000000000000ffff0a090807bdec000800000001000000005002400073d60000',
};

/** Inside GTP-U; outer addresses are those of the inner IPv4 (172.24.204.200 → 65.55.158.118). */
export const GTP_BUBBLE_WITH_TRAILERS: RealPayload = {
  source: 'zeek-gtp-teredo.pcap',
  frame: 1,
  srcIp: '172.24.204.200',
  srcPort: 56528,
  dstIp: '65.55.158.118',
  dstPort: 3544,
  hex: '6000000000003b15200100005ef579fd3ca56ae62b37be972001000041379e76201a3f513afd573e010477a05e7603080000ac18ccc8dcd00502df78',
};

export const GTP_RS_NO_OPTIONS: RealPayload = {
  source: 'zeek-gtp-teredo.pcap',
  frame: 6,
  srcIp: '172.27.159.9',
  srcPort: 63912,
  dstIp: '94.245.121.253',
  dstPort: 3544,
  hex: '00010000b4335666cce71d74006000000000083afffe800000000000000000fffffffffffeff02000000000000000000000000000285007d3800000000',
};

/** Zeek's false-Teredo case (outer IPv6 in the capture; the ports are the real ones). */
export const ZEEK_UDP_IN_UDP: RealPayload = {
  source: 'zeek-teredo-udp-in-udp.pcap',
  frame: 1,
  srcIp: '10.0.0.1',
  srcPort: 25977,
  dstIp: '10.0.0.2',
  dstPort: 25964,
  hex: '00001900000000036564750000191140000000000000000000385f556265726b209090909090909090909000000000006579656c00196a340061746564550000000065550000000065',
};

export function realBytes(payload: RealPayload): Uint8Array {
  return hexBytes(payload.hex);
}

export function realDatagram(payload: RealPayload, overrides: Partial<Pick<UdpDatagram, 'srcPort' | 'dstPort' | 'frame'>> = {}): UdpDatagram {
  return teredoDatagram(realBytes(payload), {
    srcIp: parseIpv4(payload.srcIp)!,
    srcPort: overrides.srcPort ?? payload.srcPort,
    dstIp: parseIpv4(payload.dstIp)!,
    dstPort: overrides.dstPort ?? payload.dstPort,
    frame: overrides.frame ?? payload.frame,
    tailroom: 7,
  });
}
