import type { BenchRow, RowId } from './bench-rows.js';
import type { ChildRun } from './child-measure.js';

/** What one row measured over its runs. */
export interface RowResult {
  id: RowId;
  label: string;
  command: string;
  packets: number;
  bytes: number;
  /** Wall seconds of each run. */
  seconds: number[];
  /** Peak RSS of each run (KiB), null where unmeasured. */
  peakRssKiB: (number | null)[];
  /** CPU seconds (user + system) of each run, null where unmeasured. */
  cpuSeconds: (number | null)[];
  medianSeconds: number | null;
  /** Median CPU seconds, and the packet rate they correspond to (one core fully used). */
  medianCpuSeconds: number | null;
  packetsPerCpuSecond: number | null;
  packetsPerSecond: number | null;
  megabytesPerSecond: number | null;
  /** Highest peak RSS over the runs, MiB. */
  peakRssMiB: number | null;
  /** packetsPerSecond divided by tshark's, and by the bare reader's. */
  vsTshark: number | null;
  vsBareReader: number | null;
  /**
   * The same ratios from CPU time (user + system): on a machine shared with other work the wall
   * time of each run depends on what else ran then, its CPU time much less.
   */
  vsTsharkCpu: number | null;
  vsBareReaderCpu: number | null;
  skipped: string | null;
  failed: string | null;
  note: string | null;
}

export function emptyResult(row: BenchRow): RowResult {
  return {
    id: row.id,
    label: row.label,
    command: [row.command, ...row.args].join(' '),
    packets: row.packets,
    bytes: row.bytes,
    seconds: [],
    peakRssKiB: [],
    cpuSeconds: [],
    medianSeconds: null,
    medianCpuSeconds: null,
    packetsPerCpuSecond: null,
    packetsPerSecond: null,
    megabytesPerSecond: null,
    peakRssMiB: null,
    vsTshark: null,
    vsBareReader: null,
    vsTsharkCpu: null,
    vsBareReaderCpu: null,
    skipped: row.skipped,
    failed: null,
    note: row.note,
  };
}

export function addRun(result: RowResult, run: ChildRun): void {
  result.seconds.push(run.seconds);
  result.peakRssKiB.push(run.peakRssKiB);
  result.cpuSeconds.push(run.cpuSeconds);
}

/** Fills the derived figures once every run is in. */
export function summarize(results: RowResult[]): void {
  for (const result of results) {
    if (result.seconds.length === 0 || result.failed !== null) continue;
    const median = medianOf(result.seconds);
    result.medianSeconds = median;
    // The start-up rows' time is not spent on packets: a rate would mislead.
    if (!isStartupRow(result.id)) {
      result.packetsPerSecond = result.packets / median;
      result.megabytesPerSecond = result.bytes / 1e6 / median;
    }
    const cpu = result.cpuSeconds.filter((value): value is number => value !== null);
    if (cpu.length > 0) {
      result.medianCpuSeconds = medianOf(cpu);
      result.packetsPerCpuSecond = result.medianCpuSeconds > 0 && !isStartupRow(result.id) ? result.packets / result.medianCpuSeconds : null;
    }
    const rss = result.peakRssKiB.filter((value): value is number => value !== null);
    result.peakRssMiB = rss.length === 0 ? null : Math.max(...rss) / 1024;
  }
  const rate = (id: RowId): number | null => results.find((r) => r.id === id)?.packetsPerSecond ?? null;
  const tshark = rate('tshark');
  const bare = rate('bare-reader');
  const cpuRate = (id: RowId): number | null => results.find((r) => r.id === id)?.packetsPerCpuSecond ?? null;
  const tsharkCpu = cpuRate('tshark');
  const bareCpu = cpuRate('bare-reader');
  for (const result of results) {
    if (result.packetsPerSecond === null) continue;
    result.vsTshark = tshark !== null ? result.packetsPerSecond / tshark : null;
    result.vsBareReader = bare !== null ? result.packetsPerSecond / bare : null;
    const own = result.packetsPerCpuSecond;
    result.vsTsharkCpu = own !== null && tsharkCpu !== null ? own / tsharkCpu : null;
    result.vsBareReaderCpu = own !== null && bareCpu !== null ? own / bareCpu : null;
  }
}

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function isStartupRow(id: RowId): boolean {
  return id === 'analyze-startup' || id === 'decode-startup' || id === 'node-startup';
}
