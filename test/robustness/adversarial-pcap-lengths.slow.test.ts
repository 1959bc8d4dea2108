import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/capture/capture-file.js';
import { runCli } from './support/measured-cli.js';
import { goodPcap, lines, scratchDirectory, SOLICITATION } from './support/scratch-files.js';

/*
 * Classic pcap records whose lengths exceed the snap length, or any sane length. The reader checks
 * a record's captured length before it reserves room for it: a length over the file's snap length
 * or over 256 KiB is damage reported at once, a plausible length the file does not back is a
 * truncation, and an original length beyond the captured one is an ordinary snaplen cut. Every
 * case goes through the CLI: earlier frames printed, one clear line, the documented exit status,
 * small memory, little time.
 */

const file = scratchDirectory('pcap-lengths');
const RSS_LIMIT_MB = 160;
const TIME_LIMIT_S = 30;

/** A record header claiming `capturedLength` and `originalLength`, followed by `present` bytes of data. */
function record(capturedLength: number, originalLength: number, present: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(16 + present.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 1_700_000_002, true);
  view.setUint32(8, capturedLength, true);
  view.setUint32(12, originalLength, true);
  bytes.set(present, 16);
  return bytes;
}

async function dissect(name: string, bytes: Uint8Array) {
  const path = file(name);
  writeFileSync(path, bytes);
  const run = await runCli(['dissect', path]);
  expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  expect(run.seconds).toBeLessThan(TIME_LIMIT_S);
  return { ...run, path, frames: lines(run.stdout).map((line) => Number(line.split(' ')[0])), stderr: lines(run.stderr) };
}

describe('classic pcap record lengths', () => {
  it('over the snap length: damage at that frame, the frames before are reported', async () => {
    const present = new Uint8Array(2000);
    present.set(SOLICITATION);
    const run = await dissect('over-snap.pcap', concatBytes([goodPcap(1500), record(2000, 2000, present), goodPcap(1500).subarray(24)]));
    expect(run.frames).toEqual([1, 2]);
    expect(run.stderr).toEqual([`teredoscope: ${run.path}: frame 3: captured length 2000 exceeds snap length 1500`]);
    expect(run.status).toBe(4);
  });

  it('over any sane length (4 GB): damage, whatever the snap length says', async () => {
    for (const snapLength of [262144, 0xffffffff, 0]) {
      const run = await dissect(`absurd-${snapLength}.pcap`, concatBytes([goodPcap(snapLength), record(0xffffffff, 0xffffffff, new Uint8Array(64))]));
      expect(run.frames).toEqual([1, 2]);
      expect(run.stderr).toEqual([`teredoscope: ${run.path}: frame 3: captured length 4294967295 is absurd (over 256 KiB)`]);
      expect(run.status).toBe(4);
    }
  });

  it('the largest length the reader accepts, not backed by the file: a truncation', async () => {
    const run = await dissect('unbacked.pcap', concatBytes([goodPcap(), record(262144, 262144, new Uint8Array(1000))]));
    expect(run.frames).toEqual([1, 2]);
    expect(run.stderr).toEqual([`teredoscope: ${run.path}: truncated after frame 2: record of 262160 bytes cut at 1016`]);
    expect(run.status).toBe(4);
  });

  it('an original length of 4 GB over a short captured length is a snaplen cut, read normally', async () => {
    const run = await dissect('cut.pcap', concatBytes([goodPcap(), record(SOLICITATION.length, 0xffffffff, SOLICITATION)]));
    expect(run.frames).toEqual([1, 2, 3]);
    expect(run.stderr).toEqual([`teredoscope: ${run.path}: 3 frames, 3 Teredo packets (pcap)`]);
    expect(run.status).toBe(0);
  });

  it('snap length 0 means no limit: a 200 000-byte record (an RS and padding) is read', async () => {
    const big = new Uint8Array(200_000);
    big.set(SOLICITATION);
    const run = await dissect('snap-0.pcap', concatBytes([goodPcap(0), record(big.length, big.length, big)]));
    expect(run.frames).toEqual([1, 2, 3]);
    expect(run.stderr).toEqual([`teredoscope: ${run.path}: 3 frames, 3 Teredo packets (pcap)`]);
    expect(run.status).toBe(0);
  });
});
