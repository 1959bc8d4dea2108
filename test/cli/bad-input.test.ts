import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { runCli } from './support/run-cli.js';

const SAMPLE = readFileSync('fixtures/real/wireshark-teredo.pcap');
const dir = mkdtempSync(join(tmpdir(), 'teredoscope-bad-'));

/** Byte offset of each record header in a little-endian classic pcap. */
function recordOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 24; at + 16 <= bytes.length; at += 16 + bytes.readUInt32LE(at + 8)) offsets.push(at);
  return offsets;
}

function writeTemp(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const framesOf = (stdout: string): number[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number(l.split(/\s+/)[0]));

describe('bad input never produces a stack trace', () => {
  it('a missing file: exit 3, one line naming it', async () => {
    const run = await runCli(['dissect', join(dir, 'nope.pcap')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^teredoscope: .*nope\.pcap: cannot open/m);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a text file: exit 3, says which magic was seen', async () => {
    const path = writeTemp('notes.txt', Buffer.from('hello, this is not a capture\n'));
    const run = await runCli(['dissect', path]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/notes\.txt: not a capture file \(magic 0x6c6c6568|notes\.txt: not a capture file \(magic 0x68656c6c/);
  });

  it('an empty file: exit 3', async () => {
    const run = await runCli(['dissect', writeTemp('empty.pcap', new Uint8Array(0))]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/empty\.pcap: not a capture file/);
  });

  it('a truncated file header: exit 4', async () => {
    const run = await runCli(['dissect', writeTemp('header.pcap', SAMPLE.subarray(0, 10))]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/header\.pcap: truncated file header \(10 of 24 bytes\)/);
  });

  it('a record cut at end of file: exit 4, every earlier packet still reported', async () => {
    const offsets = recordOffsets(SAMPLE);
    const cut = SAMPLE.subarray(0, offsets[40] + 16 + 20); // inside frame 41's data
    const run = await runCli(['dissect', '--quiet', writeTemp('cut.pcap', cut)]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/cut\.pcap: truncated after frame 40/);
    expect(framesOf(run.stdout)).toEqual([6, 7, ...Array.from({ length: 12 }, (_, i) => 29 + i)]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('an absurd captured length: exit 4 after the good frames', async () => {
    const offsets = recordOffsets(SAMPLE);
    const damaged = Buffer.from(SAMPLE);
    damaged.writeUInt32LE(0x00100000, offsets[31] + 8); // frame 32 claims 1 MiB
    const run = await runCli(['dissect', '--quiet', writeTemp('absurd.pcap', damaged)]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/absurd\.pcap: frame 32: captured length 1048576/);
    expect(framesOf(run.stdout)).toEqual([6, 7, 29, 30, 31]);
  });

  it('keeps going with the next file and reports the worst outcome', async () => {
    const path = writeTemp('text2.txt', Buffer.from('nothing here'));
    const run = await runCli(['dissect', '--quiet', path, 'fixtures/real/wireshark-teredo.pcap']);
    expect(run.code).toBe(3);
    expect(framesOf(run.stdout)).toHaveLength(29);
  });

  it('a captured length over the snap length: exit 4 after the good frames', async () => {
    const offsets = recordOffsets(SAMPLE);
    const damaged = Buffer.from(SAMPLE);
    damaged.writeUInt32LE(100, 16); // snap length 100: frame 2 (342 bytes) is the first to exceed it
    const run = await runCli(['dissect', '--quiet', writeTemp('snap.pcap', damaged)]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/snap\.pcap: frame \d+: captured length \d+ exceeds snap length 100/);
    expect(offsets.length).toBeGreaterThan(2);
  });

  it('pcapng block lengths that disagree or are not multiples of 4: exit 4 after the good frames', async () => {
    const frame = SAMPLE.subarray(recordOffsets(SAMPLE)[5] + 16, recordOffsets(SAMPLE)[6]); // frame 6, the RS
    const pcapng = captureToBuffer((sink) => {
      const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1 }] });
      writer.write({ seconds: 1, nanos: 0, data: frame });
      writer.write({ seconds: 2, nanos: 0, data: frame });
    });
    const view = Buffer.from(pcapng);
    const shbLength = view.readUInt32LE(4);
    const idbLength = view.readUInt32LE(shbLength + 4);
    const secondEpb = shbLength + idbLength + view.readUInt32LE(shbLength + idbLength + 4);

    const disagree = Buffer.from(view);
    disagree.writeUInt32LE(disagree.readUInt32LE(secondEpb + 4) + 4, disagree.length - 4); // trailing length ≠ leading
    const run1 = await runCli(['dissect', '--quiet', writeTemp('disagree.pcapng', disagree)]);
    expect(run1.code).toBe(4);
    expect(run1.stderr).toMatch(/disagree\.pcapng: block at byte offset \d+: trailing block length \d+ differs from leading length \d+/);
    expect(framesOf(run1.stdout)).toEqual([1]);

    const odd = Buffer.from(view);
    odd.writeUInt32LE(odd.readUInt32LE(secondEpb + 4) - 2, secondEpb + 4);
    const run2 = await runCli(['dissect', '--quiet', writeTemp('odd.pcapng', odd)]);
    expect(run2.code).toBe(4);
    expect(run2.stderr).toMatch(/odd\.pcapng: .*not a multiple of 4/);
    expect(framesOf(run2.stdout)).toEqual([1]);
  });

  it('an unsupported link type is reported once, not fatal', async () => {
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 147 });
      for (let i = 0; i < 3; i++) writer.write({ seconds: i, nanos: 0, data: new Uint8Array(40) });
    });
    const run = await runCli(['dissect', writeTemp('user0.pcap', bytes)]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/user0\.pcap: link type 147 \(user 0\) is not supported; 3 frames skipped/);
    expect(run.stderr.match(/not supported/g)).toHaveLength(1);
  });
});
