import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { captureToBuffer, writeCaptureFile } from '../../src/capture/capture-file.js';
import { parseNdjson, runCli } from './support/run-cli.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const dir = mkdtempSync(join(tmpdir(), 'teredoscope-multi-'));

/** Splits the sample capture at a frame into two rotated files, as a ring buffer would. */
async function rotate(splitAfterFrame: number): Promise<[string, string]> {
  const frames: { seconds: number; nanos: number; data: Uint8Array }[] = [];
  await readCapture(SAMPLE, (r) => {
    frames.push({ seconds: r.seconds, nanos: r.nanos, data: Uint8Array.from(r.buffer.subarray(r.offset, r.offset + r.capturedLength)) });
  });
  const write = async (name: string, part: typeof frames): Promise<string> => {
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 1 });
      for (const f of part) writer.write(f);
    });
    const path = join(dir, name);
    await writeCaptureFile(path, bytes);
    return path;
  };
  return [await write(`ring_00001.pcap`, frames.slice(0, splitAfterFrame)), await write(`ring_00002.pcap`, frames.slice(splitAfterFrame))];
}

describe('several captures form one timeline', () => {
  it('merges rotated files by time, keeping each file its own frame numbers', async () => {
    const [first, second] = await rotate(30);
    // Given in reverse order: the merge still follows the timestamps.
    const run = await runCli(['dissect', '--json', '--quiet', second, first]);
    expect(run.code).toBe(0);
    const packets = parseNdjson(run.stdout) as Array<{ file: string; frame: number; time: string }>;
    expect(packets).toHaveLength(29);
    expect(packets.slice(0, 3).map((p) => [p.file, p.frame])).toEqual([
      [first, 6],
      [first, 7],
      [first, 29],
    ]);
    expect(packets.find((p) => p.file === second)?.frame).toBe(1); // frame 31 of the original
    const times = packets.map((p) => p.time);
    expect([...times].sort()).toEqual(times);
  });

  it('reads a directory of rotated files and names the file on each line', async () => {
    const ring = join(dir, 'ring');
    mkdirSync(ring);
    const [first, second] = await rotate(40);
    copyFileSync(first, join(ring, 'ring_00001.pcap'));
    copyFileSync(second, join(ring, 'ring_00002.pcap'));
    const run = await runCli(['dissect', ring]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(29);
    expect(lines[0].startsWith(`${join(ring, 'ring_00001.pcap')}:6 `)).toBe(true);
    expect(lines[28].startsWith(`${join(ring, 'ring_00002.pcap')}:`)).toBe(true);
    expect(run.stderr).toMatch(/ring_00001\.pcap: 40 frames, 14 Teredo packets/);
    expect(run.stderr).toMatch(/ring_00002\.pcap: 38 frames, 15 Teredo packets/);
  });

  it('interleaves overlapping captures of the same traffic', async () => {
    const run = await runCli(['dissect', '--json', '--quiet', SAMPLE, SAMPLE]);
    const frames = parseNdjson(run.stdout).map((p) => p.frame);
    expect(frames.slice(0, 4)).toEqual([6, 6, 7, 7]);
    expect(frames).toHaveLength(58);
  });
});
