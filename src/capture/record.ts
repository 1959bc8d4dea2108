/**
 * One packet record as the capture file holds it.
 *
 * The reader reuses a single record object and hands it to a callback, in the way gopacket's
 * DecodingLayerParser reuses its layers: nothing is allocated per packet on the read path. A
 * record (and the bytes it points at) is only valid during the callback; copy what must outlive it.
 */
export interface CaptureRecord {
  /** 1-based, counted over the whole file exactly as Wireshark numbers frames. */
  frame: number;
  /** Whole seconds since the Unix epoch (UTC), after any pcapng if_tsoffset. */
  seconds: number;
  /** Nanoseconds within the second, 0..999 999 999. */
  nanos: number;
  /** Number of fractional digits the capture really recorded (6 for µs pcap, 9 for ns, …). */
  precision: number;
  /** LINKTYPE_* value of the interface the packet came from. */
  linkType: number;
  /** pcapng interface id; 0 for classic pcap. */
  interfaceId: number;
  capturedLength: number;
  originalLength: number;
  /** Backing bytes; the packet is buffer[offset, offset + capturedLength). */
  buffer: Uint8Array;
  offset: number;
}

/** The bytes of a record as their own view (allocates a view object, never copies). */
export function recordBytes(record: CaptureRecord): Uint8Array {
  return record.buffer.subarray(record.offset, record.offset + record.capturedLength);
}
