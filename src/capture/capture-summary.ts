/** What the reader tells about a capture once it has delivered every record. */
export interface CaptureSummary {
  format: 'pcap' | 'pcapng';
  compressed: boolean;
  /**
   * The last frame number: records delivered, plus the few pcapng blocks that Wireshark also
   * numbers as frames although they hold no packet (custom, systemd journal, Sysdig event), which
   * the reader skips. Equal to the records delivered for every other file.
   */
  frames: number;
  /** Bytes of capture data consumed (after decompression). */
  bytes: number;
  /** Link types seen, with the number of records of each. */
  linkTypes: Map<number, number>;
}
