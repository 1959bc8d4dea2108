import type { UdpDatagram } from '../decode/datagram.js';

export interface TeredoDatagramSpec {
  srcIp: number;
  srcPort: number;
  dstIp: number;
  dstPort: number;
  frame?: number;
  seconds?: number;
  nanos?: number;
  precision?: number;
  ttl?: number;
  /** Bytes placed before the payload in the buffer (default 42, as after Ethernet + IPv4 + UDP). */
  headroom?: number;
  /** Bytes of 0xee placed after the payload, to prove readers stop at payloadLength (default 0). */
  tailroom?: number;
  fragmentFrames?: readonly number[];
  tunnelDepth?: number;
  /** Payload bytes the datagram had beyond `payload` (cut by a snap length; default 0). */
  cutBytes?: number;
}

/**
 * A UdpDatagram as the decode stage hands it over, for feeding the Teredo dissector directly:
 * the payload sits inside a larger buffer at payloadOffset, like a window into a frame.
 */
export function teredoDatagram(payload: Uint8Array, spec: TeredoDatagramSpec): UdpDatagram {
  const headroom = spec.headroom ?? 42;
  const tailroom = spec.tailroom ?? 0;
  const buffer = new Uint8Array(headroom + payload.length + tailroom).fill(0xee);
  buffer.set(payload, headroom);
  return {
    frame: spec.frame ?? 1,
    seconds: spec.seconds ?? 1_210_953_052,
    nanos: spec.nanos ?? 0,
    precision: spec.precision ?? 6,
    srcIp: spec.srcIp >>> 0,
    dstIp: spec.dstIp >>> 0,
    srcPort: spec.srcPort,
    dstPort: spec.dstPort,
    ttl: spec.ttl ?? 64,
    buffer,
    payloadOffset: headroom,
    payloadLength: payload.length,
    fragmentFrames: spec.fragmentFrames ?? [],
    tunnelDepth: spec.tunnelDepth ?? 0,
    cutBytes: spec.cutBytes ?? 0,
  };
}
