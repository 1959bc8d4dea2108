/**
 * A UDP/IPv4 datagram found in a frame: the output of the decode stage.
 *
 * Like the capture record it is one reused object whose fields are overwritten per packet; the
 * payload is a window into `buffer` (the frame's bytes, or a reassembly buffer when the datagram
 * was rebuilt from IPv4 fragments). Addresses are IPv4 as unsigned 32-bit numbers so that hot-path
 * lookups need no strings.
 */
export interface UdpDatagram {
  frame: number;
  seconds: number;
  nanos: number;
  precision: number;
  srcIp: number;
  dstIp: number;
  srcPort: number;
  dstPort: number;
  /** IPv4 TTL of the (last) packet that carried the datagram. */
  ttl: number;
  buffer: Uint8Array;
  payloadOffset: number;
  payloadLength: number;
  /** Frames of the IPv4 fragments the datagram was rebuilt from (empty when it was not fragmented). */
  fragmentFrames: readonly number[];
  /** Number of tunnel layers (e.g. GTP-U) that were removed to reach this datagram. */
  tunnelDepth: number;
  /**
   * Payload bytes that were sent (UDP length) but not captured: the frame was cut by the
   * capture's snap length. 0 for a whole datagram; `payloadLength` counts only the bytes present.
   */
  cutBytes: number;
}
