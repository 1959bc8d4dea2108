import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureToBuffer } from '../../../src/capture/capture-file.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { readCapture } from '../../../src/capture/reader.js';

/** Shared by the CLI tests of everyday use (options, inputs, timelines, terminal output). */
export const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
export const SCENARIOS = 'fixtures/synthetic/scenarios';

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'teredoscope-everyday-'));
}

export interface JsonReport {
  captures: { file: string; error?: string; teredoPackets: number }[];
  clients: { id: string; packets: number; state: string; console: string | null; cause: string | null; portPreserving: boolean | null; server: { primary: string | null }; rsRaRoundTripMs: number | null }[];
  findings: { kind: string }[];
  timelines?: number[][];
}

/** The sample's frames written again into `dir`, optionally shifted in time and cut to a frame range. */
export async function rewriteSample(dir: string, name: string, options: { shiftSeconds?: number; from?: number; to?: number } = {}): Promise<string> {
  const frames: { seconds: number; nanos: number; data: Uint8Array }[] = [];
  await readCapture(SAMPLE, (r) => {
    if (r.frame < (options.from ?? 1) || r.frame > (options.to ?? Infinity)) return;
    frames.push({ seconds: r.seconds + (options.shiftSeconds ?? 0), nanos: r.nanos, data: Uint8Array.from(r.buffer.subarray(r.offset, r.offset + r.capturedLength)) });
  });
  const path = join(dir, name);
  writeFileSync(path, captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1 });
    for (const f of frames) writer.write(f);
  }));
  return path;
}

/** An error message of one line. */
export const oneLine = (text: string): boolean => text.trim() !== '' && !text.trim().includes('\n');
