import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { featureFrames } from '../../src/fuzz/corpus-frames.js';

/** A Teredo Router Solicitation and the Router Advertisement answering it (Ethernet frames). */
export const [SOLICITATION, ADVERTISEMENT] = featureFrames().map((frame) => frame.data);

/** A classic pcap (µs, little-endian, Ethernet) of `count` Teredo packets, RS and RA in turn, one a second from `start`. */
export function teredoPcap(count: number, start = 1_700_000_000): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1 });
    for (let i = 0; i < count; i++) writer.write({ seconds: start + i, nanos: 0, data: i % 2 === 0 ? SOLICITATION : ADVERTISEMENT });
  });
}

/** A temporary directory for one test file, removed after its tests. */
export function hostileScratch(label: string): { path: (name: string) => string; directory: string } {
  const directory = mkdtempSync(join(tmpdir(), `teredoscope-hostile-${label}-`));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return { directory, path: (name) => join(directory, name) };
}

/** The non-empty lines of a CLI output. */
export function outputLines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

/** The frame numbers of `dissect` summary lines (first field). */
export function dissectFrames(stdout: string): number[] {
  return outputLines(stdout).map((line) => Number(line.split(/\s+/)[0]));
}

/** A pcapng Interface Description Block (little-endian, 20 bytes, no options). */
export function interfaceBlock(linkType: number, snapLength = 0): Uint8Array {
  const block = new Uint8Array(20);
  const view = new DataView(block.buffer);
  view.setUint32(0, 1, true);
  view.setUint32(4, 20, true);
  view.setUint16(8, linkType, true);
  view.setUint32(12, snapLength, true);
  view.setUint32(16, 20, true);
  return block;
}

/** `count` copies of `block`, end to end (Buffer.fill repeats a pattern natively). */
export function repeated(block: Uint8Array, count: number): Buffer {
  return Buffer.alloc(block.length * count).fill(block);
}
