/** One packet for a capture writer. */
export interface PacketToWrite {
  /** Whole seconds since the Unix epoch (integer ≥ 0). */
  seconds: number;
  /** 0..999 999 999; rounded to the file's resolution as the writers describe. */
  nanos: number;
  /** The captured bytes (cut to the snap length when longer). */
  data: Uint8Array;
  /** Length on the wire; default data.length. */
  originalLength?: number;
  /** pcapng interface id (default 0); ignored by classic pcap. */
  interfaceId?: number;
  /** pcapng opt_comment; ignored by classic pcap. */
  comment?: string;
}

/**
 * Receives the bytes a writer produces. Every chunk is freshly allocated and handed over for good:
 * the sink may keep it (collect it, queue it on a stream) without copying.
 */
export type CaptureSink = (chunk: Uint8Array) => void;

export function checkedOriginalLength(packet: PacketToWrite): number {
  const length = packet.originalLength ?? packet.data.length;
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new RangeError(`original length ${length} cannot be written`);
  }
  return length;
}
