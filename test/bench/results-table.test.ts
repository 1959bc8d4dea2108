import { describe, expect, it } from 'vitest';
import { addRun, emptyResult, summarize, type RowResult } from '../../src/bench/bench-results.js';
import type { BenchRow, RowId } from '../../src/bench/bench-rows.js';
import { budgetLines, mixTargetLines, resultsTable, targetLines } from '../../src/bench/results-table.js';

/** The benchmark's arithmetic on made-up runs: no process is timed here. */

function row(id: RowId, packets: number): BenchRow {
  return { id, label: id, command: 'node', args: [], discardStdout: true, packets, bytes: packets * 500, okExitCodes: [0], skipped: null, note: null };
}

function measured(id: RowId, packets: number, seconds: number[], cpu: number[] = seconds): RowResult {
  const result = emptyResult(row(id, packets));
  seconds.forEach((s, i) => addRun(result, { seconds: s, peakRssKiB: 80 * 1024, cpuSeconds: cpu[i], exitCode: 0, stdout: '', stderr: '' }));
  return result;
}

describe('bench results', () => {
  it('gives the start-up row a time but no packet rate, and leaves the other rows their rates', () => {
    const results = [measured('analyze', 2_000_000, [2.0, 2.2, 2.1]), measured('analyze-startup', 1_000, [0.4, 0.5, 0.3]), measured('bare-reader', 2_000_000, [0.5])];
    summarize(results);
    const [analyze, startup, bare] = results;
    expect(startup.medianSeconds).toBe(0.4);
    expect(startup.packetsPerSecond).toBeNull();
    expect(startup.vsBareReader).toBeNull();
    expect(analyze.packetsPerSecond).toBeCloseTo(2_000_000 / 2.1);
    expect(analyze.vsBareReader).toBeCloseTo(0.5 / 2.1);
    expect(bare.vsBareReader).toBe(1);
    const startupLine = resultsTable(results).split('\n').find((line) => line.startsWith('| analyze-startup'));
    expect(startupLine).toBe('| analyze-startup | 1,000 | 0.40 s | n/a | n/a | 80 MiB | n/a | n/a | 0.40 s | n/a | n/a |');
  });

  it('splits the rate target into start-up and reading time', () => {
    const results = [measured('analyze', 2_000_000, [2.1]), measured('analyze-startup', 1_000, [0.3]), measured('bare-reader', 2_000_000, [0.45])];
    summarize(results);
    // 2 M packets/s leaves 1.0 s for 2,000,000 packets.
    expect(budgetLines(results, 2_000_000)).toEqual(['  note  budget: 2.00 M packets/s leaves 1.00 s for 2,000,000 packets; start-up takes 0.30 s (30 %); the bare reader 0.45 s (45 %)']);
    expect(targetLines(results).at(-1)).toBe(budgetLines(results, 2_000_000)[0]);
  });

  it('says nothing about the budget when neither the start-up nor the bare reader ran', () => {
    const results = [measured('analyze', 2_000_000, [2.1])];
    summarize(results);
    expect(budgetLines(results, 2_000_000)).toEqual([]);
    expect(targetLines(results).some((line) => line.includes('budget'))).toBe(false);
  });

  it('gives ratios from CPU time beside the wall-time ones, which a busy machine skews', () => {
    // analyze waited for the CPU (wall 4 s, CPU 1 s); tshark did not.
    const results = [measured('analyze', 1_000_000, [4], [1]), measured('bare-reader', 1_000_000, [0.5], [0.25]), measured('tshark', 200_000, [4], [4])];
    summarize(results);
    const [analyze] = results;
    expect(analyze.vsTshark).toBeCloseTo(250_000 / 50_000);
    expect(analyze.vsTsharkCpu).toBeCloseTo(1_000_000 / 50_000);
    expect(analyze.vsBareReaderCpu).toBeCloseTo(0.25);
  });

  it("checks issue 13's targets: the 50k server mix by CPU-time ratio, RSS and report identity; start-up against node -e 0", () => {
    const server = [measured('analyze', 1_000_000, [2], [2]), measured('tshark', 200_000, [8], [8])];
    summarize(server);
    // 500 k/s against 25 k/s: 20×, just met.
    expect(mixTargetLines('server-50k', server, false)).toEqual([
      '  FAIL  report identical with the live-client limit raised: no',
      '  PASS  analyze ≥ 20× tshark (CPU time; wall 20×): 20×',
      '  PASS  analyze peak RSS ≤ 512 MiB: 80 MiB',
    ]);
    const data = [measured('analyze', 2_000_000, [1]), measured('bare-reader', 2_000_000, [0.2]), measured('analyze-startup', 1000, [0.31]), measured('node-startup', 0, [0.1])];
    summarize(data);
    const lines = mixTargetLines('data-heavy', data, null);
    expect(lines).toContain("  FAIL  analyze within 4× the bare reader's time (CPU time): 5.00×");
    expect(lines).toContain('  FAIL  analyze-startup within 3× of node -e 0 (wall; CPU 3.10×): 3.10×');
    expect(mixTargetLines('relay', data, null)).toEqual([]);
  });
});
