import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/capture/capture-file.js';
import { runCli } from './support/measured-cli.js';
import { goodPcapng, lines, scratchDirectory } from './support/scratch-files.js';

/*
 * pcapng blocks that claim 4 GB (0xfffffffc bytes). The reader must never size a buffer from such
 * a claim: packet and header blocks it would have to hold are rejected at once as damage; blocks
 * it skips are skipped as they stream by, so a claim that the file does not back ends in a
 * truncation only when the bytes run out. Each case goes through the CLI: the frames before the
 * bad block are printed, one clear line on standard error, exit status 4, small memory and time.
 */

const file = scratchDirectory('pcapng-4gb');
const CLAIM = 0xfffffffc;
/** The CLI's baseline is about 60 MB; a buffer sized from the claim would be 4 GB. */
const RSS_LIMIT_MB = 160;
const TIME_LIMIT_S = 30;

/** A block header claiming 4 GB, followed by `body` bytes of zeros (all the file really holds of it). */
function claimingBlock(type: number, body: number): Uint8Array {
  const block = new Uint8Array(12 + body);
  const view = new DataView(block.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, CLAIM, true);
  if (type === 0x0a0d0d0a) view.setUint32(8, 0x1a2b3c4d, true);
  return block;
}

async function dissect(name: string, bytes: Uint8Array): Promise<{ path: string; stdout: string[]; stderr: string[]; status: number | null; maxRssMb: number; seconds: number }> {
  const path = file(name);
  writeFileSync(path, bytes);
  const run = await runCli(['dissect', path]);
  expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  expect(run.seconds).toBeLessThan(TIME_LIMIT_S);
  return { ...run, path, stdout: lines(run.stdout), stderr: lines(run.stderr) };
}

describe('pcapng blocks claiming 4 GB', () => {
  const good = goodPcapng();
  const badBlockOffset = good.length;

  for (const [kind, type] of [['enhanced', 6], ['simple', 3], ['obsolete', 2]] as const) {
    it(`an ${kind} packet block is damage, reported at once`, async () => {
      const run = await dissect(`${kind}.pcapng`, concatBytes([good, claimingBlock(type, 100)]));
      expect(run.stdout.map((line) => line.split(' ')[0])).toEqual(['1', '2']);
      expect(run.stderr).toEqual([
        `teredoscope: ${run.path}: frame 3 (block at byte offset ${badBlockOffset}): packet block of ${CLAIM} bytes is too large (over 393248)`,
      ]);
      expect(run.status).toBe(4);
    });
  }

  it('a section header or interface description block is damage', async () => {
    const section = await dissect('section.pcapng', claimingBlock(0x0a0d0d0a, 16));
    expect(section.stdout).toEqual([]);
    expect(section.stderr).toEqual([`teredoscope: ${section.path}: block at byte offset 0: header block of ${CLAIM} bytes is over 1 MiB`]);
    // The first section header: nothing was read, so the file is unreadable (issue 16, class 7).
    expect(section.status).toBe(3);
    const description = await dissect('interface.pcapng', concatBytes([good.subarray(0, 28), claimingBlock(1, 100)]));
    expect(description.stderr).toEqual([`teredoscope: ${description.path}: block at byte offset 28: header block of ${CLAIM} bytes is over 1 MiB`]);
    expect(description.status).toBe(4);
  });

  it('a skipped block is streamed past, 64 MiB of it, and ends as a truncation', async () => {
    const body = 64 * 1024 * 1024;
    const run = await dissect('skipped.pcapng', concatBytes([good, claimingBlock(4, body)]));
    expect(run.stdout.map((line) => line.split(' ')[0])).toEqual(['1', '2']);
    expect(run.stderr).toEqual([`teredoscope: ${run.path}: truncated after frame 2: record of ${CLAIM} bytes cut at ${12 + body}`]);
    expect(run.status).toBe(4);
  });

  it('a skipped block inflated from a small gzip file (256 MiB of zeros) is streamed past too', async () => {
    const body = 256 * 1024 * 1024;
    const run = await dissect('skipped.pcapng.gz', gzipSync(concatBytes([good, claimingBlock(0x12345678, body)])));
    expect(run.stdout).toHaveLength(2);
    expect(run.stderr).toEqual([`teredoscope: ${run.path}: truncated after frame 2: record of ${CLAIM} bytes cut at ${12 + body}`]);
    expect(run.status).toBe(4);
  });

  it('analyze reports what came before the damage and the truncation as a finding', async () => {
    const path = file('analyze.pcapng');
    writeFileSync(path, concatBytes([good, claimingBlock(6, 100)]));
    const run = await runCli(['analyze', '--format', 'json', path]);
    expect(run.status).toBe(4);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/: frame 3 \(block at byte offset \d+\): packet block of 4294967292 bytes is too large/)]);
    const report = JSON.parse(run.stdout) as { captures: { packets: number; teredoPackets: number; truncated: boolean }[]; findings: { kind: string; frames: number[] }[]; clients: unknown[] };
    expect(report.captures[0]).toMatchObject({ packets: 2, teredoPackets: 2, truncated: true });
    expect(report.findings.filter((finding) => finding.kind === 'truncated-capture')).toEqual([expect.objectContaining({ frames: [2] })]);
    expect(report.clients).toHaveLength(1);
    expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  });
});
