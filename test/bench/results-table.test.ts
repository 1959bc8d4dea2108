import { describe, expect, it } from 'vitest';
import { addRun, emptyResult, summarize, type RowResult } from '../../src/bench/bench-results.js';
import type { BenchRow, RowId } from '../../src/bench/bench-rows.js';
import { budgetLines, resultsTable, targetLines } from '../../src/bench/results-table.js';

/** The benchmark's arithmetic on made-up runs: no process is timed here. */

function row(id: RowId, packets: number): BenchRow {
  return { id, label: id, command: 'node', args: [], discardStdout: true, packets, bytes: packets * 500, okExitCodes: [0], skipped: null, note: null };
}

function measured(id: RowId, packets: number, seconds: number[]): RowResult {
  const result = emptyResult(row(id, packets));
  for (const s of seconds) addRun(result, { seconds: s, peakRssKiB: 80 * 1024, cpuSeconds: s, exitCode: 0, stdout: '', stderr: '' });
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
    expect(startupLine).toBe('| analyze-startup | 1,000 | 0.40 s | n/a | n/a | 80 MiB | n/a | n/a | 0.40 s |');
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
});
