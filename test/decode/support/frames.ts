// Shared helpers for the decode tests: build a frame with the synth builders and decode it.
import type { CaptureRecord } from '../../../src/capture/record.js';
import { parseIpv4 } from '../../../src/decode/ip-address.js';
import type { UdpDatagram } from '../../../src/decode/datagram.js';
import { PacketDecoder } from '../../../src/decode/packet-decoder.js';
import { buildIpv4Udp, encapsulate } from '../../../src/synth/frame-builder.js';
import type { Ipv4UdpSpec, LinkEncapsulation } from '../../../src/synth/frame-builder.js';
import { makeCaptureRecord } from '../../../src/synth/frame-record.js';

export function ip(text: string): number {
  const value = parseIpv4(text);
  if (value === null) throw new Error(`bad IPv4 ${text}`);
  return value;
}

export const CLIENT = ip('192.168.2.16');
export const SERVER = ip('65.55.158.80');

export function teredoLikeSpec(overrides: Partial<Ipv4UdpSpec> = {}): Ipv4UdpSpec {
  return {
    srcIp: CLIENT,
    dstIp: SERVER,
    srcPort: 3797,
    dstPort: 3544,
    payload: Uint8Array.from({ length: 48 }, (_, i) => (i * 7 + 3) & 0xff),
    ttl: 128,
    id: 0x1234,
    ...overrides,
  };
}

export function recordFor(frame: Uint8Array, linkType: number, extra: Partial<CaptureRecord> = {}): CaptureRecord {
  return { ...makeCaptureRecord(frame, { linkType }), ...extra };
}

/** Decodes one frame with a fresh decoder; returns the decoder too, for its stats. */
export function decodeOne(frame: Uint8Array, linkType: number, extra: Partial<CaptureRecord> = {}): { decoder: PacketDecoder; datagram: UdpDatagram | null } {
  const decoder = new PacketDecoder();
  const datagram = decoder.decode(recordFor(frame, linkType, extra));
  return { decoder, datagram };
}

export function framed(spec: Ipv4UdpSpec, link: LinkEncapsulation): Uint8Array {
  return encapsulate(buildIpv4Udp(spec), link);
}

export function payloadOf(datagram: UdpDatagram): Uint8Array {
  return datagram.buffer.slice(datagram.payloadOffset, datagram.payloadOffset + datagram.payloadLength);
}

/** A minimal IPv6 packet (40-byte header, UDP next header, zero payload) for "IPv6 is counted" tests. */
export function ipv6Packet(): Uint8Array {
  const packet = new Uint8Array(40);
  packet[0] = 0x60;
  packet[6] = 17;
  packet[7] = 64;
  return packet;
}
