/** What the reader tells about a capture once it has delivered every record. */
export interface CaptureSummary {
  format: 'pcap' | 'pcapng';
  compressed: boolean;
  /** Records delivered (= the last frame number). */
  frames: number;
  /** Bytes of capture data consumed (after decompression). */
  bytes: number;
  /** Link types seen, with the number of records of each. */
  linkTypes: Map<number, number>;
}
