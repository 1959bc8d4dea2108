import type { RowResult } from './bench-results.js';
import type { RowId } from './bench-rows.js';

/** Issue 4's targets for `analyze` on the default mix. */
export const TARGET_PACKETS_PER_SECOND = 2_000_000;
export const TARGET_VS_TSHARK = 45;
export const TARGET_PEAK_RSS_MIB = 200;
export const TARGET_RSS_GROWTH = 1.25;

/** The comparison as a Markdown table (pastes into the README as it is). */
export function resultsTable(results: readonly RowResult[]): string {
  const lines = [
    '| what | packets | median time | packets/s | MB/s | peak RSS | × tshark | × bare reader | CPU time | × tshark (CPU) | × bare reader (CPU) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    if (r.skipped !== null || r.failed !== null) {
      lines.push(`| ${r.label} | ${r.packets.toLocaleString('en-US')} | ${r.skipped !== null ? `skipped: ${r.skipped}` : `failed: ${r.failed}`} | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${r.label} | ${r.packets.toLocaleString('en-US')} | ${seconds(r.medianSeconds)} | ${rate(r.packetsPerSecond)} | ${fixed(r.megabytesPerSecond, 0)} | ${mib(r.peakRssMiB)} | ${ratio(r.vsTshark)} | ${ratio(r.vsBareReader)} | ${seconds(r.medianCpuSeconds)} | ${ratio(r.vsTsharkCpu)} | ${ratio(r.vsBareReaderCpu)} |`,
    );
  }
  return lines.join('\n');
}

export function resultNotes(results: readonly RowResult[]): string[] {
  return results.filter((r) => r.note !== null && r.skipped === null).map((r) => `${r.label}: ${r.note}`);
}

/** One line per target of issue 4, with PASS/FAIL, for the analyze row. */
export function targetLines(results: readonly RowResult[]): string[] {
  const analyze = results.find((r) => r.id === 'analyze');
  if (analyze === undefined || analyze.packetsPerSecond === null) return ['targets: analyze was not measured'];
  const lines = [check(`analyze ≥ ${rate(TARGET_PACKETS_PER_SECOND)} packets/s`, analyze.packetsPerSecond >= TARGET_PACKETS_PER_SECOND, rate(analyze.packetsPerSecond))];
  if (analyze.vsTshark !== null) lines.push(check(`analyze ≥ ${TARGET_VS_TSHARK}× tshark`, analyze.vsTshark >= TARGET_VS_TSHARK, ratio(analyze.vsTshark)));
  else lines.push('  n/a   analyze vs tshark: tshark not measured');
  if (analyze.peakRssMiB !== null) lines.push(check(`analyze peak RSS ≤ ${TARGET_PEAK_RSS_MIB} MiB`, analyze.peakRssMiB <= TARGET_PEAK_RSS_MIB, mib(analyze.peakRssMiB)));
  else lines.push('  n/a   analyze peak RSS: not measurable here');
  lines.push(...budgetLines(results, analyze.packets));
  return lines;
}

/**
 * How the rate target's time budget splits, from rows of the same run: the wall time in which
 * `packets` must be analysed to meet TARGET_PACKETS_PER_SECOND, what start-up alone takes of it,
 * and what the bare reader takes (it pays Node's start-up, not the CLI's).
 */
export function budgetLines(results: readonly RowResult[], packets: number): string[] {
  const budget = packets / TARGET_PACKETS_PER_SECOND;
  const seconds = (id: RowId): number | null => results.find((r) => r.id === id)?.medianSeconds ?? null;
  const startup = seconds('analyze-startup');
  const bare = seconds('bare-reader');
  if (startup === null && bare === null) return [];
  const share = (value: number): string => `${value.toFixed(2)} s (${((100 * value) / budget).toFixed(0)} %)`;
  const parts = [`budget: ${rate(TARGET_PACKETS_PER_SECOND)} packets/s leaves ${budget.toFixed(2)} s for ${packets.toLocaleString('en-US')} packets`];
  if (startup !== null) parts.push(`start-up takes ${share(startup)}`);
  if (bare !== null) parts.push(`the bare reader ${share(bare)}`);
  return [`  note  ${parts.join('; ')}`];
}

export function check(what: string, ok: boolean, value: string): string {
  return `  ${ok ? 'PASS' : 'FAIL'}  ${what}: ${value}`;
}

export function rate(value: number | null): string {
  if (value === null) return 'n/a';
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(0);
}

export function ratio(value: number | null): string {
  if (value === null) return 'n/a';
  return value >= 10 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`;
}

export function mib(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(0)} MiB`;
}

function seconds(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(2)} s`;
}

function fixed(value: number | null, digits: number): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

/** Issue 13's targets, as ratios measured in the same run. */
export const TARGET_SERVER_VS_TSHARK = 20;
export const TARGET_SERVER_PEAK_RSS_MIB = 512;
export const TARGET_DATA_VS_TSHARK = 30;
/** analyze's time within this many times the bare reader's (data-heavy mix). */
export const TARGET_VS_BARE_READER_TIME = 4;
/** Start-up within this many times `node -e 0`. */
export const TARGET_STARTUP_VS_NODE = 3;

/**
 * Issue 13's targets for one mix: the 50,000-client server mix (rate, peak RSS, report identical
 * with the limit raised) and the data-heavy mix (rate, time against the bare reader, start-up).
 * `reportsIdentical` is null when the two reports were not both written.
 */
export function mixTargetLines(mix: string, results: readonly RowResult[], reportsIdentical: boolean | null): string[] {
  const find = (id: RowId): RowResult | undefined => results.find((r) => r.id === id);
  const analyze = find('analyze');
  const lines: string[] = [];
  if (reportsIdentical !== null) lines.push(check('report identical with the live-client limit raised', reportsIdentical, reportsIdentical ? 'yes' : 'no'));
  if (mix === 'server-50k' && analyze !== undefined) {
    const vs = analyze.vsTsharkCpu ?? analyze.vsTshark;
    lines.push(vs === null ? '  n/a   analyze vs tshark: not measured' : check(`analyze ≥ ${TARGET_SERVER_VS_TSHARK}× tshark (CPU time; wall ${ratio(analyze.vsTshark)})`, vs >= TARGET_SERVER_VS_TSHARK, ratio(vs)));
    if (analyze.peakRssMiB !== null) lines.push(check(`analyze peak RSS ≤ ${TARGET_SERVER_PEAK_RSS_MIB} MiB`, analyze.peakRssMiB <= TARGET_SERVER_PEAK_RSS_MIB, mib(analyze.peakRssMiB)));
  }
  if (mix === 'data-heavy') {
    const vsTshark = analyze?.vsTsharkCpu ?? analyze?.vsTshark ?? null;
    if (vsTshark !== null) lines.push(check(`analyze ≥ ${TARGET_DATA_VS_TSHARK}× tshark (CPU time; wall ${ratio(analyze?.vsTshark ?? null)})`, vsTshark >= TARGET_DATA_VS_TSHARK, ratio(vsTshark)));
    const vsBare = analyze?.vsBareReaderCpu ?? analyze?.vsBareReader ?? null;
    if (vsBare !== null) {
      const times = 1 / vsBare;
      lines.push(check(`analyze within ${TARGET_VS_BARE_READER_TIME}× the bare reader's time (CPU time)`, times <= TARGET_VS_BARE_READER_TIME, `${times.toFixed(2)}×`));
    }
    const node = find('node-startup');
    for (const id of ['analyze-startup', 'decode-startup'] as const) {
      const row = find(id);
      if (node?.medianSeconds == null || row?.medianSeconds == null) continue;
      const wall = row.medianSeconds / node.medianSeconds;
      const cpu = row.medianCpuSeconds !== null && node.medianCpuSeconds ? row.medianCpuSeconds / node.medianCpuSeconds : null;
      lines.push(check(`${id} within ${TARGET_STARTUP_VS_NODE}× of node -e 0 (wall; CPU ${cpu === null ? 'n/a' : `${cpu.toFixed(2)}×`})`, wall <= TARGET_STARTUP_VS_NODE, `${wall.toFixed(2)}×`));
    }
  }
  return lines;
}
