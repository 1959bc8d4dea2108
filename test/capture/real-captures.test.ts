import { describe, expect, it } from 'vitest';
import { formatIsoTime } from '../../src/capture/timestamp.js';
import { readAll } from './support/read-all.js';

// Frame counts as tshark reports them (see fixtures/real/README.md).
const CAPTURES: Array<[string, number]> = [
  ['fixtures/real/wireshark-teredo.pcap', 78],
  ['fixtures/real/zeek-teredo-bubble-with-payload.pcap', 29],
  ['fixtures/real/zeek-gtp-teredo.pcap', 10],
  ['fixtures/real/snort-teredo-tcp.pcap', 8],
  ['fixtures/real/zeek-teredo-udp-in-udp.pcap', 1],
];

describe('real captures', () => {
  for (const [path, frames] of CAPTURES) {
    it(`reads all ${frames} frames of ${path}`, async () => {
      const { records, summary, error } = await readAll(path);
      expect(error).toBeNull();
      expect(records).toHaveLength(frames);
      expect(records.map((record) => record.frame)).toEqual(Array.from({ length: frames }, (_, i) => i + 1));
      expect(summary?.format).toBe('pcap');
      expect(summary?.compressed).toBe(false);
      expect(summary?.frames).toBe(frames);
      for (const record of records) {
        expect(record.precision).toBe(6);
        expect(record.capturedLength).toBe(record.hex.length / 2);
        expect(record.capturedLength).toBeLessThanOrEqual(record.originalLength);
      }
    });
  }

  it('gives wireshark-teredo.pcap the times and lengths tshark shows', async () => {
    const { records, summary } = await readAll('fixtures/real/wireshark-teredo.pcap');
    // tshark -r F -T fields -e frame.time_epoch -e frame.len
    expect(records.slice(0, 7).map((r) => [r.seconds, r.nanos, r.originalLength])).toEqual([
      [1210953046, 591933000, 243],
      [1210953047, 736921000, 54],
      [1210953047, 737278000, 54],
      [1210953050, 867067000, 54],
      [1210953050, 867454000, 54],
      [1210953052, 202579000, 119],
      [1210953052, 324629000, 151],
    ]);
    expect(formatIsoTime(records[5])).toBe('2008-05-16T15:50:52.202579Z');
    expect(records[5].linkType).toBe(1);
    expect(summary?.linkTypes).toEqual(new Map([[1, 78]]));
    expect(summary?.bytes).toBe(26297);
  });
});
