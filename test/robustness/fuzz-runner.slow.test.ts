import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FuzzCase } from '../../src/fuzz/fuzz-case.js';
import { runFuzzLoop, type FuzzLoopOptions } from '../../src/fuzz/fuzz-loop.js';
import { parseFuzzArgs } from '../../src/fuzz/fuzz-args.js';
import { caseRandom, SeededRandom } from '../../src/fuzz/random.js';

/*
 * `npm run fuzz` itself: the runner in dist/fuzz (built by `npm run build`, which `npm test` runs
 * first) is spawned for a short run, a case is regenerated from its seed and index, a file is
 * replayed; and the loop's failure path is driven with a stand-in case runner that fails on purpose.
 */

const directory = mkdtempSync(join(tmpdir(), 'teredoscope-robustness-fuzz-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function fuzz(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['dist/fuzz/run-fuzz.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function loopOptions(overrides: Partial<FuzzLoopOptions>): FuzzLoopOptions {
  return { seed: 9, first: 0, step: 1, end: 20, deadline: 0, outDir: join(directory, 'loop'), maxFailures: 10, ...overrides };
}

function fakeCase(index: number): FuzzCase {
  return { kind: 'random-bytes', notes: [`fake case ${index}`], input: Uint8Array.of(index), options: { chunkSize: 3 }, compareWith: { streamChunkSize: 2 }, spec: null };
}

describe('npm run fuzz', () => {
  it('runs the properties on N inputs and ends with one summary line', () => {
    const run = fuzz('--iterations', '150', '--seed', '3', '--out', join(directory, 'out'));
    expect(run.stderr).toMatch(/^fuzz: 150 inputs, seed 3, 1 worker\n/);
    expect(run.stdout).toMatch(/^fuzz: 150 inputs, 0 failures, \d+\.\d s \(seed 3\)\n$/);
    expect(run.status).toBe(0);
    expect(existsSync(join(directory, 'out'))).toBe(false);
  }, 120_000);

  it('regenerates a case from its seed and index alone', () => {
    const first = fuzz('--seed', '3', '--case', '41');
    const again = fuzz('--seed', '3', '--case', '41');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^seed 3, case 41: [a-z-]+, \d+ bytes, read with /);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe('passed');
    expect(again.stdout).toBe(first.stdout);
  }, 60_000);

  it('replays a capture file, whole and in recycled pieces', () => {
    const run = fuzz('--replay', 'fixtures/real/wireshark-teredo.pcap', '--chunk-size', '5', '--stream-chunk-size', '1000');
    expect(run.stdout).toBe('fixtures/real/wireshark-teredo.pcap: 78 records, 29 Teredo packets, read to the end (chunk size 5, stream chunks of 1000 bytes)\n');
    expect(run.status).toBe(0);
    const damaged = join(directory, 'damaged.pcap');
    writeFileSync(damaged, readFileSync('fixtures/real/wireshark-teredo.pcap').subarray(0, 5000));
    const cut = fuzz('--replay', damaged);
    expect(cut.stdout).toMatch(/: \d+ records, \d+ Teredo packets, truncated: truncated after frame \d+: record of \d+ bytes cut at \d+ /);
    expect(cut.status).toBe(0);
  }, 60_000);

  it('reports a case that never ends as a hang, with a reproducer, and exits 1', () => {
    const outDir = join(directory, 'hang');
    const run = spawnSync(process.execPath, ['dist/fuzz/run-fuzz.js', '--iterations', '6', '--seed', '1', '--case-timeout', '1.5', '--out', outDir], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, TEREDOSCOPE_FUZZ_HANG_AT: '3' },
    });
    expect(run.stderr).toContain('fuzz: FAILED seed 1 case 3 (');
    expect(run.stderr).toContain('): no result after 1.5 s: the case hangs\n');
    expect(run.stdout).toMatch(/^fuzz: 3 inputs, 1 failures, [\d.]+ s \(seed 1\)\n$/);
    expect(run.status).toBe(1);
    expect(readFileSync(join(outDir, 'seed-1-case-3.txt'), 'utf8')).toContain('regenerate: npm run fuzz -- --seed 1 --case 3\n');
    expect(existsSync(join(outDir, 'seed-1-case-3.bin'))).toBe(true);
  }, 60_000);

  it('rejects bad options with exit status 2', () => {
    const run = fuzz('--iterations', '0');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^fuzz: --iterations must be a whole number from 1 to /);
    expect(() => parseFuzzArgs(['--bogus'])).toThrow(/Unknown option '--bogus'/);
    expect(parseFuzzArgs(['--time-limit', '1.5', '--seed', '0']).timeLimitSeconds).toBe(1.5);
  }, 60_000);
});

describe('the fuzz loop', () => {
  it('writes a reproducer for each failing case and goes on', async () => {
    const outDir = join(directory, 'failing');
    const result = await runFuzzLoop(loopOptions({ outDir }), {
      generate: (_seed, index) => fakeCase(index),
      run: async (fuzzCase) => (fuzzCase.input[0] % 7 === 5 ? [`case ${fuzzCase.input[0]} broke`] : []),
    });
    expect(result.done).toBe(20);
    expect(result.failures.map((failure) => failure.index)).toEqual([5, 12, 19]);
    expect([...readFileSync(join(outDir, 'seed-9-case-12.bin'))]).toEqual([12]);
    const note = readFileSync(join(outDir, 'seed-9-case-12.txt'), 'utf8');
    expect(note).toContain('regenerate: npm run fuzz -- --seed 9 --case 12\n');
    expect(note).toMatch(/replay the bytes: npm run fuzz -- --replay \S+seed-9-case-12\.bin --chunk-size 3\n/);
    expect(note).toMatch(/replay the bytes: npm run fuzz -- --replay \S+seed-9-case-12\.bin --stream-chunk-size 2\n/);
    expect(note).toContain('  fake case 12\n');
    expect(note).toContain('what broke:\n  case 12 broke\n');
  });

  it('reports a case that throws, or cannot be generated, as a failure', async () => {
    const result = await runFuzzLoop(loopOptions({ end: 4, maxFailures: 2 }), {
      generate: (_seed, index) => {
        if (index === 1) throw new RangeError('generator bug');
        return fakeCase(index);
      },
      run: async (fuzzCase) => {
        if (fuzzCase.input[0] === 2) throw new TypeError('stage bug');
        return [];
      },
    });
    expect(result.failures.map((failure) => [failure.index, failure.kind, failure.violations[0].split('\n')[0]])).toEqual([
      [1, 'generator', 'generating the case threw RangeError: generator bug'],
      [2, 'random-bytes', 'running the case threw TypeError: stage bug'],
    ]);
    // It stopped at the failure limit.
    expect(result.done).toBe(3);
  });

  it('starts no case after the deadline', async () => {
    const result = await runFuzzLoop(loopOptions({ deadline: Date.now() - 1 }), { generate: (_seed, index) => fakeCase(index), run: async () => [] });
    expect(result).toMatchObject({ done: 0, stoppedByDeadline: true });
  });
});

describe('the seeded generator', () => {
  it('gives the same draws for the same seed and case, different ones otherwise', () => {
    const draws = (random: SeededRandom): number[] => Array.from({ length: 8 }, () => random.int(1000));
    expect(draws(caseRandom(1, 5))).toEqual(draws(caseRandom(1, 5)));
    expect(draws(caseRandom(1, 5))).not.toEqual(draws(caseRandom(1, 6)));
    expect(draws(caseRandom(1, 5))).not.toEqual(draws(caseRandom(2, 5)));
  });

  it('draws integers uniformly within the bound', () => {
    const random = new SeededRandom(42);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[random.int(10)]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(random.int(4294967296)).toBeLessThan(4294967296);
    expect(() => random.int(0)).toThrow(RangeError);
  });
});
