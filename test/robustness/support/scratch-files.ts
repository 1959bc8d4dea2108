import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { captureToBuffer } from '../../../src/capture/capture-file.js';
import { PcapngWriter } from '../../../src/capture/pcapng-writer.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { featureFrames } from '../../../src/fuzz/corpus-frames.js';

/** A temporary directory for one test file, removed after its tests. */
export function scratchDirectory(label: string): (name: string) => string {
  const directory = mkdtempSync(join(tmpdir(), `teredoscope-robustness-${label}-`));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return (name) => join(directory, name);
}

/** A Teredo Router Solicitation and the Router Advertisement answering it (Ethernet frames). */
export const [SOLICITATION, ADVERTISEMENT] = featureFrames().map((frame) => frame.data);

/** A pcapng section (little-endian, one Ethernet interface) holding the RS and the RA: two good frames. */
export function goodPcapng(): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1 }] });
    writer.write({ seconds: 1_700_000_000, nanos: 0, data: SOLICITATION });
    writer.write({ seconds: 1_700_000_001, nanos: 0, data: ADVERTISEMENT });
  });
}

/** A classic pcap (µs, little-endian, snap length `snapLength`) holding the RS and the RA. */
export function goodPcap(snapLength = 262144): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1, snapLength });
    writer.write({ seconds: 1_700_000_000, nanos: 0, data: SOLICITATION });
    writer.write({ seconds: 1_700_000_001, nanos: 0, data: ADVERTISEMENT });
  });
}

/** The text lines of a CLI output. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}
