import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { hostileScratch, SOLICITATION, ADVERTISEMENT } from '../support/hostile-captures.js';
import { runCli, type CliRun } from './support/measured-cli.js';

/*
 * Issue 16, class 4: work over many files. A ring of rotated captures (dumpcap -b, one packet a
 * file here) must cost each file a small constant: before, 1,000 files took 2.2 s, 6,000 took
 * 26.5 s and 12,000 took 139 s, with memory growing per file. Checked as ratios of CPU time and
 * differences of peak RSS between a small and a large ring (wall time is too noisy on a shared
 * machine). The rings are written here, never committed.
 */

const { path } = hostileScratch('many-files');

/** `count` one-packet pcap files, one second apart (or `perFile` packets interleaved across files when overlapping). */
function writeRing(name: string, count: number, options: { overlapping?: boolean; perFile?: number } = {}): string {
  const directory = path(name);
  mkdirSync(directory);
  const perFile = options.perFile ?? 1;
  for (let file = 0; file < count; file++) {
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 1 });
      for (let k = 0; k < perFile; k++) {
        const seconds = options.overlapping === true ? 1_700_000_000 + k * 10 : 1_700_000_000 + file;
        writer.write({ seconds, nanos: options.overlapping === true ? file * 1000 : 0, data: (file + k) % 2 === 0 ? SOLICITATION : ADVERTISEMENT });
      }
    });
    writeFileSync(join(directory, `ring_${String(file).padStart(5, '0')}.pcap`), bytes);
  }
  return directory;
}

async function lesserPeak(args: string[], options?: Parameters<typeof runCli>[1]): Promise<CliRun> {
  const first = await runCli(args, options);
  const second = await runCli(args, options);
  return second.maxRssMb < first.maxRssMb ? second : first;
}

function capturesIn(run: CliRun): number {
  return (JSON.parse(run.stdout) as { captures: unknown[] }).captures.length;
}

describe('a ring of many rotated files', () => {
  it('costs each file a constant: 4x the files, well under 8x the CPU time and a few MB more', async () => {
    const small = writeRing('ring-1500', 1500);
    const large = writeRing('ring-6000', 6000);
    // The lesser peak of two runs each: V8's heap sizing moves one run's peak by up to 10 MB.
    const runSmall = await lesserPeak(['analyze', '-q', '--format', 'json', small]);
    const runLarge = await lesserPeak(['analyze', '-q', '--format', 'json', large], { timeoutMs: 300_000 });
    for (const [run, files] of [[runSmall, 1500], [runLarge, 6000]] as const) {
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(capturesIn(run)).toBe(files);
    }
    // Linear: 4x (plus start-up shared by both); quadratic was 12x and more.
    expect(runLarge.cpuSeconds / runSmall.cpuSeconds).toBeLessThan(8);
    // Before: about 35 KB more per file (168 MB for 3,000 files against 97 MB for 1,000).
    expect(runLarge.maxRssMb - runSmall.maxRssMb).toBeLessThan(40);
    expect(runLarge.maxRssMb).toBeLessThan(150);
  }, 300_000);

  it('dissect of a 6,000-file ring prints every packet in time order, in bounded memory', async () => {
    const ring = writeRing('ring-dissect', 6000);
    const run = await runCli(['dissect', '-q', ring], { timeoutMs: 300_000 });
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(6000);
    expect(lines[5999].startsWith(`${ring}/ring_05999.pcap:1 `)).toBe(true);
    expect(run.maxRssMb).toBeLessThan(150);
  }, 300_000);
});

describe('--workers with many small overlapping files', () => {
  it('costs about what one thread costs (before: 26 s against 0.8 s for 300 files)', async () => {
    const ring = writeRing('overlapping-300', 300, { overlapping: true, perFile: 20 });
    const plain = await runCli(['analyze', '-q', '--format', 'json', ring]);
    const workers = await runCli(['analyze', '-q', '--format', 'json', '--workers', ring]);
    expect(workers.status).toBe(0);
    expect(workers.stdout).toBe(plain.stdout);
    expect(capturesIn(workers)).toBe(300);
    expect(workers.cpuSeconds).toBeLessThan(plain.cpuSeconds * 2 + 1);
    expect(workers.maxRssMb).toBeLessThan(200);
  }, 300_000);
});
